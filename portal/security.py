"""The security policy: identity from the signed session, principals per docs/architecture.md §1, ACL-based permits.

Sessions are signed cookies, but each carries a server-side session id that must still be listed on
the user (``User.sessions``): logout, deactivation or a password change remove ids, which ends
those sessions wherever the cookie is replayed. Idle timeout comes from the cookie's signed
timestamp; the absolute timeout from the session's recorded start.
"""

import time

from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.interfaces import ISecurityPolicy
from zope.interface import implementer

from portal.storage import portal_root

SESSION_LOGIN = "login"
SESSION_ID = "sid"
SESSION_STARTED = "started"


@implementer(ISecurityPolicy)
class SecurityPolicy:
    """Deny by default: every permission comes from an ACE in the context's lineage."""

    def __init__(self, absolute_timeout, cookie_name):
        self.absolute_timeout = absolute_timeout
        self.cookie_name = cookie_name
        self.helper = ACLHelper()

    def identity(self, request):
        """The active ``User`` of this request's session, or None (cached per request)."""
        # Cached on the request, not in the WSGI environ: pyramid_retry reuses the environ for a new
        # attempt, and a user object from the failed attempt's (closed) connection must not survive.
        cached = request.__dict__.get("_portal_identity", self)
        if cached is not self:
            return cached
        user = self._load_identity(request)
        request._portal_identity = user
        return user

    def _load_identity(self, request):
        if self.cookie_name not in request.cookies:
            return None  # never create a session for an anonymous reader
        session = request.session
        login, sid, started = session.get(SESSION_LOGIN), session.get(SESSION_ID), session.get(SESSION_STARTED)
        if not (login and sid and started):
            return None
        if time.time() - started > self.absolute_timeout:
            session.invalidate()
            return None
        user = portal_root(request)["users"].get(login)
        if user is None or not user.active or sid not in user.sessions:
            session.invalidate()
            return None
        return user

    def authenticated_userid(self, request):
        user = self.identity(request)
        return user.login if user is not None else None

    def principals(self, request):
        """Everyone, and for a signed-in user Authenticated plus the user's own principals."""
        cached = request.__dict__.get("_portal_principals")
        if cached is not None:
            return cached
        user = self.identity(request)
        principals = [Everyone] if user is None else [Everyone, Authenticated] + user.principals()
        request._portal_principals = principals
        return principals

    def permits(self, request, context, permission):
        return self.helper.permits(context, self.principals(request), permission)

    def remember(self, request, userid, **kw):
        """Start a fresh session for ``userid`` (a new cookie: no session fixation)."""
        user = portal_root(request)["users"][userid]
        user.prune_sessions(time.time() - self.absolute_timeout)
        request.session.invalidate()
        request.session[SESSION_LOGIN] = userid
        request.session[SESSION_ID] = user.start_session()
        request.session[SESSION_STARTED] = time.time()
        request._portal_identity = user
        request.__dict__.pop("_portal_principals", None)
        return []

    def forget(self, request, **kw):
        """End the session here and server-side, so a copy of the old cookie is worthless."""
        user = self.identity(request)
        if user is not None:
            user.end_session(request.session.get(SESSION_ID))
        if self.cookie_name in request.cookies:
            request.session.invalidate()
        request._portal_identity = None
        request.__dict__.pop("_portal_principals", None)
        return []


def principals_for(request):
    """The principals of the request's user (use this, not ``request.effective_principals``)."""
    return request.registry.getUtility(ISecurityPolicy).principals(request)


def public(resource, permission):
    """Whether the public (nobody signed in: ``Everyone`` alone) holds ``permission`` on ``resource``, by the
    same ACLs every request is checked against (the sitemap lists only such pages)."""
    return bool(ACLHelper().permits(resource, [Everyone], permission))

"""Cache of rendered pages for signed-in users, keyed by what decides access: the principals.

In this portal a page depends only on the context (the address, with the scheme and host its absolute
links are built from), the caller's principals, the language and the database state; views never decide access any other way. So a page rendered for
one set of principals can be served again to the same set while no commit has happened (the key
holds the database's last transaction id, as every process sees it: ``portal/last_commit.py``) and for at most ``TTL`` seconds (for anything that
depends on time). The session's CSRF token is kept out of stored pages and put back on each hit;
requests with pending flash messages, non-GET requests and non-200 responses are never cached.
"""

import time

from pyramid.response import Response

from portal.lru import LRUCache
from portal.settings import SESSION_COOKIE
from portal.i18n import language_key
from portal.security import SESSION_ID, SESSION_LOGIN, SESSION_STARTED

CSRF_MARKER = b"\x00csrf\x00"
TTL = 60
CACHEABLE_TYPES = ("text/html", "application/json")


def page_cache_tween_factory(handler, registry):
    """The first tween, above pyramid_tm: a hit opens no transaction and no database connection.

    A session is served from memory only when it was found valid (user active, session id listed)
    at the database's current last transaction: logout, deactivation or a password change are
    commits, so they retire that knowledge at once. The signed cookie's idle timeout is checked by
    the session factory and the absolute timeout here, on every request.
    """

    settings = registry.settings
    enabled = str(settings.get("portal.page_cache", "true")).lower() in ("true", "1", "yes", "on")
    absolute = int(settings.get("portal.session_absolute_timeout", 12 * 3600))
    cache = LRUCache(max_entries=int(settings.get("portal.page_cache_entries", 5000)))
    valid_sessions = LRUCache(max_entries=20000)  # (login, sid) -> (tid, principals)
    registry.page_cache = cache

    def tween(request):
        if not enabled or request.method != "GET" or SESSION_COOKIE not in request.cookies:
            return handler(request)
        session = request.session
        login, sid, started = session.get(SESSION_LOGIN), session.get(SESSION_ID), session.get(SESSION_STARTED)
        now = time.time()
        if not (login and sid and started) or now - started > absolute or session.peek_flash() or session.peek_flash("error"):
            return handler(request)
        try:
            tid = registry.last_commit()
        except Exception:  # noqa: BLE001  (the database does not answer: the app's own error pages say so)
            return handler(request)
        try:
            lang, path = language_key(request), request.path_qs  # with the principals: the page's language
        except UnicodeDecodeError:  # an address that is not UTF-8: the app answers with its 400 page
            return handler(request)
        token = session.get_csrf_token().encode()
        known = valid_sessions.get((login, sid), lambda e: e[0] >= now)
        if known is not None and known[1] == tid:
            entry = cache.get((known[2], path, lang, tid, request.host_url), lambda e: e[0] >= now)
            if entry is not None:
                _expires, status, headerlist, body = entry
                return Response(status=status, headerlist=list(headerlist), body=body.replace(CSRF_MARKER, token))
        response = handler(request)
        principals = request.__dict__.get("_portal_principals")
        if principals is None or f"user:{login}" not in principals:
            return response  # not signed in as the session says (ended, deactivated...): remember nothing
        principals = tuple(principals)
        valid_sessions.put((login, sid), (now + TTL, tid, principals))
        if (
            response.status_int == 200
            and (response.content_type or "") in CACHEABLE_TYPES
            and response.content_length is not None
            and response.content_length <= cache.max_body
            and "Set-Cookie" not in response.headers
            and not request.environ.get("portal.no_page_cache")
        ):
            headerlist = tuple((k, v) for k, v in response.headerlist if k.lower() != "content-length")
            cache.put((principals, path, lang, tid, request.host_url), (now + TTL, response.status, headerlist, response.body.replace(token, CSRF_MARKER)))
        return response

    return tween

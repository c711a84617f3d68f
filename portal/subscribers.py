"""What follows a workflow transition or the filing of a resource, whatever fired it: a view, the generic
``@@transition``, a script or the demo. Written once here, so that no route skips an audit record or a mail.

Without a request (the demo, tests that fire directly): audit records and content changes are made;
no mail is sent, since a mail's links need the portal's address and nobody acting in the portal is to be
told. Scripts run through ``portal_env`` have a request (``pyramid.scripting``), so they do send mail.
"""

from pyramid.threadlocal import get_current_request
from pyramid.traversal import find_root, resource_path

from content.access_requests import AccessRequest
from content.audit import audit_log
from content.events import ObjectAdded, ObjectModified
from content.publication import make_parts
from content.translations import make_summary
from portal.draw_service import apply_request
from portal.notifications import send_activation
from portal.notices import NOTICES, tell
from workflows.engine import AfterTransition

_AFTER = {}  # (workflow name, transition name) -> [handler(event)]


def after(workflow, *transitions):
    """Register the decorated ``handler(event)`` to follow ``transitions`` of ``workflow``."""

    def register(handler):
        for transition in transitions:
            _AFTER.setdefault((workflow, transition), []).append(handler)
        return handler

    return register


def includeme(config):
    config.add_subscriber(follow_transition, AfterTransition)
    config.add_subscriber(request_filed, ObjectAdded)
    config.add_subscriber(agreements_cleared, ObjectModified)


def follow_transition(event):
    """Run the handlers of the transition just made, in the order they were registered; then tell whoever
    ``portal.notices`` names for it (only with a request: a mail's links need the portal's address)."""
    for handler in _AFTER.get((event.workflow.name, event.transition.name), ()):
        handler(event)
    key = f"{event.workflow.name}/{event.transition.name}"
    if key in NOTICES and event.request is not None:
        tell(event.request, key, event.object)


def state_of_actor(request, actor, resource):
    """The State of ``actor`` (a login), for the audit log: from the signed-in identity when it is the
    actor, else from the account; None for staff and for actors without an account (a script)."""
    identity = getattr(request, "identity", None) if request is not None else None
    if identity is not None and getattr(identity, "login", None) == actor:
        return getattr(identity, "state", None)
    users = find_root(resource).get("users") if actor else None
    user = users.get(actor) if users is not None else None
    return getattr(user, "state", None)


def audit(event, name, resource, **details):
    """Write ``name`` by the transition's actor about ``resource`` to the audit log."""
    audit_log(event.object).write(name, event.actor, state_of_actor(event.request, event.actor, event.object),
                                  resource_path(resource), **details)


# -- publication (R19, R21) ---------------------------------------------------------------------------

@after("report-part", "publish", "unpublish")
def part_publication_audited(event):
    part = event.object
    report = part.__parent__.__parent__
    audit(event, event.transition.name, report, parts=[part.__name__])


@after("translation", "publish", "withdraw")
def translation_publication_audited(event):
    version = event.object
    audit(event, "publish" if event.transition.name == "publish" else "unpublish", version, parts=[version.language])


# -- access to reports (R20) ----------------------------------------------------------------------------

def request_filed(event):
    """A request for access is in the audit log from the moment it is filed, by its requester."""
    access = event.object
    if isinstance(access, AccessRequest):
        audit_log(access).write("request", access.requester, access.requester_state, resource_path(access))


@after("stakeholder-invitation", "withdraw")
def invitation_withdrawn(event):
    """¶27: a withdrawn invitation ends its stakeholder's local role, whatever route withdrew it."""
    event.object.withdrawn(event.actor)


@after("access-request", "grant", "refuse", "accept", "withdraw", "revoke")
def access_decision(event):
    access = event.object
    if event.transition.name == "accept":
        access.apply_grant(event.actor)
    elif event.transition.name in ("withdraw", "revoke"):
        access.end_grant()
    audit(event, event.transition.name, access)


# -- country reviews (R16, R19, R21) -----------------------------------------------------------------

def agreements_cleared(event):
    """R16: an edit after an agreement clears the agreements; the parties are told to read and agree again."""
    request = get_current_request()
    if event.what == "agreements-cleared" and request is not None:
        tell(request, "report/agreements-cleared", event.object)


@after("country-review", "finalize")
def report_final(event):
    """The final report's sections and findings become parts its State may publish one by one (R19), all
    confidential; its executive summary enters translation (R21)."""
    review = event.object
    make_parts(review["report"])
    make_summary(review["report"])


# -- the draws (R3, R8, R9, R10) ----------------------------------------------------------------------

@after("draw-request", "grant")
def draw_request_granted(event):
    apply_request(event.object, event.actor, event.request)


# -- accounts ---------------------------------------------------------------------------------------------

@after("user-account", "deactivate")
def account_closed(event):
    """Every session of the account ends at once, server-side; its activation and reset links stop working."""
    user = event.object
    user.end_all_sessions()
    users = user.__parent__
    if users is not None:
        users.drop_activation(user)
        users.drop_reset(user)


@after("user-account", "reactivate")
def account_reopened(event):
    """The old password no longer opens the account: a fresh activation link goes to the person."""
    user = event.object
    user.password_hash = None
    token = user.__parent__.issue_activation(user)
    if event.request is not None:
        send_activation(event.request, user, token)

"""Writing access events to the audit log (R20): requests and their decisions, and every read of a
confidential report by a state outside the review (under a grant)."""

from pyramid.traversal import resource_path

from content.audit import audit_log
from workflows import permissions as P


def log_event(request, event, resource, **details):
    """Record ``event`` by the signed-in user (and its state) about ``resource``."""
    user = request.identity
    return audit_log(resource).write(event, getattr(user, "login", None), getattr(user, "state", None),
                                     resource_path(resource), **details)


def read_under_grant(request, resource):
    """For a reader who may see ``resource`` but is not a party of its review (a grantee): record the
    read and return the reader's state for the notice "shared with"; None for the review's own parties.

    The page must then not be cached, so that every read is recorded."""
    report = resource if resource.type_name == "Report" else resource.__parent__.__parent__
    if request.has_permission(P.VIEW_DRAFTS, report) or getattr(resource, "published", False):
        return None
    request.environ["portal.no_page_cache"] = True
    log_event(request, "read", resource)
    return getattr(request.identity, "state", None)

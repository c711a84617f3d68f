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


# What a grant opens (R20): the report, its folder of parts, and each part.
GRANTED = {"Report": 0, "ReportParts": 1, "ReportPart": 2}  # type -> steps up to the report


def read_under_grant(request, resource):
    """For a reader who may see ``resource`` (a report, its parts, a part) but is not a party of its
    review (a grantee): record the read and return the reader's state for the notice "shared with"; None
    for the review's own parties, for a published part, and for anything a grant does not open.

    The answer, page or JSON, must then not be cached, so that every read is recorded."""
    steps = GRANTED.get(getattr(resource, "type_name", None))
    if steps is None:
        return None
    report = resource
    for _ in range(steps):
        report = report.__parent__
    if request.has_permission(P.VIEW_DRAFTS, report) or getattr(resource, "published", False):
        return None
    request.environ["portal.no_page_cache"] = True
    log_event(request, "read", resource)
    return getattr(request.identity, "state", None)

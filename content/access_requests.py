"""Requests by other states to read a final country review report (ToR ¶37, R20) at
``/cycles/<id>/reviews/<ISO3>/access-requests/<n>``: who asks, why, for what, the decision with its
comment, the confidentiality undertaking, and the grant itself (a local role on the report alone)."""

from content.base import Resource
from content.base import now
from content.folder import Folder
from content.review_parts import InReview, ReviewPart
from language import _
from workflows import roles as R

SCOPES = {"whole": _("The whole report"), "parts": _("Parts of the report")}
FINDINGS = "findings"  # in a request for parts: all the findings
OPEN_STATES = ("requested", "granted")


class AccessRequests(ReviewPart, Folder):
    """A review's access requests, numbered 1, 2, 3 ...; the State under review and the secretariat list them."""

    type_name = "AccessRequests"
    hides_entries = True
    type_title = _("Requests for access to the report")
    part_roles = "access-requests"

    def open_request_of(self, iso3):
        """The request of ``iso3`` that is still requested or granted, if any (one at a time)."""
        return next((r for r in self.values() if r.requester_state == iso3 and r.workflow_state in OPEN_STATES),
                    None)


class AccessRequest(InReview, Resource):
    """One state's request. ``accepted`` says whether the undertaking was accepted (the grant in force)."""

    type_name = "AccessRequest"
    holds_local_roles = True
    type_title = _("Request for access to a report")

    def __init__(self, requester_state, requester, reason, scope, details):
        self.requester_state = requester_state
        self.requester = requester  # login of the requesting focal point
        self.reason = reason
        self.scope = scope
        self.details = tuple(details)  # part names (``summary``, ``untoc-5``, "findings"...) when the scope is "parts"
        self.accepted = None  # (login, when) of the undertaking's acceptance
        self.revoked = False
        self.filed = now()
        self.grant_local_role(f"state:{requester_state}:focal-point", R.REQUESTER)

    @property
    def title(self):
        return self.requester_state

    def _principals(self):
        return [f"state:{self.requester_state}:focal-point", f"state:{self.requester_state}:expert"]

    def granted_resources(self):
        """What the grant opens: the whole report, or only the parts asked for (R20: "whole report or parts")."""
        report = self.review["report"]
        if self.scope == "whole":
            return [report]
        parts = report.get("parts")
        if parts is None:
            return []
        return [p for p in parts.values()
                if p.__name__ in self.details or (p.kind == "finding" and FINDINGS in self.details)]

    def apply_grant(self, actor=None):
        """After the undertaking is accepted: the requesting state's users may read what was asked for."""
        self.accepted = (actor or self.requester, now())
        for resource in self.granted_resources():
            for principal in self._principals():
                resource.grant_local_role(principal, R.GRANTEE)

    def end_grant(self):
        """On revocation or withdrawal: the report is closed to the requesting state again."""
        for resource in self.granted_resources():
            for principal in self._principals():
                resource.revoke_local_role(principal, R.GRANTEE)
        self.revoked = True

    def json_fields(self, request):
        return {"requester_state": self.requester_state, "state_under_review": self.review.state,
                "reason": self.reason, "scope": self.scope, "parts": list(self.details),
                "undertaking_accepted": self.accepted is not None, "state": self.workflow_state}

"""Workflow of a request to read another state's final report (ToR ¶37, R20):
requested -> granted | refused | withdrawn; granted -> revoked (or withdrawn by the requester).

The focal point of the State under review grants or refuses, with a comment; the grant takes effect
only when the requesting focal point accepts the confidentiality undertaking (``accept``), which gives
the requesting state's users the local role Grantee on that report alone; revoking takes it back.
The requester and the State under review see the request and its history; the secretariat sees all.
"""

from language import _
from workflows import Workflow
from workflows import permissions as P
from workflows import roles as R
from workflows.definitions.country_review import _roles

_SEE = {P.VIEW, P.VIEW_HISTORY}
_SEC = _roles(sec=_SEE)


def _undertaking_not_yet(request_, request):
    return _("The confidentiality undertaking has already been accepted.") if request_.accepted else None


ACCESS_REQUEST = Workflow.from_data(
    {
        "name": "access-request",
        "title": _("Request for access to a report"),
        "initial": "requested",
        "states": {
            "requested": {"title": _("Requested"), "inherit": False,
                          "roles": {R.REQUESTER: _SEE | {P.WITHDRAW}, **_roles(sur_fp=_SEE | {P.DECIDE_ACCESS}), **_SEC}},
            "granted": {"title": _("Granted"), "inherit": False,
                        "roles": {R.REQUESTER: _SEE | {P.ACCEPT_UNDERTAKING, P.WITHDRAW},
                                  **_roles(sur_fp=_SEE | {P.DECIDE_ACCESS}), **_SEC}},
            "refused": {"title": _("Refused"), "inherit": False,
                        "roles": {R.REQUESTER: _SEE, **_roles(sur_fp=_SEE), **_SEC}},
            "withdrawn": {"title": _("Withdrawn"), "inherit": False,
                          "roles": {R.REQUESTER: _SEE, **_roles(sur_fp=_SEE), **_SEC}},
            "revoked": {"title": _("Revoked"), "inherit": False,
                        "roles": {R.REQUESTER: _SEE, **_roles(sur_fp=_SEE), **_SEC}},
        },
        "transitions": [
            {"name": "grant", "title": _("Grant access"), "from": ["requested"], "to": "granted",
             "permission": P.DECIDE_ACCESS, "style": "primary"},
            {"name": "refuse", "title": _("Refuse access"), "from": ["requested"], "to": "refused",
             "permission": P.DECIDE_ACCESS},
            {"name": "accept", "title": _("Accept the confidentiality undertaking"), "from": ["granted"],
             "to": "granted", "permission": P.ACCEPT_UNDERTAKING, "guard": _undertaking_not_yet,
             "style": "primary", "done": _("Confidentiality undertaking accepted")},
            {"name": "withdraw", "title": _("Withdraw the request"), "from": ["requested", "granted"],
             "to": "withdrawn", "permission": P.WITHDRAW},
            {"name": "revoke", "title": _("Revoke access"), "from": ["granted"], "to": "revoked",
             "permission": P.DECIDE_ACCESS},
        ],
    }
)

"""Requests about the draws (R3, R8, R9, R10): requested -> granted | refused | withdrawn.

Only the requesting state (local role Requester) and the secretariat see a request. Granting
applies it (see ``portal/draw_service.py``); the grant's guard refuses what the rules forbid.
"""

from language import _
from workflows import Workflow
from workflows import permissions as P
from workflows import roles as R

_SEEN = {R.REQUESTER: {P.VIEW}, R.SECRETARIAT: {P.VIEW, P.VIEW_HISTORY}, R.ADMINISTRATOR: {P.VIEW}}


DRAW_REQUEST = Workflow.from_data(
    {
        "name": "draw-request",
        "title": _("Request"),
        "initial": "requested",
        "states": {
            "requested": {
                "title": _("Requested"),
                "roles": {**_SEEN, R.REQUESTER: {P.VIEW, P.WITHDRAW},
                          R.SECRETARIAT: {P.VIEW, P.VIEW_HISTORY, P.MANAGE_CYCLES}},
                "inherit": False,
            },
            "granted": {"title": _("Granted"), "roles": _SEEN, "inherit": False},
            "refused": {"title": _("Refused"), "roles": _SEEN, "inherit": False},
            "withdrawn": {"title": _("Withdrawn"), "roles": _SEEN, "inherit": False},
        },
        "transitions": [
            {"name": "grant", "title": _("Grant"), "from": ["requested"], "to": "granted",
             "permission": P.MANAGE_CYCLES, "style": "primary"},
            {"name": "refuse", "title": _("Refuse"), "from": ["requested"], "to": "refused",
             "permission": P.MANAGE_CYCLES},
            {"name": "withdraw", "title": _("Withdraw"), "from": ["requested"], "to": "withdrawn",
             "permission": P.WITHDRAW},
        ],
    }
)

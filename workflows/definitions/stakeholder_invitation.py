"""The invitation of a national stakeholder to the consultation on a checklist (ToR ¶27): open -> withdrawn.

Who may do what on an invitation follows the review's stage and this state (``INVITATION_ROLES`` and
``WITHDRAWN_INVITATION_ROLES`` in ``workflows/definitions/country_review.py``, chosen by
``StakeholderInvitation.rolemap``); this workflow gives the state, the transition and its history. Withdrawing,
by whatever route (``@@withdraw``, ``@@transition``), ends the stakeholder's local role (``portal/subscribers.py``).
"""

from language import _
from workflows import Workflow
from workflows import permissions as P

STAKEHOLDER_INVITATION = Workflow.from_data(
    {
        "name": "stakeholder-invitation",
        "title": _("Invitation to the national consultation"),
        "initial": "open",
        "states": {
            "open": {"title": _("Open"), "roles": {}, "inherit": False},
            "withdrawn": {"title": _("Withdrawn"), "roles": {}, "inherit": False},
        },
        "transitions": [
            {"name": "withdraw", "title": _("Withdraw the invitation"), "from": ["open"], "to": "withdrawn",
             "permission": P.INVITE_STAKEHOLDER},
        ],
    }
)

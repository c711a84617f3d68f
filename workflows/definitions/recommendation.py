"""Workflow of a recommendation or conclusion of the Implementation Review Group (ToR ¶40, ¶43, R24):
draft -> adopted -> approved.

The secretariat records drafts under discussion, which the States' focal points and the admitted observers
read (¶38); what the Group adopts is public; the Conference's decision approving it moves it to
``approved`` (``content/conference.py``), which only a recorded decision does.
"""

from portal.i18n import _
from workflows import Workflow
from workflows import permissions as P
from workflows import roles as R

_SEC = {P.VIEW, P.VIEW_HISTORY}

RECOMMENDATION = Workflow.from_data(
    {
        "name": "recommendation",
        "title": _("Recommendation"),
        "initial": "draft",
        "states": {
            "draft": {"title": _("Under discussion"), "inherit": False,
                      "roles": {R.SECRETARIAT: _SEC | {P.EDIT}, R.FOCAL_POINT: {P.VIEW}, R.OBSERVER: {P.VIEW}}},
            "adopted": {"title": _("Adopted by the Group"), "inherit": False,
                        "roles": {R.ANONYMOUS: {P.VIEW}, R.SECRETARIAT: _SEC | {P.EDIT}}},
            "approved": {"title": _("Approved by the Conference"), "inherit": False,
                         "roles": {R.ANONYMOUS: {P.VIEW}, R.SECRETARIAT: _SEC}},
        },
        "transitions": [
            {"name": "adopt", "title": _("Adopted by the Group"), "from": ["draft"], "to": "adopted",
             "permission": P.EDIT, "style": "primary"},
            {"name": "reopen", "title": _("Back to discussion"), "from": ["adopted"], "to": "draft",
             "permission": P.EDIT},
            {"name": "approve", "title": _("Approved by the Conference"), "from": ["adopted"], "to": "approved",
             "permission": P.RECORD_DECISION},
        ],
    }
)

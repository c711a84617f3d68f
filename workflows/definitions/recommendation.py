"""Workflow of a recommendation or conclusion of the Implementation Review Group (ToR ¶40, ¶43, R24):
draft -> adopted -> approved.

The secretariat records drafts under discussion, which the States' focal points and the admitted observers
read (¶38), and corrects their text while they are under discussion; what the Group adopts is public and no longer
edited (it goes back to discussion first); the Conference's decision approving it moves it to
``approved`` (``content/conference.py``), which only a recorded decision does.
"""

from language import _
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
                      "roles": {R.SECRETARIAT: _SEC | {P.EDIT, P.ADOPT_RECOMMENDATION}, R.FOCAL_POINT: {P.VIEW},
                                R.OBSERVER: {P.VIEW}}},
            "adopted": {"title": _("Adopted by the Group"), "inherit": False,
                        "roles": {R.ANONYMOUS: {P.VIEW}, R.SECRETARIAT: _SEC | {P.ADOPT_RECOMMENDATION}}},
            "approved": {"title": _("Approved by the Conference"), "inherit": False,
                         "roles": {R.ANONYMOUS: {P.VIEW}, R.SECRETARIAT: _SEC}},
        },
        "transitions": [
            {"name": "adopt", "title": _("Adopted by the Group"), "from": ["draft"], "to": "adopted",
             "permission": P.ADOPT_RECOMMENDATION, "style": "primary"},
            {"name": "reopen", "title": _("Back to discussion"), "from": ["adopted"], "to": "draft",
             "permission": P.ADOPT_RECOMMENDATION},
            {"name": "approve", "title": _("Approved by the Conference"), "from": ["adopted"], "to": "approved",
             "permission": P.RECORD_DECISION},
        ],
    }
)

"""Cycle workflow: planned -> selection-drawn -> active -> closed (¶13, ¶14, ¶44; R1).

The schedule and the drawings of lots are public from the start (¶3b: who is reviewed when);
only the secretariat changes anything. Focal points may file requests once the selection is drawn.
A cycle closes only when every review is final, unless the Conference's override is recorded (R1).
"""

from language import _
from workflows import Workflow
from workflows import permissions as P
from workflows import roles as R

# The secretariat files requests on a state's behalf too; settings change only while planned.
_STAFF = {P.VIEW, P.VIEW_HISTORY, P.MANAGE_CYCLES, P.REQUEST_DRAW_CHANGE}
_OPEN = {
    R.ANONYMOUS: {P.VIEW},
    R.SECRETARIAT: _STAFF,
    R.ADMINISTRATOR: {P.VIEW, P.VIEW_HISTORY},
    R.FOCAL_POINT: {P.VIEW, P.REQUEST_DRAW_CHANGE},
}


def selection_recorded(cycle, request):
    """Guard of ``record-selection``: the selection draw has produced the schedule."""
    if not cycle.schedule:
        return _("Run the selection draw first: it decides which states are reviewed in which year.")
    return None


def first_year_drawn(cycle, request):
    """Guard of ``activate``: the reviewers of the first year have been drawn."""
    if not cycle.assignments.get(cycle.first_year):
        return _("Draw the reviewing States of the first year before starting the cycle.")
    return None


def may_close(cycle, request):
    """Guard of ``close`` (R1): all reviews finished, or the Conference's override recorded."""
    if cycle.reviews_finished() or cycle.closure_override:
        return None
    return _("Reviews of this cycle are not all finished. Record the Conference's decision to close it anyway first.")


CYCLE = Workflow.from_data(
    {
        "name": "cycle",
        "title": _("Review cycle"),
        "initial": "planned",
        "states": {
            "planned": {
                "title": _("Planned"),
                "roles": {**_OPEN, R.SECRETARIAT: (_STAFF - {P.REQUEST_DRAW_CHANGE}) | {P.EDIT}, R.FOCAL_POINT: {P.VIEW}},
                "inherit": False,
            },
            "selection-drawn": {"title": _("Selection drawn"), "roles": _OPEN, "inherit": False},
            "active": {"title": _("Under way"), "roles": _OPEN, "inherit": False},
            "closed": {
                "title": _("Closed"),
                "roles": {R.ANONYMOUS: {P.VIEW}, R.SECRETARIAT: {P.VIEW, P.VIEW_HISTORY},
                          R.ADMINISTRATOR: {P.VIEW, P.VIEW_HISTORY}},
                "inherit": False,
            },
        },
        "transitions": [
            {"name": "record-selection", "title": _("Record the selection"), "from": ["planned"],
             "to": "selection-drawn", "permission": P.MANAGE_CYCLES, "guard": selection_recorded},
            {"name": "activate", "title": _("Start the cycle"), "from": ["selection-drawn"], "to": "active",
             "permission": P.MANAGE_CYCLES, "guard": first_year_drawn, "style": "primary"},
            {"name": "close", "title": _("Close the cycle"), "from": ["active"], "to": "closed",
             "permission": P.MANAGE_CYCLES, "guard": may_close, "style": "danger"},
        ],
    }
)

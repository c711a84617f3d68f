"""A State's reviews on its public page (issue 22 §3): per cycle, the year of its review, its reviewing States
per instrument, the stage (a public fact; nothing of a review's content), and the reviews it takes part in as
a reviewing State. Reviews link only for those who may open them (R18)."""

from portal.views.helpers import alphabetical, reviewer_lines
from workflows import get_workflow
from workflows import permissions as P


def _stage(review):
    """The review's stage title (a translation string), or None before the review exists."""
    if review is None:
        return None
    return get_workflow(review).state_of(review).title


def review_rows(request, state):
    """``[{"cycle", "year", "reviewers", "stage", "url", "reviewing"}]``, newest cycle first: ``reviewers`` as
    ``reviewer_lines`` gives them, ``reviewing`` ``[(year, [(iso3, name)])]`` of the States it reviews."""
    rows = []
    for cycle in sorted(request.root["cycles"].values(), key=lambda c: (-c.first_year, c.__name__)):
        year = next((y for y, states in cycle.schedule.items() if state.iso3 in states), None)
        reviews = cycle.get("reviews")
        review = reviews.get(state.iso3) if reviews is not None else None
        reviewing = []
        for y in sorted(cycle.assignments):
            under = sorted({a["under_review"] for a in cycle.assignments[y] if state.iso3 in a["reviewers"]})
            if under:
                reviewing.append((y, alphabetical(request, under)))
        if year is None and not reviewing:
            continue
        lines = reviewer_lines(request, cycle.assignments.get(year, ())).get(state.iso3, []) if year else []
        rows.append({"cycle": cycle, "year": year, "reviewers": lines, "stage": _stage(review),
                     "url": request.resource_url(review) if review is not None and request.has_permission(P.VIEW, review)
                     else None, "reviewing": reviewing})
    return rows

"""Milestones of a country review (ToR ¶24): due dates set from the cycle's defaults when the review
starts, changed by the secretariat in consultation, done when the review shows it, overdue otherwise."""

from datetime import date, timedelta

from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from content.base import decision
from language import _

# Key -> (title, default days after the review starts). ¶24: focal point within two weeks, experts
# within four, the checklist within two months; the whole review ideally within six months.
MILESTONES = {
    "focal-points": (_("Focal points named"), 14),
    "experts": (_("Governmental experts named"), 28),
    "checklist": (_("Checklist submitted"), 61),
    "review": (_("Review completed"), 183),
}
_BEFORE_DESK_REVIEW = ("scheduled", "checklist")
# The milestones that fall due in each stage of a review (the stages on the review's page): the teams are
# named while it is scheduled, the checklist is submitted at the end of its stage, the review is completed
# when it becomes final.
STAGE_MILESTONES = {"scheduled": ("focal-points", "experts"), "checklist": ("checklist",), "final": ("review",)}


def default_days():
    return {key: days for key, (_title, days) in MILESTONES.items()}


def default_due_dates(start, days=None):
    """Due dates from ``start``: ``days`` per milestone (the cycle's setting), else the defaults above."""
    days = {**default_days(), **(days or {})}
    return {key: start + timedelta(days=days[key]) for key in MILESTONES}


def is_done(review, key):
    """Whether the review already shows milestone ``key`` reached."""
    if key == "focal-points":
        return all(review.team(s)["focal_point"] for s in review.parties())
    if key == "experts":
        return all(review.team(s)["experts"] for s in review.parties())
    if key == "checklist":
        return review.workflow_state not in _BEFORE_DESK_REVIEW
    return review.workflow_state == "final"


def timeline(review, today=None):
    """``[(key, title, due date, status)]`` in due-date order; status is done, overdue or open."""
    today = today or date.today()
    rows = []
    for key, (title, _days) in MILESTONES.items():
        due = (getattr(review, "milestones", None) or {}).get(key)
        if due is None:
            continue
        status = "done" if is_done(review, key) else ("overdue" if due < today else "open")
        rows.append((key, title, due, status))
    return sorted(rows, key=lambda row: row[2])


def set_due_dates(review, dates, actor):
    """The secretariat's new due dates (``{key: date}``), recorded with who and when."""
    if getattr(review, "milestones", None) is None:
        review.milestones = PersistentMapping()
        review.milestone_history = PersistentList()
    changed = {k: d for k, d in dates.items() if review.milestones.get(k) != d}
    review.milestones.update(changed)
    if changed:
        review.milestone_history.append(decision(actor, changes={k: d.isoformat() for k, d in changed.items()}))
    return changed

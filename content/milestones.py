"""The schedule of a country review (ToR ¶24): due dates for every stage, proposed by the secretariat and
agreed with the State under review (or countered by it), every proposal and agreement kept; overdue flags."""

from datetime import date, timedelta

from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from content.base import decision
from language import _
from workflows import permissions as P
from workflows import roles as R
from workflows.definitions.country_review import ALL_STAGES

# Key -> (title, default days after the review starts). ¶24: focal point within two weeks, experts
# within four, the checklist within two months; then about a month for each stage of the review, the whole
# review ideally within six months.
MILESTONES = {
    "focal-points": (_("Focal points named"), 14),
    "experts": (_("Governmental experts named"), 28),
    "checklist": (_("Checklist submitted"), 61),
    "desk-review": (_("Desk review done, constructive dialogue started"), 91),
    "dialogue": (_("Constructive dialogue done, drafting of the report started"), 122),
    "drafting": (_("Draft report submitted for agreement"), 152),
    "review": (_("Review completed"), 183),  # agreement reached: the report is final
}
# The milestones that mark the end of a stage, in order, and the stage the review reaches with each.
STAGE_CHAIN = ("checklist", "desk-review", "dialogue", "drafting", "review")
_REACHES = {"checklist": "desk-review", "desk-review": "dialogue", "dialogue": "drafting", "drafting": "agreement",
            "review": "final"}
# The milestones that fall due in each stage of a review (the stages on the review's page): the teams are
# named while it is scheduled; each later stage ends by its milestone; the review is completed when it becomes final.
STAGE_MILESTONES = {"scheduled": ("focal-points", "experts"), "checklist": ("checklist",),
                    "desk-review": ("desk-review",), "dialogue": ("dialogue",), "drafting": ("drafting",),
                    "final": ("review",)}

SECRETARIAT = "secretariat"  # the side of a proposal the secretariat makes; else the ISO3 of the State under review


def default_days():
    return {key: days for key, (_title, days) in MILESTONES.items()}


def default_due_dates(start, days=None):
    """Due dates from ``start``: ``days`` per milestone (the cycle's setting), else the defaults above; no
    stage falls due after the review's completion (a cycle that shortened the review)."""
    days = {**default_days(), **(days or {})}
    dates = {key: start + timedelta(days=days[key]) for key in MILESTONES}
    return {key: min(due, dates["review"]) for key, due in dates.items()}


def is_done(review, key):
    """Whether the review already shows milestone ``key`` reached."""
    if key == "focal-points":
        return all(review.team(s)["focal_point"] for s in review.parties())
    if key == "experts":
        return all(review.team(s)["experts"] for s in review.parties())
    stage = review.workflow_state
    return stage in ALL_STAGES and ALL_STAGES.index(stage) >= ALL_STAGES.index(_REACHES[key])


def timeline(review, today=None):
    """``[(key, title, due date, status)]`` in due-date order; status is done, overdue or open. The dates are
    those in force (``review.milestones``): the agreed ones, else the secretariat's proposal."""
    today = today or date.today()
    rows = []
    for key, (title, _days) in MILESTONES.items():
        due = (getattr(review, "milestones", None) or {}).get(key)
        if due is None:
            continue
        status = "done" if is_done(review, key) else ("overdue" if due < today else "open")
        rows.append((key, title, due, status))
    return sorted(rows, key=lambda row: row[2])


# -- proposals and agreement --------------------------------------------------------------------------


class StaleProposal(ValueError):
    """An agreement to, or a counter to, a proposal that another one has replaced since."""

    def __init__(self, current):
        super().__init__("stale proposal")
        self.current = current  # the proposal now on the table (a history entry), or None


def history(review):
    """Every proposal, agreement and comment on the schedule, oldest first (entries: who, when, kind, side...)."""
    return list(getattr(review, "schedule_history", None) or ())


def proposals(review):
    return [e for e in history(review) if e["kind"] == "proposal"]


def current_proposal(review):
    """The latest proposal (a history entry), or None for a review that has none (an old database)."""
    found = proposals(review)
    return found[-1] if found else None


def agreement(review):
    """The latest agreement (a history entry), or None."""
    found = [e for e in history(review) if e["kind"] == "agreement"]
    return found[-1] if found else None


def pending_proposal(review):
    """The latest proposal when nobody has agreed to it yet, else None. Read on every computation of the review's
    ACL (``schedule_rolemap``): one pass from the end of the history, where the latest proposal or agreement is (an
    agreement is always to the proposal then in force, ``agree``)."""
    for entry in reversed(getattr(review, "schedule_history", None) or ()):
        if entry["kind"] == "proposal":
            return entry
        if entry["kind"] == "agreement":
            return None
    return None


def status(review):
    """``"agreed"`` (the dates in force are agreed and nothing new is proposed), ``"renegotiating"`` (agreed
    dates in force, new ones proposed), ``"proposed"`` (no agreement yet: the secretariat's proposal applies) or
    ``"closed"`` (the review is final: its schedule is a record, nobody proposes or agrees any more)."""
    if review.workflow_state == "final":
        return "closed"
    if agreement(review) is None:
        return "proposed"
    return "renegotiating" if pending_proposal(review) is not None else "agreed"


def dates_of(entry):
    return {k: date.fromisoformat(v) for k, v in entry["dates"].items()}


def _record(review, entry):
    if getattr(review, "schedule_history", None) is None:
        review.schedule_history = PersistentList()
    review.schedule_history.append(entry)
    return entry


def _put_in_force(review, dates):
    if getattr(review, "milestones", None) is None:
        review.milestones = PersistentMapping()
    changed = {k: d for k, d in dates.items() if review.milestones.get(k) != d}
    review.milestones.update(changed)
    return changed


def propose(review, dates, actor, side=SECRETARIAT, comment="", base=None):
    """``side`` (the secretariat, or the State under review's ISO3) proposes due dates (``{key: date}``; keys
    left out keep the current proposal's date). Before any agreement the secretariat's proposal is in force
    at once; otherwise the dates in force change only when the other side agrees. ``base``: the proposal
    number the proposer saw (None: not checked); another one made since raises ``StaleProposal``. Returns the
    new proposal entry."""
    current = current_proposal(review)
    if base is not None and (current["number"] if current else 0) != base:
        raise StaleProposal(current)
    start = dates_of(current) if current is not None else dict(getattr(review, "milestones", None) or {})
    full = {**start, **dates}
    entry = _record(review, decision(actor, kind="proposal", number=len(proposals(review)) + 1, side=side,
                                     dates={k: full[k].isoformat() for k in MILESTONES if k in full},
                                     comment=comment))
    if side == SECRETARIAT and agreement(review) is None:
        _put_in_force(review, full)
    return entry


def agree(review, number, actor, side, comment=""):
    """``side`` agrees to proposal ``number``, which puts its dates in force. Refused (``StaleProposal``) when
    it is not the proposal awaiting agreement (replaced since, or agreed already); ``ValueError`` when the
    proposal is ``side``'s own (the ACL does not offer it either)."""
    pending = pending_proposal(review)
    if pending is None or pending["number"] != number:
        raise StaleProposal(pending or current_proposal(review))
    if pending["side"] == side:
        raise ValueError("a side cannot agree to its own proposal")
    _put_in_force(review, dates_of(pending))
    return _record(review, decision(actor, kind="agreement", number=number, side=side, comment=comment))


def comment_on(review, actor, side, text):
    """A reviewing State's comment on the schedule (consultation, ¶24): kept in the history, agrees to nothing."""
    current = current_proposal(review)
    return _record(review, decision(actor, kind="comment", number=current["number"] if current else 0, side=side,
                                    comment=text))


def set_due_dates(review, dates, actor):
    """The secretariat's proposal of new due dates (``{key: date}``, the other keys as proposed now): in force
    at once until a schedule is agreed. Returns the keys whose date in force changed."""
    before = dict(getattr(review, "milestones", None) or {})
    propose(review, dates, actor, SECRETARIAT)
    return {k: d for k, d in review.milestones.items() if before.get(k) != d}


def start_schedule(review, start, days, actor):
    """The defaults at the review's start (``days``: the cycle's) as the secretariat's first proposal."""
    return propose(review, default_due_dates(start, days), actor, SECRETARIAT)


def adopt_schedule(review, days, actor):
    """Migration of a review without a schedule history (evolve): its dates, the new stages' defaults from the
    day it started, become the secretariat's first proposal. Does nothing when it has a history already."""
    if history(review):
        return None
    entries = review.workflow_history or ()
    start = entries[0]["when"].date() if entries else date.today()
    dates = {**default_due_dates(start, days), **dict(getattr(review, "milestones", None) or {})}
    return propose(review, dates, actor, SECRETARIAT)


def schedule_rolemap(review, rolemap):
    """``rolemap`` less agreeing to the schedule for whoever may not: nobody when no proposal awaits agreement,
    and the side that made the proposal awaiting it (nobody agrees to their own proposal)."""
    pending = pending_proposal(review)
    if pending is None:
        proposer = None
    else:
        proposer = R.SECRETARIAT if pending["side"] == SECRETARIAT else R.REVIEWED_FOCAL_POINT
    return {role: (set(permissions) - {P.AGREE_SCHEDULE}) if pending is None or role == proposer else permissions
            for role, permissions in rolemap.items()}


def schedule_json(review):
    """The schedule's state for ``@@json``: status, the proposal awaiting agreement, the agreed one, history."""
    pending, agreed = pending_proposal(review), agreement(review)
    return {"status": status(review), "pending": pending["number"] if pending else None,
            "agreed": agreed["number"] if agreed else None,
            "history": [{"kind": e["kind"], "number": e["number"], "who": e["who"], "side": e["side"],
                         "when": e["when"].isoformat(), "comment": e.get("comment", ""),
                         **({"dates": dict(e["dates"])} if "dates" in e else {})} for e in history(review)]}

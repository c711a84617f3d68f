"""Decisions of the Conference on the review process (ToR ¶42-45, R24) at ``/conference/<n>``: a cycle and its
scope, approval of the Group's recommendations, amendments to the terms of reference, and the assessment
of the mechanism after a cycle, whose annex is an overview of the cycle generated when it is recorded
(reviews completed, their duration against the six-month target of ¶24, technical assistance needs by theme).
Decisions are public and, once recorded, not changed."""

from statistics import median

from content.base import Resource
from content.compilation import compile_cycle
from content.funding_totals import cycle_funding
from content.follow_up import follow_up_totals
from content.base import now
from content.localized import Localized, localized_text
from language import _
from workflows import get_workflow

KINDS = {
    "cycle": _("A review cycle and its scope (¶44)"),
    "approval": _("Approval of the Group's recommendations and conclusions (¶43)"),
    "amendment": _("Amendment to the terms of reference (¶45)"),
    "assessment": _("Assessment of the mechanism after a cycle (¶45)"),
}
NEEDS_CYCLE = ("cycle", "assessment")
TARGET_DAYS = 183  # ¶24: a review should ideally take no longer than six months
MAX_TEXT = 20_000


class Decision(Localized, Resource):
    """One decision: symbol, session, date, kind, title and text; the cycle it concerns; the recommendations
    it approves (they move to ``approved``); for an assessment, the overview of the cycle as annex."""

    type_name = "Decision"
    type_title = _("Decision of the Conference")
    localized_fields = {"session": _("Session"), "_title": _("Title"), "text": _("Text")}

    def __init__(self, kind, symbol, session, day, title, text, cycle_name, actor):
        self.kind, self.symbol, self.session, self.date = kind, symbol, localized_text(session), day
        self._title, self.text, self.cycle_name = localized_text(title), localized_text(text), cycle_name
        self.recommendations = ()  # traversal paths of the approved recommendations
        self.annex = None
        self.recorded = (actor, now())

    @property
    def title(self):
        return _("Decision ${symbol}: ${title}", mapping={"symbol": self.symbol, "title": self._title})

    def json_fields(self, request):
        return {"kind": self.kind, "symbol": self.symbol, "session": self.session, "date": self.date.isoformat(),
                "text": self.text, "cycle": self.cycle_name, "recommendations": ["/".join(p) for p in self.recommendations],
                "annex": self.annex}


def record_decision(folder, kind, symbol, session, day, title, text, cycle, recommendations, actor):
    """Add a decision to ``folder``: approve ``recommendations`` (adopted ones), and for an assessment
    generate the cycle's overview as annex. The caller has checked the input (``portal/views/conference.py``)."""
    from pyramid.traversal import resource_path_tuple

    decision = Decision(kind, symbol, session, day, title, text, cycle.__name__ if cycle is not None else None, actor)
    folder.add(folder.next_number(), decision)
    approved = []
    for item in recommendations:
        get_workflow(item).fire(item, None, "approve", check_permission=False, actor=actor, comment=symbol)
        item.approved_by = decision
        approved.append(resource_path_tuple(item))
    decision.recommendations = tuple(approved)
    if kind == "assessment":
        decision.annex = cycle_overview(cycle, folder.__parent__["states"])
    return decision


def review_duration(review):
    """Days from the opening of the checklist to the final report, or None if either is missing."""
    start = end = None
    for entry in review.workflow_history or ():
        if entry["to"] == "checklist" and start is None:
            start = entry["when"]
        if entry["to"] == "final":
            end = entry["when"]
    return (end - start).days if start is not None and end is not None else None


def cycle_overview(cycle, states):
    """The overview of ``cycle`` (a plain dict, kept as the annex): reviews and how many are completed, durations
    of the completed ones against the six-month target, technical assistance needs counted by theme, and what the
    States reported in their follow-up of the previous cycle (¶41): progress and assistance received, counted;
    voluntary contributions for the cycle, per currency and purpose (content/funding_totals.py ``cycle_funding``)."""
    reviews = list(cycle["reviews"].values()) if "reviews" in cycle else []
    finals = cycle.final_reviews()
    durations = sorted(d for d in (review_duration(r) for r in finals) if d is not None)
    compilation = compile_cycle(cycle, states)
    needs = []
    for theme in compilation.ordered_themes():
        row = theme.rows.get("ta-need")
        if row is not None:
            needs.append({"instrument": theme.instrument, "article": theme.article, "title": str(theme.title),
                          "count": row.total})
    return {"cycle": cycle.__name__, "cycle_title": cycle.title, "reviews": len(reviews), "completed": len(finals),
            "target_days": TARGET_DAYS, "timed": len(durations),
            "within_target": sum(1 for d in durations if d <= TARGET_DAYS),
            "median_days": int(median(durations)) if durations else None,
            "longest_days": durations[-1] if durations else None, "ta_needs": needs,
            "follow_up": follow_up_totals(cycle), "funding": cycle_funding(states.__parent__, cycle)}

"""A review cycle (¶13, ¶44) at ``/cycles/<id>``: the Conference's settings, the schedule of who is
reviewed when, the reviewers drawn per year, and the recorded decisions that changed them."""

from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from content.events import modified
from content.base import decision
from content.folder import Folder
from content.localized import Localized, localized_text
from draws.model import DEFAULT_MAX_REDRAWS, DEFAULT_MAX_REVIEWS, Assignment, Relaxation, Settings
from language import _
from language.multilingual import LocalizedText
from workflows import permissions as P
from workflows import roles as R
from content.milestones import default_days

CYCLE_ID = r"^[a-z0-9][a-z0-9-]{1,39}$"
# What each kind of entry of a cycle's log records, as the cycle page names it.
LOG_KINDS = {
    "selection": _("Selection of the states under review"),
    "reviewers": _("Drawing of the reviewing States"),
    "relaxation": _("Relaxation of a rule"),
    "override": _("Closure with reviews unfinished"),
    "deferral": _("Deferral of a review"),
    "volunteer": _("Volunteering to be reviewed"),
    "reviewer-deferral": _("Deferral of serving as reviewing State"),
    "redraw": _("Redraw of the reviewing States"),
    "exemption": _("Exemption from one review"),
}


class Cycle(Localized, Folder):
    """A review cycle. Its workflow (``workflows/definitions/cycle.py``) decides who sees and does what;
    ``draws`` holds every drawing of lots, ``requests`` the focal points' requests about them. Its title,
    scope, themes and the justifications of relaxations are written in six languages."""

    type_name = "Cycle"
    type_title = _("Review cycle")
    checklist = "criminalization"  # the checklist definition of the cycle's reviews (content/data/checklists)
    localized_fields = {"_title": _("Title"), "scope": _("Scope"), "themes": _("Thematic sequence")}

    def __init__(self, title, first_year, last_year):
        super().__init__()
        self._title = localized_text(title)
        self.first_year = int(first_year)
        self.last_year = int(last_year)
        self.scope = PersistentMapping()  # instrument -> articles / clusters under review
        self.themes = PersistentList()  # the thematic sequence, one line per year or step
        self.per_year = None  # list of states under review per year, or None for an even spread
        self.max_reviews = DEFAULT_MAX_REVIEWS
        self.max_redraws = DEFAULT_MAX_REDRAWS
        self.experts_per_state = 15
        self.milestone_days = PersistentMapping()  # milestone key -> days after a review starts (¶24); empty: defaults
        self.decision_ref = ""  # the Conference's decision (¶44)
        self.parties = None  # JSON snapshot of the parties at the selection draw (¶13: "at the start")
        self.schedule = PersistentMapping()  # year -> tuple of ISO3, after the selection draw
        self.assignments = PersistentMapping()  # year -> tuple of assignment dicts (the year's current reviewers)
        self.reviewer_deferrals = PersistentMapping()  # year -> tuple of ISO3 (R9)
        self.relaxations = PersistentList()  # decisions {code, justification}
        self.log = PersistentList()  # every decision on the schedule and the draws, in order
        self.closure_override = None  # R1: the Conference's decision to close with reviews unfinished

    @property
    def title(self):
        return self._title

    @title.setter
    def title(self, value):
        self._title = localized_text(value)

    def localized_texts(self):
        return super().localized_texts() + [(_("Justification of a relaxation"), r["justification"])
                                            for r in self.relaxations if isinstance(r.get("justification"), LocalizedText)]

    def localize_fields(self):
        super().localize_fields()
        for relaxation in self.relaxations:
            relaxation["justification"] = localized_text(relaxation.get("justification", ""))

    @property
    def years(self):
        return list(range(self.first_year, self.last_year + 1))

    def settings(self):
        """The engine's view of the cycle's rules: maximum reviews and redraws, recorded relaxations."""
        return Settings(self.max_reviews, self.max_redraws, [Relaxation.parse(r["code"]) for r in self.relaxations])

    def record(self, actor, kind, **fields):
        entry = decision(actor, kind=kind, **fields)
        self.log.append(entry)
        modified(self, kind)
        return entry

    def year_of(self, iso3):
        for year, states in self.schedule.items():
            if iso3 in states:
                return int(year)
        return None

    def history_before(self, year):
        """All assignments of the years before ``year`` (what a reviewer draw must respect, R7, R11)."""
        return [Assignment.from_json(a) for y in sorted(self.assignments) if y < year for a in self.assignments[y]]

    def all_assignments(self):
        return [Assignment.from_json(a) for y in sorted(self.assignments) for a in self.assignments[y]]

    def reviewers_of(self, iso3):
        """``{instrument: (reviewer, reviewer)}`` for a state under review, once drawn."""
        year = self.year_of(iso3)
        return {a["instrument"]: tuple(a["reviewers"]) for a in self.assignments.get(year, ()) if a["under_review"] == iso3}

    def final_reviews(self):
        """The country reviews of this cycle whose report is final, in code order."""
        reviews = self.get("reviews")
        return [r for r in (reviews.values() if reviews is not None else ()) if r.workflow_state == "final"]

    def reviews_finished(self):
        """R1: every state under review has a final review (country reviews live under ``reviews``)."""
        reviews = self.get("reviews")
        scheduled = [s for states in self.schedule.values() for s in states]
        if not scheduled:
            return False
        return all(reviews is not None and s in reviews and getattr(reviews[s], "workflow_state", None) == "final"
                   for s in scheduled)

    def review_milestone_days(self):
        """Days after a review starts for each milestone (¶24): the cycle's own, else the defaults."""

        return {**default_days(), **dict(getattr(self, "milestone_days", None) or {})}

    def json_fields(self, request):
        return {
            "title": self.title, "first_year": self.first_year, "last_year": self.last_year,
            "decision": self.decision_ref, "scope": dict(self.scope), "themes": list(self.themes),
            "per_year": list(self.per_year) if self.per_year else None, "max_reviews": self.max_reviews,
            "max_redraws": self.max_redraws, "experts_per_state": self.experts_per_state,
            "milestone_days": self.review_milestone_days(),
            "schedule": {str(y): sorted(s) for y, s in sorted(self.schedule.items())},
            "assignments": {str(y): list(a) for y, a in sorted(self.assignments.items())},
            "reviewer_deferrals": {str(y): list(s) for y, s in sorted(self.reviewer_deferrals.items())},
            "relaxations": [{"code": r["code"], "justification": r["justification"], "when": r["when"].isoformat()}
                            for r in self.relaxations],
        }

    def next_draw_name(self):
        return str(len(self["draws"]) + 1)


class DrawsFolder(Folder):
    """``/cycles/<id>/draws``: every drawing of lots of the cycle, numbered from 1; public (R12)."""

    type_name = "Draws"
    type_title = _("Drawings of lots")

    @property
    def title(self):
        return self.type_title


class RequestsFolder(Folder):
    """``/cycles/<id>/requests``: focal points' requests about the draws; each request has its own ACL."""

    type_name = "DrawRequests"
    hides_entries = True
    type_title = _("Requests about the draws")
    acl_inherit = False
    role_permissions = {R.SECRETARIAT: {P.VIEW}, R.ADMINISTRATOR: {P.VIEW}}


def new_cycle(title, first_year, last_year):
    """A cycle with its sub-folders."""
    cycle = Cycle(title, first_year, last_year)
    cycle.add("draws", DrawsFolder())
    cycle.add("requests", RequestsFolder())
    return cycle

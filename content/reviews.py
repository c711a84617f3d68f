"""Country reviews at ``/cycles/<id>/reviews/<ISO3>`` (ToR ¶15-¶33, R18, R25): who takes part, in
which working language, and at which stage; created and re-bound from the cycle's reviewer draws."""

from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from content.checklists import Checklist, follow_up_items
from content.base import decision, now
from content.milestones import schedule_json, schedule_rolemap, start_schedule
from content.folder import Folder
from draws.model import INSTRUMENTS
from language import _
from workflows import get_workflow
from workflows import permissions as P
from workflows import roles as R
from content.access_requests import AccessRequests
from content.report import Report
from content.threads import Assistance, Dialogue
from content.outside_sources import OutsideSources
from content.translation_requests import TranslationRequests

class ReviewsFolder(Folder):
    """``/cycles/<id>/reviews``: one review per state under review; only the secretariat lists them all.
    Each review has its own ACL (R18), so a state sees its reviews without seeing the folder."""

    type_name = "CountryReviews"
    type_title = _("Country reviews")
    acl_inherit = False
    role_permissions = {R.SECRETARIAT: {P.VIEW}}

    @property
    def title(self):
        return self.type_title


class CountryReview(Folder):
    """The review of one state in one cycle. Local roles bind the state under review and, per the
    cycle's current assignments, its reviewing states; the workflow state decides what each may do."""

    type_name = "CountryReview"
    holds_local_roles = True
    search_facets_below = True  # every document in the review has its stage, year and working language
    type_title = _("Country review")

    def __init__(self, state, year):
        super().__init__()
        self.state = state  # ISO3 of the state under review
        self.year = int(year)
        self.language = None  # the working language chosen by the state under review (R25)
        self.reviewers = PersistentMapping()  # instrument -> (ISO3, ISO3)
        self.bindings = PersistentList()  # every change of the reviewing states: who, when, from, to
        for function, role in (("focal-point", R.REVIEWED_FOCAL_POINT), ("expert", R.REVIEWED_EXPERT)):
            self.grant_local_role(f"state:{state}:{function}", role)

    @property
    def title(self):
        return self.state

    def name(self, lang):
        """The name of the state under review in ``lang`` (breadcrumbs and titles)."""
        node = self
        while node.__parent__ is not None:
            node = node.__parent__
        state = node["states"].get(self.state) if "states" in node else None
        return state.name(lang) if state is not None else self.state

    def reviewing_states(self):
        """The reviewing states of all instruments, sorted by code."""
        return sorted({r for pair in self.reviewers.values() for r in pair})

    def bind(self, reviewers, actor):
        """Make ``reviewers`` (``{instrument: (ISO3, ISO3)}``) the review's reviewing states: states no
        longer drawn lose their local roles here, new ones gain them. Returns True when anything changed."""
        reviewers = {i: tuple(sorted(reviewers[i])) for i in INSTRUMENTS if i in reviewers}
        if reviewers == dict(self.reviewers):
            return False
        before = self.reviewing_states()
        after = sorted({r for pair in reviewers.values() for r in pair})
        for iso3 in set(before) - set(after):
            self.revoke_local_role(f"state:{iso3}:focal-point", R.REVIEWER_FOCAL_POINT)
            self.revoke_local_role(f"state:{iso3}:expert", R.REVIEWER_EXPERT)
        for iso3 in after:
            self.grant_local_role(f"state:{iso3}:focal-point", R.REVIEWER_FOCAL_POINT)
            self.grant_local_role(f"state:{iso3}:expert", R.REVIEWER_EXPERT)
        self.bindings.append(decision(actor, before={i: list(p) for i, p in self.reviewers.items()},
                                      after={i: list(p) for i, p in reviewers.items()}))
        self.reviewers = PersistentMapping(reviewers)
        return True

    def parties(self):
        """The state under review, then its reviewing states."""
        return [self.state] + self.reviewing_states()

    def team(self, iso3):
        """``{"focal_point": login or None, "experts": (expert id, ...)}``: whom ``iso3`` named for this review."""
        teams = getattr(self, "teams", None) or {}
        return dict(teams.get(iso3) or {"focal_point": None, "experts": ()})

    def appoint(self, iso3, focal_point, experts, actor):
        """¶17, ¶21: ``iso3`` names its focal point and experts for this review, replacing earlier ones."""
        if getattr(self, "teams", None) is None:
            self.teams = PersistentMapping()
            self.team_history = PersistentList()
        self.teams[iso3] = PersistentMapping({"focal_point": focal_point, "experts": tuple(experts)})
        self.team_history.append(decision(actor, state=iso3, focal_point=focal_point, experts=list(experts)))

    def rolemap(self):
        """The stage's roles, less agreeing to a schedule proposal that is not the other side's (¶24)."""
        rolemap, inherit = super().rolemap()
        return schedule_rolemap(self, rolemap), inherit

    def json_fields(self, request):
        return {"state": self.state, "year": self.year, "language": self.language,
                "milestones": {k: d.isoformat() for k, d in (getattr(self, "milestones", None) or {}).items()},
                "schedule": schedule_json(self),
                "reviewers": {i: list(p) for i, p in self.reviewers.items()},
                "teams": {s: {"focal_point": t["focal_point"], "experts": list(t["experts"])}
                          for s in self.parties() for t in [self.team(s)]}}


def sync_reviews(cycle, year, actor):
    """Create the reviews of ``year``'s states under review, or re-bind their reviewing states, from
    the cycle's current assignments (after a reviewer draw, a redraw or an exemption)."""
    if "reviews" not in cycle:
        cycle.add("reviews", ReviewsFolder())
    reviews = cycle["reviews"]
    drawn = {}
    for a in cycle.assignments.get(year, ()):
        drawn.setdefault(a["under_review"], {})[a["instrument"]] = tuple(a["reviewers"])
    for iso3, reviewers in sorted(drawn.items()):
        review = reviews.get(iso3)
        if review is None:
            review = CountryReview(iso3, year)
            reviews.add(iso3, review)
            get_workflow(review).initialize(review, actor)
            checklist = review.add("checklist", Checklist(cycle.checklist, reviewers))  # R13: its instruments only
            checklist.follow_up = follow_up_items(cycle, iso3)  # ¶41: the previous report's observations
            add_parts(review)
            start_schedule(review, now().date(), cycle.review_milestone_days(), actor)  # ¶24: the first proposal
        review.bind(reviewers, actor)


def add_parts(review):
    """Give ``review`` the parts it lacks: the dialogue, the assistance threads, the report, the access and
    translation requests, the information from international and regional organizations (¶26(c))."""

    for name, factory in (("dialogue", Dialogue), ("assistance", Assistance), ("report", Report),
                          ("access-requests", AccessRequests), ("translation-requests", TranslationRequests),
                          ("sources", OutsideSources)):
        if name not in review:
            review.add(name, factory())

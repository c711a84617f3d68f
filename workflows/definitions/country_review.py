"""Country review workflow (DESIGN §4, ToR ¶15-¶33, R18, R25):
scheduled -> checklist -> desk-review -> dialogue -> drafting -> agreement.

In every stage only the state under review, its reviewing states and the secretariat see the
review (R18); nothing inherits from the public cycle above it. The state under review chooses the
working language while the review is scheduled (R25); the checklist opens only once it has. Its
focal point submits the complete checklist, which locks it; the secretariat can reopen it (R13).
``CHECKLIST_ROLES`` is the checklist's own role -> permission map in each stage of the review.
The last step, agreement -> final, comes with the report and its agreements (issue 4, part 7).
"""

from portal.i18n import _
from workflows import Workflow
from workflows import permissions as P
from workflows import roles as R

# Each state's focal points name (and replace) their state's focal point and experts for the review.
_PARTIES = {
    R.REVIEWED_FOCAL_POINT: {P.VIEW, P.APPOINT_TEAM},
    R.REVIEWED_EXPERT: {P.VIEW},
    R.REVIEWER_FOCAL_POINT: {P.VIEW, P.APPOINT_TEAM},
    R.REVIEWER_EXPERT: {P.VIEW},
    R.SECRETARIAT: {P.VIEW, P.VIEW_HISTORY, P.MANAGE_REVIEWS, P.APPOINT_TEAM},
}


def _stage(title, **extra):
    roles = {**_PARTIES}
    for role, permissions in extra.items():
        roles[role] = roles[role] | permissions
    return {"title": title, "roles": roles, "inherit": False}


def checklist_complete(review, request):
    """Guard of ``submit-checklist`` (R13): every question of the checklist has an answer."""
    missing = len(review["checklist"].unanswered()) if "checklist" in review else None
    if missing is None:
        return _("This review has no checklist.")
    if missing:
        return _("Questions of the checklist still without an answer: ${count}.", mapping={"count": missing})
    return None


def language_chosen(review, request):
    """Guard of ``open-checklist`` (R25): the state under review has chosen the working language."""
    if not review.language:
        return _("The State under review has not chosen the working language of its review yet.")
    return None


# The transitions that take a review forward, stage by stage (demo data and tests walk them).
FORWARD = ("open-checklist", "submit-checklist", "start-dialogue", "start-drafting", "seek-agreement")

COUNTRY_REVIEW = Workflow.from_data(
    {
        "name": "country-review",
        "title": _("Country review"),
        "initial": "scheduled",
        "states": {
            "scheduled": _stage(_("Scheduled"), **{R.REVIEWED_FOCAL_POINT: {P.CHOOSE_REVIEW_LANGUAGE}}),
            "checklist": _stage(_("Self-assessment checklist"), **{R.REVIEWED_FOCAL_POINT: {P.SUBMIT_CHECKLIST}}),
            "desk-review": _stage(_("Desk review")),
            "dialogue": _stage(_("Constructive dialogue")),
            "drafting": _stage(_("Drafting of the report")),
            "agreement": _stage(_("Agreement on the report")),
        },
        "transitions": [
            {"name": "open-checklist", "title": _("Open the checklist"), "from": ["scheduled"], "to": "checklist",
             "permission": P.MANAGE_REVIEWS, "guard": language_chosen, "style": "primary"},
            {"name": "submit-checklist", "title": _("Submit the checklist"), "from": ["checklist"],
             "to": "desk-review", "permission": P.SUBMIT_CHECKLIST, "guard": checklist_complete, "style": "primary"},
            {"name": "reopen-checklist", "title": _("Reopen the checklist"), "from": ["desk-review"],
             "to": "checklist", "permission": P.MANAGE_REVIEWS},
            {"name": "start-dialogue", "title": _("Start the constructive dialogue"), "from": ["desk-review"],
             "to": "dialogue", "permission": P.MANAGE_REVIEWS},
            {"name": "start-drafting", "title": _("Start drafting the report"), "from": ["dialogue"],
             "to": "drafting", "permission": P.MANAGE_REVIEWS},
            {"name": "seek-agreement", "title": _("Submit the report for agreement"), "from": ["drafting"],
             "to": "agreement", "permission": P.MANAGE_REVIEWS},
        ],
    }
)


# The checklist in each stage of its review (DESIGN §4): the state under review answers while the
# checklist is open, its reviewing states see only how far it is answered until it is submitted.
_READ = {P.VIEW, P.VIEW_PROGRESS}
_ALL_READ = {R.REVIEWED_FOCAL_POINT: _READ, R.REVIEWED_EXPERT: _READ, R.REVIEWER_FOCAL_POINT: _READ,
             R.REVIEWER_EXPERT: _READ, R.SECRETARIAT: _READ}
CHECKLIST_ROLES = {
    "scheduled": {R.REVIEWED_FOCAL_POINT: _READ, R.REVIEWED_EXPERT: _READ, R.SECRETARIAT: _READ},
    "checklist": {
        R.REVIEWED_FOCAL_POINT: _READ | {P.EDIT_CHECKLIST},
        R.REVIEWED_EXPERT: _READ | {P.EDIT_CHECKLIST},
        R.REVIEWER_FOCAL_POINT: {P.VIEW_PROGRESS},
        R.REVIEWER_EXPERT: {P.VIEW_PROGRESS},
        R.SECRETARIAT: _READ,
    },
    **{stage: _ALL_READ for stage in ("desk-review", "dialogue", "drafting", "agreement", "final")},
}

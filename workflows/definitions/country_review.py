"""Country review workflow (docs/architecture.md §4, ToR ¶15-¶33, R13-R16, R18, R25):
scheduled -> checklist -> desk-review -> dialogue -> drafting -> agreement -> final.

In every stage only the state under review, its reviewing states and the secretariat see the
review (R18); nothing inherits from the public cycle above it. The state under review chooses the
working language while the review is scheduled (R25); the checklist opens only once it has. Its
focal point submits the complete checklist, which locks it; the secretariat can reopen it (R13).
The review becomes final only when every party's focal point has agreed to the report's current
version (R16); a final review is read-only. The parts of a review (checklist, dialogue, assistance
threads, report) have their own role -> permission map per stage of the review, below (``PART_ROLES``).
"""

from language import _
from workflows import Workflow
from workflows import permissions as P
from workflows import roles as R

# Each state's focal points name (and replace) their state's focal point and experts for the review. The
# schedule (¶24): the secretariat and the state under review's focal point propose dates and agree to the other
# side's proposal (content/milestones.py takes agreeing away from the side whose proposal awaits agreement);
# the reviewing states' focal points comment; nobody once the review is final (``_FINAL``).
_PARTIES = {
    R.REVIEWED_FOCAL_POINT: {P.VIEW, P.APPOINT_TEAM, P.PROPOSE_SCHEDULE, P.AGREE_SCHEDULE},
    R.REVIEWED_EXPERT: {P.VIEW},
    R.REVIEWER_FOCAL_POINT: {P.VIEW, P.APPOINT_TEAM, P.COMMENT_SCHEDULE},
    R.REVIEWER_EXPERT: {P.VIEW},
    R.SECRETARIAT: {P.VIEW, P.VIEW_HISTORY, P.MANAGE_REVIEWS, P.APPOINT_TEAM, P.PROPOSE_SCHEDULE, P.AGREE_SCHEDULE},
}


def _stage(title, parties=None, **extra):
    roles = {**(_PARTIES if parties is None else parties)}
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


def report_agreed(review, request):
    """Guard of ``finalize`` (R16): the focal points of all parties agreed to the report's current version."""
    report = review.get("report")
    missing = report.missing_agreements() if report is not None else review.parties()
    if missing:
        return _("These States have not agreed to the current version of the report: ${states}.",
                 mapping={"states": tuple(missing)})
    return None


def report_drafted(review, request):
    """Guard of ``seek-agreement``: there is a draft report to agree to."""
    report = review.get("report")
    if report is None or not report.current():
        return _("The report has no draft yet.")
    return None


# Reviewers and the secretariat may propose a country visit or joint meeting while the review is under way (R15).
_VISIT = {R.REVIEWER_FOCAL_POINT: {P.PROPOSE_VISIT}, R.SECRETARIAT: {P.PROPOSE_VISIT}}
_FINAL = {R.REVIEWED_FOCAL_POINT: {P.VIEW}, R.REVIEWED_EXPERT: {P.VIEW}, R.REVIEWER_FOCAL_POINT: {P.VIEW},
          R.REVIEWER_EXPERT: {P.VIEW}, R.SECRETARIAT: {P.VIEW, P.VIEW_HISTORY, P.MANAGE_REVIEWS}}

# The transitions that take a review forward, stage by stage (demo data and tests walk them).
FORWARD = ("open-checklist", "submit-checklist", "start-dialogue", "start-drafting", "seek-agreement", "finalize")

COUNTRY_REVIEW = Workflow.from_data(
    {
        "name": "country-review",
        "title": _("Country review"),
        "initial": "scheduled",
        "states": {
            "scheduled": _stage(_("Scheduled"), **{R.REVIEWED_FOCAL_POINT: {P.CHOOSE_REVIEW_LANGUAGE}}),
            "checklist": _stage(_("Self-assessment checklist"), **{R.REVIEWED_FOCAL_POINT: {P.SUBMIT_CHECKLIST}}),
            "desk-review": _stage(_("Desk review"), **_VISIT),
            "dialogue": _stage(_("Constructive dialogue"), **_VISIT),
            "drafting": _stage(_("Drafting of the report"), **_VISIT),
            "agreement": _stage(_("Agreement on the report")),
            "final": _stage(_("Final"), parties=_FINAL),
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
             "to": "agreement", "permission": P.MANAGE_REVIEWS, "guard": report_drafted},
            {"name": "resume-drafting", "title": _("Resume drafting"), "from": ["agreement"], "to": "drafting",
             "permission": P.MANAGE_REVIEWS},
            # Fired by the last agreement (R16); the secretariat's button shows only when all have agreed.
            {"name": "finalize", "title": _("Make the report final"), "from": ["agreement"], "to": "final",
             "permission": P.MANAGE_REVIEWS, "guard": report_agreed, "style": "primary"},
        ],
    }
)


# The parts of a review in each of its stages (docs/architecture.md §4). Nothing is inherited from above the review.
_READ = {P.VIEW, P.VIEW_PROGRESS}
SUR = (R.REVIEWED_FOCAL_POINT, R.REVIEWED_EXPERT)
REV = (R.REVIEWER_FOCAL_POINT, R.REVIEWER_EXPERT)
ALL_STAGES = ("scheduled", "checklist", "desk-review", "dialogue", "drafting", "agreement", "final")
UNDER_WAY = ("desk-review", "dialogue", "drafting")


def _roles(sur=(), sur_fp=(), rev=(), rev_fp=(), sec=()):
    """A role map from what the state under review (both functions, or its focal point only), the
    reviewing states (likewise) and the secretariat hold; empty entries are left out."""
    roles = {R.REVIEWED_FOCAL_POINT: set(sur) | set(sur_fp), R.REVIEWED_EXPERT: set(sur),
             R.REVIEWER_FOCAL_POINT: set(rev) | set(rev_fp), R.REVIEWER_EXPERT: set(rev), R.SECRETARIAT: set(sec)}
    return {role: permissions for role, permissions in roles.items() if permissions}


# The checklist: the state under review answers while it is open; its reviewing states see only how far it
# is answered until it is submitted, then read it and comment on the answers during the desk review and
# the dialogue (R13, R14). Nobody but the state under review ever edits the answers; once submitted, it may
# still give new information on them (¶13) until the report goes for agreement.
_COMMENT = _READ | {P.COMMENT_CHECKLIST}
_INFORM = _READ | {P.ADD_INFORMATION}
CHECKLIST_ROLES = {
    "scheduled": _roles(sur=_READ, sec=_READ),
    "checklist": _roles(sur=_READ | {P.EDIT_CHECKLIST}, sur_fp={P.INVITE_STAKEHOLDER}, rev={P.VIEW_PROGRESS}, sec=_READ),
    **{stage: _roles(sur=_INFORM, rev=_COMMENT, sec=_COMMENT) for stage in ("desk-review", "dialogue")},
    "drafting": _roles(sur=_INFORM, rev=_READ, sec=_READ),
    **{stage: _roles(sur=_READ, rev=_READ, sec=_READ) for stage in ("agreement", "final")},
}

# The dialogue (¶22, ¶23): reviewers and the secretariat ask, the state under review answers, while the
# review is under way; everyone taking part reads it from the desk review on.
DIALOGUE_ROLES = {
    **{stage: _roles(sec={P.VIEW}) for stage in ("scheduled", "checklist")},
    **{stage: _roles(sur={P.VIEW, P.ANSWER_QUESTION}, rev={P.VIEW, P.ASK_QUESTION}, sec={P.VIEW, P.ASK_QUESTION})
       for stage in UNDER_WAY},
    **{stage: _roles(sur={P.VIEW}, rev={P.VIEW}, sec={P.VIEW}) for stage in ("agreement", "final")},
}

# Assistance (¶16): a thread between the state under review and the secretariat only.
_ASSIST = {P.VIEW, P.REQUEST_ASSISTANCE}
ASSISTANCE_ROLES = {
    **{stage: _roles(sur=_ASSIST, sec=_ASSIST) for stage in ALL_STAGES if stage != "final"},
    "final": _roles(sur={P.VIEW}, sec={P.VIEW}),
}

# The report (¶25, ¶32, ¶33, R16): reviewers and the secretariat draft it; the state under review reads
# and comments from the drafting stage on; during the agreement focal points agree to a version (an
# edit then clears the agreements); the final report is read-only.
_SEE = {P.VIEW, P.VIEW_DRAFTS}
_DRAFT = _SEE | {P.EDIT_REPORT, P.COMMENT_REPORT}
REPORT_ROLES = {
    **{stage: _roles(rev=_SEE, sec=_SEE) for stage in ("scheduled", "checklist", "desk-review", "dialogue")},
    "drafting": _roles(sur=_SEE | {P.COMMENT_REPORT}, rev=_DRAFT, sec=_DRAFT),
    # docs/architecture.md §4: during the agreement the state under review's focal point agrees or comments; its experts read.
    "agreement": _roles(sur=_SEE, sur_fp={P.COMMENT_REPORT, P.AGREE_REPORT}, rev=_DRAFT,
                        rev_fp={P.AGREE_REPORT}, sec=_DRAFT),
    # A state granted access (R20) reads the final text only: no drafts, comments or agreements.
    "final": {**_roles(sur=_SEE, sur_fp={P.PUBLISH_REPORT}, rev=_SEE, sec=_SEE), R.GRANTEE: {P.VIEW}},
}

# Access requests (¶37, R20): once the report is final, any state party's focal point may ask to read it;
# the state under review and the secretariat see the requests (each request has its own ACL too).
ACCESS_ROLES = {
    **{stage: _roles(sec={P.VIEW}) for stage in ALL_STAGES if stage != "final"},
    "final": {R.FOCAL_POINT: {P.REQUEST_ACCESS}, **_roles(sur_fp={P.VIEW}, sec={P.VIEW})},
}

# Translation of the review's documents (¶48, ¶49): the secretariat asks for, and delivers, a translation of
# the checklist answers or a report draft; the State under review's focal point may ask too (further
# languages). The reviewing States read them from the desk review on, as they read the checklist then.
_ASK = {P.VIEW, P.REQUEST_TRANSLATION}
TRANSLATION_REQUEST_ROLES = {
    **{stage: _roles(sur={P.VIEW}, sur_fp=_ASK, sec=_ASK | {P.MANAGE_REVIEWS}) for stage in ("scheduled", "checklist")},
    **{stage: _roles(sur={P.VIEW}, sur_fp=_ASK, rev={P.VIEW}, sec=_ASK | {P.MANAGE_REVIEWS})
       for stage in ALL_STAGES if stage not in ("scheduled", "checklist")},
}

# Information from international and regional organizations (¶26(c), ¶30): the secretariat may gather it from
# the start, the reviewing States add it during the desk review, the dialogue and the drafting; the State under
# review reads it from the desk review on and comments on each source until the report is agreed (its focal
# point alone during the agreement, as on the report). Read-only once final; a grantee (R20) never sees it.
_GATHER = {P.VIEW, P.ADD_SOURCE}
SOURCE_ROLES = {
    **{stage: _roles(sec=_GATHER) for stage in ("scheduled", "checklist")},
    **{stage: _roles(sur={P.VIEW, P.COMMENT_SOURCE}, rev=_GATHER, sec=_GATHER) for stage in UNDER_WAY},
    "agreement": _roles(sur={P.VIEW}, sur_fp={P.COMMENT_SOURCE}, rev={P.VIEW}, sec={P.VIEW}),
    "final": _roles(sur={P.VIEW}, rev={P.VIEW}, sec={P.VIEW}),
}

# The national consultation on the checklist (¶27, ¶30; docs/stakeholders.md): while the checklist is open the
# State under review's focal point invites national stakeholders to chosen sections (``INVITE_STAKEHOLDER`` on the
# checklist above, and on each open invitation); the State under review and the secretariat read every invitation
# and comment; the reviewing States read the record (who, when, which sections) once the checklist is submitted,
# never an invitation. An invited stakeholder holds a local role on its own invitation alone: it reads the opened
# sections and comments on them while the checklist is open, then only reads; nothing once withdrawn.
CONSULTATION_ROLES = {
    **{stage: _roles(sur={P.VIEW}, sec={P.VIEW}) for stage in ("scheduled", "checklist")},
    **{stage: _roles(sur={P.VIEW}, rev={P.VIEW}, sec={P.VIEW}) for stage in ALL_STAGES
       if stage not in ("scheduled", "checklist")},
}
_INVITATION = _roles(sur={P.VIEW}, sec={P.VIEW})
INVITATION_ROLES = {
    **{stage: {**_INVITATION, R.STAKEHOLDER_CONTRIBUTOR: {P.VIEW}} for stage in ALL_STAGES},
    "checklist": {**_roles(sur={P.VIEW}, sur_fp={P.INVITE_STAKEHOLDER}, sec={P.VIEW}),
                  R.STAKEHOLDER_CONTRIBUTOR: {P.VIEW, P.COMMENT_AS_STAKEHOLDER}},
}
WITHDRAWN_INVITATION_ROLES = {stage: _INVITATION for stage in ALL_STAGES}

PART_ROLES = {"checklist": CHECKLIST_ROLES, "dialogue": DIALOGUE_ROLES, "assistance": ASSISTANCE_ROLES,
              "report": REPORT_ROLES, "access-requests": ACCESS_ROLES,
              "translation-requests": TRANSLATION_REQUEST_ROLES, "sources": SOURCE_ROLES,
              "consultation": CONSULTATION_ROLES, "stakeholder-invitation": INVITATION_ROLES,
              "withdrawn-stakeholder-invitation": WITHDRAWN_INVITATION_ROLES}

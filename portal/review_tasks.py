"""What a review asks of each participant next (dashboards, ToR ¶24): the next action for the State under
review, a reviewing State or the secretariat in the review's stage, and the open questions' due dates."""

from portal.i18n import _, _n
from workflows import permissions as P


def open_questions(review):
    """The dialogue's questions awaiting an answer, earliest due first."""
    dialogue = review.get("dialogue")
    questions = [q for q in dialogue.values() if q.workflow_state == "open"] if dialogue is not None else []
    return sorted(questions, key=lambda q: q.due)


def _anyone(permission, resource):
    return True


def next_action(review, role, iso3=None, can=_anyone):
    """A translation string saying what ``role`` ("reviewed", "reviewing" or "staff"; ``iso3`` its state)
    should do next in ``review``; None when nothing is asked of it now. ``can(permission, resource)``: whether
    the reader holds it (an expert neither chooses the language, names the team, submits nor agrees)."""
    action = _stage_action(review, role, iso3, can)
    if (action is None or str(action).startswith("Waiting")) and can(P.AGREE_SCHEDULE, review):
        return _("Agree to the proposed schedule, or propose other dates")  # ¶24: the other side proposed dates
    return action


def _stage_action(review, role, iso3, can):
    """What the review's stage asks of ``role`` (``next_action``, before the schedule)."""
    stage = review.workflow_state
    questions = len(open_questions(review))
    if stage == "scheduled":
        if role == "reviewed" and not review.language and can(P.CHOOSE_REVIEW_LANGUAGE, review):
            return _("Choose the working language of the review")
        if role in ("reviewed", "reviewing") and not review.team(iso3)["focal_point"] and can(P.APPOINT_TEAM, review):
            return _("Name your focal point and experts for the review")
        if role == "staff":
            return _("Open the checklist") if review.language else _("Waiting for the working language")
        return None
    if stage == "checklist":
        checklist = review.get("checklist")
        if role == "reviewed" and checklist is not None:
            missing = len(checklist.unanswered())
            if missing:
                return _n("Answer the checklist: ${count} question without an answer",
                          "Answer the checklist: ${count} questions without an answer", missing)
            if can(P.SUBMIT_CHECKLIST, review):
                return _("Submit the checklist")
        return _("Waiting for the checklist")
    if stage in ("desk-review", "dialogue", "drafting") and role == "reviewed" and questions:
        return _n("Answer the questions of the dialogue: ${count} question awaiting an answer",
                  "Answer the questions of the dialogue: ${count} questions awaiting an answer", questions)
    if stage == "desk-review":
        if role == "reviewed":
            return _("Waiting for the reviewers' questions")
        return _("Read the checklist, comment on the answers and ask questions")
    if stage == "dialogue":
        if role == "reviewed":
            return _("Waiting for the reviewers' questions")
        return _n("Follow the dialogue: ${count} question awaiting an answer",
                  "Follow the dialogue: ${count} questions awaiting an answer", questions)
    if stage == "drafting":
        return _("Read the draft report and comment") if role == "reviewed" else _("Draft the report")
    if stage == "agreement":
        report = review.get("report")
        if (role in ("reviewed", "reviewing") and report is not None and not report.agreed(iso3)
                and can(P.AGREE_REPORT, report)):
            return _("Agree to the report, or comment on it")
        return _("Waiting for the agreement of every State")
    return None

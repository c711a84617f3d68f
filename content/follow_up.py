"""The follow-up of a previous review (ToR ¶41): what a State reports, in its next checklist, on each observation
and technical assistance need of its previous report, and where those answers are read (tracker, annex)."""

from language import _

# How far an observation of the previous report has been addressed.
PROGRESS = {"full": _("Fully addressed"), "partial": _("Partly addressed"), "none": _("No progress yet")}
# Whether the technical assistance identified was received.
ASSISTANCE = {
    "received": _("Received", context="technical assistance"),  # not the amount received of a contribution
    "partly-received": _("Partly received"),
    "not-received": _("Not received"),
    "not-requested": _("Not requested"),
}
# The free-text parts of a follow-up answer, in the order shown.
DETAILS = {
    "description": _("Progress made"),
    "provider": _("Assistance provided by"),
    "period": _("Period of the assistance"),
    "effect": _("Effect of the assistance"),
}
CHOICES = {"progress": PROGRESS, "assistance": ASSISTANCE}
CHOICE_TITLES = {"progress": _("Progress"), "assistance": _("Technical assistance received")}


def is_follow_up(answer):
    """Whether a stored answer is a follow-up answer (it has the progress choice, possibly still empty)."""
    return "progress" in answer


def answer_parts(answer):
    """``[(title, value, is_choice)]`` of a follow-up answer, in the order shown; a choice's value is its
    translatable title."""
    parts = [(CHOICE_TITLES[name], CHOICES[name][answer[name]], True) for name in CHOICES
             if answer.get(name) in CHOICES[name]]
    return parts + [(title, answer[name], False) for name, title in DETAILS.items() if answer.get(name)]


def question_id(cycle_name, finding_id):
    """The id of the follow-up question on finding ``finding_id`` of the report of cycle ``cycle_name``."""
    return f"follow-up-{cycle_name}-{finding_id}"


def clean_answer(given):
    """A follow-up answer as stored: the two choices (empty when not one of the list) and the four texts."""
    answer = {name: given.get(name) if given.get(name) in choices else "" for name, choices in CHOICES.items()}
    answer.update({name: (given.get(name) or "").strip() for name in DETAILS})
    return answer


def later_answer(root, cycle, iso3, finding_id):
    """``(later cycle, review, answer)``: what ``iso3`` answered about finding ``finding_id`` of its report in
    ``cycle``, in the follow-up of a later cycle's checklist; None when it has not answered yet (¶41)."""
    question = question_id(cycle.__name__, finding_id)
    for later in root["cycles"].values():
        if later is cycle or "reviews" not in later:
            continue
        review = later["reviews"].get(iso3)
        checklist = review.get("checklist") if review is not None else None
        answer = checklist.answers.get(question) if checklist is not None else None
        if answer and answer.get("progress"):
            return later, review, answer
    return None


def submitted(review):
    """Whether ``review``'s checklist has been submitted (its answers are the State's, no longer a draft)."""
    return review.workflow_state not in ("scheduled", "checklist")


def follow_up_totals(cycle):
    """For the Conference's assessment (¶42-¶45): across the submitted checklists of ``cycle``, how many follow-up
    answers report each degree of progress and each answer on assistance. Totals only: no State is named (R22)."""
    progress = dict.fromkeys(PROGRESS, 0)
    assistance = dict.fromkeys(ASSISTANCE, 0)
    reviews = [r for r in (cycle["reviews"].values() if "reviews" in cycle else ()) if submitted(r)]
    states = 0
    for review in reviews:
        checklist = review.get("checklist")
        items = getattr(checklist, "follow_up", None) or ()
        if not items:
            continue
        states += 1
        for item in items:
            answer = checklist.answers.get(question_id(item["cycle"], item["id"])) or {}
            if answer.get("progress") in progress:
                progress[answer["progress"]] += 1
            if answer.get("assistance") in assistance:
                assistance[answer["assistance"]] += 1
    return {"states": states, "progress": progress, "assistance": assistance}

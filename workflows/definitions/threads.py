"""Workflows of the review's threads: a dialogue question is open until the State under review answers
it (a follow-up reopens it, ¶23); an assistance request (¶16) is open until either side closes it; a
request for translation (¶48, ¶49) is requested until the secretariat delivers the translated file.

Both keep no role map of their own: they inherit the ACL of their folder, which follows the stage
of the review (``DIALOGUE_ROLES`` and ``ASSISTANCE_ROLES``); the workflow gives them a recorded state.
"""

from language import _
from workflows import Workflow
from workflows import permissions as P

def _written_since_last_change(question, by_state_under_review):
    """Whether the last message came after the question's last change of state, from the state under
    review (an answer) or from the other side (a follow-up)."""
    if not question.messages:
        return False
    last = question.messages[-1]
    since = question.workflow_history[-1]["when"] if question.workflow_history else None
    from_sur = last["state"] == question.review.state
    return from_sur == by_state_under_review and (since is None or last["when"] >= since)


def has_answer(question, request):
    """Guard of ``answer``: a question becomes answered by an answer, never by a button alone."""
    return None if _written_since_last_change(question, True) else _("Write the answer first.")


def has_follow_up(question, request):
    """Guard of ``follow-up``: a question is reopened by a follow-up question, never by a button alone."""
    return None if _written_since_last_change(question, False) else _("Write the follow-up question first.")


QUESTION = Workflow.from_data(
    {
        "name": "question",
        "title": _("Question"),
        "initial": "open",
        "states": {"open": {"title": _("Awaiting an answer")}, "answered": {"title": _("Answered")}},
        "transitions": [
            {"name": "answer", "title": _("Answer", context="verb"), "from": ["open", "answered"], "to": "answered",
             "permission": P.ANSWER_QUESTION, "guard": has_answer, "done": _("Answered again")},
            {"name": "follow-up", "title": _("Ask a follow-up question"), "from": ["open", "answered"],
             "to": "open", "permission": P.ASK_QUESTION, "guard": has_follow_up,
             "done": _("Follow-up question asked")},
        ],
    }
)

ASSISTANCE_REQUEST = Workflow.from_data(
    {
        "name": "assistance-request",
        "title": _("Request for assistance"),
        "initial": "open",
        "states": {"open": {"title": _("Request open")}, "closed": {"title": _("Request closed")}},
        "transitions": [
            {"name": "close", "title": _("Close the request"), "from": ["open"], "to": "closed",
             "permission": P.REQUEST_ASSISTANCE},
            {"name": "reopen", "title": _("Reopen the request"), "from": ["closed"], "to": "open",
             "permission": P.REQUEST_ASSISTANCE},
        ],
    }
)


def has_translation(request_, request):
    """Guard of ``deliver``: a translation is delivered as a file from the secretariat, never by a button alone."""
    return None if request_.delivered_files() else _("Attach the translated document to a message first.")


TRANSLATION_REQUEST = Workflow.from_data(
    {
        "name": "translation-request",
        "title": _("Request for translation"),
        "initial": "requested",
        "states": {"requested": {"title": _("Translation requested")}, "delivered": {"title": _("Translation delivered")},
                   "cancelled": {"title": _("Request cancelled")}},
        "transitions": [
            {"name": "deliver", "title": _("Mark the translation as delivered"), "from": ["requested"],
             "to": "delivered", "permission": P.MANAGE_REVIEWS, "guard": has_translation,
             "style": "primary"},
            {"name": "cancel", "title": _("Cancel the request"), "from": ["requested"], "to": "cancelled",
             "permission": P.REQUEST_TRANSLATION},
        ],
    }
)

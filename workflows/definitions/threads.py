"""Workflows of the review's threads: a dialogue question is open until the State under review answers
it (a follow-up reopens it, ¶23); an assistance request (¶16) is open until either side closes it.

Both keep no role map of their own: they inherit the ACL of their folder, which follows the stage
of the review (``DIALOGUE_ROLES`` and ``ASSISTANCE_ROLES``); the workflow gives them a recorded state.
"""

from portal.i18n import _
from workflows import Workflow
from workflows import permissions as P

QUESTION = Workflow.from_data(
    {
        "name": "question",
        "title": _("Question"),
        "initial": "open",
        "states": {"open": {"title": _("Awaiting an answer")}, "answered": {"title": _("Answered")}},
        "transitions": [
            {"name": "answer", "title": _("Answer"), "from": ["open", "answered"], "to": "answered",
             "permission": P.ANSWER_QUESTION},
            {"name": "follow-up", "title": _("Ask a follow-up question"), "from": ["open", "answered"],
             "to": "open", "permission": P.ASK_QUESTION},
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

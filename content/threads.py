"""Message threads inside a review: the dialogue's questions between reviewers and the State under review
(``dialogue/<n>``, ¶22-¶23) and requests for assistance to the secretariat (``assistance/<n>``, ¶16).

A thread is a folder of its attachments with a list of messages; messages are kept as written. Its ACL
is its folder's, which follows the review's stage; its own workflow records open/answered or open/closed.
"""

from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from content.events import modified
from content.attachments import MAX_FILES, Attachment, UploadRejected
from content.base import now
from content.folder import Folder
from content.review_parts import InReview, ReviewPart
from language import _, _n

MAX_TITLE = 200
MAX_MESSAGE = 20_000
# Who reads a kind of thread, as its pages say: the ACL of its folder (``DIALOGUE_ROLES``, ``ASSISTANCE_ROLES``
# in workflows/definitions/country_review.py) decides, this only tells it.
REVIEW_AUDIENCE = _("Confidential: only the State under review, its reviewing States and the secretariat see this review.")
ASSISTANCE_AUDIENCE = _("Confidential: only the State under review and the secretariat see the requests for "
                        "assistance; the reviewing States do not.")


class ThreadFolder(ReviewPart, Folder):
    """A review's folder of threads, numbered 1, 2, 3 ... in the order they were started."""

    audience = REVIEW_AUDIENCE  # what its pages say of who sees it

    def ordered(self):
        return sorted(self.values(), key=lambda t: int(t.__name__))


class Thread(InReview, Folder):
    """A titled conversation: messages (who, for which state, text, attachment names, when)."""

    acl_inherit = True
    audience = REVIEW_AUDIENCE  # what its page says of who sees it

    def __init__(self, title):
        super().__init__()
        self._title = title
        self.messages = PersistentList()

    @property
    def title(self):
        return self._title

    def post(self, actor, state, text, files=()):
        """Add a message with ``files`` (``[(filename, bytes)]``); all checked before anything is stored.

        Raises ``UploadRejected`` for a bad file (nothing is stored then) and ``ValueError`` for an empty message.
        """
        text = (text or "").strip()
        if not text and not files:
            raise ValueError("empty message")
        if len(files) > MAX_FILES:
            raise UploadRejected(_n("At most ${count} file per message.", "At most ${count} files per message.", MAX_FILES))
        attachments = [Attachment(filename, data, actor) for filename, data in files]
        names = []
        for attachment in attachments:
            name = f"file-{len(self) + 1}"
            self.add(name, attachment)
            names.append(name)
        message = PersistentMapping({"who": actor, "state": state, "text": text[:MAX_MESSAGE],
                                     "attachments": tuple(names), "when": now()})
        self.messages.append(message)
        modified(self, "messages")
        return message

    def json_fields(self, request):
        return {"title": self.title, "messages": [
            {"who": m["who"], "state": m["state"], "text": m["text"], "attachments": list(m["attachments"]),
             "when": m["when"].isoformat()} for m in self.messages]}


class Dialogue(ThreadFolder):
    """``/cycles/<id>/reviews/<ISO3>/dialogue``: the questions of the desk review and constructive dialogue."""

    type_name = "Dialogue"
    type_title = _("Constructive dialogue")
    part_roles = "dialogue"


class Question(Thread):
    """A question from a reviewing state or the secretariat to the State under review, with a due date
    and optionally the checklist section it is about; answered when the State under review replies."""

    type_name = "Question"
    type_title = _("Question")

    def __init__(self, title, asked_by_state, due, about=""):
        super().__init__(title)
        self.asked_by_state = asked_by_state  # ISO3 of the reviewing state, or None for the secretariat
        self.due = due
        self.about = about  # a checklist section key, or ""

    @property
    def answered(self):
        return self.workflow_state == "answered"

    def json_fields(self, request):
        return {**super().json_fields(request), "asked_by_state": self.asked_by_state, "due": self.due.isoformat(),
                "about": self.about, "state": self.workflow_state}


class Assistance(ThreadFolder):
    """``/cycles/<id>/reviews/<ISO3>/assistance``: the State under review's requests to the secretariat."""

    type_name = "Assistance"
    type_title = _("Requests for assistance")
    part_roles = "assistance"
    audience = ASSISTANCE_AUDIENCE


class AssistanceRequest(Thread):
    """A request for assistance (¶16), e.g. with completing the checklist, and the secretariat's replies."""

    type_name = "AssistanceRequest"
    type_title = _("Request for assistance")
    audience = ASSISTANCE_AUDIENCE

    def json_fields(self, request):
        return {**super().json_fields(request), "state": self.workflow_state}

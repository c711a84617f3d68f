"""Translation of a review's working documents (ToR ¶48, ¶49, R25): ``.../reviews/<ISO3>/translation-requests/<n>``.

A review is conducted in the working language its State under review chose; the secretariat may have
the checklist answers or a draft of the report translated into another working language, and the State
under review may ask for a language beyond the six (¶49, recorded as such). Each request is a thread:
the translated file comes as an attachment of a message, and the request is then marked delivered.
"""

from content.base import now
from content.threads import Thread, ThreadFolder
from language import LANGUAGE_NAMES, LANGUAGE_TITLES, _

DOCUMENTS = {"checklist": _("Answers to the checklist"), "report": _("Draft of the report")}
MAX_LANGUAGE_NAME = 60


class TranslationRequests(ThreadFolder):
    """A review's requests for translation, numbered 1, 2, 3 ..."""

    type_name = "TranslationRequests"
    type_title = _("Translations of the review's documents")
    part_roles = "translation-requests"

    def open_request(self, document, language):
        """The request for ``document`` in ``language`` that is still awaited, if any (one at a time)."""
        return next((r for r in self.values() if r.document == document and r.language == language
                     and r.workflow_state == "requested"), None)


class TranslationRequest(Thread):
    """One document to translate into one language: which version, for whom, by whom, and the messages
    (the translated file among their attachments)."""

    type_name = "TranslationRequest"
    type_title = _("Request for translation")

    def __init__(self, document, language, version, requested_by, requested_for):
        super().__init__("")
        self.document = document  # "checklist" or "report"
        self.language = language  # a working-language code, or the name of a further language (¶49)
        self.version = version  # the report's version number when asked for, or None
        self.requested_by = requested_by
        self.requested_for = requested_for  # ISO3 of the State under review when it asked, None for the secretariat
        self.filed = now()

    @property
    def further(self):
        """A language beyond the six working languages (¶49)."""
        return self.language not in LANGUAGE_NAMES

    @property
    def language_name(self):
        """One of the six by its name in the reader's language, or a further language as it was typed."""
        return LANGUAGE_TITLES.get(self.language, self.language)

    @property
    def title(self):
        return _("${document} into ${language}", mapping={"document": DOCUMENTS[self.document],
                                                          "language": self.language_name})

    def delivered_files(self):
        return [self[n] for m in self.messages if m["state"] is None for n in m["attachments"] if n in self]

    def json_fields(self, request):
        return {"document": self.document, "language": self.language, "further_language": self.further,
                "version": self.version, "requested_by": self.requested_by, "requested_for": self.requested_for,
                "filed": self.filed.isoformat()}

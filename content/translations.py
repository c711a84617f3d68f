"""Documents kept in the six languages (ToR ¶35, ¶50, R21, R25): a translation group holds the original
in its language and one translation per other language, each with its own workflow state and translator.

The executive summary of a final country review report (``.../report/summary/<lang>``, made by
``make_summary``) has an agreed original; a thematic report and its addenda (``content/thematic.py``) have
an original the secretariat drafts. A reader gets the requested language when it is published, else the
published original with a notice.
"""

import re

from content.events import modified
from content.base import Resource
from content.base import now
from content.folder import Folder
from content.publication import Publishable
from content.review_parts import InReview
from language import LANGUAGES, _
from workflows import get_workflow
from workflows import permissions as P
from workflows import roles as R

MAX_TEXT = 50_000
PLACEHOLDER = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")


def placeholders(text):
    """The ``${name}`` placeholders in ``text`` (a document may hold some, e.g. a mail template): a
    translation must keep every one of the original's."""
    return set(PLACEHOLDER.findall(text or ""))


class TranslationConflict(Exception):
    """The translation was saved by someone else since the editor opened it."""

    def __init__(self, current):
        super().__init__("conflict")
        self.current = current  # the Translation, with the other editor's text


class TranslationGroup(Folder):
    """An original and its translations, one child per language code."""

    type_name = "TranslationGroup"
    type_title = _("Document in six languages")
    document_title = None  # a translation string naming the document, when what holds it does not
    agreed_original = True  # the original is an agreed text (a final report's); else the secretariat drafts it
    rolemap_follows_children = True  # opens to the public with its first published language

    def __init__(self, original_language):
        super().__init__()
        self.original_language = original_language

    @property
    def title(self):
        return self.document_title or self.type_title

    @property
    def role_permissions(self):
        """Everyone may open the group once one of its languages is published (the page then shows only
        published texts to the public); before that the group is as closed as what holds it."""

        return {R.ANONYMOUS: {P.VIEW}} if self.published_languages() else {}

    @property
    def original(self):
        return self.get(self.original_language)

    def in_order(self):
        """The six language versions, the original first, then the others in the order of ``LANGUAGES``."""
        return sorted(self.values(), key=lambda t: (not t.is_original, LANGUAGES.index(t.language)))

    def published_languages(self):
        return [t.language for t in self.in_order() if t.published]

    def for_reader(self, lang):
        """``(translation, is_fallback)``: the published text in ``lang``, else the published original
        (a fallback the page says so), else ``(None, False)``."""
        wanted = self.get(lang)
        if wanted is not None and wanted.published:
            return wanted, False
        original = self.original
        if original is not None and original.published:
            return original, True
        return None, False


class Translation(Publishable, InReview, Resource):
    """One language version of a group: its text, who last saved it and when, and a revision number
    that detects two editors saving over each other."""

    type_name = "Translation"
    type_title = _("Language version")
    assignee = None  # login of the translator who took it on

    def __init__(self, language, text="", is_original=False):
        self.language = language
        self.text = text
        self.is_original = is_original
        self.translator = None
        self.saved = None
        self.revision = 0

    @property
    def title(self):
        return self.language

    def save(self, text, actor, revision):
        """Store a new text based on ``revision``; refuse (``TranslationConflict``) when someone saved since."""
        if revision != self.revision:
            raise TranslationConflict(self)
        self.text = text
        self.translator = actor
        self.saved = now()
        self.revision += 1
        modified(self, "text")

    def json_fields(self, request):
        return {"language": self.language, "original": self.is_original, "text": self.text,
                "translator": self.translator, "assignee": self.assignee, "saved": self.saved.isoformat() if self.saved else None,
                "published": self.publication_json()}


def make_group(parent, name, original_language, text, actor="system", title=None, agreed=True):
    """Add a group under ``parent``: the original holds ``text``; the five other languages start as empty
    drafts. An ``agreed`` original (a final report's text) is ready to publish (``translated``); otherwise it
    is a draft the secretariat still edits (a thematic report drafted from a compilation)."""
    group = parent.add(name, TranslationGroup(original_language))
    if title is not None:
        group.document_title = title
    if not agreed:
        group.agreed_original = False
    for lang in LANGUAGES:
        version = group.add(lang, Translation(lang, text if lang == original_language else "",
                                              is_original=lang == original_language))
        workflow = get_workflow(version)
        workflow.initialize(version, actor)
        if version.is_original:
            version.translator, version.saved = actor, now()
            if agreed:
                workflow.fire(version, None, "mark-translated", check_permission=False, actor=actor)
    return group


def make_summary(report, actor="system"):
    """The executive summary of a final report enters translation (R21), once; None when it is empty."""
    if "summary" in report:
        return report["summary"]
    version = report.current()
    text = version.texts.get("summary", "") if version else ""
    if not text.strip():
        return None
    review = report.review
    return make_group(report, "summary", getattr(review, "language", None) or "en", text, actor)

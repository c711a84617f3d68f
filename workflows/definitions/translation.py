"""Workflow of one language version of a document kept in six languages (docs/architecture.md §4, R21, ¶35, ¶50):
draft -> translated -> published, with a way back for corrections.

The secretariat translates (edits a draft and marks it translated), then publishes or returns it for
correction. A published version is public: it is a document of the Review Group for information
purposes only. Before that, a version inside a review is seen by the review's parties and the secretariat.
The original is created already translated (it is the agreed text) and is never returned to draft.
"""

from language import _
from workflows import Workflow
from workflows import permissions as P
from workflows import roles as R
from workflows.definitions.country_review import _roles

_SEC = {P.VIEW, P.VIEW_HISTORY}


def has_text(version, request):
    """Guard of ``mark-translated``: there is a text to mark."""
    if not (version.text or "").strip():
        return _("Write the translation before marking it translated.")
    return None


def not_original(version, request):
    """Guard of ``return``: an agreed original (the text of a final report) is not changed here; the
    secretariat's own original (a thematic report) may go back to draft for correction."""
    if version.is_original and version.__parent__.agreed_original:
        return _("The original is the agreed text and is not changed here.")
    return None


def quotes_nothing_confidential(version, request):
    """Guard of ``publish`` (R23): a document that quotes country reports (a thematic report) quotes no text
    that its State has not published, or has withdrawn since the draft was written."""
    check = getattr(version.__parent__.__parent__, "confidential_in", None)
    if check is not None and check(version.text or ""):
        return _("This text quotes a part of a country review report that its State has not published or has "
                 "withdrawn: remove the quotation before publishing.")
    return None


TRANSLATION = Workflow.from_data(
    {
        "name": "translation",
        "title": _("Translation"),
        "initial": "draft",
        "states": {
            "draft": {"title": _("Draft translation"), "inherit": False,
                      "roles": _roles(sur={P.VIEW}, rev={P.VIEW}, sec=_SEC | {P.TRANSLATE})},
            "translated": {"title": _("Translated"), "inherit": False,
                           "roles": _roles(sur={P.VIEW}, rev={P.VIEW}, sec=_SEC | {P.PUBLISH_TRANSLATION})},
            "published": {"title": _("Published"), "inherit": False,
                          "roles": {R.ANONYMOUS: {P.VIEW}, **_roles(sec=_SEC | {P.PUBLISH_TRANSLATION})}},
        },
        "transitions": [
            {"name": "mark-translated", "title": _("Mark as translated"), "from": ["draft"], "to": "translated",
             "permission": P.TRANSLATE, "guard": has_text, "style": "primary"},
            {"name": "return", "title": _("Return for correction"), "from": ["translated"], "to": "draft",
             "permission": P.PUBLISH_TRANSLATION, "guard": not_original},
            {"name": "publish", "title": _("Publish"), "from": ["translated"], "to": "published",
             "permission": P.PUBLISH_TRANSLATION, "guard": quotes_nothing_confidential,
             "style": "primary"},
            {"name": "withdraw", "title": _("Withdraw from publication"), "from": ["published"], "to": "translated",
             "permission": P.PUBLISH_TRANSLATION},
        ],
    }
)

"""Structured citations of legislation and cases (ToR ¶3(c), ¶7): title, article, date, link and an optional
file, checked once here for checklist answers and report findings alike."""

from datetime import date

from content.base import MAX_WEB_ADDRESS, is_web_address
from language import _

KINDS = {"legislation": _("Legislation"), "case": _("Case")}
FIELDS = ("kind", "title", "article", "date", "url")
MAX_TITLE = 500
MAX_ARTICLE = 100
MAX_URL = MAX_WEB_ADDRESS
MAX_REFERENCES = 20  # per answer or finding


class ReferenceProblem(ValueError):
    """A citation that cannot be kept; ``message`` says why (a translation string)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def make_reference(kind, title, article="", day="", url="", file=None):
    """A checked citation as stored (a plain dict); ``ReferenceProblem`` when it cannot be kept."""
    title, article, url, day = (title or "").strip(), (article or "").strip(), (url or "").strip(), (day or "").strip()
    if kind not in KINDS:
        raise ReferenceProblem(_("Choose whether it is legislation or a case."))
    if not title:
        raise ReferenceProblem(_("Give the title of the law or the name of the case."))
    if len(title) > MAX_TITLE or len(article) > MAX_ARTICLE or len(url) > MAX_URL:
        raise ReferenceProblem(_("The title may have at most 500 characters, the article 100 and the link 2,000."))
    if url and not is_web_address(url):
        raise ReferenceProblem(_("The link must be a web address beginning with http:// or https://."))
    if day:
        try:
            day = date.fromisoformat(day).isoformat()
        except ValueError:
            raise ReferenceProblem(_("Write the date as YYYY-MM-DD.")) from None
    return {"kind": kind, "title": title, "article": article, "date": day, "url": url, "file": file or ""}


def check_count(existing):
    """Refuse one more citation where ``existing`` already has the most allowed."""
    if len(existing) >= MAX_REFERENCES:
        raise ReferenceProblem(_("At most 20 citations per answer or finding."))

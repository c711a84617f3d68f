"""Information from international and regional organizations in a review (ToR ¶26(c), ¶30): ``review/sources``,
entries with their organization, document or link, and the comments of the State under review on each."""

from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from content.attachments import Attachment
from content.base import MAX_WEB_ADDRESS, is_web_address, now
from content.events import modified
from content.folder import Folder
from content.review_parts import InReview, ReviewPart
from language import _

MAX_ORGANIZATION = 300
MAX_TITLE = 300
MAX_LINK = MAX_WEB_ADDRESS
MAX_NOTE = 5000
MAX_COMMENT = 10_000
# Who reads the sources, as their pages say: the ACL of the folder (``SOURCE_ROLES`` in
# workflows/definitions/country_review.py) decides, this only tells it.
SOURCES_AUDIENCE = _("Confidential (ToR ¶30): only the State under review, its reviewing States and the secretariat "
                     "see these sources and the comments on them.")


class BadLink(ValueError):
    """The link is not an address on the web (``message``, a translation string, says why)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def check_link(link):
    """``link`` stripped, when it is an ``http``/``https`` address with a host and no spaces; "" stays ""."""
    link = (link or "").strip()
    if not link:
        return ""
    if not is_web_address(link):
        raise BadLink(_("Give the address of the document on the web, beginning with https:// or http://."))
    return link


class SourceCommented(ValueError):
    """A source the State under review has commented on is not taken off the review."""


class OutsideSources(ReviewPart, Folder):
    """``/cycles/<id>/reviews/<ISO3>/sources``: the sources added to the review, numbered 1, 2, 3 ..."""

    type_name = "OutsideSources"
    type_title = _("Information from international and regional organizations")
    part_roles = "sources"
    audience = SOURCES_AUDIENCE

    def ordered(self):
        return sorted(self.values(), key=lambda s: int(s.__name__))

    def add_source(self, actor, state, fields, document=None):
        """Add an entry from ``fields`` (organization, title, date, link, articles, note) and ``document``
        (``(filename, bytes)`` or None); ``UploadRejected`` for a bad file, ``BadLink`` for a bad link,
        ``ValueError`` when there is neither. Nothing is stored unless everything is right."""
        link = check_link(fields.get("link"))
        attachment = Attachment(document[0], document[1], actor) if document else None
        if not link and attachment is None:
            raise ValueError("neither a link nor a document")
        source = OutsideSource(actor, state, fields.get("organization", ""), fields.get("title", ""),
                               fields.get("date"), link, fields.get("articles", ()), fields.get("note", ""))
        if attachment is not None:
            source.add("document", attachment)
        return self.add(self.next_number(), source)

    def removals(self):
        """The sources taken off the review: number, title, organization, who, for which State, when, why."""
        return list(getattr(self, "removed", None) or ())

    def remove_source(self, name, actor, state, reason):
        """Take source ``name`` off the review (added by mistake, say), recording who, when and why; refused
        (``SourceCommented``) once the State under review has commented on it: its comments stay in the review."""
        source = self[name]
        if source.comments:
            raise SourceCommented()
        if getattr(self, "removed", None) is None:
            self.removed = PersistentList()
        self.removed.append(PersistentMapping({"number": name, "title": source.title, "organization": source.organization,
                                               "who": actor, "state": state, "when": now(),
                                               "reason": (reason or "").strip()[:MAX_NOTE]}))
        self.remove(name)


class OutsideSource(InReview, Folder):
    """One source: which organization produced it, its title and date, a link and/or the document itself
    (``document``), the articles it concerns, why it is relevant, who added it and when; and the State under
    review's comments, kept as written."""

    type_name = "OutsideSource"
    type_title = _("Information from an organization")
    acl_inherit = True  # the folder's ACL, which follows the review's stage; so does the document's
    audience = SOURCES_AUDIENCE

    def __init__(self, actor, state, organization, title, date, link, articles, note):
        super().__init__()
        self.organization = organization[:MAX_ORGANIZATION]
        self._title = title[:MAX_TITLE]
        self.date = date  # of the document, or None
        self.link = link
        self.articles = tuple(articles)  # checklist section keys ("untoc-5"), may be empty
        self.note = note[:MAX_NOTE]
        self.added_by = actor
        self.added_by_state = state  # ISO3 of the reviewing State, or None for the secretariat
        self.added = now()
        self.comments = PersistentList()

    @property
    def title(self):
        return self._title

    @property
    def document(self):
        return self.get("document")

    def comment(self, actor, state, text):
        """The State under review's comment on this source; ``ValueError`` when empty."""
        text = (text or "").strip()
        if not text:
            raise ValueError("empty comment")
        comment = PersistentMapping({"who": actor, "state": state, "text": text[:MAX_COMMENT], "when": now()})
        self.comments.append(comment)
        modified(self, "comments")
        return comment

    def json_fields(self, request):
        document = self.document
        return {"organization": self.organization, "date": self.date.isoformat() if self.date else None,
                "link": self.link or None, "articles": list(self.articles), "note": self.note,
                "added_by": self.added_by, "added_by_state": self.added_by_state, "added": self.added.isoformat(),
                "document": request.resource_url(document) if document is not None else None,
                "comments": [{"who": c["who"], "state": c["state"], "text": c["text"],
                              "when": c["when"].isoformat()} for c in self.comments]}

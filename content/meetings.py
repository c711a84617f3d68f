"""Meetings of the Implementation Review Group (ToR ¶38-40, R24) at ``/group/meetings/<n>``: year, dates and
place (Vienna, ¶39), agenda, the documents before the Group (thematic reports, published executive
summaries), participating States and admitted observers, and the recommendations and conclusions it
adopts for the Conference (``/group/meetings/<n>/<k>``, each with its own workflow)."""

from datetime import date

from persistent.list import PersistentList

from content.events import modified
from content.base import Resource
from content.base import now
from content.folder import Folder
from content.localized import Localized, localized_text
from language.multilingual import LocalizedText
from language import _
from workflows import get_workflow

MAX_TEXT = 5000
# ¶39: the Group meets in Vienna.
VENUE = {"en": "Vienna", "fr": "Vienne", "es": "Viena", "ru": "Вена", "zh": "维也纳", "ar": "فيينا"}


def venue():
    """Vienna, in the six languages (a meeting's place unless the secretariat writes another)."""
    return LocalizedText(VENUE["en"], "en", **{lang: name for lang, name in VENUE.items() if lang != "en"})


class Meeting(Localized, Folder):
    """One session of the Group; its ACL is the meetings folder's (public), its recommendations have their own."""

    type_name = "Meeting"
    type_title = _("Meeting of the Implementation Review Group")
    localized_fields = {"_title": _("Title"), "place": _("Place"), "agenda": _("Agenda")}

    def __init__(self, title, year, actor):
        super().__init__()
        self._title = localized_text(title)
        self.year = int(year)
        self.start = self.end = None
        self.place = venue()
        self.agenda = PersistentList()
        self.documents = PersistentList()  # traversal paths (tuples) of documents in six languages
        self.participants = PersistentList()  # ISO3 codes of the participating States
        self.observers = PersistentList()  # names of the admitted observers (¶38)
        self.created = (actor, now())

    @property
    def title(self):
        return self._title

    def update(self, title, year, start, end, place, agenda, participants, observers, documents):
        self._title, self.year, self.start, self.end = localized_text(title), int(year), start, end
        self.place = localized_text(place)
        self.agenda[:] = [localized_text(item) for item in agenda]
        for attribute, values in (("participants", participants), ("observers", observers), ("documents", documents)):
            getattr(self, attribute)[:] = list(values)
        modified(self, "details")

    def recommendations(self):
        return sorted(self.values(), key=lambda r: r.number)

    def add_recommendation(self, kind, text, actor):
        number = len(self) + 1
        item = self.add(str(number), Recommendation(number, kind, text, actor))
        get_workflow(item).initialize(item, actor)
        return item

    def json_fields(self, request):
        return {"year": self.year, "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None, "place": self.place, "agenda": list(self.agenda),
                "participants": list(self.participants), "observers": list(self.observers),
                "documents": ["/".join(p) for p in self.documents]}


RECOMMENDATION_KINDS = {"recommendation": _("Recommendation"), "conclusion": _("Conclusion")}


class Recommendation(Localized, Resource):
    """A recommendation or conclusion of the Group for the Conference (¶40)."""

    type_name = "Recommendation"
    type_title = _("Recommendation")
    localized_fields = {"text": _("Text")}

    def __init__(self, number, kind, text, actor):
        self.number, self.kind, self.text = number, kind, localized_text(text)
        self.created = (actor, now())

    @property
    def title(self):
        return str(self.number)

    @property
    def meeting(self):
        return self.__parent__

    def json_fields(self, request):
        return {"number": self.number, "kind": self.kind, "text": self.text}


def years_without_meeting(root, today=None):
    """The years from the first year of the first cycle to this year with no meeting of the Group (¶39: at
    least one a year); empty before any cycle."""
    today = today or date.today()
    cycles = list(root["cycles"].values())
    if not cycles:
        return []
    first = min(c.first_year for c in cycles)
    held = {m.year for m in root["group"]["meetings"].values()}
    return [year for year in range(first, today.year + 1) if year not in held]

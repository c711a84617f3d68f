"""Training courses for governmental experts (ToR ¶31, R26): ``/trainings/<n>`` with dates, place, language
and materials, the experts registered for each course and who attended. The expert list shows who is trained."""

from persistent.mapping import PersistentMapping

from content.events import modified
from content.base import Resource
from content.base import now
from content.localized import Localized, localized_text
from language import LANGUAGES, _
from workflows import permissions as P

MAX_TEXT = 5000


class AlreadyRegistered(Exception):
    """The expert is on the course's list already."""


class Course(Localized, Resource):
    """One course. Registrations: ``{expert name: {"by": login, "when": datetime}}``; ``attended`` names the
    registered experts who took part. Its ACL is the trainings folder's."""

    type_name = "Course"
    type_title = _("Training course")
    localized_fields = {"_title": _("Title"), "place": _("Place"), "materials": _("Materials")}

    def __init__(self, title, start, end, place, language, materials, actor):
        self._title = localized_text(title, language)
        self.start, self.end = start, end
        self.place, self.language = localized_text(place, language), language
        self.materials = localized_text(materials, language)
        self.registrations = PersistentMapping()
        self.attended = PersistentMapping()  # expert name -> (login, when) of the record
        self.created = (actor, now())

    @property
    def title(self):
        return self._title

    @property
    def original_language(self):
        return self.language if self.language in LANGUAGES else "en"

    def register(self, expert, actor):
        """Put ``expert`` (an ``Expert``) on the course; ``AlreadyRegistered`` when it is there already."""
        if expert.__name__ in self.registrations:
            raise AlreadyRegistered(expert.__name__)
        self.registrations[expert.__name__] = {"by": actor, "when": now()}
        modified(self, "registrations")

    def record_attendance(self, names, actor):
        """The registered experts ``names`` attended (the others did not); returns how many attended."""
        self.attended.clear()
        for name in names:
            if name in self.registrations:
                self.attended[name] = (actor, now())
        modified(self, "attendance")
        return len(self.attended)

    def json_fields(self, request):
        """The course, and of its experts only those the caller may see on the expert list."""
        experts = request.root["experts"]
        visible = {n for n in self.registrations if n in experts and request.has_permission(P.VIEW, experts[n])}
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "place": self.place,
                "language": self.language, "materials": self.materials,
                "registered": sorted(visible), "attended": sorted(visible & set(self.attended))}


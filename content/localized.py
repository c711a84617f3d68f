"""Resources whose texts are written for readers in six languages: which fields hold a ``LocalizedText``,
the versions they still miss (the translator's queue), and turning old single-language values into them."""

from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from language.multilingual import LocalizedText
from workflows import permissions as P
from workflows import roles as R


def _localize(value, original):
    """``value`` with every text in it a ``LocalizedText`` (lists and mappings changed in place)."""
    if isinstance(value, LocalizedText) or value is None:
        return value
    if isinstance(value, str):
        return LocalizedText(value, original)
    if isinstance(value, (PersistentMapping, dict)):
        for key in list(value):
            value[key] = _localize(value[key], original)
        return value
    if isinstance(value, (PersistentList, list)):
        value[:] = [_localize(v, original) for v in value]
        return value
    return value


def _texts(value):
    if isinstance(value, LocalizedText):
        return [value]
    if isinstance(value, (PersistentMapping, dict)):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, (PersistentList, list, tuple)):
        return [t for v in value for t in _texts(v)]
    return []


class Localized:
    """For resources with texts in six languages. ``localized_fields`` maps each attribute to its label;
    an attribute holds a ``LocalizedText``, or a list or mapping of them (a cycle's scope, an agenda)."""

    localized_fields = {}

    def rolemap(self):
        """The resource's own role map, with the secretariat able to translate its texts in every state (a
        decision adopted long ago still gets its Arabic version)."""
        rolemap, inherit = super().rolemap()
        return {**rolemap, R.SECRETARIAT: set(rolemap.get(R.SECRETARIAT, ())) | {P.TRANSLATE}}, inherit

    @property
    def original_language(self):
        """The language its texts are first written in (a course's language; else English)."""
        return "en"

    def localized_texts(self):
        """``[(label, LocalizedText)]`` of every text of the resource."""
        return [(label, text) for attribute, label in self.localized_fields.items()
                for text in _texts(getattr(self, attribute, None))]

    def missing_translations(self, lang):
        """``[(label, LocalizedText)]`` of its texts that have no version in ``lang``."""
        return [(label, text) for label, text in self.localized_texts() if lang in text.missing()]

    def localize_fields(self):
        """Make every text of the resource a ``LocalizedText`` in its original language (evolve step 12)."""
        for attribute in self.localized_fields:
            value = getattr(self, attribute, None)
            setattr(self, attribute, _localize(value, self.original_language))


def localized_text(value, original="en"):
    """``value`` as a ``LocalizedText`` (scripts and forms pass plain text in ``original``)."""
    return LocalizedText.of(value, original)


def localized_resources(root):
    """Every resource with texts in six languages: cycles, the Conference's decisions, the Group's meetings
    and their recommendations and conclusions, training courses (a walk of a few hundred objects at most)."""
    yield from root["cycles"].values()
    yield from root["conference"].values()
    for meeting in root["group"]["meetings"].values():
        yield meeting
        yield from meeting.values()
    yield from root["trainings"].values()

"""The states registry: ``/states/<ISO3>`` with names, regional group, legal system and treaty status."""

from datetime import datetime, timezone

from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from content.events import modified
from content.base import Resource
from content.folder import Folder
from language import LANGUAGES, _
from language.names import StateName, bare
from workflows import permissions as P
from workflows import roles as R

INSTRUMENTS = ("UNTOC", "TIP", "SOM", "FIR")
INSTRUMENT_TITLES = {
    "UNTOC": _("United Nations Convention against Transnational Organized Crime"),
    "TIP": _("Trafficking in Persons Protocol"),
    "SOM": _("Smuggling of Migrants Protocol"),
    "FIR": _("Firearms Protocol"),
}
INSTRUMENT_SHORT = {"UNTOC": _("Convention"), "TIP": _("Trafficking in Persons Protocol"),
                    "SOM": _("Smuggling of Migrants Protocol"), "FIR": _("Firearms Protocol")}

REGIONAL_GROUPS = {
    "African": _("African States"),
    "Asia-Pacific": _("Asia-Pacific States"),
    "Eastern European": _("Eastern European States"),
    "Latin American and Caribbean": _("Latin American and Caribbean States"),
    "Western European and Others": _("Western European and other States"),
}
LEGAL_SYSTEMS = {
    "civil": _("Civil law"),
    "common": _("Common law"),
    "mixed": _("Mixed legal system"),
    "islamic": _("Islamic law"),
    "customary": _("Customary law"),
}
STATUSES = {"party": _("Party"), "signatory": _("Signatory"), "none": _("Not a party")}
KINDS = {"state": _("State"), "reio": _("Regional economic integration organization")}
CONSENT_TYPES = {
    "ratification": _("Ratification"),
    "acceptance": _("Acceptance"),
    "approval": _("Approval"),
    "accession": _("Accession"),
    "succession": _("Succession"),
}
# Fields of a participation record, in display order.
PARTICIPATION_FIELDS = ("status", "signature_date", "consent_date", "consent_type")
# Provenance kept with each participation record (shipped data and imports).
PARTICIPATION_PARTS = PARTICIPATION_FIELDS + ("source", "as_of")
# Names in UNTERM form, short ("Bénin (le)": the article in parentheses) and formal, in each language.
STATE_FIELDS = (
    tuple(f"name_{lang}" for lang in LANGUAGES)
    + tuple(f"formal_{lang}" for lang in LANGUAGES)
    + ("iso2", "un_member", "regional_group", "legal_system", "legal_system_detail", "kind")
)


class StatesFolder(Folder):
    """``/states``: public registry of states and other possible parties; the secretariat corrects it."""

    type_name = "States"
    type_title = _("States")
    role_permissions = {
        R.ANONYMOUS: {P.VIEW},
        R.SECRETARIAT: {P.VIEW, P.EDIT_STATES, P.VIEW_HISTORY},
        R.ADMINISTRATOR: {P.VIEW, P.EDIT_STATES, P.VIEW_HISTORY},
    }

    @property
    def title(self):
        return self.type_title

    def by_group(self):
        """``{group key: [State, ...]}`` in registry order; ``""`` for states outside any group."""
        groups = {}
        for state in self.values():
            groups.setdefault(state.regional_group or "", []).append(state)
        return groups


class State(Resource):
    """One state (or the EU as a regional economic integration organization) in the registry.

    Every change, by form or by import, is appended to ``changes`` (who, when, field, old, new, source).
    """

    type_name = "State"
    type_title = _("State")

    def __init__(self, iso3):
        self.iso3 = iso3
        self.iso2 = ""
        self.names = PersistentMapping()  # UN short names in UNTERM form, "Bénin (le)"
        self.formal_names = PersistentMapping()
        self.un_member = False
        self.regional_group = ""
        self.legal_system = ""
        self.legal_system_detail = ""
        self.kind = "state"
        self.participation = PersistentMapping()
        self.changes = PersistentList()

    formal_names = {}  # until evolve step 11 gives the state its own mapping

    @property
    def title(self):
        return self.name("en")

    def name(self, lang):
        """The state's UN short name in ``lang`` as lists show it ("Bénin"), falling back to English."""
        return bare(self.names.get(lang) or self.names.get("en")) or self.iso3

    def formal_name(self, lang):
        """The state's UN formal name in ``lang`` ("la République du Bénin"), or its short name."""
        return self.formal_names.get(lang) or self.name(lang)

    def name_value(self):
        """The names for a message's mapping: each language's translation writes ``${state}``,
        ``${the_state}`` or ``${of_state}`` ("Examen du Bénin"); see ``language.names``."""
        return StateName({lang: self.names.get(lang) or self.names.get("en") or self.iso3 for lang in LANGUAGES},
                         self.iso3)

    def status(self, instrument):
        """``party``, ``signatory`` or ``none`` for one instrument code."""
        return (self.participation.get(instrument) or {}).get("status", "none")

    def is_party(self, instrument="UNTOC"):
        return self.status(instrument) == "party"

    # -- reading and writing fields by their flat names (forms and CSV share these) --------

    def get_field(self, field):
        """Value of a flat field name: ``name_fr``, ``regional_group``, ``TIP_consent_date``..."""
        if field.startswith("name_"):
            return self.names.get(field[5:], "")
        if field.startswith("formal_"):
            return self.formal_names.get(field[7:], "")
        instrument, _sep, part = field.partition("_")
        if instrument in INSTRUMENTS and part in PARTICIPATION_PARTS:
            record = self.participation.get(instrument) or {}
            return record.get(part, "none" if part == "status" else "")
        return getattr(self, field)

    def set_field(self, field, value, actor, source):
        """Set a flat field; record and return the change, or None when the value is unchanged."""
        old = self.get_field(field)
        if old == value:
            return None
        if field.startswith("name_"):
            self.names[field[5:]] = value
        elif field.startswith("formal_"):
            if not isinstance(self.formal_names, PersistentMapping):  # the class's empty default
                self.formal_names = PersistentMapping()
            self.formal_names[field[7:]] = value
        elif field.split("_", 1)[0] in INSTRUMENTS:
            instrument, part = field.split("_", 1)
            record = dict(self.participation.get(instrument) or {"status": "none"})
            record[part] = value
            self.participation[instrument] = record
        else:
            setattr(self, field, value)
        change = {
            "when": datetime.now(timezone.utc),
            "who": actor,
            "field": field,
            "old": old,
            "new": value,
            "source": source,
        }
        self.changes.append(change)
        modified(self, field)
        return change

    def json_fields(self, request):
        return {
            "iso3": self.iso3,
            "iso2": self.iso2,
            "names": {lang: self.name(lang) for lang in self.names},
            "names_unterm": dict(self.names),
            "formal_names": dict(self.formal_names),
            "un_member": self.un_member,
            "kind": self.kind,
            "regional_group": self.regional_group or None,
            "legal_system": self.legal_system or None,
            "participation": {i: dict(self.participation.get(i) or {"status": "none"}) for i in INSTRUMENTS},
        }


def participation_fields():
    """All flat participation field names, e.g. ``UNTOC_status``."""
    return tuple(f"{i}_{p}" for i in INSTRUMENTS for p in PARTICIPATION_FIELDS)

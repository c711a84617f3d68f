"""The secretariat's record of technical assistance provided against the needs found in final country review
reports (ToR ¶41, with ¶11 and ¶34), at ``/technical-assistance``: one entry per need, its history kept."""

from BTrees.OOBTree import OOBTree
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from content.events import modified
from content.base import Resource
from content.base import now
from language import _
from workflows import permissions as P
from workflows import roles as R

STATUSES = {
    "open": _("Not yet addressed"),
    "planned": _("Assistance planned"),
    "under-way": _("Assistance under way"),
    "provided": _("Assistance provided"),
}
MAX_NOTE = 2000
MAX_PROVIDER = 300


def technical_assistance_needs(root):
    """``[(cycle, review, finding)]``: every technical assistance need of a final report, newest cycle first,
    States in code order within a cycle (never ordered by how many needs they have, R22)."""
    rows = []
    for cycle in sorted(root["cycles"].values(), key=lambda c: (-c.first_year, c.__name__)):
        for review in cycle.final_reviews():
            rows.extend((cycle, review, f) for f in review["report"].findings() if f["kind"] == "ta-need")
    return rows


class TechnicalAssistanceRecord(Resource):
    """``/technical-assistance``: for each need (``cycle/ISO3/finding id``), what the secretariat recorded, newest
    last. Confidential like the reports the needs come from: the secretariat alone reads and writes it."""

    type_name = "TechnicalAssistance"
    type_title = _("Technical assistance provided")
    acl_inherit = False
    role_permissions = {R.SECRETARIAT: {P.VIEW, P.EDIT}}

    def __init__(self):
        self.entries = OOBTree()

    @property
    def title(self):
        return self.type_title

    @staticmethod
    def key(cycle, review, finding):
        return f"{cycle.__name__}/{review.state}/{finding['id']}"

    def history(self, key):
        return list(self.entries.get(key, ()))

    def current(self, key):
        entries = self.entries.get(key)
        return entries[-1] if entries else None

    def record(self, key, status, provider, note, actor, language="en"):
        """Add an entry to the history of the need ``key``; ``language`` is the one its note is written in."""
        if status not in STATUSES:
            raise ValueError(status)
        if key not in self.entries:
            self.entries[key] = PersistentList()
        self.entries[key].append(PersistentMapping(status=status, provider=provider, note=note, who=actor,
                                                   when=now(), language=language))
        modified(self, key)

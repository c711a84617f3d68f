"""One drawing of lots at ``/cycles/<id>/draws/<n>`` (R12): kind, inputs snapshot, seed commitment,
seed (revealed after the draw), algorithm, result, who ran it, and the decisions about it."""

import json

from persistent.list import PersistentList

from content.base import Resource
from content.base import decision, now
from draws import seeds
from language import _
from workflows import permissions as P
from workflows import roles as R

KINDS = {"selection": _("Selection of the states under review"), "reviewers": _("Drawing of the reviewing States")}


class DrawRecord(Resource):
    """Prepared with a secret seed whose hash is published at once; run later, which reveals the seed.

    The seed never leaves the object before the draw is run (views and ``@@json`` show only the
    commitment), so nobody can fish for a convenient result. Inputs and result are stored as JSON
    text, exactly what ``portal-draw verify`` re-runs.
    """

    type_name = "Draw"
    type_title = _("Drawing of lots")
    role_permissions = {
        R.ANONYMOUS: {P.VIEW},
        R.SECRETARIAT: {P.VIEW, P.MANAGE_CYCLES},
        R.ADMINISTRATOR: {P.VIEW},
    }

    def __init__(self, kind, year, inputs, actor, redraw_of=None):
        self.kind = kind
        self.year = year
        self.redraw_of = redraw_of  # ISO3 of the state under review whose reviewers are redrawn (R8)
        self.inputs_json = json.dumps(inputs, sort_keys=True, ensure_ascii=False)
        self._seed = seeds.new_seed()
        self.seed_commitment = seeds.commitment(self._seed)
        self.revealed = False
        self.algorithm = ""
        self.result_json = ""
        self.failure = ""
        self.prepared_by = actor
        self.prepared_at = now()
        self.ran_by = None
        self.ran_at = None
        self.superseded_by = None  # name of a later redraw that replaced this result
        self.decisions = PersistentList()

    @property
    def title(self):
        return self.__name__ or ""

    @property
    def inputs(self):
        return json.loads(self.inputs_json)

    @property
    def result(self):
        return json.loads(self.result_json) if self.result_json else None

    @property
    def seed(self):
        """The seed, only once the draw has been run."""
        return self._seed if self.revealed else None

    def run(self, actor, runner):
        """Run the draw with ``runner(kind, inputs, seed) -> (algorithm, result)`` and reveal the seed.

        Whatever happens, the seed is revealed: a failed draw cannot be retried with the same
        commitment in the hope of a different outcome.
        """
        self.ran_by, self.ran_at, self.revealed = actor, now(), True
        algorithm, result = runner(self.kind, self.inputs, self._seed)
        self.algorithm = algorithm
        self.result_json = json.dumps(result, sort_keys=True, ensure_ascii=False)
        return result

    def add_decision(self, actor, kind, **fields):
        self.decisions.append(decision(actor, kind=kind, **fields))

    def record(self):
        """The whole record as ``portal-draw verify`` reads it (and ``@@json`` shows it)."""
        return {
            "kind": self.kind,
            "year": self.year,
            "redraw_of": self.redraw_of,
            "inputs": self.inputs,
            "seed_commitment": self.seed_commitment,
            "seed": self.seed,
            "algorithm": self.algorithm,
            "result": self.result,
            "failure": self.failure,
            "prepared_by": self.prepared_by,
            "prepared_at": self.prepared_at.isoformat(),
            "ran_by": self.ran_by,
            "ran_at": self.ran_at.isoformat() if self.ran_at else None,
            "superseded_by": self.superseded_by,
            "decisions": [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in d.items()}
                          for d in self.decisions],
        }

    def json_fields(self, request):
        return self.record()

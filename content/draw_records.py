"""One drawing of lots at ``/cycles/<id>/draws/<n>`` (R12): kind, inputs snapshot, seed commitment,
seed (revealed after the draw), algorithm, result, who ran it, and the decisions about it."""

import json

from persistent.list import PersistentList

from content.base import Resource
from content.base import decision, now
from draws import seeds
from language import _, from_data, to_data
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
    running_since = None  # set while the engine works outside any transaction (portal/draw_runner.py)
    running_by = None
    failure_json = ""  # the failure's paragraphs as translation-string data (language.to_data), to show translated
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

    def start(self, actor, when):
        """The engine starts: nobody may start it again until it finishes (or is found stale)."""
        self.running_since, self.running_by = when, actor

    def finish(self, actor, algorithm=None, result=None, failure="", paragraphs=()):
        """Store the engine's outcome and reveal the seed, in one commit: a result, or a failure explained in
        English (``failure``) and as translation strings (``paragraphs``: lists of ``language.to_data``).

        Whatever happens, the seed is revealed: a failed draw cannot be retried with the same
        commitment in the hope of a different outcome.
        """
        self.ran_by, self.ran_at, self.revealed = actor, now(), True
        self.running_since = self.running_by = None
        self.algorithm = algorithm or ""
        self.result_json = json.dumps(result, sort_keys=True, ensure_ascii=False) if result is not None else ""
        self.failure = failure
        self.failure_json = json.dumps([[to_data(m) for m in p] for p in paragraphs], ensure_ascii=False) \
            if paragraphs else ""

    def failure_paragraphs(self):
        """The failure as lists of translation strings (records made before they were kept: the English text)."""
        if self.failure_json:
            return [[from_data(m) for m in p] for p in json.loads(self.failure_json)]
        return [[line] for line in self.failure.splitlines()] if self.failure else []

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
            "running_since": self.running_since.isoformat() if self.running_since else None,
            "superseded_by": self.superseded_by,
            "decisions": [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in d.items()}
                          for d in self.decisions],
        }

    def json_fields(self, request):
        return self.record()

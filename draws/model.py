"""What the draw engine works on: parties, a cycle's settings, relaxations, and its errors.

Pure data, no database: the portal builds these from its registry and cycle, ``portal-draw``
from a CSV file. Each has ``to_json`` / ``from_json`` so a draw record keeps an exact snapshot.
"""

from dataclasses import dataclass, field

from language import in_english

INSTRUMENTS = ("UNTOC", "TIP", "SOM", "FIR")
CONVENTION = "UNTOC"
NO_GROUP = "none"
DEFAULT_MAX_REVIEWS = 3  # ToR ¶20 footnote: "to be revisited"
DEFAULT_MAX_REDRAWS = 2  # ToR ¶19


class DrawError(ValueError):
    """Bad input to the engine: ``message`` says what is wrong, in English, for logs and the CLI.

    ``code`` names the kind of error and ``mapping`` its values, so the portal can show a
    translated message for the same fault.
    """

    def __init__(self, message, code="invalid", **mapping):
        super().__init__(message)
        self.message = message
        self.code = code
        self.mapping = mapping


class Infeasible(Exception):
    """No draw satisfies the rules. ``collisions`` lists what collides and what may be relaxed.

    ``text`` is a translation string; ``message`` the same in English (for logs and the command line).
    """

    def __init__(self, text, collisions=()):
        self.text = text
        self.message = in_english(text)
        super().__init__(self.message)
        self.collisions = list(collisions)

    def explain(self, translate=in_english):
        """A readable explanation, one collision per paragraph; in a reader's language with ``translate``."""
        lines = [translate(self.text)]
        for c in self.collisions:
            lines.append(f"- {c.explain(translate)}")
        return "\n".join(lines)

    def paragraphs(self):
        """The explanation as lists of translation strings, one list per paragraph (kept in a draw record)."""
        return [[self.text]] + [c.parts() for c in self.collisions]


@dataclass(frozen=True)
class Party:
    """A state that can be reviewed (and, if a party, review): ISO3, group, legal system, instruments.

    ``instruments`` are those it is party to (a signatory: none). ``group`` is ``None`` for states
    outside any regional group (the EU, the Holy See, the Cook Islands, Niue in the shipped data).
    """

    iso3: str
    group: str | None
    legal_system: str | None
    instruments: frozenset
    status: str = "party"  # "party" or "signatory" (of the Convention)

    @property
    def is_party(self):
        return self.status == "party"

    def reviewed_for(self):
        """The instruments its review covers: all it is party to; a volunteering signatory, the Convention only (R4)."""
        if self.is_party:
            return tuple(i for i in INSTRUMENTS if i in self.instruments)
        return (CONVENTION,)

    def to_json(self):
        return {
            "iso3": self.iso3,
            "regional_group": self.group or "",
            "legal_system": self.legal_system or "",
            "instruments": [i for i in INSTRUMENTS if i in self.instruments],
            "status": self.status,
        }

    @classmethod
    def from_json(cls, data):
        return cls(
            iso3=data["iso3"],
            group=data.get("regional_group") or None,
            legal_system=data.get("legal_system") or None,
            instruments=frozenset(data.get("instruments") or ()),
            status=data.get("status", "party"),
        )


@dataclass(frozen=True)
class Relaxation:
    """An explicit, recorded exception to one rule for named states (never applied silently).

    ``R6:ISO3``   ISO3's reviewers need not include one from its regional group;
    ``R7:AAA+BBB`` AAA and BBB may review each other in this cycle.
    """

    rule: str
    states: tuple

    KINDS = ("R6", "R7")

    def __post_init__(self):
        # A pair is the same pair in either order: keep one spelling, so comparisons never miss it.
        object.__setattr__(self, "states", tuple(sorted(self.states)))

    @property
    def code(self):
        return f"{self.rule}:{'+'.join(self.states)}"

    @classmethod
    def parse(cls, text):
        rule, _, rest = text.strip().partition(":")
        rule = rule.upper()
        states = tuple(sorted(s.strip().upper() for s in rest.split("+") if s.strip()))
        if rule == "R6" and len(states) == 1:
            return cls(rule, states)
        if rule == "R7" and len(states) == 2 and states[0] != states[1]:
            return cls(rule, states)
        raise DrawError(
            f"unknown relaxation {text!r}: write R6:ISO3 (no same-region reviewer needed) "
            "or R7:ISO3+ISO3 (these two may review each other)",
            code="relaxation", value=text,
        )


@dataclass
class Settings:
    """A cycle's settings that the draws obey (¶44, ¶19, ¶20)."""

    max_reviews: int = DEFAULT_MAX_REVIEWS
    max_redraws: int = DEFAULT_MAX_REDRAWS
    relaxations: list = field(default_factory=list)

    def waives_region(self, iso3):
        return any(r.rule == "R6" and r.states == (iso3,) for r in self.relaxations)

    def allows_mutual(self, a, b):
        pair = tuple(sorted((a, b)))
        return any(r.rule == "R7" and r.states == pair for r in self.relaxations)

    def to_json(self):
        return {
            "max_reviews": self.max_reviews,
            "max_redraws": self.max_redraws,
            "relaxations": [r.code for r in self.relaxations],
        }

    @classmethod
    def from_json(cls, data):
        return cls(
            max_reviews=int(data.get("max_reviews", DEFAULT_MAX_REVIEWS)),
            max_redraws=int(data.get("max_redraws", DEFAULT_MAX_REDRAWS)),
            relaxations=[Relaxation.parse(t) for t in data.get("relaxations", ())],
        )


@dataclass(frozen=True)
class Assignment:
    """Two (or, for a Protocol the main pair cannot cover, other) reviewers of one state for one instrument."""

    year: int
    under_review: str
    instrument: str
    reviewers: tuple

    def to_json(self):
        return {"year": self.year, "under_review": self.under_review, "instrument": self.instrument,
                "reviewers": list(self.reviewers)}

    @classmethod
    def from_json(cls, data):
        return cls(int(data["year"]), data["under_review"], data["instrument"], tuple(sorted(data["reviewers"])))


def index_parties(parties):
    """``{iso3: Party}``, refusing a duplicate ISO3 code."""
    index = {}
    for p in parties:
        if p.iso3 in index:
            raise DrawError(f"{p.iso3} is listed twice", code="duplicate", iso3=p.iso3)
        index[p.iso3] = p
    return index

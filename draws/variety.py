"""Generated party lists that differ from today's registry in plausible ways, for the draw's property
tests and its benchmark: how many parties, how unequal the regional groups, how legal systems and
Protocol ratifications are spread, signatories that volunteer, states that defer.
"""

import random
from dataclasses import dataclass, field

from draws import diagnose
from draws.model import CONVENTION, Party, Relaxation, Settings

REAL_GROUPS = (("African", 54), ("Asia-Pacific", 52), ("Latin American and Caribbean", 33),
               ("Western European and Others", 29), ("Eastern European", 23))
LEGAL_SYSTEMS = ("civil", "common", "mixed", "islamic", "customary")
PROTOCOLS = ("TIP", "SOM", "FIR")


@dataclass
class Variety:
    """One generated input: the parties (signatories included), volunteers and deferrals by year offset."""

    parties: list
    volunteers: list = field(default_factory=list)
    deferrals: dict = field(default_factory=dict)  # {year offset: {iso3}}
    description: str = ""


def _codes(n):
    """``n`` distinct made-up ISO3-shaped codes, stable for a given ``n``."""
    out = []
    for i in range(n):
        a, b, c = i // 676, (i // 26) % 26, i % 26
        out.append("Q" + chr(65 + (a * 7 + b) % 26) + chr(65 + c) if a == 0 else chr(65 + a) + chr(65 + b) + chr(65 + c))
    return out


def group_sizes(rng, n, unequal):
    """Sizes of the five groups adding up to ``n``: the real proportions, or (``unequal`` in 0..1) skewed
    toward one group, never below 5 members per group."""
    weights = [size for _, size in REAL_GROUPS]
    if unequal:
        big = rng.randrange(len(weights))
        weights = [w * (1 + 6 * unequal) if i == big else w * (1 - 0.8 * unequal) for i, w in enumerate(weights)]
    total = sum(weights)
    sizes = [max(5, int(n * w / total)) for w in weights]
    while sum(sizes) < n:
        sizes[rng.randrange(len(sizes))] += 1
    while sum(sizes) > n:
        i = max(range(len(sizes)), key=lambda k: sizes[k])
        sizes[i] -= 1
    return sizes


def generate(seed, n=None, unequal=None, ratification=None, volunteers=None, deferrals=None, signatories=2):
    """A generated input from ``seed``; any argument left ``None`` is drawn at random within the ranges
    the property tests cover (150-250 parties, Protocols ratified by 5-100 %)."""
    rng = random.Random(seed)
    n = rng.randint(150, 250) if n is None else n
    unequal = rng.choice((0.0, 0.0, 0.3, 0.6, 0.9)) if unequal is None else unequal
    if ratification is None:
        ratification = [rng.choice((0.05, 0.3, 0.6, 0.8, 0.9, 1.0)) for _ in PROTOCOLS]
    legal_weights = [rng.random() ** 2 for _ in LEGAL_SYSTEMS]
    codes = _codes(n + signatories)
    parties = []
    k = 0
    for (group, _), size in zip(REAL_GROUPS, group_sizes(rng, n, unequal)):
        for _ in range(size):
            legal = rng.choices(LEGAL_SYSTEMS, legal_weights)[0]
            instruments = {CONVENTION} | {p for p, share in zip(PROTOCOLS, ratification) if rng.random() < share}
            parties.append(Party(codes[k], group, legal, frozenset(instruments)))
            k += 1
    signatory_codes = []
    for _ in range(signatories):
        group = rng.choice(REAL_GROUPS)[0]
        parties.append(Party(codes[k], group, rng.choice(LEGAL_SYSTEMS), frozenset(), "signatory"))
        signatory_codes.append(codes[k])
        k += 1
    volunteers = rng.random() < 0.5 if volunteers is None else volunteers
    chosen = signatory_codes[:1] if volunteers and signatory_codes else []
    deferring = rng.random() < 0.5 if deferrals is None else deferrals
    by_year = {}
    if deferring:
        members = [p.iso3 for p in parties if p.is_party]
        for offset in range(5):
            by_year[offset] = set(rng.sample(members, rng.randint(1, 4)))
    text = (f"{n} parties, groups {'real' if not unequal else f'skewed {unequal}'}, Protocols ratified "
            f"{'/'.join(f'{int(r * 100)}%' for r in ratification)}, {'a volunteer' if chosen else 'no volunteer'}, "
            f"{'deferrals' if by_year else 'no deferral'}")
    return Variety(parties, chosen, by_year, text)


def with_offered_relaxations(index, reviewed, max_reviews=3, rounds=5, schedule=None, deferrals=None):
    """The settings a secretariat reaches by recording the relaxations the collisions offer (round after
    round: one can reveal the next), or ``None`` when a collision offers none (the input must change).
    With ``schedule`` and ``deferrals``, the collisions of deferrals (R9) count too."""
    codes = set()
    for _round in range(rounds):
        chosen = Settings(max_reviews=max_reviews, relaxations=[Relaxation.parse(c) for c in sorted(codes)])
        found = diagnose.collisions(index, reviewed, chosen)
        if schedule is not None:
            found += diagnose.deferral_collisions(index, schedule, chosen, deferrals or {})
        if not found:
            return chosen
        if any(not c.relaxations for c in found):
            return None
        codes |= {code for c in found for code in c.relaxations[:c.needed]}
    return None

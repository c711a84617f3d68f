"""The selection draw at the start of a cycle (R2, ToR ¶14): which states are reviewed in which year.

Within each regional group the states are put in a random order drawn from the seed (starting from
their ISO3 order, so the input's order does not matter), then the first ones fill the group's
places in the first year, the next ones the second year, and so on, as apportioned by
``draws.apportionment``. The same seed and the same parties give the same draw (R12).
"""

import random
from dataclasses import dataclass

from draws.apportionment import apportion_cycle, apportion_table, even_spread

ALGORITHM = ("selection-v2: controlled rounding of the year and group table (CP-SAT, one worker); "
             "seeded shuffle within groups")
# Older versions, kept so that their records still verify (``portal-draw verify``).
APPORTIONMENTS = {
    ALGORITHM: apportion_table,
    "selection-v1: cumulative largest remainder per regional group; seeded shuffle within groups": apportion_cycle,
}
NO_GROUP = "none"


@dataclass
class Selection:
    """The outcome: ``years`` maps each year to the ISO3 codes drawn for it, alphabetically (never ranked)."""

    seed: int
    algorithm: str
    years: dict
    apportionment: list


def draw_selection(parties, first_year, years, seed, yearly_totals=None, algorithm=ALGORITHM):
    """Draw the years of review for ``parties``, a mapping ISO3 -> regional group (or None).

    ``yearly_totals`` is the Conference's number of reviews per year; by default an even spread.
    ``algorithm`` names the version to run (one of ``APPORTIONMENTS``: an older one to verify its record).
    """
    if algorithm not in APPORTIONMENTS:
        raise ValueError(f"unknown selection algorithm {algorithm!r}")
    if len(set(parties)) != len(parties):
        raise ValueError("a state is listed twice")
    groups = {}
    for iso3 in sorted(parties):
        groups.setdefault(parties[iso3] or NO_GROUP, []).append(iso3)
    totals = list(yearly_totals) if yearly_totals is not None else even_spread(len(parties), years)
    if len(totals) != years:
        raise ValueError(f"{len(totals)} yearly numbers given for a cycle of {years} years")
    rng = random.Random(seed)
    shares = APPORTIONMENTS[algorithm]({g: len(m) for g, m in groups.items()}, totals, first_year, rng)
    order = {}
    for group in sorted(groups):
        members = list(groups[group])
        rng.shuffle(members)
        order[group] = members
    drawn = {share.year: [] for share in shares}
    taken = {group: 0 for group in groups}
    for share in shares:
        for group, count in share.seats.items():
            drawn[share.year] += order[group][taken[group]: taken[group] + count]
            taken[group] += count
    return Selection(seed=seed, algorithm=algorithm, years={y: sorted(s) for y, s in drawn.items()}, apportionment=shares)

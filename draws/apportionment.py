"""How many states of each regional group are reviewed in each year of a cycle (R2, ToR ¶14).

Each group's share is proportionate to its number of states parties.

**Controlled rounding** (``apportion_table``, the selection draw since ``selection-v2``). The year ×
group table of exact shares ``s × T_y / N`` (a group of s states out of N, T_y the reviews of year y)
is rounded cell by cell, each cell down or up, so that every year keeps its total, every group has all
its states reviewed once in the cycle (R1), and by the end of every year every group is within one of
its cumulative due figure too. Such a rounding always exists: the rows and the groups' running totals
are two nested families of sums, whose constraint matrix is totally unimodular, and the exact table is
a fractional solution. Among the roundings, the cells with the largest remainders round up (weighed
exactly), and equal remainders are settled by the draw's seeded lot; CP-SAT finds that rounding.

**Cumulative largest remainder** (``apportion_cycle``, ``selection-v1``, kept to verify older
records). We apportion *cumulatively*:
after year k, a group of size s has had ``s × C_k / N`` reviews "due" (C_k the reviews of years
1..k, N all states). Its count so far is that due figure rounded down or up, and never smaller
than the year before. Which groups round up is decided by the largest remainder (Hamilton);
equal remainders are settled by lot with the draw's seeded generator. So year 1 is exactly the
largest-remainder apportionment, every group is within one review of its due share at the end of
every year, and at the end of the cycle every state has been counted exactly once (R1). Each
year's record keeps the quotas and the reasons, so the secretariat can show the arithmetic.
"""

from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil, floor

from ortools.sat.python import cp_model


@dataclass
class GroupLine:
    """One group in one year: the exact due figure, where it was rounded, and why."""

    group: str
    size: int
    due: Fraction  # cumulative reviews due by the end of the year
    floor: int
    reviewed_before: int
    reviewed_by_end: int
    reason: str  # v1: "floor", "largest remainder", "kept from last year", "whole"; v2: "down", "up", "whole"
    share: Fraction = None  # v2: the group's exact share of this year's reviews

    @property
    def this_year(self):
        return self.reviewed_by_end - self.reviewed_before


@dataclass
class YearShare:
    """One year's apportionment."""

    year: int
    total: int
    cumulative_total: int
    lines: list = field(default_factory=list)
    tie_broken_by_lot: bool = False

    @property
    def seats(self):
        return {line.group: line.this_year for line in self.lines}


def _checked_total(group_sizes, yearly_totals):
    """The number of states to be reviewed; ValueError for negative figures or yearly totals that differ."""
    if any(n < 0 for n in group_sizes.values()):
        raise ValueError("a group cannot have a negative number of states")
    if any(t < 0 for t in yearly_totals):
        raise ValueError("a year cannot have a negative number of reviews")
    total = sum(group_sizes.values())
    if sum(yearly_totals) != total:
        raise ValueError(f"the yearly numbers add up to {sum(yearly_totals)}, but {total} states are to be reviewed")
    return total


def even_spread(total, years):
    """``years`` yearly totals that differ by at most one and add up to ``total`` (earlier years take the extra)."""
    if years <= 0:
        raise ValueError("a cycle has at least one year")
    base, extra = divmod(total, years)
    return [base + (1 if i < extra else 0) for i in range(years)]


def apportion_cycle(group_sizes, yearly_totals, first_year, rng):
    """Reviews per year and regional group for a whole cycle: a list of ``YearShare``.

    ``group_sizes`` maps each group (the caller names a group for states outside any) to the number
    of its states to be reviewed in the cycle; ``yearly_totals`` must add up to their sum.
    ``rng`` is the draw's ``random.Random``: one number is drawn per group and year, always in the
    same order, so the record reproduces from the seed.
    """
    total = _checked_total(group_sizes, yearly_totals)
    groups = sorted(group_sizes)
    before = {g: 0 for g in groups}
    cumulative = 0
    shares = []
    for offset, year_total in enumerate(yearly_totals):
        cumulative += year_total
        due = {g: Fraction(group_sizes[g] * cumulative, total) if total else Fraction(0) for g in groups}
        low = {g: max(floor(due[g]), before[g]) for g in groups}
        high = {g: min(ceil(due[g]), group_sizes[g]) for g in groups}
        left = cumulative - sum(low.values())
        lot = {g: rng.random() for g in groups}
        candidates = sorted((g for g in groups if high[g] > low[g]), key=lambda g: (-(due[g] - floor(due[g])), lot[g]))
        if left < 0 or left > len(candidates):  # cannot happen for valid input; never bend silently
            raise RuntimeError(f"apportionment infeasible in year {first_year + offset}")
        up = set(candidates[:left])
        tie = 0 < left < len(candidates) and (due[candidates[left - 1]] - floor(due[candidates[left - 1]])) == (
            due[candidates[left]] - floor(due[candidates[left]])
        )
        lines = []
        for g in groups:
            end = low[g] + (1 if g in up else 0)
            if due[g] == int(due[g]):
                reason = "whole"
            elif g in up:
                reason = "largest remainder"
            elif low[g] > floor(due[g]):
                reason = "kept from last year"
            else:
                reason = "floor"
            lines.append(GroupLine(g, group_sizes[g], due[g], floor(due[g]), before[g], end, reason))
            before[g] = end
        shares.append(YearShare(first_year + offset, year_total, cumulative, lines, tie))
    return shares


LOT = 2**20  # the lot's weights: below one unit of remainder, so it only settles equal remainders


def apportion_table(group_sizes, yearly_totals, first_year, rng):
    """Reviews per year and regional group by controlled rounding of the table of exact shares (see the
    module's docstring): a list of ``YearShare`` whose lines carry each cell's exact ``share``.

    ``rng`` is the draw's ``random.Random``: one number per year and group, years in order and groups in
    alphabetical order, so the record reproduces from the seed.
    """
    total = _checked_total(group_sizes, yearly_totals)
    groups = sorted(group_sizes)
    years = range(len(yearly_totals))
    share = {(y, g): Fraction(group_sizes[g] * yearly_totals[y], total) if total else Fraction(0)
             for y in years for g in groups}
    lot = {(y, g): rng.randrange(LOT) for y in years for g in groups}
    model = cp_model.CpModel()
    up = {}
    for cell, exact in share.items():
        if exact.denominator != 1:
            up[cell] = model.new_bool_var(f"up_{cell[0]}_{cell[1]}")

    def count(cell):
        return floor(share[cell]) + up.get(cell, 0)

    for y in years:
        model.add(sum(count((y, g)) for g in groups) == yearly_totals[y])
    for g in groups:
        model.add(sum(count((y, g)) for y in years) == group_sizes[g])
        for k in years:
            due = sum((share[(y, g)] for y in range(k + 1)), Fraction(0))
            done = sum(count((y, g)) for y in range(k + 1))
            model.add(done >= floor(due))
            model.add(done <= ceil(due))
    # Remainders weighed exactly: each is a multiple of 1/total, so total x remainder is a whole number.
    model.maximize(sum(var * ((share[cell] - floor(share[cell])) * total * LOT + lot[cell])
                       for cell, var in up.items()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 30.0
    if solver.solve(model) != cp_model.OPTIMAL:  # cannot happen for valid input; never bend silently
        raise RuntimeError("no controlled rounding of the year and group table was found")
    shares, before = [], {g: 0 for g in groups}
    cumulative = 0
    for y in years:
        cumulative += yearly_totals[y]
        lines = []
        for g in groups:
            cell = (y, g)
            this_year = floor(share[cell]) + (solver.value(up[cell]) if cell in up else 0)
            reason = "whole" if cell not in up else ("up" if this_year > floor(share[cell]) else "down")
            due = Fraction(group_sizes[g] * cumulative, total) if total else Fraction(0)
            lines.append(GroupLine(g, group_sizes[g], due, floor(due), before[g], before[g] + this_year, reason,
                                   share[cell]))
            before[g] += this_year
        # The lot decided when two cells of the year with equal remainders were rounded differently.
        rounded = {}
        for c in (c for c in up if c[0] == y):
            rounded.setdefault(share[c] - floor(share[c]), set()).add(solver.value(up[c]))
        tie = any(len(ways) > 1 for ways in rounded.values())
        shares.append(YearShare(first_year + y, yearly_totals[y], cumulative, lines, tie))
    return shares

"""How many states of each regional group are reviewed in each year of a cycle (R2, ToR ¶14).

Each group's share is proportionate to its number of states parties. We apportion *cumulatively*:
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


@dataclass
class GroupLine:
    """One group in one year: the exact due figure, where it was rounded, and why."""

    group: str
    size: int
    due: Fraction  # cumulative reviews due by the end of the year
    floor: int
    reviewed_before: int
    reviewed_by_end: int
    reason: str  # "floor", "largest remainder", "kept from last year" or "whole"

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
    if any(n < 0 for n in group_sizes.values()):
        raise ValueError("a group cannot have a negative number of states")
    if any(t < 0 for t in yearly_totals):
        raise ValueError("a year cannot have a negative number of reviews")
    total = sum(group_sizes.values())
    if sum(yearly_totals) != total:
        raise ValueError(f"the yearly numbers add up to {sum(yearly_totals)}, but {total} states are to be reviewed")
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

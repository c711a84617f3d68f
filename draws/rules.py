"""An independent check of the rules R1, R5-R7, R9 and R11 on a draw's result (ToR ¶13, ¶18-¶20).

It does not trust the solver: ``portal-draw`` refuses to print, and the portal to record, a result
in which this finds a violation. Each violation names its rule.
"""

from dataclasses import dataclass

from draws.model import CONVENTION


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str

    def __str__(self):
        return f"{self.rule}: {self.message}"


def reviews_by_reviewer(assignments):
    """``{reviewer: {under_review, ...}}``: a review is one reviewer for one state, whatever the instruments."""
    load = {}
    for a in assignments:
        for r in a.reviewers:
            load.setdefault(r, set()).add(a.under_review)
    return load


def check(parties, schedule, assignments, settings, deferrals=None, complete=False):
    """Every violation in ``assignments`` (all reviewer draws of the cycle so far).

    ``parties`` is ``{iso3: Party}``; ``schedule`` ``{year: [iso3, ...]}``; ``deferrals``
    ``{year: {iso3, ...}}`` of states that defer serving as reviewer that year (R9).
    With ``complete`` the cycle is over: every scheduled state must have all its reviews and every
    party at least one review to perform (R11).
    """
    deferrals = deferrals or {}
    out = []
    year_of = {}
    for year, states in schedule.items():
        for s in states:
            if s in year_of:
                out.append(Violation("R1", f"{s} is scheduled twice in the cycle ({year_of[s]} and {year})"))
            year_of[s] = int(year)
            if s not in parties:
                out.append(Violation("R1", f"{s} is scheduled but is not in the list of parties"))
    seen = {}
    for a in assignments:
        key = (a.under_review, a.instrument)
        if key in seen:
            out.append(Violation("R5", f"{a.under_review} has two draws for {a.instrument}"))
        seen[key] = a
        sur = parties.get(a.under_review)
        if sur is None or year_of.get(a.under_review) != a.year:
            out.append(Violation("R1", f"{a.under_review} is not scheduled for review in {a.year}"))
            continue
        if a.instrument not in sur.reviewed_for():
            out.append(Violation("R5", f"{a.under_review} is not reviewed for {a.instrument}"))
        if len(a.reviewers) != 2 or len(set(a.reviewers)) != 2:
            out.append(Violation("R5", f"{a.under_review} ({a.instrument}) needs two different reviewers, has {list(a.reviewers)}"))
        for r in a.reviewers:
            rev = parties.get(r)
            if r == a.under_review:
                out.append(Violation("R5", f"{r} cannot review itself"))
            elif rev is None or not rev.is_party:
                out.append(Violation("R5", f"{r} is not a state party and cannot review"))
            elif a.instrument not in rev.instruments:
                out.append(Violation("R5", f"{r} reviews {a.under_review} for {a.instrument} but is not party to it"))
            if r in deferrals.get(a.year, ()):
                out.append(Violation("R9", f"{r} deferred serving as reviewer in {a.year}"))
        if not settings.waives_region(a.under_review):
            if sur.group is None or not any(parties.get(r) and parties[r].group == sur.group for r in a.reviewers):
                out.append(Violation("R6", f"no reviewer of {a.under_review} ({a.instrument}) is from its regional group"))
    # R5: the Convention's pair also reviews every Protocol it can cover; extra reviewers only for the rest.
    for (sur, instrument), a in seen.items():
        if instrument == CONVENTION:
            continue
        main = seen.get((sur, CONVENTION))
        if main is None:
            continue
        for r in main.reviewers:
            if r in parties and instrument in parties[r].instruments and r not in a.reviewers:
                out.append(Violation("R5", f"{r} reviews {sur} for the Convention and is party to {instrument}, "
                                           f"but another state was drawn for {instrument}"))
    load = reviews_by_reviewer(assignments)
    for r, reviewed in sorted(load.items()):
        for s in sorted(reviewed):
            if r < s and s in load and r in load[s] and not settings.allows_mutual(r, s):
                out.append(Violation("R7", f"{r} and {s} review each other"))
        if len(reviewed) > settings.max_reviews:
            out.append(Violation("R11", f"{r} performs {len(reviewed)} reviews, more than {settings.max_reviews}"))
    if complete:
        for s, year in sorted(year_of.items()):
            sur = parties.get(s)
            for instrument in (sur.reviewed_for() if sur else ()):
                if (s, instrument) not in seen:
                    out.append(Violation("R5", f"{s} has no reviewers for {instrument}"))
        for iso3, p in sorted(parties.items()):
            if p.is_party and iso3 not in year_of:
                out.append(Violation("R11", f"{iso3} has not been reviewed in the cycle"))
            if p.is_party and not load.get(iso3):
                out.append(Violation("R11", f"{iso3} performs no review in the cycle"))
    return out

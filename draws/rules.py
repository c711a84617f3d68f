"""An independent check of the rules R1, R5-R7, R9 and R11 on a draw's result (ToR ¶13, ¶18-¶20).

It does not trust the solver: ``portal-draw`` refuses to print, and the portal to record, a result
in which this finds a violation. Each violation names its rule.
"""

from dataclasses import dataclass

from draws.model import CONVENTION
from language import _, _n, in_english


@dataclass(frozen=True)
class Violation:
    """A broken rule; ``message`` is a translation string (``str`` gives it in English)."""

    rule: str
    message: str

    def __str__(self):
        return f"{self.rule}: {in_english(self.message)}"

    def text(self):
        """The violation as one translation string, rule first."""
        return _("${rule}: ${message}", mapping={"rule": self.rule, "message": self.message})


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
                out.append(Violation("R1", _("${state} is scheduled twice in the cycle (${first} and ${second})", mapping={"state": s, "first": year_of[s], "second": year})))
            year_of[s] = int(year)
            if s not in parties:
                out.append(Violation("R1", _("${state} is scheduled but is not in the list of parties", mapping={"state": s})))
    seen = {}
    for a in assignments:
        key = (a.under_review, a.instrument)
        if key in seen:
            out.append(Violation("R5", _("${state} has two draws for ${instrument}", mapping={"state": a.under_review, "instrument": a.instrument})))
        seen[key] = a
        sur = parties.get(a.under_review)
        if sur is None or year_of.get(a.under_review) != a.year:
            out.append(Violation("R1", _("${state} is not scheduled for review in ${year}", mapping={"state": a.under_review, "year": a.year})))
            continue
        if a.instrument not in sur.reviewed_for():
            out.append(Violation("R5", _("${state} is not reviewed for ${instrument}", mapping={"state": a.under_review, "instrument": a.instrument})))
        if len(a.reviewers) != 2 or len(set(a.reviewers)) != 2:
            out.append(Violation("R5", _("${state} (${instrument}) needs two different reviewers, has ${reviewers}", mapping={"state": a.under_review, "instrument": a.instrument, "reviewers": tuple(a.reviewers) or "-"})))
        for r in a.reviewers:
            rev = parties.get(r)
            if r == a.under_review:
                out.append(Violation("R5", _("${state} cannot review itself", mapping={"state": r})))
            elif rev is None or not rev.is_party:
                out.append(Violation("R5", _("${state} is not a state party and cannot review", mapping={"state": r})))
            elif a.instrument not in rev.instruments:
                out.append(Violation("R5", _("${reviewer} reviews ${state} for ${instrument} but is not party to it", mapping={"reviewer": r, "state": a.under_review, "instrument": a.instrument})))
            if r in deferrals.get(a.year, ()):
                out.append(Violation("R9", _("${state} deferred serving as reviewer in ${year}", mapping={"state": r, "year": a.year})))
        if not settings.waives_region(a.under_review):
            if sur.group is None or not any(parties.get(r) and parties[r].group == sur.group for r in a.reviewers):
                out.append(Violation("R6", _("no reviewer of ${state} (${instrument}) is from its regional group", mapping={"state": a.under_review, "instrument": a.instrument})))
    # R5: the Convention's pair also reviews every Protocol it can cover; extra reviewers only for the rest.
    for (sur, instrument), a in seen.items():
        if instrument == CONVENTION:
            continue
        main = seen.get((sur, CONVENTION))
        if main is None:
            continue
        for r in main.reviewers:
            if r in parties and instrument in parties[r].instruments and r not in a.reviewers:
                out.append(Violation("R5", _("${reviewer} reviews ${state} for the Convention and is party to ${instrument}, but another state was "
                                             "drawn for ${instrument}", mapping={"reviewer": r, "state": sur, "instrument": instrument})))
    load = reviews_by_reviewer(assignments)
    for r, reviewed in sorted(load.items()):
        for s in sorted(reviewed):
            if r < s and s in load and r in load[s] and not settings.allows_mutual(r, s):
                out.append(Violation("R7", _("${a} and ${b} review each other", mapping={"a": r, "b": s})))
        if len(reviewed) > settings.max_reviews:
            out.append(Violation("R11", _n("${state} performs ${count} review, more than ${max}", "${state} performs ${count} reviews, more than ${max}",
                                              len(reviewed), mapping={"state": r, "max": settings.max_reviews})))
    if complete:
        for s, year in sorted(year_of.items()):
            sur = parties.get(s)
            for instrument in (sur.reviewed_for() if sur else ()):
                if (s, instrument) not in seen:
                    out.append(Violation("R5", _("${state} has no reviewers for ${instrument}", mapping={"state": s, "instrument": instrument})))
        for iso3, p in sorted(parties.items()):
            if p.is_party and iso3 not in year_of:
                out.append(Violation("R11", _("${state} has not been reviewed in the cycle", mapping={"state": iso3})))
            if p.is_party and not load.get(iso3):
                out.append(Violation("R11", _("${state} performs no review in the cycle", mapping={"state": iso3})))
    return out

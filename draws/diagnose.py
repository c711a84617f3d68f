"""Why a draw is impossible: which rules collide for which states, and the relaxations on offer.

The checks are counting arguments that hold whatever the lot, so they run before any solving:
a state without a regional group (R6), a group or a Protocol too small for two reviewers without
mutual reviews (R5/R6 against R7), not enough review capacity (R5 against R11). The engine never
applies a relaxation by itself: it lists the codes (``R6:ISO3``, ``R7:AAA+BBB``) that the
secretariat may record, and a draw uses only those recorded.
"""

from dataclasses import dataclass, field
from itertools import combinations

from draws.model import INSTRUMENTS
from language import _, _n, in_english


@dataclass
class Collision:
    """Rules that cannot all hold for ``states``; ``relaxations``: codes that would resolve it (any/``needed`` of them).
    ``message`` is a translation string; ``explain`` writes the whole in English or, with ``translate``, in a
    reader's language."""

    rules: tuple
    states: tuple
    message: str
    relaxations: list = field(default_factory=list)
    needed: int = 1

    def parts(self):
        """The explanation as translation strings: which rules, why, and what the secretariat may record."""
        rules = tuple(self.rules)
        head = _n("${rules} cannot hold:", "${rules} collide:", len(rules), mapping={"rules": rules})
        codes = ", ".join(self.relaxations)
        if not self.relaxations:
            offer = _("No relaxation is offered: the input must change.")
        elif len(self.relaxations) == 1:
            offer = _("The secretariat may record this relaxation: ${codes}.", mapping={"codes": codes})
        else:
            offer = _n("The secretariat may record one of these relaxations: ${codes}.",
                       "The secretariat may record ${count} of these relaxations: ${codes}.", max(self.needed, 1),
                       mapping={"codes": codes})
        return [head, self.message, offer]

    def explain(self, translate=in_english):
        return " ".join(translate(p) for p in self.parts())

    def to_json(self):
        return {"rules": list(self.rules), "states": list(self.states), "message": in_english(self.message),
                "relaxations": list(self.relaxations), "needed": self.needed}


def _mutual_needed(members, settings):
    """The ``R7`` relaxation codes for the pairs among ``members`` not yet allowed to review each other."""
    return [f"R7:{a}+{b}" for a, b in combinations(sorted(members), 2) if not settings.allows_mutual(a, b)]


def collisions(parties, to_review, settings):
    """Every collision for reviewing ``to_review`` (ISO3 codes) with reviewers among ``parties``.

    Collisions that the recorded relaxations in ``settings`` already resolve are not reported.
    """
    out = []
    reviewers = {iso3: p for iso3, p in parties.items() if p.is_party}
    surs = [parties[s] for s in sorted(to_review)]
    party_to = {i: {r.iso3 for r in reviewers.values() if i in r.instruments} for i in INSTRUMENTS}
    in_group = {}  # (group, instrument) -> parties
    for r in reviewers.values():
        for i in r.instruments:
            in_group.setdefault((r.group, i), set()).add(r.iso3)
    for sur in surs:
        waived = settings.waives_region(sur.iso3)
        if sur.group is None and not waived:
            out.append(Collision(("R6",), (sur.iso3,),
                                 _("${state} belongs to no regional group, so no reviewer can come from its group.",
                                   mapping={"state": sur.iso3}),
                                 [f"R6:{sur.iso3}"]))
            continue
        for instrument in sur.reviewed_for():
            able = len(party_to[instrument]) - (sur.iso3 in party_to[instrument])
            if able < 2:
                out.append(Collision(("R5",), (sur.iso3,),
                                     _n("${state} needs two other parties to ${instrument} as reviewers; there is ${count}.",
                                        "${state} needs two other parties to ${instrument} as reviewers; there are ${count}.",
                                        able, mapping={"state": sur.iso3, "instrument": instrument})))
                continue
            regional = in_group.get((sur.group, instrument), set()) - {sur.iso3}
            if not regional and not waived and sur.group is not None:
                out.append(Collision(("R5", "R6"), (sur.iso3,),
                                     _("no other state of the regional group of ${state} (${group}) is party to ${instrument}.",
                                       mapping={"state": sur.iso3, "group": sur.group, "instrument": instrument}),
                                     [f"R6:{sur.iso3}"]))
    # Within a regional group: each member needs a reviewer from the group; two members alone must review each other.
    by_group = {}
    for sur in surs:
        if sur.group is not None and not settings.waives_region(sur.iso3):
            by_group.setdefault(sur.group, []).append(sur.iso3)
    for group, members in sorted(by_group.items()):
        for instrument in INSTRUMENTS:
            pool = sorted(r.iso3 for r in reviewers.values() if r.group == group and instrument in r.instruments)
            need = [s for s in members if instrument in parties[s].reviewed_for()]
            if len(pool) == 2 and set(pool) <= set(need) and not settings.allows_mutual(*pool):
                a, b = pool
                out.append(Collision(("R6", "R7"), (a, b),
                                     _("${a} and ${b} are the only parties to ${instrument} in ${group}: each must review the other "
                                       "to have a reviewer from its regional group.",
                                       mapping={"a": a, "b": b, "instrument": instrument, "group": group}),
                                     [f"R7:{a}+{b}", f"R6:{a}", f"R6:{b}"]))
                break
    # Per instrument: k parties under review each need two reviewers among the k parties (2k reviews);
    # without mutual reviews k states can give at most k(k-1)/2. (With k = 2 each has one other party
    # only: that is the R5 collision above, which no relaxation resolves.)
    for instrument in INSTRUMENTS:
        pool = sorted(r.iso3 for r in reviewers.values() if instrument in r.instruments)
        need = [s.iso3 for s in surs if instrument in s.reviewed_for()]
        if 3 <= len(pool) <= 4 and set(pool) <= set(need):
            k = len(pool)
            open_pairs = _mutual_needed(pool, settings)
            missing = 2 * k - k * (k - 1) // 2
            allowed = k * (k - 1) // 2 - len(open_pairs)
            if missing > allowed:
                out.append(Collision(("R5", "R7"), tuple(pool),
                                     _("the ${k} parties to ${instrument} must each be reviewed by two of the others: ${reviews} reviews "
                                       "among ${k} states are impossible without mutual reviews.",
                                       mapping={"k": k, "instrument": instrument, "reviews": 2 * k}),
                                     open_pairs, needed=missing - allowed))
    slots = 2 * len(surs)
    capacity = len(reviewers) * settings.max_reviews
    if slots > capacity:
        givers = _n("${count} party", "${count} parties", len(reviewers))
        out.append(Collision(("R5", "R11"), (),
                             _n("${count} state under review needs at least ${slots} reviews; ${parties} with at most "
                                "${max} each give ${capacity}. Raise the cycle's maximum number of reviews.",
                                "${count} states under review need at least ${slots} reviews; ${parties} with at most "
                                "${max} each give ${capacity}. Raise the cycle's maximum number of reviews.", len(surs),
                                mapping={"slots": slots, "parties": givers,
                                         "max": settings.max_reviews, "capacity": capacity})))
    if len(reviewers) > len(to_review):
        unreviewed = len(reviewers) - len([s for s in to_review if s in reviewers])
        if unreviewed:
            out.append(Collision(("R11",), (),
                                 _n("${count} party is not scheduled for review; by the end of the cycle every state party must "
                                    "have been reviewed.", "${count} parties are not scheduled for review; by the end "
                                    "of the cycle every state party must have been reviewed.", unreviewed)))
    return out



def deferral_collisions(parties, schedule, settings, deferrals, from_year=None):
    """Collisions of R9 with R5 and R6, by counting: a state under review in a year for which every other party to
    one of its instruments in its regional group (R6), or all but one anywhere (R5), defers serving as reviewer
    that year. ``schedule`` ``{year: [iso3]}``; ``deferrals`` ``{year: {iso3}}``; years before ``from_year`` are
    left out (already drawn)."""
    out = []
    reviewers = [p for p in parties.values() if p.is_party]
    for year, states in sorted(schedule.items()):
        deferring = set(deferrals.get(int(year), ()))
        if not deferring or (from_year is not None and int(year) < from_year):
            continue
        for iso3 in sorted(states):
            sur = parties[iso3]
            for instrument in sur.reviewed_for():
                able = [r.iso3 for r in reviewers if instrument in r.instruments and r.iso3 != iso3]
                free = [r for r in able if r not in deferring]
                regional = [r for r in able if parties[r].group == sur.group and sur.group is not None]
                free_regional = [r for r in regional if r not in deferring]
                if len(able) >= 2 and len(free) < 2:
                    out.append(Collision(("R5", "R9"), (iso3,), _(
                        "${state}, under review in ${year}, needs two reviewers party to ${instrument}; all but "
                        "${free} of the other parties to it defer serving as reviewer that year (${deferring}).",
                        mapping={"state": iso3, "year": year, "instrument": instrument, "free": len(free),
                                 "deferring": tuple(sorted(set(able) & deferring))})))
                elif regional and not free_regional and not settings.waives_region(iso3):
                    out.append(Collision(("R6", "R9"), (iso3,), _(
                        "${state}, under review in ${year}, has no other party to ${instrument} in its regional group "
                        "(${group}) that does not defer serving as reviewer that year (${deferring}).",
                        mapping={"state": iso3, "year": year, "instrument": instrument, "group": sur.group,
                                 "deferring": tuple(sorted(set(regional) & deferring))}), [f"R6:{iso3}"]))
    return out

"""The CP-SAT model of a cycle's reviewer draws (R5-R11, ToR ¶18-¶20), shared by every version of the draw.

The model, for each state under review ``s`` of the year being drawn (and of every later year):
``main[r, s]``: ``r`` is one of the pair reviewing ``s`` for the Convention (exactly two);
``extra[r, s, i]``: ``r`` is drawn in addition for Protocol ``i`` because the pair cannot cover
it; the pair members party to ``i`` always count for ``i``, so an extra reviewer is drawn only for
what the pair cannot cover. A review is one reviewer for one state (whatever the instruments).
"""

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from draws import seeds
from draws.model import CONVENTION, Assignment, Infeasible
from draws.rules import reviews_by_reviewer
from language import _

W_ONE_PAIR = 10_000
W_LEGAL = 400
W_LEGAL_LATER = 150  # a later year's legal-system match, kept possible by this year's draw
W_LOT = 100  # the lot: a seeded weight in [0, W_LOT) on every possible choice
COVER_REGIONAL, COVER_ANY = 3, 5  # sampled candidates party to each instrument (with ``cover``)


class KeyedLot:
    """The lot as a weight per choice, derived from the seed and the choice itself: the same choice weighs the
    same in every model that contains it (version 2 drew weights in order from one generator instead)."""

    def __init__(self, seed, year):
        self.key = (seed, "lot", year)

    def weight(self, s, r, instrument=CONVENTION):
        return seeds.derived(*self.key, s, r, instrument) % W_LOT


@dataclass
class YearDraw:
    """One year's reviewers: assignments sorted by state under review and instrument, plus quality figures."""

    year: int
    assignments: list
    status: str = ""
    attempt: int = 0  # which attempt (version 2) or stage (version 3) found the draw
    rest: list = field(default_factory=list)  # version 3: a valid completion of the later years (not drawn)


class ReviewerModel:
    """The CP-SAT model of the years ``years`` of a cycle, with ``history`` fixed.

    The first year is the one drawn: every eligible reviewer is a candidate and the objective
    applies (without ``lot``, a search for any valid solution, the first year is sampled as well). Later years are the feasibility part: ``sample`` (same-region, others) limits each
    state's candidates to a seeded sample, which keeps the model small; a solution with fewer
    candidates is still a valid completion of the cycle, and when none is found the caller
    retries with all candidates before declaring the year infeasible.
    """

    def __init__(self, parties, schedule, years, history, settings, deferrals, lot, sampler=None, sample=None,
                 pair_only=False, cover=False, objective=True, aside=frozenset()):
        self.m = cp_model.CpModel()
        self.pair_only = pair_only
        self.with_objective = objective
        self.parties = parties
        self.settings = settings
        self.main = {}
        self.extra = {}
        self.review = {}  # (r, s) -> literal "r reviews s"
        self.one_pair = {}
        self.legal = {}
        past = reviews_by_reviewer(history)
        self.past = past
        self.objective = []  # (weight, literal)
        reviewers = sorted(p.iso3 for p in parties.values() if p.is_party)
        mutual_ok = {tuple(r.states) for r in settings.relaxations if r.rule == "R7"}
        if "R7" in aside:  # only to explain an infeasibility: which rule, set aside, lets a draw exist
            mutual_ok = {(a, b) for a in reviewers for b in reviewers if a < b}
        self.max_reviews = settings.max_reviews + (1 if "R11" in aside else 0)
        self.waived = {r.states[0] for r in settings.relaxations if r.rule == "R6"}
        full = {r for r in reviewers if len(past.get(r, ())) >= self.max_reviews}
        plan = []  # (s, candidates, pair only, drawn this year)
        for year in years:
            deferring = deferrals.get(year, set())
            for s in sorted(schedule.get(year, ())):
                reviewed_by_s = past.get(s, ())
                candidates = [
                    r for r in reviewers
                    if r != s and r not in deferring and r not in full
                    and s not in past.get(r, ())  # already reviews s
                    and (r not in reviewed_by_s or (min(r, s), max(r, s)) in mutual_ok)  # s reviews r: no mutual (R7)
                ]
                candidates, pairs = self._pair_only(parties[s], candidates) if pair_only else (candidates, False)
                plan.append((s, candidates, pairs, year == years[0] and lot is not None))
        if sample is not None:
            plan = self._sampled(plan, sample, sampler, reviewers, cover)
        for s, candidates, pairs, drawn in plan:
            self._add_state(s, parties[s], candidates, pairs, lot if drawn else None)
        for (r, s), lit in self.review.items():
            if r < s and (s, r) in self.review and (r, s) not in mutual_ok:
                self.m.add(lit + self.review[(s, r)] <= 1)  # R7 within the model's years
        self.load = {}
        for (r, s), lit in self.review.items():
            self.load.setdefault(r, []).append(lit)
        for r, lits in self.load.items():
            self.m.add(len(past.get(r, ())) + sum(lits) <= self.max_reviews)  # R11 maximum

    def require_everyone_reviews(self, reviewers):
        """R11 minimum: by the end of the cycle every party performs at least one review."""
        for r in reviewers:
            if not self.past.get(r):
                self.m.add_bool_or(self.load.get(r, []))  # empty when nothing is left for r: infeasible

    def _pair_only(self, sur, candidates):
        """Only candidates party to all of ``sur``'s instruments, when there are enough for a valid pair."""
        needed = set(sur.reviewed_for())
        full = [r for r in candidates if needed <= self.parties[r].instruments]
        regional = [r for r in full if sur.group is not None and self.parties[r].group == sur.group]
        if len(full) >= 2 and (regional or sur.iso3 in self.waived):
            return full, True
        return candidates, False

    def _sampled(self, plan, sample, rng, reviewers, cover):
        """Later years' candidates cut to a seeded sample: up to ``sample[0]`` from the state's region and
        ``sample[1]`` others, then every party that still owes its first review (R11) added to a few
        lists it is eligible for, so the sample does not lose the minimum by construction. With
        ``cover``, each instrument of the state also gets a few candidates party to it, from its region
        and from anywhere (R5, R6), so that a Protocol few have ratified is not sampled away."""
        out, seen = [], {}
        for s, candidates, pairs, drawn in plan:
            if not drawn:
                group = self.parties[s].group
                legal = self.parties[s].legal_system
                same = [r for r in candidates if group is not None and self.parties[r].group == group]
                alike = [r for r in same if legal and self.parties[r].legal_system == legal]
                others = [r for r in candidates if group is None or self.parties[r].group != group]
                chosen = set(rng.sample(alike, min(2, len(alike))) + rng.sample(same, min(sample[0], len(same)))
                             + rng.sample(others, min(sample[1], len(others))))
                if cover:
                    for instrument in self.parties[s].reviewed_for():
                        for pool, least in ((same, COVER_REGIONAL), (candidates, COVER_ANY)):
                            able = [r for r in pool if instrument in self.parties[r].instruments]
                            missing = [r for r in able if r not in chosen]
                            short = least - (len(able) - len(missing))
                            chosen.update(rng.sample(missing, max(0, min(short, len(missing)))))
                for r in chosen:
                    seen[r] = seen.get(r, 0) + 1
                out.append((s, candidates, pairs, drawn, chosen))
            else:
                out.append((s, candidates, pairs, drawn, set(candidates)))
        for r in reviewers:
            if self.past.get(r) or seen.get(r, 0) >= 3:
                continue
            eligible = [entry for entry in out if not entry[3] and r in entry[1] and r not in entry[4]]
            for entry in rng.sample(eligible, min(3 - seen.get(r, 0), len(eligible))):
                entry[4].add(r)
        return [(s, [r for r in candidates if r in chosen], pairs, drawn) for s, candidates, pairs, drawn, chosen in out]

    def _add_state(self, s, sur, candidates, pair_only, lot):
        """Variables and rules R5-R6 for state under review ``s``; with ``lot``, its objective terms.

        With ``pair_only`` all candidates are party to all of ``s``'s instruments: one pair covers
        everything and the model needs no extra variables.
        """
        m, parties = self.m, self.parties
        waived = s in self.waived

        def regional(rs):
            return [r for r in rs if sur.group is not None and parties[r].group == sur.group]

        main = {r: m.new_bool_var(f"m_{r}_{s}") for r in candidates}
        self.main[s] = main
        m.add(sum(main.values()) == 2)  # R5: two reviewers for the Convention
        if not waived:
            m.add_bool_or([main[r] for r in regional(candidates)])  # R6 (empty, so infeasible, without a group)
        review = {r: [main[r]] for r in candidates}
        extras = []
        for instrument in sur.reviewed_for():
            if instrument == CONVENTION or pair_only:
                continue
            able = [r for r in candidates if instrument in parties[r].instruments]
            extra = {}
            for r in able:
                e = m.new_bool_var(f"e_{r}_{s}_{instrument}")
                m.add_implication(main[r], ~e)
                extra[r] = e
                review[r].append(e)
                extras.append((r, instrument, e))
            self.extra[(s, instrument)] = extra
            # R5 for a Protocol: pair members party to it count; extra reviewers only for the rest.
            m.add(sum(main[r] + extra[r] for r in able) == 2)
            if not waived:
                m.add_bool_or([main[r] for r in regional(able)] + [extra[r] for r in regional(able)])  # R6
        for r, lits in review.items():
            if len(lits) == 1:
                self.review[(r, s)] = lits[0]
            else:
                x = m.new_bool_var(f"x_{r}_{s}")
                m.add_max_equality(x, lits)
                self.review[(r, s)] = x
        like = [main[r] for r in regional(candidates) if sur.legal_system and parties[r].legal_system == sur.legal_system]
        if like and self.with_objective:  # later years count too, less: this year's draw should leave them a match
            legal = m.new_bool_var(f"legal_{s}")
            m.add_bool_or(like).only_enforce_if(legal)
            self.objective.append((W_LEGAL if lot is not None else W_LEGAL_LATER, legal))
            if lot is not None:
                self.legal[s] = legal
        if lot is None:
            return
        if extras:
            one = m.new_bool_var(f"one_{s}")
            for _r, _i, e in extras:
                m.add_implication(one, ~e)
            self.one_pair[s] = one
            self.objective.append((W_ONE_PAIR, one))
        keyed = isinstance(lot, KeyedLot)
        for r in candidates:
            self.objective.append((lot.weight(s, r) if keyed else lot.randrange(W_LOT), main[r]))
        for r, instrument, e in extras:
            self.objective.append((lot.weight(s, r, instrument) if keyed else lot.randrange(W_LOT), e))

    def forbid(self, forbid):
        """A redraw must not repeat ``{s: [reviewer set, ...]}``."""
        for s, sets in (forbid or {}).items():
            for reviewers in sets:
                lits = [self.review[(r, s)] for r in reviewers if (r, s) in self.review]
                if len(lits) == len(reviewers):
                    self.m.add_bool_or([~lit for lit in lits])

    def maximize(self):
        """Set the objective: one pair, legal systems and the lot, as collected while building."""
        self.m.maximize(cp_model.LinearExpr.weighted_sum([v for _, v in self.objective],
                                                         [w for w, _ in self.objective]))

    def choices(self, value):
        """``{s: (pair, {instrument: extra reviewers})}`` for every state in the model, read with ``value``."""
        out = {s: (tuple(sorted(r for r, v in main.items() if value(v))), {}) for s, main in self.main.items()}
        for (s, instrument), extra in self.extra.items():  # one pass: this runs after every solve
            out[s][1][instrument] = tuple(sorted(r for r, v in extra.items() if value(v)))
        return out

    def hint(self, choices):
        """Start the search from ``choices`` (a valid solution found before), given for every variable: the
        derived ones are filled by a solve with the choices fixed, since CP-SAT may drop a partial hint."""
        for s, main in self.main.items():
            pair, extras = choices[s]
            for r, v in main.items():
                self.m.add_hint(v, r in pair)
            for instrument in self.parties[s].reviewed_for():
                for r, v in self.extra.get((s, instrument), {}).items():
                    self.m.add_hint(v, r in extras.get(instrument, ()))
        filler = cp_model.CpSolver()
        filler.parameters.num_workers = 1
        filler.parameters.fix_variables_to_their_hinted_value = True
        filler.parameters.max_deterministic_time = 1.0
        if filler.solve(self.m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        variables = [self.m.get_int_var_from_proto_index(i) for i in range(len(self.m.proto.variables))]
        self.m.clear_hints()
        for v in variables:
            self.m.add_hint(v, filler.value(v))
        return True


def assignments_of(parties, year, states, choices, fixed=()):
    """The assignments of ``year`` for ``states`` from ``choices`` (see ``ReviewerModel.choices``), plus ``fixed``:
    the pair for the Convention; for each Protocol, the pair members party to it and the extra reviewers."""
    out = list(fixed)
    for s in sorted(states):
        pair, extras = choices[s]
        out.append(Assignment(year, s, CONVENTION, pair))
        for instrument in parties[s].reviewed_for():
            if instrument == CONVENTION:
                continue
            chosen = [r for r in pair if instrument in parties[r].instruments] + list(extras.get(instrument, ()))
            out.append(Assignment(year, s, instrument, tuple(sorted(chosen))))
    out.sort(key=lambda a: (a.under_review, a.instrument))
    return out


def years_to_draw(schedule, year, fixed=()):
    """``(years, schedule)``: ``year`` and the later years of the cycle, and their states still to be drawn (a
    redraw keeps the ``fixed`` assignments of its year); raises ``Infeasible`` when nobody is scheduled in ``year``."""
    years = sorted(int(y) for y in schedule if int(y) >= year)
    if not years or years[0] != year:
        raise Infeasible(_("no state is scheduled for review in ${year}", mapping={"year": year}))
    fixed_states = {a.under_review for a in fixed}
    return years, {y: [s for s in schedule[y] if not (y == year and s in fixed_states)] for y in years}

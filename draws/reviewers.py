"""The reviewer draw of one year (R5-R11, ToR ¶18-¶20), solved with OR-Tools CP-SAT.

Why CP-SAT: the rules are linear constraints over yes/no choices (who reviews whom for what), the
preferences (one pair for all instruments, a same-region reviewer of the same legal system) are a
linear objective, and the lot is a seeded random weight on every choice. CP-SAT takes all three
directly, proves infeasibility when there is no valid draw, and with one worker and a
deterministic time limit it is reproducible for a given OR-Tools version (recorded in
``ALGORITHM``). clingo would do as well; OR-Tools has wheels for every platform we support and
needs no second language in the repository.

Each year is its own problem, with the later years of the cycle in the same model as a pure
feasibility part (no objective): the year's draw is only accepted if the rest of the cycle can
still be completed under every rule, so the last year cannot dead-end.

The model, for each state under review ``s`` of the year being drawn (and of every later year):
``main[r, s]``: ``r`` is one of the pair reviewing ``s`` for the Convention (exactly two);
``extra[r, s, i]``: ``r`` is drawn in addition for Protocol ``i`` because the pair cannot cover
it; the pair members party to ``i`` always count for ``i``, so an extra reviewer is drawn only for
what the pair cannot cover. A review is one reviewer for one state (whatever the instruments).
"""

from dataclasses import dataclass

from ortools import __version__ as ORTOOLS_VERSION
from ortools.sat.python import cp_model

from draws import seeds
from draws.model import CONVENTION, Assignment, Infeasible
from draws.rules import reviews_by_reviewer

ALGORITHM = (
    "reviewers-v2: OR-Tools CP-SAT " + ORTOOLS_VERSION + ", one worker, presolve only with extra reviewers, deterministic limit; "
    "objective: one pair for all instruments, then same-region legal system, then seeded lot"
)
W_ONE_PAIR = 10_000
W_LEGAL = 400
W_LEGAL_LATER = 150  # a later year's legal-system match, kept possible by this year's draw
W_LOT = 100  # the lot: a seeded weight in [0, W_LOT) on every possible choice
TIME_LIMIT = 30.0  # deterministic seconds (CP-SAT's own unit, not wall-clock)


@dataclass
class YearDraw:
    """One year's reviewers: assignments sorted by state under review and instrument, plus quality figures."""

    year: int
    assignments: list
    status: str = ""
    attempt: int = 0  # which of ATTEMPTS found the draw


class _Model:
    """The CP-SAT model of the years ``years`` of a cycle, with ``history`` fixed.

    The first year is the one drawn: every eligible reviewer is a candidate and the objective
    applies. Later years are the feasibility part: ``sample`` (same-region, others) limits each
    state's candidates to a seeded sample, which keeps the model small; a solution with fewer
    candidates is still a valid completion of the cycle, and when none is found the caller
    retries with all candidates before declaring the year infeasible.
    """

    def __init__(self, parties, schedule, years, history, settings, deferrals, lot, sampler=None, sample=None,
                 pair_only=False):
        self.m = cp_model.CpModel()
        self.pair_only = pair_only
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
        self.waived = {r.states[0] for r in settings.relaxations if r.rule == "R6"}
        full = {r for r in reviewers if len(past.get(r, ())) >= settings.max_reviews}
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
                plan.append((s, candidates, pairs, year == years[0]))
        if sample is not None:
            plan = self._sampled(plan, sample, sampler, reviewers)
        for s, candidates, pairs, drawn in plan:
            self._add_state(s, parties[s], candidates, pairs, lot if drawn else None)
        for (r, s), lit in self.review.items():
            if r < s and (s, r) in self.review and (r, s) not in mutual_ok:
                self.m.add(lit + self.review[(s, r)] <= 1)  # R7 within the model's years
        self.load = {}
        for (r, s), lit in self.review.items():
            self.load.setdefault(r, []).append(lit)
        for r, lits in self.load.items():
            self.m.add(len(past.get(r, ())) + sum(lits) <= settings.max_reviews)  # R11 maximum

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

    def _sampled(self, plan, sample, rng, reviewers):
        """Later years' candidates cut to a seeded sample: up to ``sample[0]`` from the state's region and
        ``sample[1]`` others, then every party that still owes its first review (R11) added to a few
        lists it is eligible for, so the sample does not lose the minimum by construction."""
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
                extras.append(e)
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
        if like:  # later years count too, less: this year's draw should leave them a match
            legal = m.new_bool_var(f"legal_{s}")
            m.add_bool_or(like).only_enforce_if(legal)
            self.objective.append((W_LEGAL if lot is not None else W_LEGAL_LATER, legal))
            if lot is not None:
                self.legal[s] = legal
        if lot is None:
            return
        if extras:
            one = m.new_bool_var(f"one_{s}")
            for e in extras:
                m.add_implication(one, ~e)
            self.one_pair[s] = one
            self.objective.append((W_ONE_PAIR, one))
        for r in candidates:
            self.objective.append((lot.randrange(W_LOT), main[r]))
        for e in extras:
            self.objective.append((lot.randrange(W_LOT), e))


# The attempts, cheapest first: (pair only where possible, candidates per later-year state in the
# feasibility part as (same region, others) or None for all). Only the last can prove infeasibility.
ATTEMPTS = ((True, (6, 4)), (True, (15, 10)), (True, None), (False, (6, 4)), (False, None))


def _solve(model, seed, year):
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2
    # Measured (benchmarks/bench_draw_cycle.py, tests/test_draws_reviewers.py): for pair-only models
    # presolve and probing simplify nothing but took most of the time, and the full LP from the
    # start lets the search go straight to the optimum (a whole cycle of the real parties: 2.5 s ->
    # about 1 s). Models with extra reviewers per Protocol need presolve: without it some small
    # generated cases took 20 s instead of 1 s.
    solver.parameters.cp_model_presolve = not model.pair_only
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.add_lp_constraints_lazily = False
    solver.parameters.random_seed = seeds.derived(seed, "solver", year) % (2**31)
    solver.parameters.max_deterministic_time = TIME_LIMIT
    return solver, solver.solve(model.m)


def draw_year(parties, schedule, year, history, settings, seed, deferrals=None, fixed=(), forbid=None):
    """Draw the reviewers of ``year``'s states under review; raises ``Infeasible`` when no valid draw exists.

    ``parties`` ``{iso3: Party}``; ``schedule`` ``{year: [iso3, ...]}`` for the whole cycle;
    ``history``: assignments of earlier years. ``fixed``: assignments of this year that stay as
    they are (a redraw for one state keeps the others). ``forbid``: ``{iso3: [reviewer set, ...]}``
    results a redraw must not repeat. ``deferrals``: ``{year: {iso3, ...}}`` (R9).
    """
    deferrals = deferrals or {}
    years = sorted(int(y) for y in schedule if int(y) >= year)
    if not years or years[0] != year:
        raise Infeasible(f"no state is scheduled for review in {year}")
    fixed_states = {a.under_review for a in fixed}
    sched = {y: [s for s in schedule[y] if not (y == year and s in fixed_states)] for y in years}
    everyone = sorted(p.iso3 for p in parties.values() if p.is_party)
    for attempt, (pair_only, sample) in enumerate(ATTEMPTS):
        model = _Model(parties, sched, years, list(history) + list(fixed), settings, deferrals,
                       seeds.rng(seed, "reviewers", year), seeds.rng(seed, "lookahead", year, attempt), sample,
                       pair_only)
        model.require_everyone_reviews(everyone)
        for s, sets in (forbid or {}).items():
            for reviewers in sets:
                lits = [model.review[(r, s)] for r in reviewers if (r, s) in model.review]
                if len(lits) == len(reviewers):
                    model.m.add_bool_or([~lit for lit in lits])
        model.m.maximize(cp_model.LinearExpr.weighted_sum([v for _, v in model.objective],
                                                          [w for w, _ in model.objective]))
        solver, status = _solve(model, seed, year)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        if status == cp_model.INFEASIBLE and (pair_only, sample) == ATTEMPTS[-1]:
            raise Infeasible(f"no reviewer draw for {year} satisfies every rule and leaves the rest of the cycle feasible")
    else:
        raise Infeasible(f"the solver found no reviewer draw for {year} within its limit ({solver.status_name(status)})")
    assignments = list(fixed)
    for s in sorted(sched[year]):
        main = sorted(r for r, v in model.main[s].items() if solver.value(v))
        assignments.append(Assignment(year, s, CONVENTION, tuple(main)))
        for instrument in parties[s].reviewed_for():
            if instrument == CONVENTION:
                continue
            extra = model.extra.get((s, instrument), {})
            chosen = [r for r in main if instrument in parties[r].instruments]
            chosen += [r for r, v in extra.items() if solver.value(v)]
            assignments.append(Assignment(year, s, instrument, tuple(sorted(chosen))))
    assignments.sort(key=lambda a: (a.under_review, a.instrument))
    return YearDraw(year, assignments, status=solver.status_name(status), attempt=attempt)


def check_rest(parties, schedule, after_year, history, settings, deferrals=None):
    """Raise ``Infeasible`` unless the years after ``after_year`` can still be drawn under every rule.

    Used when a decision changes a drawn year (an exemption, R10) or the schedule (R3, R9).
    """
    deferrals = deferrals or {}
    later = sorted(int(y) for y in schedule if int(y) > after_year)
    everyone = sorted(p.iso3 for p in parties.values() if p.is_party)
    status = None
    for attempt, (pair_only, sample) in enumerate(ATTEMPTS):
        model = _Model(parties, schedule, later, history, settings, deferrals, None,
                       seeds.rng("check", after_year, attempt), sample if later else None, pair_only)
        model.require_everyone_reviews(everyone)
        _solver, status = _solve(model, "check", after_year)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return
        if status == cp_model.INFEASIBLE and (pair_only, sample) == ATTEMPTS[-1]:
            break
    raise Infeasible(f"after {after_year} the rest of the cycle could no longer be drawn under every rule")

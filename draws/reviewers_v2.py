"""The reviewer draw as version 2 made it (a fixed list of attempts), kept so that its records still verify.

Version 2 tried cheaper models first (pair only, later years sampled) and gave up with "UNKNOWN"
when the last, full model did not finish within its limit: on party lists unlike today's registry
it could leave the secretariat without a draw. ``draws.reviewers`` is the current version; a record
whose algorithm starts with ``reviewers-v2:`` is re-run here, unchanged.
"""

from ortools import __version__ as ORTOOLS_VERSION
from ortools.sat.python import cp_model

from draws import seeds
from draws.model import Infeasible
from draws.reviewer_model import ReviewerModel, YearDraw, assignments_of, years_to_draw

ALGORITHM = (
    "reviewers-v2: OR-Tools CP-SAT " + ORTOOLS_VERSION + ", one worker, presolve only with extra reviewers, deterministic limit; "
    "objective: one pair for all instruments, then same-region legal system, then seeded lot"
)
TIME_LIMIT = 30.0  # deterministic seconds (CP-SAT's own unit, not wall-clock)

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
    """``draws.reviewers.draw_year`` as version 2 made it (same arguments, same result as then)."""
    deferrals = deferrals or {}
    years, sched = years_to_draw(schedule, year, fixed)
    everyone = sorted(p.iso3 for p in parties.values() if p.is_party)
    for attempt, (pair_only, sample) in enumerate(ATTEMPTS):
        model = ReviewerModel(parties, sched, years, list(history) + list(fixed), settings, deferrals,
                       seeds.rng(seed, "reviewers", year), seeds.rng(seed, "lookahead", year, attempt), sample,
                       pair_only)
        model.require_everyone_reviews(everyone)
        model.forbid(forbid)
        model.maximize()
        solver, status = _solve(model, seed, year)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        if status == cp_model.INFEASIBLE and (pair_only, sample) == ATTEMPTS[-1]:
            raise Infeasible(f"no reviewer draw for {year} satisfies every rule and leaves the rest of the cycle feasible")
    else:
        raise Infeasible(f"the solver found no reviewer draw for {year} within its limit ({solver.status_name(status)})")
    assignments = assignments_of(parties, year, sched[year], model.choices(solver.value), fixed)
    return YearDraw(year, assignments, status=solver.status_name(status), attempt=attempt)


"""The reviewer draw of one year (R5-R11, ToR ¶18-¶20): first a valid draw, then a better one.

Why CP-SAT: the rules are linear constraints over yes/no choices (who reviews whom for what), the
preferences (one pair for all instruments, a same-region reviewer of the same legal system) are a
linear objective, and the lot is a seeded random weight on every choice. CP-SAT takes all three,
proves infeasibility when there is no valid draw, and with one worker and deterministic time
limits it is reproducible for a given OR-Tools version (recorded in ``ALGORITHM``).

A year is drawn in two stages, each over the year and the rest of the cycle (so the last year
cannot dead-end):

1. **A valid completion** of the whole remaining cycle, with no objective: a search for any
   solution is fast where an optimisation of the same model is not. Later years' candidates are
   first a seeded sample (a small model), then all of them; only the full model can prove that no
   draw exists, and when it cannot decide within its budget the draw says so (``Undecided``)
   instead of pretending to know.
2. **Improvement** from that completion: the objective model, started from it, with its reviewers
   always among the candidates. Whatever this stage finds is valid for the whole cycle; if it finds
   nothing better within its budget, the completion's own year is the draw. Quality never costs
   validity.

Records of version 2 are re-run by ``draws.reviewers_v2``.
"""

from ortools import __version__ as ORTOOLS_VERSION
from ortools.sat.python import cp_model

from draws import reviewers_v2, seeds
from draws.diagnose import Collision
from draws.model import Infeasible
from draws.reviewer_model import KeyedLot, ReviewerModel, YearDraw, assignments_of, years_to_draw
from language import _, _n

ALGORITHM = (
    "reviewers-v3: OR-Tools CP-SAT " + ORTOOLS_VERSION + ", one worker, deterministic limits; the year optimised "
    "directly if that is quick, else a valid completion of the cycle first (later years sampled, then whole); then "
    "improved by neighbourhoods: one pair for all instruments, then same-region legal system, then seeded lot"
)
DIRECT_SAMPLE = (6, 4)  # later-year candidates per state of the direct model, (same region, others)
DIRECT_LIMIT = 3.0
# Later-year candidates per state for the completion stage, (same region, others); None: all.
COMPLETION_STAGES = ((8, 6), (20, 15), (40, 30), None)
COMPLETION_LIMITS = (1.0, 2.0, 2.0, 3.0)  # deterministic seconds per stage (CP-SAT's unit, not wall-clock)
IMPROVEMENT_ROUNDS = 2
NEIGHBOURHOOD = 6  # states of the year drawn again together in one improvement step
LATER_NEIGHBOURS = 4  # later-year states of the same groups drawn again with them
IMPROVEMENT_LIMIT = 0.5  # deterministic seconds per step


class Undecided(Infeasible):
    """The engine neither found a draw nor proved that none exists within its budget."""


def _solver(seed, *key, limit, search):
    """A one-worker solver with a deterministic limit; ``search`` (no objective) skips presolve and the LP,
    which only slow down the hunt for any solution of these models (measured: benchmarks/bench_draw_cycle.py)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seeds.derived(seed, "solver", *key) % (2**31)
    solver.parameters.max_deterministic_time = limit
    solver.parameters.cp_model_probing_level = 0
    if search:
        solver.parameters.cp_model_presolve = False
        solver.parameters.linearization_level = 0
    else:
        solver.parameters.linearization_level = 2
        solver.parameters.add_lp_constraints_lazily = False
    return solver


def optimise_directly(parties, sched, years, past, settings, deferrals, seed, year, forbid=None):
    """The quick way first: one model of the year with its objective, one pair only where a state has enough
    candidates party to all its instruments, later years sampled. On lists like today's registry it finds
    the best draw in a fraction of a second: ``(choices, True)`` when proved optimal in its model, which then
    is the draw. Its solution includes a valid completion of the later years. Where it finds nothing within
    its small budget (an infeasible sample proves nothing), ``(None, False)``, and the draw goes the sure way
    (``complete``, then ``improve``)."""
    model = ReviewerModel(parties, sched, years, past, settings, deferrals, KeyedLot(seed, year),
                          seeds.rng(seed, "direct", year), DIRECT_SAMPLE if len(years) > 1 else None,
                          pair_only=True, cover=True)
    model.require_everyone_reviews(sorted(p.iso3 for p in parties.values() if p.is_party))
    model.forbid(forbid)
    model.maximize()
    solver = _solver(seed, "direct", year, limit=DIRECT_LIMIT, search=False)
    # Measured: pair-only models gain nothing from presolve (version 2); the same model with extra reviewers
    # for every state, tried too for a last year, cost 9 s and 130 MB at 250 parties and still found nothing.
    solver.parameters.cp_model_presolve = False
    status = solver.solve(model.m)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return model.choices(solver.value), status == cp_model.OPTIMAL
    return None, False


def complete(parties, schedule, years, history, settings, deferrals, seed, key, forbid=None):
    """A valid completion of ``years``: ``(stage, {s: (pair, extras)})``; raises ``Infeasible`` (naming the rules
    that collide) when the full model proves there is none, ``Undecided`` when no stage decides within its budget."""
    everyone = sorted(p.iso3 for p in parties.values() if p.is_party)
    for stage, (sample, limit) in enumerate(zip(COMPLETION_STAGES, COMPLETION_LIMITS)):
        model = ReviewerModel(parties, schedule, years, history, settings, deferrals, None,
                              seeds.rng(seed, "completion", *key, stage), sample if len(years) > 1 else None,
                              cover=True, objective=False)
        model.require_everyone_reviews(everyone)
        model.forbid(forbid)
        solver = _solver(seed, "completion", *key, stage, limit=limit, search=True)
        status = solver.solve(model.m)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return stage, model.choices(solver.value)
        if status == cp_model.INFEASIBLE and (sample is None or len(years) == 1):
            raise Infeasible(_("no draw satisfies every rule for the rest of the cycle"),
                             blame(parties, schedule, years, history, settings, deferrals, seed, key, forbid))
    raise Undecided(_("the engine found no draw and could not prove within its limit that none exists (${status})",
                      mapping={"status": solver.status_name(status)}))


def blame(parties, schedule, years, history, settings, deferrals, seed, key, forbid=None):
    """The collisions behind an infeasibility that the counting checks (``draws.diagnose``) did not foresee:
    each rule that, set aside alone, would let a draw exist (R9 deferrals, R7 mutual reviews, the R11
    maximum); the rules together when none does. Only run once a full model has proved infeasibility."""
    everyone = sorted(p.iso3 for p in parties.values() if p.is_party)
    deferring = {y: tuple(sorted(deferrals[y])) for y in years if deferrals.get(y)}
    trials = [("R9", {}, frozenset())] if deferring else []
    trials += [("R7", deferrals, frozenset({"R7"})), ("R11", deferrals, frozenset({"R11"}))]
    found = []
    for rule, kept, aside in trials:
        model = ReviewerModel(parties, schedule, years, history, settings, kept, None, aside=aside, objective=False)
        model.require_everyone_reviews([] if rule == "R11" else everyone)
        model.forbid(forbid)
        if _solver(seed, "blame", *key, rule, limit=COMPLETION_LIMITS[-1], search=True).solve(model.m) not in \
                (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        if rule == "R9":
            text = _("with the deferrals recorded (${deferrals}) no valid draw exists; without them one does.",
                     mapping={"deferrals": "; ".join(f"{y}: {', '.join(states)}" for y, states in sorted(deferring.items()))})
            found.append(Collision(("R5", "R6", "R9"), tuple(s for states in deferring.values() for s in states), text))
        elif rule == "R7":
            found.append(Collision(("R5", "R6", "R7"), (), _(
                "without mutual reviews no valid draw exists; with some allowed, one does. The states that would "
                "have to review each other depend on the lot; relaxations of R7 for the pairs of a small group or "
                "Protocol may help.")))
        else:
            found.append(Collision(("R5", "R11"), (), _n(
                "with at most ${count} review per party, or with every party reviewing at least once, no valid draw "
                "exists. Raise the cycle's maximum number of reviews.",
                "with at most ${count} reviews per party, or with every party reviewing at least once, no valid draw "
                "exists. Raise the cycle's maximum number of reviews.", settings.max_reviews)))
    if not found:
        found.append(Collision(("R5", "R6", "R7", "R9", "R11"), (), _(
            "no valid draw exists, and setting aside any one of R7, R9 or R11 alone would not make one; the party "
            "list, the schedule or the recorded decisions must change.")))
    return found


def draw_year(parties, schedule, year, history, settings, seed, deferrals=None, fixed=(), forbid=None):
    """Draw the reviewers of ``year``'s states under review; raises ``Infeasible`` when no valid draw exists.

    ``parties`` ``{iso3: Party}``; ``schedule`` ``{year: [iso3, ...]}`` for the whole cycle;
    ``history``: assignments of earlier years. ``fixed``: assignments of this year that stay as
    they are (a redraw for one state keeps the others). ``forbid``: ``{iso3: [reviewer set, ...]}``
    results a redraw must not repeat. ``deferrals``: ``{year: {iso3, ...}}`` (R9).
    """
    deferrals = deferrals or {}
    years, sched = years_to_draw(schedule, year, fixed)
    past = list(history) + list(fixed)
    witness, optimal = optimise_directly(parties, sched, years, past, settings, deferrals, seed, year, forbid)
    stage = -1  # the direct model gave the starting point
    try:
        if witness is None:
            stage, witness = complete(parties, sched, years, past, settings, deferrals, seed, (year,), forbid)
    except Undecided as exc:
        raise Undecided(_("for ${year}: ${reason}", mapping={"year": year, "reason": exc.text})) from None
    except Infeasible as exc:
        raise Infeasible(_("no reviewer draw for ${year} satisfies every rule and leaves the rest of the cycle feasible",
                           mapping={"year": year}), exc.collisions) from None
    choices = dict(witness)
    if optimal:  # the best of its model: improving the year further would only take from the later years
        name = "OPTIMAL"
    else:
        name = "IMPROVED" if improve(parties, sched, year, choices, past, settings, deferrals, seed, forbid) else "COMPLETION"
    rest = [a for y in years[1:] for a in assignments_of(parties, y, sched[y], choices)]
    return YearDraw(year, assignments_of(parties, year, sched[year], choices, fixed), status=name, attempt=stage,
                    rest=rest)


def improve(parties, sched, year, choices, past, settings, deferrals, seed, forbid=None):
    """Improve ``year``'s part of ``choices`` (a valid completion of the cycle) in place by large-neighbourhood
    search; returns the number of steps that changed something.

    In each round a few states of the year (a seeded order, ``NEIGHBOURHOOD`` at a time) are drawn
    again with every eligible candidate, together with a few later-year states of the same regional
    groups (which may give up a reviewer this year needs), while everything else stays as it is.
    Each small model starts from the current choices, so it can only keep or improve them, and every
    result stays valid for the whole cycle.
    """
    lot = KeyedLot(seed, year)
    everyone = sorted(p.iso3 for p in parties.values() if p.is_party)
    year_of = {s: y for y, states in sched.items() for s in states}
    improvements = 0
    for round_ in range(IMPROVEMENT_ROUNDS):
        rng = seeds.rng(seed, "neighbourhoods", year, round_)
        order = sorted(sched[year])
        rng.shuffle(order)
        order.sort(key=lambda s: parties[s].group or "")  # states of one group compete for its reviewers
        shift = (round_ * NEIGHBOURHOOD // 2) % max(1, len(order))
        order = order[shift:] + order[:shift]  # chunks straddle the previous round's boundaries
        for start in range(0, len(order), NEIGHBOURHOOD):
            part = order[start:start + NEIGHBOURHOOD]
            groups = {parties[s].group for s in part}
            nearby = sorted(s for s in choices if year_of[s] != year and parties[s].group in groups)
            part += rng.sample(nearby, min(LATER_NEIGHBOURS, len(nearby)))
            moving = set(part)
            others = past + [a for s in sorted(choices) if s not in moving
                             for a in assignments_of(parties, year_of[s], [s], choices)]
            schedule = {}
            for s in part:
                schedule.setdefault(year_of[s], []).append(s)
            model = ReviewerModel(parties, schedule, sorted(schedule), others, settings, deferrals, lot)
            model.require_everyone_reviews(everyone)
            model.forbid(forbid)
            model.maximize()
            if not model.hint(choices):
                continue
            solver = _solver(seed, "improvement", year, round_, start, limit=IMPROVEMENT_LIMIT, search=False)
            if solver.solve(model.m) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                found = model.choices(solver.value)
                if any(found[s] != choices[s] for s in part):
                    improvements += 1
                choices.update(found)
    return improvements


def draw_year_as(algorithm, *args, **kwargs):
    """``draw_year`` of the version that made a record (``algorithm`` as recorded), to verify it."""
    if algorithm and algorithm.startswith("reviewers-v2:"):
        return reviewers_v2.ALGORITHM, reviewers_v2.draw_year(*args, **kwargs)
    return ALGORITHM, draw_year(*args, **kwargs)


def check_rest(parties, schedule, after_year, history, settings, deferrals=None):
    """Raise ``Infeasible`` unless the years after ``after_year`` can still be drawn under every rule.

    Used when a decision changes a drawn year (an exemption, R10) or the schedule (R3, R9).
    """
    later = sorted(int(y) for y in schedule if int(y) > after_year)
    try:
        complete(parties, schedule, later, history, settings, deferrals or {}, "check", (after_year,))
    except Undecided:  # a subclass of Infeasible: passed on as it is, never reworded as a proof
        raise
    except Infeasible as exc:
        raise Infeasible(_("after ${year} the rest of the cycle could no longer be drawn under every rule",
                           mapping={"year": after_year}), exc.collisions) from None

"""What the secretariat's buttons do to a cycle: prepare and run draws, apply granted requests (R2-R12).

Views call these after the permission check; every refusal is a ``GuardRejected`` with a
translated message, raised before anything changes (or inside the transaction, which then aborts).
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from content.base import now
from content.draw_records import DrawRecord
from content.reviews import sync_reviews
from draws import cycle as engine
from draws import reviewers, rules, schedule as schedule_changes
from draws.diagnose import collisions, deferral_collisions
from draws.model import Assignment, DrawError, Infeasible, Party, Relaxation, index_parties
from draws.parties import from_rows
from language import in_english
from portal.i18n import _, _n
from workflows import GuardRejected, get_workflow

log = logging.getLogger(__name__)


def registry_parties(root):
    """Parties and signatories of the Convention, from the states registry as it is now."""
    states = root["states"]
    rows = {s.iso3: (s.regional_group, s.legal_system) for s in states.values()}
    participation = {s.iso3: {i: s.status(i) for i in ("UNTOC", "TIP", "SOM", "FIR")} for s in states.values()}
    return from_rows(rows, participation)


def cycle_parties(cycle):
    """``{iso3: Party}`` as snapshotted for the cycle at its selection draw (¶13: parties at the start)."""
    return index_parties(Party.from_json(p) for p in cycle.parties or ())


def schedule_of(cycle):
    return {int(y): list(s) for y, s in cycle.schedule.items()}


def deferrals_of(cycle):
    return {int(y): set(s) for y, s in cycle.reviewer_deferrals.items()}


def _refuse(message):
    raise GuardRejected(message)


def _add_record(cycle, record):
    return cycle["draws"].add(cycle.next_draw_name(), record)


def prepare_selection(cycle, root, actor):
    """Snapshot the parties and commit to a seed for the selection draw (R2, R12)."""
    if cycle.schedule:
        _refuse(_("The selection draw of this cycle has already been made."))
    if any(d.kind == "selection" and not d.revealed for d in cycle["draws"].values()):
        _refuse(_("A selection draw is already prepared; run it."))
    parties = registry_parties(root)
    cycle.parties = [p.to_json() for p in parties]
    reviewed = [p for p in parties if p.is_party]
    totals = list(cycle.per_year) if cycle.per_year else None
    if totals is not None and sum(totals) != len(reviewed):
        _refuse(_n("The numbers of states under review per year add up to ${total}, but ${count} state party is "
                   "to be reviewed. Correct the cycle's settings first.",
                   "The numbers of states under review per year add up to ${total}, but ${count} states parties are "
                   "to be reviewed. Correct the cycle's settings first.", len(reviewed), mapping={"total": sum(totals)}))
    inputs = engine.selection_inputs(reviewed, cycle.first_year, len(cycle.years), totals)
    return _add_record(cycle, DrawRecord("selection", None, inputs, actor))


def next_reviewer_year(cycle):
    """The first year whose reviewers are not drawn yet, or None."""
    for year in cycle.years:
        if not cycle.assignments.get(year):
            return year
    return None


def year_collisions(cycle, year):
    """The rule collisions a reviewer draw for ``year`` would meet (listed on the cycle page): those the draw
    itself checks, over the whole cycle's schedule (states reviewed in earlier years are scheduled too)."""
    if not cycle.schedule:
        return []
    parties = cycle_parties(cycle)
    to_review = [s for _y, states in cycle.schedule.items() for s in states]
    settings = cycle.settings()
    return collisions(parties, to_review, settings) + \
        deferral_collisions(parties, schedule_of(cycle), settings, deferrals_of(cycle), from_year=year)


def prepare_reviewers(cycle, actor):
    """Snapshot the inputs and commit to a seed for the next year's reviewer draw (R6: at the start of each year)."""
    year = next_reviewer_year(cycle)
    if not cycle.schedule:
        _refuse(_("Run the selection draw first: it decides which states are reviewed in which year."))
    if year is None:
        _refuse(_("The reviewing States of every year of this cycle have been drawn."))
    if any(d.kind == "reviewers" and not d.revealed for d in cycle["draws"].values()):
        _refuse(_("A drawing of lots is already prepared; run it."))
    parties = list(cycle_parties(cycle).values())
    inputs = engine.reviewer_inputs(parties, schedule_of(cycle), year, cycle.history_before(year), cycle.settings(),
                                    deferrals_of(cycle))
    return _add_record(cycle, DrawRecord("reviewers", year, inputs, actor))


STALE_AFTER = timedelta(minutes=15)  # a draw "running" longer than this lost its process; it may be started again


@dataclass(frozen=True)
class Job:
    """What the engine needs, read from a record in the transaction that starts it (the seed stays in memory)."""

    kind: str
    inputs: dict
    seed: str


@dataclass(frozen=True)
class Outcome:
    """What the engine gave: an algorithm and a result, or a failure in English and as translation strings."""

    algorithm: str = ""
    result: dict | None = None
    failure: str = ""
    paragraphs: tuple = ()


def start_draw(record, actor):
    """Mark a prepared draw as running and return its ``Job``; refuse one already run or running.

    Two secretariat users who press "run" together both write the record: one commit wins, the other
    conflicts, is retried, and is refused here. A draw whose process died (still "running" after
    ``STALE_AFTER``) may be started again: the same seed gives the same result, so nothing can be fished.
    """
    if record.revealed:
        _refuse(_("This drawing of lots has already been run."))
    if record.running_since is not None and now() - record.running_since < STALE_AFTER:
        _refuse(_("This drawing of lots is already running: ${user} started it at ${time}. Its page shows the "
                  "result as soon as it is ready.",
                  mapping={"user": record.running_by, "time": record.running_since.strftime("%H:%M:%S UTC")}))
    record.start(actor, now())
    return Job(record.kind, record.inputs, record._seed)


def compute(job):
    """Run the engine for ``job``: no database, no transaction (seconds to a minute). Returns an ``Outcome``."""
    try:
        algorithm, result = engine.run(job.kind, job.inputs, job.seed)
    except Infeasible as exc:
        return Outcome(failure=exc.explain(), paragraphs=tuple(map(tuple, exc.paragraphs())))
    except DrawError as exc:
        return Outcome(failure=exc.message, paragraphs=((exc.message,),))
    except Exception as exc:  # noqa: BLE001 - a fault of the engine must end the "running" state, not hide it
        log.exception("the draw engine failed")
        message = _("The draw engine stopped with an error (${error}); the secretariat's technical staff have the "
                    "details in the portal's log.", mapping={"error": type(exc).__name__})
        return Outcome(failure=in_english(message), paragraphs=((message,),))
    return Outcome(algorithm=algorithm, result=result)


def finish_draw(record, actor, outcome, request=None):
    """Store ``outcome`` in ``record``, reveal the seed and apply the result to the cycle, all in one commit.

    An infeasible reviewer draw is kept as a failed record (the seed is revealed all the same);
    its explanation lists the rules that collide and the relaxations the secretariat may record.
    A record already finished (a stale draw finished twice) is left as it is. Returns the record.
    """
    if record.revealed:
        return record
    cycle = record.__parent__.__parent__
    record.finish(actor, outcome.algorithm, outcome.result, outcome.failure, outcome.paragraphs)
    if outcome.result is None:
        return record
    result = outcome.result
    if record.kind == "selection":
        for year, states in result["years"].items():
            cycle.schedule[int(year)] = tuple(states)
        cycle.record(actor, "selection", draw=record.__name__)
        # A consequence of running the draw, which the caller was allowed to do.
        get_workflow(cycle).fire(cycle, request, "record-selection", check_permission=False, actor=actor)
    else:
        year = record.year
        cycle.assignments[year] = tuple(result["assignments"])
        if record.redraw_of:
            for other in cycle["draws"].values():
                if other is not record and other.kind == "reviewers" and other.year == year and not other.superseded_by \
                        and other.result is not None:
                    other.superseded_by = record.__name__
        cycle.record(actor, "reviewers", draw=record.__name__, year=year,
                     redraw_of=record.redraw_of)
        sync_reviews(cycle, year, actor)
    return record


def run_draw(record, actor, request=None):
    """Run a prepared draw in the current transaction, start to finish (scripts and the demo; the portal's
    button uses ``portal.draw_runner``, which keeps the engine outside any transaction). Returns the record."""
    return finish_draw(record, actor, compute(start_draw(record, actor)), request)


def redraws_of(cycle, iso3):
    """How many redraws ``iso3`` has had in this cycle (R8)."""
    return sum(1 for d in cycle["draws"].values() if d.redraw_of == iso3 and d.result is not None)


# The refusals of ``draws/schedule.py`` (in English there) by their code, in the reader's language.
SCHEDULE_REFUSALS = {
    "justification": lambda m: _("a deferral needs a written justification (ToR ¶14)."),
    "not-selected": lambda m: _("${iso3} is not selected for ${year}.", mapping=m),
    "last-year": lambda m: _("${year} is the last year of the cycle: there is no following year to defer to.", mapping=m),
    "unknown": lambda m: _("${iso3} is neither a party nor a signatory of the Convention.", mapping=m),
    "year": lambda m: _("${year} is not a year of the cycle.", mapping=m),
    "already": lambda m: _("${iso3} is already scheduled for ${year}.", mapping=m),
}


def apply_request(req, actor, request=None):
    """Carry out a granted request (on its ``grant`` transition, ``portal/subscribers.py``) for ``actor``;
    refuse what the rules forbid."""
    cycle = req.__parent__.__parent__
    if any(not d.revealed for d in cycle["draws"].values()):  # its inputs snapshot would be out of date
        _refuse(_("A drawing of lots is already prepared; run it."))
    _decide(cycle, req, actor, request)
    cycle.record(actor, req.kind, state=req.state, year=req.year, request=req.__name__)


def check_request(cycle, req):
    """Refuse (``GuardRejected``, saying why) a request that granting would refuse whatever the secretariat
    decides, when it is filed: the same checks as the decision (``_decide``), changing nothing. Left to the
    decision: a redraw beyond the maximum (a decision on exceptional circumstances may grant it, R8), what
    depends on the volunteer the secretariat names for an exemption (R10), a prepared draw (a reason to wait,
    not to refuse), and a feasibility check the engine could not decide within its limit."""
    _decide(cycle, req, None, None, dry_run=True)


def _decide(cycle, req, actor, request, dry_run=False):
    """Check ``req`` against the rules and, unless ``dry_run``, carry it out."""
    year, iso3 = req.year, req.state
    sched, deferrals = schedule_of(cycle), deferrals_of(cycle)
    if req.kind in ("deferral", "volunteer", "reviewer-deferral") and cycle.assignments.get(year):
        _refuse(_("The reviewing States for ${year} have already been drawn; this request can no longer be granted.",
                  mapping={"year": year}))
    try:
        if req.kind == "deferral":  # R3
            sched = schedule_changes.defer(sched, iso3, year, req.justification)
        elif req.kind == "volunteer":  # R3, R4
            sched = schedule_changes.volunteer(sched, cycle_parties(cycle), iso3, year)
        elif req.kind == "reviewer-deferral":  # R9
            if cycle.year_of(iso3) != year:
                _refuse(_("Only a State under review in ${year} may defer serving as reviewer that year.",
                          mapping={"year": year}))
            deferrals[year] = deferrals.get(year, set()) | {iso3}
        elif req.kind == "redraw":  # R8
            _redraw(cycle, req, actor, request, dry_run)
        elif req.kind == "exemption":  # R10
            _exempt(cycle, req, actor, dry_run)
    except DrawError as exc:
        reason = SCHEDULE_REFUSALS[exc.code](exc.mapping) if exc.code in SCHEDULE_REFUSALS else exc.message
        _refuse(_("This request cannot be granted: ${reason}", mapping={"reason": reason}))
    if req.kind in ("deferral", "volunteer", "reviewer-deferral"):
        drawn = [y for y in cycle.years if cycle.assignments.get(y)]
        _check_rest(cycle, max(drawn) if drawn else cycle.first_year - 1, schedule=sched, deferrals=deferrals,
                    undecided_refuses=not dry_run)
        if dry_run:
            return
        if req.kind == "reviewer-deferral":
            cycle.reviewer_deferrals[year] = tuple(sorted(deferrals[year]))
        else:
            _set_schedule(cycle, sched)


def _set_schedule(cycle, new):
    cycle.schedule.clear()
    for y, states in new.items():
        cycle.schedule[int(y)] = tuple(states)


def _check_rest(cycle, after_year, parties=None, history=None, schedule=None, deferrals=None,
                undecided_refuses=True):
    """Refuse a change after which the rest of the cycle could not be drawn (``schedule`` and ``deferrals``:
    the cycle's as they would be after the change; by default as they are).

    Collisions that exist anyway (a state without a regional group, say) are not the change's
    fault: the check assumes the relaxations they offer, which a later draw still needs recorded.
    """
    parties = parties or cycle_parties(cycle)
    history = cycle.history_before(after_year + 1) if history is None else history
    schedule = schedule_of(cycle) if schedule is None else schedule
    settings = cycle.settings()
    to_review = [s for y, states in schedule.items() if int(y) > after_year for s in states]
    for c in collisions(parties, to_review, settings):
        settings.relaxations += [Relaxation.parse(code) for code in c.relaxations[:c.needed]]
    try:
        reviewers.check_rest(parties, schedule, after_year, history, settings,
                             deferrals_of(cycle) if deferrals is None else deferrals)
    except reviewers.Undecided:
        if not undecided_refuses:
            return
        _refuse(_("The draw engine could not decide within its limit whether the rest of the cycle could still be "
                  "drawn; the request is not granted. Ask the technical staff to raise the engine's limit (the same "
                  "input gives the same answer)."))
    except Infeasible:
        _refuse(_("Granting this request would leave no valid drawing of lots for the rest of the cycle."))


def _redraw(cycle, req, actor, request, dry_run=False):
    year, iso3 = req.year, req.state
    if cycle.year_of(iso3) != year or not cycle.assignments.get(year):
        _refuse(_("The reviewing States of ${state} for ${year} have not been drawn.", mapping={"state": iso3, "year": year}))
    if dry_run:  # the maximum is the decision's: exceptional circumstances may allow a further redraw (R8, ¶19)
        return
    if redraws_of(cycle, iso3) >= cycle.max_redraws and not req.exceptional:
        _refuse(_n("${state} has had the maximum of ${count} redraw. A further redraw needs a recorded decision on "
                   "exceptional circumstances (ToR ¶19).",
                   "${state} has had the maximum of ${count} redraws. A further redraw needs a recorded decision on "
                   "exceptional circumstances (ToR ¶19).", cycle.max_redraws, mapping={"state": iso3}))
    current = [Assignment.from_json(a) for a in cycle.assignments[year]]
    fixed = [a for a in current if a.under_review != iso3]
    earlier = [set(a.reviewers) for a in current if a.under_review == iso3]
    forbid = {iso3: [set().union(*earlier)]} if earlier else {}
    parties = list(cycle_parties(cycle).values())
    inputs = engine.reviewer_inputs(parties, schedule_of(cycle), year, cycle.history_before(year), cycle.settings(),
                                    deferrals_of(cycle), fixed, forbid)
    # Prepared only: its seed's commitment is published now, and the secretariat runs it as a second step
    # (the record's "Run" button), so that anyone can see the commitment before the seed is revealed (R12).
    record = _add_record(cycle, DrawRecord("reviewers", year, inputs, actor, redraw_of=iso3))
    record.add_decision(actor, "redraw-request", request=req.__name__,
                        exceptional=bool(req.exceptional))
    req.draw = record.__name__


def _exempt(cycle, req, actor, dry_run=False):
    """R10: the requesting reviewer is replaced, for one state under review, by a state that volunteers
    (``dry_run``: only what does not depend on the volunteer, which the decision names)."""
    year, exempted, sur, volunteer = req.year, req.state, req.under_review, req.volunteer
    if any(r.kind == "exemption" and r.state == exempted and r.workflow_state == "granted" and r is not req
           for r in cycle["requests"].values()):
        _refuse(_("${state} has already been exempted from a review in this cycle (once per cycle).",
                  mapping={"state": exempted}))
    everything = cycle.all_assignments()
    load = rules.reviews_by_reviewer(everything)
    if sur not in load.get(exempted, ()):
        _refuse(_("${state} does not review ${sur} in this cycle.", mapping={"state": exempted, "sur": sur}))
    if len(load.get(exempted, ())) < 2:
        _refuse(_("Only a State called upon for more than one review may be exempted from one (ToR ¶20)."))
    if dry_run:
        return
    if not volunteer:
        _refuse(_("Name the State that volunteers to take over this review."))
    changed = []
    for a in cycle.assignments[year]:
        if a["under_review"] == sur and exempted in a["reviewers"]:
            a = {**a, "reviewers": sorted(volunteer if r == exempted else r for r in a["reviewers"])}
        changed.append(a)
    parties = cycle_parties(cycle)
    new = [Assignment.from_json(a) for y in sorted(cycle.assignments) if y != year for a in cycle.assignments[y]]
    new += [Assignment.from_json(a) for a in changed]
    broken = rules.check(parties, schedule_of(cycle), new, cycle.settings(), deferrals_of(cycle))
    if broken:
        _refuse(_("${state} cannot take over this review: ${reason}",
                  mapping={"state": volunteer, "reason": "; ".join(map(str, broken))}))
    cycle.assignments[year] = tuple(changed)
    _check_rest(cycle, year, parties, [a for a in new if a.year <= year])
    sync_reviews(cycle, year, actor)

"""A whole cycle's draws, and the records that make each draw reproducible (R12).

``run(kind, inputs, seed)`` is the one entry point both the portal and ``portal-draw verify`` use:
a draw record stores ``kind``, ``inputs`` (a JSON snapshot), ``seed``, ``algorithm`` and
``result``, and re-running it must give the identical result. ``simulate`` chains the selection
draw and every year's reviewer draw for ``portal-draw simulate`` and the benchmark.
"""

from draws import diagnose, reviewers, rules, selection
from draws.model import Assignment, DrawError, Infeasible, Party, Settings, index_parties
from language import _

KINDS = ("selection", "reviewers")


def failed_check(broken):
    """The message of a result that the independent rule check refused (the solver is never trusted)."""
    return _("the draw failed the rule check: ${violations}", mapping={"violations": tuple(v.text() for v in broken)})


def _schedule_from_json(data):
    return {int(y): sorted(states) for y, states in data.items()}


def schedule_to_json(schedule):
    return {str(y): sorted(states) for y, states in sorted(schedule.items())}


def apportionment_to_json(shares):
    """The arithmetic of the selection draw, one line per year and group (R2: "show the arithmetic")."""
    return [
        {
            "year": share.year,
            "total": share.total,
            "tie_broken_by_lot": share.tie_broken_by_lot,
            "groups": [
                {"group": line.group, "size": line.size, "due": f"{line.due.numerator}/{line.due.denominator}",
                 "due_decimal": round(float(line.due), 4), "floor": line.floor,
                 "before": line.reviewed_before, "by_end": line.reviewed_by_end,
                 "this_year": line.this_year, "reason": line.reason,
                 **({"share": f"{line.share.numerator}/{line.share.denominator}",
                     "share_decimal": round(float(line.share), 4)} if line.share is not None else {})}
                for line in share.lines
            ],
        }
        for share in shares
    ]


def selection_inputs(parties, first_year, years, yearly_totals=None):
    """The inputs snapshot of a selection draw: everyone to be reviewed in the cycle."""
    return {
        "parties": [p.to_json() for p in sorted(parties, key=lambda p: p.iso3)],
        "first_year": int(first_year),
        "years": int(years),
        "yearly_totals": list(yearly_totals) if yearly_totals else None,
    }


def reviewer_inputs(parties, schedule, year, history, settings, deferrals=None, fixed=(), forbid=None):
    """The inputs snapshot of one year's reviewer draw (or of a redraw, with ``fixed`` and ``forbid``)."""
    return {
        "parties": [p.to_json() for p in sorted(parties, key=lambda p: p.iso3)],
        "schedule": schedule_to_json(schedule),
        "year": int(year),
        "history": [a.to_json() for a in history],
        "settings": settings.to_json(),
        "deferrals": {str(y): sorted(s) for y, s in sorted((deferrals or {}).items()) if s},
        "fixed": [a.to_json() for a in fixed],
        "forbid": {s: [sorted(r) for r in sets] for s, sets in sorted((forbid or {}).items())},
    }


def run(kind, inputs, seed, algorithm=None):
    """Run a draw from its inputs snapshot; returns ``(algorithm, result)`` with a JSON-ready result.
    ``algorithm``: the version to run (an older selection version, to verify its record); the current one
    by default.

    Raises ``Infeasible`` (with the collisions found) or ``DrawError`` for bad inputs.
    """
    parties = [Party.from_json(p) for p in inputs["parties"]]
    index = index_parties(parties)
    if kind == "selection":
        groups = {p.iso3: p.group for p in parties}
        sel = selection.draw_selection(groups, inputs["first_year"], inputs["years"], seed, inputs.get("yearly_totals"),
                                       algorithm if algorithm in selection.APPORTIONMENTS else selection.ALGORITHM)
        return sel.algorithm, {"years": schedule_to_json(sel.years),
                               "apportionment": apportionment_to_json(sel.apportionment)}
    if kind == "reviewers":
        schedule = _schedule_from_json(inputs["schedule"])
        settings = Settings.from_json(inputs["settings"])
        year = int(inputs["year"])
        history = [Assignment.from_json(a) for a in inputs["history"]]
        fixed = [Assignment.from_json(a) for a in inputs.get("fixed", ())]
        deferrals = {int(y): set(s) for y, s in inputs.get("deferrals", {}).items()}
        forbid = {s: [set(r) for r in sets] for s, sets in inputs.get("forbid", {}).items()}
        to_review = [s for states in schedule.values() for s in states]
        found = diagnose.collisions(index, to_review, settings) + \
            diagnose.deferral_collisions(index, schedule, settings, deferrals, from_year=year)
        if found:
            raise Infeasible(_("the rules collide for this input; no draw is made"), found)
        version, drawn = reviewers.draw_year_as(algorithm, index, schedule, year, history, settings, seed, deferrals,
                                                fixed, forbid)
        broken = rules.check(index, schedule, history + drawn.assignments, settings, deferrals)
        if broken:  # never publish a draw that breaks a rule, whatever the solver says
            raise Infeasible(failed_check(broken))
        return version, {"assignments": [a.to_json() for a in drawn.assignments]}
    raise DrawError(f"unknown kind of draw {kind!r}", code="kind", kind=kind)


def verify(record):
    """Re-run a recorded draw (a mapping with kind, inputs, seed, algorithm, result): ``(ok, message)``."""
    algorithm, result = run(record["kind"], record["inputs"], record["seed"], record["algorithm"])
    if algorithm != record["algorithm"]:
        return False, f"the draw was made with {record['algorithm']!r}; this engine is {algorithm!r}"
    if result != record["result"]:
        return False, "re-running the draw gives a different result"
    return True, "re-running the draw gives the identical result"


def quality(parties, assignments):
    """Two figures (R5, R6): the share of states under review whose reviewers are one pair for all
    their instruments, and the share whose same-region reviewer shares their legal system family
    (among states with a known group and legal system)."""
    by_sur = {}
    for a in assignments:
        by_sur.setdefault(a.under_review, set()).update(a.reviewers)
    index = parties if isinstance(parties, dict) else index_parties(parties)
    one_pair = sum(1 for revs in by_sur.values() if len(revs) == 2)
    known = [s for s in by_sur if index[s].group and index[s].legal_system]
    legal = sum(1 for s in known if any(index[r].group == index[s].group
                                       and index[r].legal_system == index[s].legal_system for r in by_sur[s]))
    return {"states": len(by_sur), "one_pair": one_pair / len(by_sur) if by_sur else 0.0,
            "legal_match": legal / len(known) if known else 0.0}


def simulate(parties, first_year, years, seed, yearly_totals=None, max_reviews=3, volunteers=(), relaxations=(),
             deferrals=None):
    """Selection and every year's reviewers for a whole cycle, as ``portal-draw simulate`` prints it.

    ``parties``: ``[Party]`` (signatories included); signatories are reviewed only when named in
    ``volunteers`` (R4) and never review. ``deferrals``: ``{year: {iso3}}`` of states that defer
    serving as reviewer that year (R9). Raises ``Infeasible`` or ``DrawError``.
    """
    deferrals = {int(y): set(s) for y, s in (deferrals or {}).items()}
    index = index_parties(parties)
    for v in volunteers:
        if v not in index:
            raise DrawError(f"volunteer {v} is not in the list of parties", code="volunteer", iso3=v)
        if index[v].is_party:
            raise DrawError(f"volunteer {v} is a state party: it is reviewed anyway", code="volunteer-party", iso3=v)
    reviewed = [p for p in parties if p.is_party or p.iso3 in volunteers]
    if yearly_totals is not None:
        if len(yearly_totals) != years:
            raise DrawError(f"{len(yearly_totals)} yearly numbers given for a cycle of {years} years",
                            code="per-year-count", given=len(yearly_totals), years=years)
        if sum(yearly_totals) != len(reviewed):
            raise DrawError(f"the yearly numbers add up to {sum(yearly_totals)}, but {len(reviewed)} states are to "
                            "be reviewed", code="per-year-sum", total=sum(yearly_totals), states=len(reviewed))
    settings = Settings(max_reviews=max_reviews, relaxations=list(relaxations))
    found = diagnose.collisions(index, [p.iso3 for p in reviewed], settings)
    if found:
        raise Infeasible(_("the rules collide for this input; no draw is made"), found)
    _algorithm, sel = run("selection", selection_inputs(reviewed, first_year, years, yearly_totals), seed)
    schedule = _schedule_from_json(sel["years"])
    history = []
    for year in sorted(schedule):
        _algorithm, result = run("reviewers", reviewer_inputs(parties, schedule, year, history, settings, deferrals), seed)
        history += [Assignment.from_json(a) for a in result["assignments"]]
    broken = rules.check(index, schedule, history, settings, deferrals, complete=True)
    if broken:
        raise Infeasible(failed_check(broken))
    return {
        "seed": seed,
        "algorithm": f"{selection.ALGORITHM} | {reviewers.ALGORITHM}",
        "years": sel["years"],
        "assignments": [a.to_json() for a in sorted(history, key=lambda a: (a.year, a.under_review, a.instrument))],
    }

"""Changes to the schedule after the selection draw: deferral and volunteering (R3, R4, ToR ¶14, ¶55).

A schedule is ``{year: [iso3, ...]}``. Each function returns a new schedule and leaves the one it
was given untouched; a ``DrawError`` says why a change is not allowed.
"""

from draws.model import DrawError


def year_of(schedule, iso3):
    """The year ``iso3`` is scheduled for, or ``None``."""
    for year, states in schedule.items():
        if iso3 in states:
            return int(year)
    return None


def _copy(schedule):
    return {int(y): sorted(s) for y, s in schedule.items()}


def defer(schedule, iso3, year, justification):
    """R3: ``iso3``, selected for ``year``, is reviewed in the following year instead."""
    if not (justification or "").strip():
        raise DrawError("a deferral needs a written justification (ToR ¶14)", code="justification")
    if year_of(schedule, iso3) != year:
        raise DrawError(f"{iso3} is not selected for {year}", code="not-selected", iso3=iso3, year=year)
    if year + 1 not in {int(y) for y in schedule}:
        raise DrawError(f"{year} is the last year of the cycle: there is no following year to defer to",
                        code="last-year", year=year)
    out = _copy(schedule)
    out[year].remove(iso3)
    out[year + 1] = sorted(out[year + 1] + [iso3])
    return out


def volunteer(schedule, parties, iso3, year):
    """R3/R4: ``iso3`` volunteers to be reviewed in ``year``: a state party due later, or a signatory
    (reviewed for the Convention only, R4)."""
    party = parties.get(iso3)
    if party is None:
        raise DrawError(f"{iso3} is neither a party nor a signatory of the Convention", code="unknown", iso3=iso3)
    if int(year) not in {int(y) for y in schedule}:
        raise DrawError(f"{year} is not a year of the cycle", code="year", year=year)
    current = year_of(schedule, iso3)
    if current is not None and current <= year:
        raise DrawError(f"{iso3} is already scheduled for {current}", code="already", iso3=iso3, year=current)
    out = _copy(schedule)
    if current is not None:
        out[current].remove(iso3)
    out[int(year)] = sorted(out[int(year)] + [iso3])
    return out

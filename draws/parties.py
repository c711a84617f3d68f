"""Party lists for the draw engine: the ``portal-draw`` CSV format, and the shipped registry data.

CSV columns: ``iso3,regional_group,legal_system,instruments,status``; ``instruments`` is a
``;``-separated list among UNTOC, TIP, SOM, FIR; ``status`` is ``party`` or ``signatory`` (of the
Convention). An empty ``regional_group`` (or ``none``) means outside any regional group.
"""

import csv
import io
import re
from pathlib import Path

from draws.model import CONVENTION, INSTRUMENTS, NO_GROUP, DrawError, Party

COLUMNS = ("iso3", "regional_group", "legal_system", "instruments", "status")
ISO3 = re.compile(r"^[A-Z]{3}$")
DATA_DIR = Path(__file__).resolve().parent.parent / "content" / "data"


def parse_csv(text):
    """``[Party, ...]`` from CSV text; a ``DrawError`` naming the line for the first fault found."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise DrawError(f"the CSV file lacks the column(s) {', '.join(missing)}; "
                        f"expected {','.join(COLUMNS)}", code="columns", columns=", ".join(missing))
    parties, seen = [], set()
    for line, row in enumerate(reader, start=2):
        iso3 = (row["iso3"] or "").strip().upper()
        if not ISO3.match(iso3):
            raise DrawError(f"line {line}: {row['iso3']!r} is not an ISO3 code", code="iso3", line=line, value=row["iso3"])
        if iso3 in seen:
            raise DrawError(f"line {line}: {iso3} is listed twice", code="duplicate", line=line, iso3=iso3)
        seen.add(iso3)
        status = (row["status"] or "").strip().lower()
        if status not in ("party", "signatory"):
            raise DrawError(f"line {line}: status {row['status']!r} must be party or signatory",
                            code="status", line=line, value=row["status"])
        instruments = [i.strip().upper() for i in (row["instruments"] or "").split(";") if i.strip()]
        unknown = [i for i in instruments if i not in INSTRUMENTS]
        if unknown:
            raise DrawError(f"line {line}: unknown instrument {unknown[0]!r}; use {';'.join(INSTRUMENTS)}",
                            code="instrument", line=line, value=unknown[0])
        if len(set(instruments)) != len(instruments):
            raise DrawError(f"line {line}: an instrument is listed twice", code="instrument-twice", line=line)
        if status == "party" and CONVENTION not in instruments:
            raise DrawError(f"line {line}: a state party to the Convention must list UNTOC",
                            code="no-convention", line=line)
        if status == "signatory" and instruments:
            raise DrawError(f"line {line}: a signatory is party to no instrument; leave instruments empty",
                            code="signatory-instruments", line=line)
        group = (row["regional_group"] or "").strip()
        parties.append(Party(iso3, None if group in ("", NO_GROUP) else group,
                             (row["legal_system"] or "").strip() or None, frozenset(instruments), status))
    if not parties:
        raise DrawError("the CSV file lists no state", code="empty")
    return parties


def to_csv(parties):
    """The CSV text of ``parties`` (the inverse of ``parse_csv``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for p in sorted(parties, key=lambda p: p.iso3):
        writer.writerow([p.iso3, p.group or "", p.legal_system or "",
                         ";".join(i for i in INSTRUMENTS if i in p.instruments), p.status])
    return out.getvalue()


def from_rows(states, participation):
    """Parties from registry rows: ``states`` ``{iso3: (group, legal system)}``, ``participation``
    ``{iso3: {instrument: status}}``. Parties to the Convention, and its signatories."""
    parties = []
    for iso3, status in sorted(participation.items()):
        convention = status.get(CONVENTION)
        if convention not in ("party", "signatory"):
            continue
        group, legal = states.get(iso3, (None, None))
        instruments = frozenset(i for i in INSTRUMENTS if status.get(i) == "party") if convention == "party" else frozenset()
        parties.append(Party(iso3, group or None, legal or None, instruments, convention))
    return parties


def shipped():
    """The parties and signatories of the shipped reference data (``content/data``)."""
    with open(DATA_DIR / "states.csv", encoding="utf-8") as f:
        states = {r["iso3"]: (r["regional_group"], r["legal_system"]) for r in csv.DictReader(f)}
    participation = {}
    with open(DATA_DIR / "participation.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            participation.setdefault(r["iso3"], {})[r["instrument"]] = r["status"]
    return from_rows(states, participation)

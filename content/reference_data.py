"""Reading and validating states/participation CSV files: the shipped registry and the secretariat's updates.

Both file shapes of ``content/data/`` are accepted: a states file (``iso3`` plus any of the state
columns) and a participation file (``iso3,instrument,status,...``). An import is all or nothing:
every row is checked first, and any error leaves the registry untouched.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from content.states import (
    CONSENT_TYPES,
    INSTRUMENTS,
    KINDS,
    LEGAL_SYSTEMS,
    REGIONAL_GROUPS,
    STATE_FIELDS,
    STATUSES,
    State,
)
from translationstring import TranslationString

from language import _, _n

DATA_DIR = Path(__file__).resolve().parent / "data"
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
MAX_NAME_LENGTH = 200
MAX_DETAIL_LENGTH = 2000
PARTICIPATION_COLUMNS = ("iso3", "instrument", "status", "signature_date", "consent_date", "consent_type")
PARTICIPATION_EXTRA = ("source", "as_of")
ISO3 = re.compile(r"^[A-Z]{3}$")
ISO2 = re.compile(r"^[A-Z]{2}$")


@dataclass
class ImportResult:
    """What an import would change (``changes``) or why it cannot (``errors``, translation strings)."""

    kind: str = ""
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    changes: list = field(default_factory=list)


def _err(result, line, message, **mapping):
    mapping["line"] = line
    result.errors.append(TranslationString(message, mapping=mapping))


def _too_long(result, line, column, limit):
    result.errors.append(_n("Line ${line}: “${column}” is longer than ${count} character.",
                            "Line ${line}: “${column}” is longer than ${count} characters.", limit,
                            mapping={"line": line, "column": column}))


def decode_upload(data):
    """Bytes to text (UTF-8, with or without BOM); raises ValueError with a translation string."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ValueError(_("The file is larger than ${limit} MB.", mapping={"limit": MAX_IMPORT_BYTES // (1024 * 1024)}))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            _("The file is not valid UTF-8 text (first bad byte at position ${pos}). Save it as CSV UTF-8 and try again.",
              mapping={"pos": exc.start})
        ) from None


def _valid_date(value):
    if value == "":
        return True
    try:
        date.fromisoformat(value)
        return len(value) == 10
    except ValueError:
        return False


def _check_state_value(result, line, column, value):
    if column.startswith(("name_", "formal_")):
        if len(value) > MAX_NAME_LENGTH:
            _too_long(result, line, column, MAX_NAME_LENGTH)
        elif column == "name_en" and not value:
            _err(result, line, _("Line ${line}: the English name may not be empty."))
    elif column == "iso2":
        if value and not ISO2.match(value):
            _err(result, line, _("Line ${line}: “${value}” is not a two-letter code."), value=value[:20])
    elif column == "un_member":
        if value not in ("true", "false"):
            _err(result, line, _("Line ${line}: un_member must be “true” or “false”, not “${value}”."), value=value[:20])
    elif column == "regional_group":
        if value and value not in REGIONAL_GROUPS:
            _err(result, line, _("Line ${line}: unknown regional group “${value}”."), value=value[:60])
    elif column == "legal_system":
        if value and value not in LEGAL_SYSTEMS:
            _err(result, line, _("Line ${line}: unknown legal system “${value}”."), value=value[:60])
    elif column == "legal_system_detail":
        if len(value) > MAX_DETAIL_LENGTH:
            _too_long(result, line, column, MAX_DETAIL_LENGTH)
    elif column == "kind":
        if value not in KINDS:
            _err(result, line, _("Line ${line}: kind must be “state” or “reio”, not “${value}”."), value=value[:20])


def _typed(column, value):
    return value == "true" if column == "un_member" else value


def parse(text, known_codes=None):
    """Parse and validate CSV text; ``known_codes`` (a set of ISO3) rejects codes not in the registry."""
    result = ImportResult()
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        result.errors.append(_("The file is empty."))
        return result
    except csv.Error as exc:
        result.errors.append(_("The file is not valid CSV: ${error}", mapping={"error": str(exc)}))
        return result
    header = [h.strip() for h in header]
    if "iso3" not in header:
        result.errors.append(_("The first line must name the columns, including “iso3”."))
        return result
    if len(set(header)) != len(header):
        result.errors.append(_("A column is named twice in the first line."))
        return result
    if "instrument" in header:
        result.kind = "participation"
        allowed = set(PARTICIPATION_COLUMNS) | set(PARTICIPATION_EXTRA)
        required = {"iso3", "instrument", "status"}
    else:
        result.kind = "states"
        allowed = {"iso3"} | set(STATE_FIELDS)
        required = {"iso3"}
    unknown = [h for h in header if h not in allowed]
    if unknown:
        result.errors.append(_n("Unknown column: ${columns}.", "Unknown columns: ${columns}.", len(unknown),
                                  mapping={"columns": tuple(h[:40] for h in unknown[:20])}))
        return result
    missing = sorted(required - set(header))
    if missing:
        result.errors.append(_n("Missing column: ${columns}.", "Missing columns: ${columns}.", len(missing),
                                  mapping={"columns": tuple(missing)}))
        return result

    seen = set()
    line = 1
    try:
        for raw in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in raw):
                continue
            if len(result.rows) >= MAX_IMPORT_ROWS:
                result.errors.append(_n("The file has more than ${count} row.", "The file has more than ${count} rows.", MAX_IMPORT_ROWS))
                break
            if len(raw) != len(header):
                _err(result, line, _("Line ${line}: expected ${expected} values, found ${found}."), expected=len(header), found=len(raw))
                continue
            row = {h: v.strip() for h, v in zip(header, raw)}
            iso3 = row["iso3"]
            if not ISO3.match(iso3):
                _err(result, line, _("Line ${line}: “${value}” is not a three-letter ISO code."), value=iso3[:20])
                continue
            if known_codes is not None and iso3 not in known_codes:
                _err(result, line, _("Line ${line}: no state with the code “${value}” in the registry."), value=iso3)
                continue
            if result.kind == "participation":
                key = (iso3, row["instrument"])
                if row["instrument"] not in INSTRUMENTS:
                    _err(result, line, _("Line ${line}: unknown instrument “${value}” (use UNTOC, TIP, SOM or FIR)."), value=row["instrument"][:20])
                    continue
                if row["status"] not in STATUSES:
                    _err(result, line, _("Line ${line}: status must be party, signatory or none, not “${value}”."), value=row["status"][:20])
                for column in ("signature_date", "consent_date"):
                    if column in row and not _valid_date(row[column]):
                        _err(result, line, _("Line ${line}: “${value}” is not a date (YYYY-MM-DD)."), value=row[column][:20])
                if row.get("consent_type") and row["consent_type"] not in CONSENT_TYPES:
                    _err(result, line, _("Line ${line}: unknown consent type “${value}”."), value=row["consent_type"][:30])
                for column in PARTICIPATION_EXTRA:
                    if len(row.get(column, "")) > MAX_DETAIL_LENGTH:
                        _too_long(result, line, column, MAX_DETAIL_LENGTH)
            else:
                key = iso3
                for column, value in row.items():
                    if column != "iso3":
                        _check_state_value(result, line, column, value)
            if key in seen:
                _err(result, line, _("Line ${line}: this row repeats an earlier one for the same state."))
                continue
            seen.add(key)
            row["_line"] = line
            result.rows.append(row)
    except csv.Error as exc:
        result.errors.append(_("The file is not valid CSV: ${error}", mapping={"error": str(exc)}))
    if not result.rows and not result.errors:
        result.errors.append(_("The file has no data rows."))
    return result


def apply(states_folder, result, actor, source):
    """Write a validated result into the registry, recording every changed field; returns the changes."""
    if result.errors:
        raise ValueError("refusing to apply an import with errors")
    changes = []
    for row in result.rows:
        state = states_folder.get(row["iso3"])
        if state is None:
            state = states_folder.add(row["iso3"], State(row["iso3"]))
        if result.kind == "participation":
            prefix = row["instrument"] + "_"
            for column in PARTICIPATION_COLUMNS[2:] + PARTICIPATION_EXTRA:
                if column in row:
                    change = state.set_field(prefix + column, row[column], actor, source)
                    if change:
                        changes.append((state.iso3, change))
        else:
            for column, value in row.items():
                if column in ("iso3", "_line"):
                    continue
                change = state.set_field(column, _typed(column, value), actor, source)
                if change:
                    changes.append((state.iso3, change))
    result.changes = changes
    return changes


def import_bytes(states_folder, data, actor, source):
    """Decode, validate and, only when everything is valid, apply an uploaded CSV file."""
    try:
        text = decode_upload(data)
    except ValueError as exc:
        return ImportResult(errors=[exc.args[0]])
    result = parse(text, known_codes=set(states_folder.keys()))
    if not result.errors:
        apply(states_folder, result, actor, source)
    return result


def shipped_state_rows():
    """``{iso3: {field: value}}`` of the shipped ``states.csv``."""
    result = parse((DATA_DIR / "states.csv").read_text(encoding="utf-8"))
    return {row["iso3"]: {k: _typed(k, v) for k, v in row.items() if k not in ("iso3", "_line")} for row in result.rows}


def load_registry(states_folder):
    """Load the shipped ``states.csv`` and ``participation.csv`` into an empty registry (no history kept)."""
    for filename in ("states.csv", "participation.csv"):
        result = parse((DATA_DIR / filename).read_text(encoding="utf-8"))
        if result.errors:
            raise ValueError(f"shipped {filename} is invalid: {[str(e) for e in result.errors[:5]]}")
        apply(states_folder, result, actor="system", source=f"reference data {filename}")
    for state in states_folder.values():
        del state.changes[:]

"""The open data API, version 1 (issue 22 §5; docs/api.md, ``/api/v1/openapi.json``): the public facts of the
mechanism as JSON and as CSV tables. States and their participation, cycles, each cycle's schedule with its
reviewers and stages, and the published documents. Nothing here is confidential: a review gives its stage
only, and a document is listed only when the public may read it (``portal.security.public``)."""

import csv
import io

from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from content.root import PortalRoot
from content.states import INSTRUMENTS, PARTICIPATION_FIELDS
from portal.i18n import LANGUAGES, localizer, translate_with
from portal.published import public_parts, public_summaries
from workflows import get_workflow

VERSION = "1"


def states(request):
    rows = []
    for state in sorted(request.root["states"].values(), key=lambda s: s.iso3):
        row = {"iso3": state.iso3, "iso2": state.iso2 or None, "kind": state.kind,
               "regional_group": state.regional_group or None, "legal_system": state.legal_system or None,
               "names": {lang: state.name(lang) for lang in LANGUAGES},
               "participation": {i: {f: (state.participation.get(i) or {}).get(f) or (None if f != "status" else "none")
                                     for f in PARTICIPATION_FIELDS} for i in INSTRUMENTS},
               "url": request.resource_url(state)}
        rows.append(row)
    return rows


def _titles(resource, registry):
    return {lang: translate_with(localizer(lang, registry), resource.title) for lang in LANGUAGES}


def cycles(request):
    return [{"id": cycle.__name__, "title": _titles(cycle, request.registry), "first_year": cycle.first_year,
             "last_year": cycle.last_year, "state": cycle.workflow_state, "url": request.resource_url(cycle)}
            for cycle in sorted(request.root["cycles"].values(), key=lambda c: (c.first_year, c.__name__))]


def reviews(request, cycle):
    """The schedule: per State under review, its year, its reviewing States per instrument, and its stage."""
    reviews_folder = cycle.get("reviews")
    rows = []
    for year in sorted(cycle.schedule):
        reviewers = {}
        for a in cycle.assignments.get(year, ()):
            reviewers.setdefault(a["under_review"], {})[a["instrument"]] = sorted(a["reviewers"])
        for iso3 in sorted(cycle.schedule[year]):
            review = reviews_folder.get(iso3) if reviews_folder is not None else None
            rows.append({"state": iso3, "year": year, "reviewers": reviewers.get(iso3, {}),
                         "stage": get_workflow(review).state_of(review).name if review is not None else None})
    return rows


def documents(request):
    """The published documents of the reviews: executive summaries per language and published parts."""
    def published(resource):
        found = resource.publication()
        return found[1].isoformat() if found else None

    rows = [{"cycle": cycle.__name__, "state": review.state, "kind": "executive-summary", "part": None,
             "finding_kind": None, "language": version.language, "url": request.resource_url(version),
             "pdf": request.resource_url(version, "@@pdf"), "published": published(version)}
            for cycle, review, _group, versions in public_summaries(request.root) for version in versions]
    rows += [{"cycle": cycle.__name__, "state": review.state, "kind": "report-part", "part": part.__name__,
              "finding_kind": part.finding_kind, "language": review.language, "url": request.resource_url(part),
              "pdf": request.resource_url(part, "@@pdf"), "published": published(part)}
             for cycle, review, part in public_parts(request.root)]
    return rows


def _flat(rows):
    """Rows for CSV: nested mappings become columns (``names.fr``, ``participation.TIP.status``), lists are
    joined with spaces."""
    def flatten(prefix, value, out):
        if isinstance(value, dict):
            for key, inner in value.items():
                flatten(f"{prefix}.{key}" if prefix else key, inner, out)
        else:
            out[prefix] = " ".join(value) if isinstance(value, list) else ("" if value is None else value)
        return out
    return [flatten("", row, {}) for row in rows]


def _csv(rows, name):
    flat = _flat(rows)
    columns = list(dict.fromkeys(key for row in flat for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    response = Response(out.getvalue(), content_type="text/csv", charset="utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _json(request, name, rows):
    response = Response(json_body={"version": VERSION, name: rows}, content_type="application/json", charset="utf-8")
    response.headers["Access-Control-Allow-Origin"] = "*"  # public data, for researchers' own pages too
    return response


def openapi(request):
    base = request.resource_url(request.root, "api", "v1")
    table = {"type": "object", "properties": {"version": {"type": "string", "const": VERSION}}}
    paths = {}
    for path, summary_text in (("/states", "States, their names in six languages, regional group, legal system and "
                                            "participation in the Convention and its Protocols"),
                               ("/cycles", "Review cycles"),
                               ("/cycles/{cycle}/reviews", "A cycle's schedule: year, reviewing States per instrument "
                                                           "and stage of each review (no content of a review)"),
                               ("/documents", "Published documents: executive summaries per language, published parts")):
        parameters = ([{"name": "cycle", "in": "path", "required": True, "schema": {"type": "string"}}]
                      if "{cycle}" in path else [])
        for suffix, media in (("", "application/json"), (".csv", "text/csv")):
            paths[path + suffix] = {"get": {"summary": summary_text, "parameters": parameters, "responses": {
                "200": {"description": "OK", "content": {media: {"schema": table if media.endswith("json")
                                                                  else {"type": "string"}}}},
                "404": {"description": "No such cycle"}}}}
    return {"openapi": "3.1.0",
            "info": {"title": "Review Portal open data", "version": VERSION,
                     "description": "Public facts of the mechanism for the review of implementation of the United "
                                    "Nations Convention against Transnational Organized Crime and the Protocols "
                                    "thereto. See docs/api.md."},
            "servers": [{"url": base.rstrip("/")}], "paths": paths}


@view_config(context=PortalRoot, name="api", permission=NO_PERMISSION_REQUIRED, request_method=("GET", "HEAD"))
def api(context, request):
    """``/api/v1/<table>`` (JSON) and ``/api/v1/<table>.csv``; ``/api/v1/openapi.json``."""
    parts = list(request.subpath)
    if not parts or parts[0] != "v" + VERSION:
        raise HTTPNotFound()
    parts = parts[1:]
    request.environ["portal.no_page_cache"] = True
    if parts == ["openapi.json"]:
        response = Response(json_body=openapi(request), content_type="application/json", charset="utf-8")
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response
    if not parts:
        raise HTTPNotFound()
    last = parts[-1]
    as_csv = last.endswith(".csv")
    parts[-1] = last[:-4] if as_csv else last
    if parts == ["states"]:
        name, rows = "states", states(request)
    elif parts == ["cycles"]:
        name, rows = "cycles", cycles(request)
    elif parts == ["documents"]:
        name, rows = "documents", documents(request)
    elif len(parts) == 3 and parts[0] == "cycles" and parts[2] == "reviews" and parts[1] in request.root["cycles"]:
        name, rows = "reviews", reviews(request, request.root["cycles"][parts[1]])
    else:
        raise HTTPNotFound()
    return _csv(rows, name) if as_csv else _json(request, name, rows)

"""``/@@search``: the portal's search, as a page or as JSON (``format=json``), finding only what the reader may
view (the index's access tokens, ``content/search_access.py``), with facets, highlighted passages and pages."""

from urllib.parse import urlencode

from pyramid.traversal import find_resource, lineage
from pyramid.view import view_config

from content.reviews import CountryReview
from content.root import PortalRoot
from content.translations import TranslationGroup
from content.search_documents import FACETS, KINDS
from content.states import INSTRUMENT_SHORT
from language.analysis import highlight
from portal.access_audit import read_under_grant
from portal.i18n import LANGUAGE_NAMES, LANGUAGE_TITLES, _, translate
from portal.security import principals_for
from portal.report_titles import part_title, section_titles
from portal.views.helpers import section_title, sort_key, state_name, title_in
from portal.views.translations import summary_title
from workflows import permissions as P
from workflows.registry import workflow_of_type

PAGE_SIZE = 20
MAX_QUERY = 200
SORTS = ("relevance", "newest", "oldest")
SORT_TITLES = {"relevance": _("most relevant first"), "newest": _("newest first"), "oldest": _("oldest first")}
FACET_TITLES = {
    "kind": _("Kind of document"), "state": _("State"), "cycle": _("Review cycle"), "year": _("Year"),
    "instrument": _("Instrument"), "article": _("Article"), "language": _("Language"), "stage": _("Stage"),
}


def _params(request):
    """The query, the filters, the order and the first result asked for (bad values are ignored)."""
    try:
        get = request.GET
        query = get.get("q", "")[:MAX_QUERY].strip()
        filters = {name: get.get(name, "")[:60] for name in FACETS if get.get(name)}
        sort = get.get("sort") if get.get("sort") in SORTS else "relevance"
        start = int(get.get("start", 0))
    except (ValueError, UnicodeDecodeError):
        return "", {}, "relevance", 0
    return query, filters, sort, max(0, min(start, 10_000))


def facet_label(request, name, value):
    """A facet value as the reader reads it."""
    if name == "kind":
        return translate(request, KINDS.get(value, value))
    if name == "state":
        return state_name(request, value)
    if name == "language":
        return LANGUAGE_NAMES.get(value, value)
    if name == "instrument":
        return translate(request, INSTRUMENT_SHORT.get(value, value))
    if name == "stage":
        workflow = workflow_of_type("CountryReview")
        state = workflow.states.get(value) if workflow is not None else None
        return translate(request, state.title) if state is not None else value
    if name == "cycle":
        cycle = request.root["cycles"].get(value) if "cycles" in request.root else None
        return translate(request, cycle.title) if cycle is not None else value
    return value


def _facet_order(request, name):
    """States in alphabetical order, never by count (R22: no ranking of States); years and articles in their
    order; other values by how many results have them."""
    key = sort_key(request)
    if name == "state":
        return lambda item: key(item["label"])
    if name in ("year", "article"):
        return lambda item: (len(item["value"]), item["value"])
    return lambda item: (-item["count"], key(item["label"]))


def _url(request, query, filters, sort, **change):
    params = {"q": query, **filters, "sort": sort, **change}
    return request.application_url + "/@@search?" + urlencode({k: v for k, v in params.items() if v not in ("", None)})


def _title(request, resource, entry):
    """What the result is called on its own page: a part of a report by its section or finding, a language
    version by its document and language, one section of a checklist or a report by the section's title."""
    kind = entry.kind
    if kind in ("report-part", "good-practice"):
        return part_title(request, resource, resource.__parent__.__parent__)
    if kind in ("summary", "thematic"):
        return translate(request, _("${document} (${language})", mapping={
            "document": summary_title(request, resource.__parent__), "language": LANGUAGE_TITLES[resource.language]}))
    if kind == "checklist":
        section = resource.section(entry.part)
        return section_title(request, section) if section is not None else translate(request, resource.title)
    if kind == "report":
        return section_titles(request, resource).get(entry.part, entry.part)
    if kind == "report-comments":
        return translate(request, KINDS[kind])
    return title_in(request, resource)


def _where(request, resource):
    """The titles of the places above ``resource``, from the top: those the reader may view, and the State of a
    review it may not (that a State is under review is public, R22)."""
    places = []
    for node in reversed(list(lineage(resource))[1:]):
        if node.__parent__ is None:
            continue
        if request.has_permission(P.VIEW, node):
            places.append(summary_title(request, node) if isinstance(node, TranslationGroup) else title_in(request, node))
        elif isinstance(node, CountryReview):
            places.append(state_name(request, node.state))
    return places


def _hits(request, hits, query):
    results = []
    for entry, score in hits:
        try:
            resource = find_resource(request.root, entry.path)
        except KeyError:
            continue  # removed in a transaction this one does not see yet
        read_under_grant(request, resource)  # a grantee's read is recorded however it is shown (R20)
        results.append({
            "title": _title(request, resource, entry),
            "url": request.resource_url(resource) + (f"#{entry.part}" if entry.part else ""),
            "where": _where(request, resource),
            "kind": entry.kind, "kind_title": translate(request, KINDS.get(entry.kind, entry.kind)),
            "language": entry.language,
            "language_name": LANGUAGE_NAMES.get(entry.language, ""),
            "when": entry.when or None,
            "snippet": highlight(entry.text, query),
            "score": score,
        })
    return results


def search_results(request):
    """Everything the page and the JSON show, for the request's query and filters."""
    query, filters, sort, start = _params(request)
    catalog = getattr(request.root, "catalog", None)
    if catalog is None:
        return {"query": query, "filters": filters, "sort": sort, "start": start, "total": 0, "results": [],
                "facets": []}
    total, hits, counts = catalog.search(query, principals_for(request), filters, sort, start, PAGE_SIZE)
    facets = []
    for name in FACETS:
        values = counts.get(name, {})
        chosen = filters.get(name)
        if not values and not chosen:
            continue
        items = [{"value": value, "label": facet_label(request, name, value), "count": count,
                  "selected": value == chosen,
                  "url": _url(request, query, {**filters, name: "" if value == chosen else value}, sort)}
                 for value, count in values.items()]
        items.sort(key=_facet_order(request, name))
        facets.append({"name": name, "title": translate(request, FACET_TITLES[name]), "values": items,
                       "chosen": chosen, "clear": _url(request, query, {**filters, name: ""}, sort)})
    return {"query": query, "filters": filters, "sort": sort, "start": start, "total": total,
            "results": _hits(request, hits, query), "facets": facets,
            "previous": _url(request, query, filters, sort, start=max(0, start - PAGE_SIZE)) if start else None,
            "next": _url(request, query, filters, sort, start=start + PAGE_SIZE) if start + PAGE_SIZE < total else None,
            "sorts": [(key, _url(request, query, filters, key), key == sort) for key in SORTS]}


@view_config(context=PortalRoot, name="search", renderer="portal:templates/search.pt", permission=P.VIEW)
def search_page(context, request):
    found = search_results(request)
    request.response.cache_control = "private, no-store"  # what a reader finds depends on who reads
    if request.GET.get("format") == "json":
        request.override_renderer = "json"
        return {key: found[key] for key in ("query", "filters", "sort", "start", "total")} | {
            "results": [{k: v for k, v in r.items() if k != "snippet"} | {
                "snippet": "".join(text for text, _m in r["snippet"]),
                "highlights": [text for text, matched in r["snippet"] if matched]} for r in found["results"]],
            "facets": {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in found["facets"]},
            "next": found.get("next")}
    return {"page_title": translate(request, _("Search")), "sort_titles": SORT_TITLES, **found}

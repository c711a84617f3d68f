"""Thematic implementation reports (ToR ¶34, R23): the list, the secretariat's compilation of a cycle (counts
by theme, kind and regional group, and the published findings it may quote), drafting the report and its
regional addenda from it, and a report's page with its documents in six languages."""

import colander
import deform
from pyramid.view import view_config

from content.compilation import compile_cycle, group_title
from content.report import KINDS
from content.root import ThematicFolder
from content.thematic import ThematicReport, create_thematic_report
from portal.forms import CSRFSchema, button, form_page, language_select, make_form
from portal.i18n import LANGUAGE_NAMES, LANGUAGE_TITLES, _, _n, localizer, translate
from portal.views import flash, redirect
from portal.views.helpers import state_name
from workflows import permissions as P


def _cycles(request):
    return sorted(request.root["cycles"].values(), key=lambda c: (-c.first_year, c.__name__))


def _final_reports(cycle):
    return len(cycle.final_reviews())


@colander.deferred
def _cycle_widget(node, kw):
    return deform.widget.SelectWidget(values=[(c.__name__, translate(kw["request"], c.title)) for c in _cycles(kw["request"])])


@colander.deferred
def _cycle_validator(node, kw):
    cycles = kw["request"].root["cycles"]

    def validate(node, value):
        if value not in cycles:
            raise colander.Invalid(node, _("Choose a cycle of the list."))
        if not _final_reports(cycles[value]):
            raise colander.Invalid(node, _("No country review report of this cycle is final yet: there is nothing "
                                           "to compile."))
    return validate


class DraftSchema(CSRFSchema):
    cycle = colander.SchemaNode(colander.String(), title=_("Review cycle"), widget=_cycle_widget,
                                validator=_cycle_validator)
    language = colander.SchemaNode(
        colander.String(), title=_("Language of the original"), validator=colander.OneOf(list(LANGUAGE_NAMES)),
        widget=language_select(), default="en")


def _document_rows(request, item):
    """The report and addenda of ``item`` the reader may open, with the languages published in each."""
    rows = []
    for doc in item.documents():
        if request.has_permission(P.VIEW, doc):
            rows.append({"doc": doc, "title": translate(request, doc.title),
                         "languages": list(doc.published_languages())})
    return rows


@view_config(context=ThematicFolder, renderer="portal:templates/thematic_list.pt", permission=P.VIEW)
def thematic_list(context, request):
    items = []
    for item in sorted(context.values(), key=lambda i: -int(i.__name__)):
        rows = _document_rows(request, item)
        if rows or request.has_permission(P.VIEW, item):  # the public sees the published documents only
            items.append((item, rows, request.has_permission(P.VIEW, item)))
    return {"page_title": translate(request, context.title), "can_compile": request.has_permission(P.EDIT, context),
            "items": items}


@view_config(context=ThematicFolder, name="compile", renderer="portal:templates/compilation.pt", permission=P.EDIT)
def compile_view(context, request):
    """The compilation of one cycle (``?cycle=``) and the form drafting its thematic report from it."""
    request.environ["portal.no_page_cache"] = True
    cycles = request.root["cycles"]
    wanted = request.params.get("cycle")
    cycle = cycles.get(wanted) if wanted else None
    form = make_form(DraftSchema, request, buttons=[button("draft", _("Draft the thematic report and its addenda"))])

    def draft(data):
        chosen = cycles[data["cycle"]]
        item = create_thematic_report(context, chosen, request.root["states"],
                                      localizer(data["language"], request.registry), request.authenticated_userid)
        flash(request, _("The thematic report and its regional addenda are drafted. Edit the originals, then have "
                         "them translated and published."))
        return redirect(request.resource_url(item))

    page = form_page(request, form, translate(request, _("Thematic compilation")), draft,
                     appstruct={"cycle": cycle.__name__ if cycle is not None else "", "language": "en"},
                     submit="draft")
    if not isinstance(page, dict):
        return page
    compilation = compile_cycle(cycle, request.root["states"]) if cycle is not None else None
    counted = {g: _n("${count} report", "${count} reports", n) for g, n in (compilation.groups if compilation else {}).items()}
    finals = [(c, _n("${count} final report", "${count} final reports", _final_reports(c))) for c in _cycles(request)]
    return {**page, "cycles": finals, "cycle": cycle, "counted": counted,
            "compilation": compilation, "kinds": KINDS, "group_title": group_title,
            "state_name": lambda iso3: state_name(request, iso3)}


@view_config(context=ThematicReport, renderer="portal:templates/thematic.pt", permission=P.VIEW)
def thematic_view(context, request):
    cycle = request.root["cycles"].get(context.cycle_name)
    return {"page_title": translate(request, _("Thematic implementation report: ${cycle}",
                                               mapping={"cycle": context.cycle_title})),
            "cycle": cycle if cycle is not None and request.has_permission(P.VIEW, cycle) else None,
            "rows": _document_rows(request, context),
            "language_name": translate(request, LANGUAGE_TITLES[context.language])}

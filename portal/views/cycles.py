"""Review cycles: the public list and schedule (R22: alphabetical, never ranked), the secretariat's
cycle form, drawing of lots and relaxations, and the closing override (R1)."""

import re

import colander
from persistent.mapping import PersistentMapping
from pyramid.view import view_config

from content.events import modified
from content.cycles import CYCLE_ID, LOG_KINDS, Cycle, new_cycle
from content.draw_records import KINDS as DRAW_KINDS
from content.draw_requests import KINDS as REQUEST_KINDS
from content.draw_records import DrawRecord
from content.milestones import MILESTONES
from content.root import CyclesFolder
from content.states import INSTRUMENT_SHORT, INSTRUMENTS, REGIONAL_GROUPS
from draws.model import DrawError, Relaxation
from portal import draw_runner, draw_service
from portal.forms import (CSRFSchema, button, form_page, localized_appstruct, localized_from, localized_lines_appstruct,
                          localized_lines_from, localized_node, make_form)
from portal.i18n import _, _n, translate, text_direction
from portal.views import flash, redirect
from portal.views.helpers import alphabetical, reviewer_lines, workflow_info
from portal.views.cycle_status import status_at_a_glance
from workflows import get_workflow
from workflows import permissions as P

MAX_YEARS = 10
# How each cell of a selection draw's arithmetic was rounded (draws/apportionment.py, both versions).
ROUNDINGS = {
    "whole": _("a whole number"), "up": _("rounded up"), "down": _("rounded down"), "floor": _("rounded down"),
    "largest remainder": _("rounded up: one of the largest remainders"),
    "kept from last year": _("kept at the year before's figure"),
}


# -- the list and a new cycle ----------------------------------------------------------------


@view_config(context=CyclesFolder, renderer="portal:templates/cycles.pt", permission=P.VIEW)
def cycles_list(context, request):
    cycles = [c for c in context.values() if request.has_permission(P.VIEW, c)]
    cycles.sort(key=lambda c: (-c.first_year, c.__name__))
    return {
        "page_title": translate(request, context.title),
        "cycles": cycles,
        "can_add": request.has_permission(P.MANAGE_CYCLES, context),
    }


def _per_year(text):
    return [int(v) for v in re.split(r"[,\s]+", text.strip()) if v]


@colander.deferred
def _name_validator(node, kw):
    folder = kw["folder"]

    def validate(node, value):
        if not re.match(CYCLE_ID, value):
            raise colander.Invalid(node, _("Use 2 to 40 lowercase letters, digits or hyphens, for example first-cycle."))
        if value in folder:
            raise colander.Invalid(node, _("A cycle with this identifier already exists."))

    return validate


class ScopeSchema(colander.Schema):
    UNTOC = localized_node("UNTOC", _("Convention"), textarea=True, rows=2, max_length=2000, required=False)
    TIP = localized_node("TIP", _("Trafficking in Persons Protocol"), textarea=True, rows=2, max_length=2000, required=False)
    SOM = localized_node("SOM", _("Smuggling of Migrants Protocol"), textarea=True, rows=2, max_length=2000, required=False)
    FIR = localized_node("FIR", _("Firearms Protocol"), textarea=True, rows=2, max_length=2000, required=False)


class MilestoneDaysSchema(colander.Schema):
    def after_bind(self, node, kw):
        for key, (title, days) in MILESTONES.items():
            node.add(colander.SchemaNode(colander.Integer(), name=key, title=title, default=days,
                                         validator=colander.Range(1, 3 * 365)))

    def validator(self, node, value):
        if value["review"] < max(v for k, v in value.items() if k != "review"):
            raise colander.Invalid(node["review"], _("The review cannot be completed before its other milestones."))


class CycleSettingsSchema(CSRFSchema):
    title = localized_node("title", _("Title"), max_length=200)
    decision_ref = colander.SchemaNode(
        colander.String(), title=_("Decision of the Conference"), validator=colander.Length(min=3, max=500),
        description=_("The symbol or title of the Conference's decision that launched the cycle (¶44)."))
    first_year = colander.SchemaNode(colander.Integer(), title=_("First year"), validator=colander.Range(2000, 2100))
    last_year = colander.SchemaNode(colander.Integer(), title=_("Last year"), validator=colander.Range(2000, 2100))
    per_year = colander.SchemaNode(
        colander.String(), title=_("States under review per year"), missing="",
        description=_("One number per year, separated by commas, for example 39,39,39,38,38. Leave empty for an even spread."))
    max_reviews = colander.SchemaNode(colander.Integer(), title=_("Maximum reviews per reviewing State"), default=3,
                                      validator=colander.Range(1, 10))
    max_redraws = colander.SchemaNode(colander.Integer(), title=_("Maximum redraws requested by a State under review"),
                                      default=2, validator=colander.Range(0, 10))
    experts_per_state = colander.SchemaNode(colander.Integer(), title=_("Governmental experts per State"), default=15,
                                            validator=colander.Range(1, 100))
    scope = ScopeSchema(title=_("Scope: articles or clusters under review, per instrument"))
    milestone_days = MilestoneDaysSchema(
        title=_("Milestones of each review, in days after the review starts (ToR ¶24)"),
        description=_("The secretariat can still change the dates of each review, in consultation with the States."))
    themes = localized_node("themes", _("Thematic sequence"), lines=True, rows=4, max_length=5000, required=False,
                            description=_("One line per year or step, in the same order in every language."))

    def validator(self, node, value):
        if value["last_year"] < value["first_year"]:
            raise colander.Invalid(node["last_year"], _("The last year cannot come before the first year."))
        years = value["last_year"] - value["first_year"] + 1
        if years > MAX_YEARS:
            raise colander.Invalid(node["last_year"], _n("A cycle lasts at most ${count} year.", "A cycle lasts at most ${count} years.",
                                                           MAX_YEARS))
        if value["per_year"].strip():
            try:
                numbers = _per_year(value["per_year"])
            except ValueError:
                raise colander.Invalid(node["per_year"], _("Write whole numbers separated by commas.")) from None
            if len(numbers) != years or any(n < 0 for n in numbers):
                raise colander.Invalid(node["per_year"], _n("Give one number, zero or more, for the ${count} year.",
                                                            "Give one number, zero or more, for each of the ${count} years.",
                                                            years))


class NewCycleSchema(CycleSettingsSchema):
    name = colander.SchemaNode(colander.String(), title=_("Identifier in the address"), validator=_name_validator,
                               description=_("For example second-cycle; it cannot be changed later."))


def _apply_settings(cycle, data):
    cycle.title = localized_from(data["title"], cycle.title)
    cycle.decision_ref = data["decision_ref"]
    cycle.first_year, cycle.last_year = data["first_year"], data["last_year"]
    cycle.per_year = _per_year(data["per_year"]) if data["per_year"].strip() else None
    cycle.max_reviews, cycle.max_redraws = data["max_reviews"], data["max_redraws"]
    cycle.experts_per_state = data["experts_per_state"]
    if getattr(cycle, "milestone_days", None) is None:
        cycle.milestone_days = PersistentMapping()
    cycle.milestone_days.update(data["milestone_days"])
    scope = {k: localized_from(v, cycle.scope.get(k)) for k, v in data["scope"].items()}
    cycle.scope.clear()
    cycle.scope.update({k: v for k, v in scope.items() if v})
    cycle.themes[:] = localized_lines_from(data.get("themes", {}))


@view_config(context=CyclesFolder, name="add", renderer="portal:templates/form.pt", permission=P.MANAGE_CYCLES)
def add_cycle(context, request):
    form = make_form(NewCycleSchema, request, buttons=[button("save", _("Record the cycle"))], folder=context)

    def save(data):
        cycle = new_cycle(localized_from(data["title"]), data["first_year"], data["last_year"])
        _apply_settings(cycle, data)
        context.add(data["name"], cycle)
        get_workflow(cycle).initialize(cycle, actor=request.authenticated_userid, comment=data["decision_ref"])
        flash(request, _("The cycle has been recorded."))
        return redirect(request.resource_url(cycle))

    return form_page(request, form, translate(request, _("Record a review cycle decided by the Conference")), save)


@view_config(context=Cycle, name="edit", renderer="portal:templates/form.pt", permission=P.EDIT)
def edit_cycle(context, request):
    form = make_form(CycleSettingsSchema, request, buttons=[button("save", _("Save"))])

    def save(data):
        _apply_settings(context, data)
        modified(context, "settings")
        flash(request, _("Saved."))
        return redirect(request.resource_url(context))

    appstruct = {
        "title": localized_appstruct(context.title), "decision_ref": context.decision_ref, "first_year": context.first_year,
        "last_year": context.last_year, "per_year": ",".join(map(str, context.per_year or ())),
        "max_reviews": context.max_reviews, "max_redraws": context.max_redraws,
        "experts_per_state": context.experts_per_state, "milestone_days": context.review_milestone_days(),
        "scope": {k: localized_appstruct(context.scope.get(k)) for k in INSTRUMENTS},
        "themes": localized_lines_appstruct(context.themes),
    }
    return form_page(request, form, translate(request, _("Settings of the cycle")), save, appstruct=appstruct)


# -- the cycle page ----------------------------------------------------------------------------


def schedule_rows(cycle, request):
    """Per year: the states under review alphabetically, each with its reviewers per instrument (R22)."""
    rows = []
    reviews = cycle.get("reviews")

    def review_url(iso3):  # a link to the review for those who take part in it (R18)
        review = reviews.get(iso3) if reviews is not None else None
        return request.resource_url(review) if review is not None and request.has_permission(P.VIEW, review) else None

    for year in cycle.years:
        drawn = reviewer_lines(request, cycle.assignments.get(year, ()))
        states = [(iso3, name, drawn.get(iso3, []), review_url(iso3))
                  for iso3, name in alphabetical(request, cycle.schedule.get(year, ()))]
        rows.append({"year": year, "states": states, "drawn": bool(cycle.assignments.get(year))})
    return rows


@view_config(context=Cycle, renderer="portal:templates/cycle.pt", permission=P.VIEW)
def cycle_view(context, request):
    manage = request.has_permission(P.MANAGE_CYCLES, context)
    next_year = draw_service.next_reviewer_year(context)
    pending = [d for d in context["draws"].values() if not d.revealed]
    return {
        "page_title": translate(request, context.title),
        "workflow": workflow_info(context, request),
        "decisions": [d for d in request.root["conference"].values() if d.cycle_name == context.__name__],
        "schedule": schedule_rows(context, request),
        "draws": list(context["draws"].values()),
        "draw_kinds": DRAW_KINDS, "log_kinds": LOG_KINDS,
        "request_kinds": REQUEST_KINDS,
        "instrument_short": INSTRUMENT_SHORT,
        "instruments": INSTRUMENTS,
        "manage": manage,
        "can_edit": request.has_permission(P.EDIT, context),
        "can_request": request.has_permission(P.REQUEST_DRAW_CHANGE, context),
        "can_see_requests": request.has_permission(P.VIEW, context["requests"]),
        "can_see_reviews": "reviews" in context and request.has_permission(P.VIEW, context["reviews"]),
        "requests": [r for r in context["requests"].values() if request.has_permission(P.VIEW, r)],
        "pending": pending,
        "next_year": next_year,
        "collisions": draw_service.year_collisions(context, next_year) if manage and next_year else [],
        "log": list(reversed(context.log)),
        "glance": status_at_a_glance(request, context, text_direction(request.locale_name) == "rtl"),
    }


@view_config(context=Cycle, name="prepare-selection", request_method="POST", permission=P.MANAGE_CYCLES)
def prepare_selection(context, request):
    record = draw_service.prepare_selection(context, request.root, request.authenticated_userid)
    flash(request, _("The selection draw is prepared; the hash of its seed is published: ${hash}",
                     mapping={"hash": record.seed_commitment}))
    return redirect(request.resource_url(context))


@view_config(context=Cycle, name="prepare-reviewers", request_method="POST", permission=P.MANAGE_CYCLES)
def prepare_reviewers(context, request):
    record = draw_service.prepare_reviewers(context, request.authenticated_userid)
    flash(request, _("The drawing of the reviewing States for ${year} is prepared; the hash of its seed is "
                     "published: ${hash}", mapping={"year": record.year, "hash": record.seed_commitment}))
    return redirect(request.resource_url(context))


@view_config(context=DrawRecord, name="run", request_method="POST", permission=P.MANAGE_CYCLES)
def run_draw(context, request):
    """Start the engine outside this request's transaction (``portal/draw_runner.py``); the record's page follows it."""
    draw_runner.run_in_background(context, request.authenticated_userid, request)
    flash(request, _("The drawing of lots has started; this page shows its result as soon as it is ready."))
    return redirect(request.resource_url(context))


@view_config(context=DrawRecord, renderer="portal:templates/draw.pt", permission=P.VIEW)
def draw_view(context, request):
    result = context.result or {}
    by_state = reviewer_lines(request, result.get("assignments", ()))
    years = {int(y): alphabetical(request, states) for y, states in result.get("years", {}).items()}
    return {
        "page_title": translate(request, _("Drawing of lots no. ${n}", mapping={"n": context.__name__})),
        "kind_title": DRAW_KINDS[context.kind], "regional_groups": {**REGIONAL_GROUPS, "none": _("Not in a regional group")},
        "assignments": [(iso3, name, by_state[iso3]) for iso3, name in alphabetical(request, by_state)],
        "years": sorted(years.items()),
        "apportionment": [{**share, "groups": [{**g, "reason": translate(request, ROUNDINGS.get(g["reason"], g["reason"]))}
                                               for g in share["groups"]]} for share in result.get("apportionment", [])],
        "can_run": request.has_permission(P.MANAGE_CYCLES, context) and not context.revealed
        and context.running_since is None,
        "running": context.running_since is not None and not context.revealed,
        "failure": [" ".join(translate(request, m) for m in paragraph) for paragraph in context.failure_paragraphs()],
    }


# -- relaxations and the closing override --------------------------------------------------------


@colander.deferred
def _relaxation_validator(node, kw):
    def validate(node, value):
        try:
            Relaxation.parse(value)
        except DrawError:
            raise colander.Invalid(node, _("Write R6:ISO3 (no reviewer from the same regional group needed for that "
                                           "State) or R7:ISO3+ISO3 (these two States may review each other).")) from None

    return validate


class RelaxationSchema(CSRFSchema):
    code = colander.SchemaNode(colander.String(), title=_("Relaxation"), validator=_relaxation_validator)
    justification = localized_node("justification", _("Justification"), textarea=True, max_length=2000)


@view_config(context=Cycle, name="relax", renderer="portal:templates/form.pt", permission=P.MANAGE_CYCLES)
def relax(context, request):
    form = make_form(RelaxationSchema, request, buttons=[button("save", _("Record the relaxation"))])
    intro = translate(request, _("A relaxation lets later drawings of lots set one rule aside for the States named, "
                                 "because the rules cannot all hold for them. It is published with the cycle."))

    def save(data):
        code = Relaxation.parse(data["code"]).code
        if code not in {r["code"] for r in context.relaxations}:
            entry = context.record(request.authenticated_userid, "relaxation", code=code,
                                   justification=localized_from(data["justification"]))
            context.relaxations.append(entry)
        flash(request, _("The relaxation ${code} has been recorded.", mapping={"code": code}))
        return redirect(request.resource_url(context))

    return form_page(request, form, translate(request, _("Record a relaxation of a rule")), save, intro=intro,
                     appstruct={"code": request.GET.get("code", "")})


class OverrideSchema(CSRFSchema):
    decision = colander.SchemaNode(colander.String(), title=_("Decision of the Conference"),
                                   validator=colander.Length(min=3, max=500))


@view_config(context=Cycle, name="override", renderer="portal:templates/form.pt", permission=P.MANAGE_CYCLES)
def override(context, request):
    form = make_form(OverrideSchema, request, buttons=[button("save", _("Record the decision"))])
    intro = translate(request, _("In exceptional cases the Conference may decide to launch a new cycle before all "
                                 "reviews of this one are completed (¶13). Record that decision here."))

    def save(data):
        context.closure_override = context.record(request.authenticated_userid, "override", decision=data["decision"])
        flash(request, _("The decision has been recorded; the cycle can now be closed."))
        return redirect(request.resource_url(context))

    return form_page(request, form, translate(request, _("Close the cycle before all reviews are finished")), save,
                     intro=intro)

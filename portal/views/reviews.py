"""Country reviews: the review's page and ``@@json`` (who takes part, working language, stage), the
state under review's choice of working language (R25), and the secretariat's list per cycle."""

import colander
import deform
from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config

from content.events import modified
from content.milestones import MILESTONES, STAGE_MILESTONES, status as schedule_status, timeline
from content.reviews import CountryReview, ReviewsFolder
from portal.forms import CSRFSchema, button, form_page, language_select, make_form
from portal.i18n import LANGUAGE_NAMES, LANGUAGES, _, _n, translate
from portal.views import flash, redirect, user_state
from portal.views.helpers import alphabetical, reviewer_lines, state_name, state_value
from portal.views.helpers import sort_key
from portal.views.helpers import workflow_info
from workflows import get_workflow
from workflows import permissions as P
from portal.views.threads import is_overdue
from portal.notices import tell
from workflows.definitions.country_review import ALL_STAGES


def _assignments(review):
    return [{"under_review": review.state, "instrument": i, "reviewers": list(p)} for i, p in review.reviewers.items()]


@view_config(context=CountryReview, renderer="portal:templates/review.pt", permission=P.VIEW)
def review_view(context, request):
    request.environ["portal.no_page_cache"] = True  # overdue flags depend on today's date
    cycle = context.__parent__.__parent__
    name = state_name(request, context.state)
    return {
        "page_title": translate(request, _("Review of ${state}", mapping={"state": name})),
        "cycle": cycle,
        "state_name": name,
        "language_name": LANGUAGE_NAMES.get(context.language),
        "reviewers": reviewer_lines(request, _assignments(context)).get(context.state, []),
        "can_choose_language": request.has_permission(P.CHOOSE_REVIEW_LANGUAGE, context),
        "checklist": _checklist_progress(context, request),
        "teams": _teams(context, request),
        "stages": stages(context),
        "timeline": timeline(context),
        "status_titles": STATUS_TITLES,
        "schedule_status": schedule_status(context),  # ¶24: agreed, or proposed and not yet agreed
        "parts": _parts(context, request),
        "workflow": workflow_info(context, request),
        "history": list(reversed(context.workflow_history or [])),
    }


def stages(review):
    """Where the review stands (issue 21): each stage of its workflow in order, ``{"name", "title", "status"
    (done, current or to-come), "reached" (the date the review last entered it, for done and current stages),
    "milestones" ([(title, due date)] of the milestones that fall due in it)}``."""
    workflow = get_workflow(review)
    current = ALL_STAGES.index(review.workflow_state) if review.workflow_state in ALL_STAGES else -1
    reached = {}
    for entry in review.workflow_history or ():
        reached[entry["to"]] = entry["when"]  # a stage entered again (a reopened checklist) counts from then
    due = getattr(review, "milestones", None) or {}
    rows = []
    for index, name in enumerate(ALL_STAGES):
        status = "done" if index < current else ("current" if index == current else "to-come")
        when = reached.get(name) if status != "to-come" else None
        rows.append({"name": name, "title": workflow.states[name].title, "status": status,
                     "reached": when.date() if when is not None else None,
                     "milestones": [(MILESTONES[key][0], due[key]) for key in STAGE_MILESTONES.get(name, ())
                                    if due.get(key) is not None]})
    return rows


def _parts(review, request):
    """``[(title, url, note)]``: the parts of the review the reader may open, in the order of the work."""

    parts = []
    dialogue = review.get("dialogue")
    if dialogue is not None and request.has_permission(P.VIEW, dialogue):
        questions = list(dialogue.values())
        note = _n("${count} question awaiting an answer, ${overdue} overdue, ${total} in all",
                  "${count} questions awaiting an answer, ${overdue} overdue, ${total} in all",
                  sum(1 for q in questions if q.workflow_state == "open"),
                  mapping={"overdue": sum(1 for q in questions if is_overdue(q)), "total": len(questions)})
        parts.append((_("Constructive dialogue"), request.resource_url(dialogue), note))
    visit = review.get("visit")
    if visit is not None and request.has_permission(P.VIEW, visit):
        parts.append((_("Country visit or joint meeting"), request.resource_url(visit),
                      get_workflow(visit).state_of(visit).title))
    elif visit is None and request.has_permission(P.PROPOSE_VISIT, review):
        parts.append((_("Propose a country visit or joint meeting"), request.resource_url(review, "@@propose-visit"),
                      None))
    report = review.get("report")
    if report is not None and request.has_permission(P.VIEW, report):
        note = _("Version ${version}", mapping={"version": report.current_number()}) if report.current() else None
        parts.append((_("Report and executive summary"), request.resource_url(report), note))
    summary = report.get("summary") if report is not None else None
    if summary is not None and request.has_permission(P.VIEW, summary):
        parts.append((_("Executive summary in the six languages"), request.resource_url(summary),
                      _("Published in ${count} of 6 languages", mapping={"count": len(summary.published_languages())})))
    translations = review.get("translation-requests")
    if translations is not None and request.has_permission(P.VIEW, translations):
        parts.append((_("Translations of the review's documents"), request.resource_url(translations),
                      _("${count} in all", mapping={"count": len(translations)})))
    assistance = review.get("assistance")
    if assistance is not None and request.has_permission(P.VIEW, assistance):
        parts.append((_("Requests for assistance"), request.resource_url(assistance),
                      _("${count} in all", mapping={"count": len(assistance)})))
    return parts


def _teams(review, request):
    """Per state taking part: its name, focal point and experts for this review, and whether the reader may change them."""
    users, experts = request.root["users"], request.root["experts"]
    manage = request.has_permission(P.MANAGE_REVIEWS, review)
    own = user_state(request)
    rows = []
    for iso3 in review.parties():
        team = review.team(iso3)
        fp = users.get(team["focal_point"]) if team["focal_point"] else None
        rows.append({
            "state": iso3, "name": state_name(request, iso3),
            "focal_point": fp.title if fp is not None else None,
            "experts": [experts[e].name for e in team["experts"] if e in experts],
            "can_appoint": request.has_permission(P.APPOINT_TEAM, review)
            and (manage or own == iso3),
        })
    return rows


def _checklist_progress(review, request):
    """``(checklist, answered, total)`` for those who may follow the checklist, else None."""
    checklist = review.get("checklist")
    if checklist is None or not request.has_permission(P.VIEW_PROGRESS, checklist):
        return None
    counts = [checklist.progress(s) for s in checklist.sections()]
    return checklist, sum(a for a, _t in counts), sum(t for _a, t in counts)


class LanguageSchema(CSRFSchema):
    language = colander.SchemaNode(
        colander.String(), title=_("Working language of the review"),
        widget=language_select(empty=True),
        validator=colander.OneOf(LANGUAGES),
        description=_("The review is conducted in one of the six working languages, chosen by the State under "
                      "review (ToR ¶47-¶49)."))


@view_config(context=CountryReview, name="language", renderer="portal:templates/form.pt",
             permission=P.CHOOSE_REVIEW_LANGUAGE)
def choose_language(context, request):
    form = make_form(LanguageSchema, request, buttons=[button("save", _("Save"))])
    page_title = translate(request, _("Working language of the review of ${state}",
                                      mapping={"state": state_value(request, context.state)}))

    def save(data):
        context.language = data["language"]
        modified(context, "language")
        flash(request, _("The working language of the review is recorded."))
        return redirect(request.resource_url(context))

    return form_page(request, form, page_title, save,
                     appstruct={"language": context.language} if context.language else None)


def _team_state(review, request):
    """Whose team the form edits: a focal point's own state; the secretariat names one (``?state=``)."""
    if request.has_permission(P.MANAGE_REVIEWS, review):
        state = request.params.get("state", "")
    else:
        state = user_state(request)
    if state not in review.parties():
        raise HTTPNotFound(translate(request, _("This State takes no part in this review.")))
    return state


def _focal_points(request, state):
    return sorted(((u.login, u.title) for u in request.root["users"].values()
                   if u.function == "focal-point" and u.state == state and u.active), key=lambda v: sort_key(request)(v[1]))


def _experts(request, state):
    return sorted(((e.__name__, e.name) for e in request.root["experts"].values() if e.state == state and e.active),
                  key=lambda v: sort_key(request)(v[1]))


@colander.deferred
def _focal_point_widget(node, kw):
    return deform.widget.SelectWidget(values=[("", "—")] + _focal_points(kw["request"], kw["state"]))


@colander.deferred
def _focal_point_validator(node, kw):
    return colander.OneOf([login for login, _name in _focal_points(kw["request"], kw["state"])])


@colander.deferred
def _experts_widget(node, kw):
    return deform.widget.CheckboxChoiceWidget(values=_experts(kw["request"], kw["state"]))


@colander.deferred
def _experts_validator(node, kw):
    known = {name for name, _n in _experts(kw["request"], kw["state"])}
    limit = kw["limit"]

    def validate(node, value):
        if not set(value) <= known:
            raise colander.Invalid(node, _("Choose experts of this State from the list of governmental experts."))
        if len(value) > limit:
            raise colander.Invalid(node, _n("At most ${count} expert per State (ToR ¶21).", "At most ${count} experts per State (ToR ¶21).",
                                              limit))

    return validate


class TeamSchema(CSRFSchema):
    focal_point = colander.SchemaNode(colander.String(), title=_("Focal point for this review"),
                                      widget=_focal_point_widget, validator=_focal_point_validator)
    experts = colander.SchemaNode(colander.Set(), title=_("Governmental experts for this review"), missing=(),
                                  widget=_experts_widget, validator=_experts_validator)


@view_config(context=CountryReview, name="team", renderer="portal:templates/form.pt", permission=P.APPOINT_TEAM)
def appoint_team(context, request):
    """¶17, ¶21: a state names its focal point and experts for the review; a new choice replaces the old one."""
    state = _team_state(context, request)
    cycle = context.__parent__.__parent__
    form = make_form(TeamSchema, request, buttons=[button("save", _("Save"))], state=state,
                     limit=cycle.experts_per_state)
    form.action = request.resource_url(context, "@@team", query={"state": state})
    page_title = translate(request, _("Focal point and experts of ${state} for this review",
                                      mapping={"state": state_value(request, state)}))

    def save(data):
        before = context.team(state)
        context.appoint(state, data["focal_point"], sorted(data["experts"]), request.authenticated_userid)
        experts = request.root["experts"]
        new = [data["focal_point"]] if data["focal_point"] != before["focal_point"] else []
        new += [getattr(experts.get(name), "login", None) for name in sorted(data["experts"])
                if name not in before["experts"]]
        tell(request, "review/team", context, named=new)
        flash(request, _("Saved."))
        return redirect(request.resource_url(context))

    team = context.team(state)
    appstruct = {"focal_point": team["focal_point"] or "", "experts": set(team["experts"])}
    return form_page(request, form, page_title, save, appstruct=appstruct)


STATUS_TITLES = {"done": _("Done"), "overdue": _("Overdue"), "open": _("Due")}


@view_config(context=ReviewsFolder, renderer="portal:templates/reviews.pt", permission=P.VIEW)
def reviews_list(context, request):
    """Every review of the cycle, by year and then alphabetically (R22: never ranked), with overdue milestones."""
    request.environ["portal.no_page_cache"] = True
    reviews = {r.state: r for r in context.values()}
    rows = []
    for year in sorted({r.year for r in reviews.values()}):
        codes = [s for s, r in reviews.items() if r.year == year]
        rows.append({"year": year, "reviews": [
            (reviews[c], name, [title for _k, title, _d, status in timeline(reviews[c]) if status == "overdue"])
            for c, name in alphabetical(request, codes)]})
    return {"page_title": translate(request, _("Country reviews")), "cycle": context.__parent__, "rows": rows,
            "language_names": LANGUAGE_NAMES}

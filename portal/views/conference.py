"""Decisions of the Conference on the review process (ToR ¶42-45, R24): the public list, the secretariat's
recording of a decision (with the checks that keep the record coherent) and a decision's page with its annex."""

from datetime import date

import colander
import deform
from pyramid.traversal import find_resource, resource_path_tuple
from pyramid.view import view_config

from content import follow_up
from content.base import existing
from content.conference import KINDS, MAX_TEXT, NEEDS_CYCLE, Decision, record_decision
from content.funding import PURPOSES as FUNDING_PURPOSES
from content.meetings import RECOMMENDATION_KINDS
from content.root import ConferenceFolder
from portal.forms import CSRFSchema, button, form_page, localized_from, localized_node, make_form
from portal.i18n import _, _n, translate
from portal.views import flash, redirect
from portal.notices import tell
from workflows import permissions as P


def adopted_recommendations(root):
    """``[(path, recommendation)]``: the Group's recommendations and conclusions adopted and not yet approved."""
    rows = []
    for meeting in sorted(root["group"]["meetings"].values(), key=lambda m: (m.year, m.__name__)):
        for item in meeting.recommendations():
            if item.workflow_state == "adopted":
                rows.append(("/".join(resource_path_tuple(item)), item))
    return rows


@colander.deferred
def _cycle_widget(node, kw):
    cycles = sorted(kw["request"].root["cycles"].values(), key=lambda c: (c.first_year, c.__name__))
    return deform.widget.SelectWidget(values=[("", "—")] + [(c.__name__, translate(kw["request"], c.title)) for c in cycles])


@colander.deferred
def _recommendations_widget(node, kw):
    request = kw["request"]
    values = [(path, translate(request, _("${kind} ${number} of ${meeting}", mapping={
        "kind": translate(request, RECOMMENDATION_KINDS[item.kind]), "number": item.number,
        "meeting": translate(request, item.meeting.title)}))) for path, item in adopted_recommendations(request.root)]
    return deform.widget.CheckboxChoiceWidget(values=values)


class DecisionSchema(CSRFSchema):
    kind = colander.SchemaNode(colander.String(), title=_("Kind of decision"), validator=colander.OneOf(list(KINDS)),
                               widget=deform.widget.SelectWidget(values=list(KINDS.items())))
    symbol = colander.SchemaNode(colander.String(), title=_("Symbol"), validator=colander.Length(min=1, max=100),
                                 description=_("For example: 10/1 (the page reads “Decision 10/1”)."))
    session = localized_node("session", _("Session"), max_length=200, description=_("For example: tenth session, Vienna."))
    day = colander.SchemaNode(colander.Date(), title=_("Date of adoption"), widget=deform.widget.DateInputWidget())
    title = localized_node("title", _("Title"), max_length=300)
    text = localized_node("text", _("Text"), textarea=True, rows=8, max_length=MAX_TEXT)
    cycle = colander.SchemaNode(colander.String(), title=_("Review cycle"), missing="", widget=_cycle_widget,
                                description=_("Needed for a cycle and its scope and for an assessment."))
    recommendations = colander.SchemaNode(
        colander.Set(), title=_("Recommendations and conclusions approved"), missing=(), widget=_recommendations_widget,
        description=_("Only for an approval: the adopted recommendations and conclusions of the Group it approves."))

    def validator(self, node, value):
        request = self.bindings["request"]
        cycles = request.root["cycles"]
        kind, cycle = value["kind"], value["cycle"]
        known = {path for path, _item in adopted_recommendations(request.root)}
        if value["day"] > date.today():
            raise colander.Invalid(node["day"], _("A decision is recorded once taken: its date cannot be in the future."))
        if cycle and cycle not in cycles:
            raise colander.Invalid(node["cycle"], _("Choose a cycle of the list."))
        if kind in NEEDS_CYCLE and not cycle:
            raise colander.Invalid(node["cycle"], _("This kind of decision concerns a review cycle: choose the cycle."))
        if kind == "assessment" and cycles[cycle].workflow_state != "closed":
            raise colander.Invalid(node["cycle"], _("The mechanism is assessed after a cycle: close the cycle first."))
        if not set(value["recommendations"]) <= known:
            raise colander.Invalid(node["recommendations"], _("Choose adopted recommendations of the list."))
        if kind == "approval" and not value["recommendations"]:
            raise colander.Invalid(node["recommendations"],
                                   _("Choose the adopted recommendations and conclusions this decision approves."))
        if kind != "approval" and value["recommendations"]:
            raise colander.Invalid(node["recommendations"], _("Only an approval approves recommendations."))


@view_config(context=ConferenceFolder, renderer="portal:templates/conference.pt", permission=P.VIEW)
def decisions(context, request):
    return {"page_title": translate(request, context.title), "kinds": KINDS,
            "decisions": sorted(context.values(), key=lambda d: (d.date, int(d.__name__)), reverse=True),
            "can_add": request.has_permission(P.EDIT, context)}


@view_config(context=ConferenceFolder, name="add", renderer="portal:templates/form.pt", permission=P.EDIT)
def add(context, request):
    form = make_form(DecisionSchema, request, buttons=[button("save", _("Record the decision"))])

    def save(data):
        cycle = request.root["cycles"][data["cycle"]] if data["cycle"] else None
        items = [find_resource(request.root, path) for path in sorted(data["recommendations"])]
        decision = record_decision(context, data["kind"], data["symbol"].strip(), localized_from(data["session"]),
                                   data["day"], localized_from(data["title"]), localized_from(data["text"]), cycle, items,
                                   request.authenticated_userid)
        tell(request, "decision/added", decision, mapping={"title": decision.title})
        flash(request, _("The decision is recorded."))
        return redirect(request.resource_url(decision))

    return form_page(request, form, translate(request, _("Record a decision of the Conference")), save,
                     intro=translate(request, _("A recorded decision is public and is not changed "
                                                       "afterwards; an amendment is recorded as a new decision.")))


@view_config(context=Decision, renderer="portal:templates/decision.pt", permission=P.VIEW)
def decision_view(context, request):
    cycle = request.root["cycles"].get(context.cycle_name) if context.cycle_name else None
    approved = existing(request.root, context.recommendations)
    days = {}
    for key in ("median_days", "longest_days"):
        count = (context.annex or {}).get(key)
        days[key] = _n("${count} day", "${count} days", count) if count is not None else None
    return {"page_title": translate(request, context.title), "kind": KINDS[context.kind], "cycle": cycle, "approved": approved,
            "rec_kinds": RECOMMENDATION_KINDS, "annex": context.annex, "days": days,
            "funding_purposes": FUNDING_PURPOSES,
            "progress_titles": follow_up.PROGRESS, "assistance_titles": follow_up.ASSISTANCE}

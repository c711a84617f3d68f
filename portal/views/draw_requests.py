"""Focal points' requests about the draws (R3, R8, R9, R10) and the secretariat's decisions on them."""

import colander
import deform
from pyramid.view import view_config

from content.cycles import Cycle, RequestsFolder
from content.draw_requests import KINDS, DrawRequest
from portal.draw_service import check_request
from portal.forms import CSRFSchema, button, form_page, make_form
from portal.i18n import _, translate
from portal.views import flash, redirect, user_state
from portal.views.helpers import alphabetical, state_name
from portal.views.helpers import workflow_info
from portal.notices import tell
from workflows import GuardRejected, get_workflow
from workflows import permissions as P


@colander.deferred
def _year_widget(node, kw):
    return deform.widget.SelectWidget(values=[(y, str(y)) for y in kw["cycle"].years])


@colander.deferred
def _year_validator(node, kw):
    return colander.OneOf(kw["cycle"].years)


@colander.deferred
def _scheduled_widget(node, kw):
    cycle, request = kw["cycle"], kw["request"]
    codes = [s for states in cycle.schedule.values() for s in states]
    return deform.widget.SelectWidget(values=[("", "—")] + [(c, f"{n} ({c})") for c, n in alphabetical(request, codes)])


@colander.deferred
def _party_widget(node, kw):
    cycle, request = kw["cycle"], kw["request"]
    codes = [p["iso3"] for p in cycle.parties or ()]
    return deform.widget.SelectWidget(values=[("", "—")] + [(c, f"{n} ({c})") for c, n in alphabetical(request, codes)])


@colander.deferred
def _party_validator(node, kw):
    return colander.OneOf([""] + [p["iso3"] for p in kw["cycle"].parties or ()])


@colander.deferred
def _party_required(node, kw):
    codes = {p["iso3"] for p in kw["cycle"].parties or ()}

    def validate(node, value):
        if value not in codes:
            raise colander.Invalid(node, _("Choose the State the request is made for."))

    return validate


class RequestSchema(CSRFSchema):
    kind = colander.SchemaNode(colander.String(), title=_("Request"),
                               widget=deform.widget.SelectWidget(values=list(KINDS.items())),
                               validator=colander.OneOf(list(KINDS)))
    year = colander.SchemaNode(colander.Integer(), title=_("Year"), widget=_year_widget, validator=_year_validator)
    under_review = colander.SchemaNode(
        colander.String(), title=_("State under review"), missing="", widget=_scheduled_widget,
        description=_("For an exemption: the State whose review you ask to be exempted from."))
    justification = colander.SchemaNode(colander.String(), title=_("Justification"),
                                        validator=colander.Length(min=10, max=4000),
                                        widget=deform.widget.TextAreaWidget(rows=4))

    def validator(self, node, value):
        state = self.bindings["own"] or value.get("state")
        if value["kind"] == "exemption" and not value["under_review"]:
            raise colander.Invalid(node["under_review"], _("Choose the State under review concerned."))
        if state and _duplicate(self.bindings["cycle"]["requests"], value["kind"], state, value["year"]):
            raise colander.Invalid(node["kind"], _("The same request is already waiting for a decision."))


class StaffRequestSchema(RequestSchema):
    state = colander.SchemaNode(colander.String(), title=_("On behalf of"), widget=_party_widget,
                                validator=_party_required)


def _duplicate(folder, kind, state, year):
    return any(r.kind == kind and r.state == state and r.year == year and r.workflow_state == "requested"
               for r in folder.values())


@view_config(context=Cycle, name="request", renderer="portal:templates/form.pt", permission=P.REQUEST_DRAW_CHANGE)
def file_request(context, request):
    own = user_state(request)  # the state a request is filed for; the secretariat names one
    schema = RequestSchema if own else StaffRequestSchema
    form = make_form(schema, request, buttons=[button("file", _("Send the request"))], cycle=context, own=own)
    intro = translate(request, _("The secretariat decides on each request and records its decision with the cycle."))

    def save(data):
        state = own or data["state"]
        req = DrawRequest(data["kind"], state, data["year"], data["justification"], request.authenticated_userid,
                          under_review=data["under_review"] or None)
        try:  # what the decision would refuse is refused now, with its reason; the form keeps what was typed
            check_request(context, req)
        except GuardRejected as refusal:
            return {"page_title": title, "intro": intro, "form": form.render(data), "error": translate(request, _(
                "${reason} Nothing was sent: change the request and send it again.",
                mapping={"reason": refusal.message}))}
        folder = context["requests"]
        folder.add(str(len(folder) + 1), req)
        get_workflow(req).initialize(req, actor=request.authenticated_userid)
        tell(request, "draw-request/filed", req)
        flash(request, _("Your request has been sent to the secretariat."))
        return redirect(request.resource_url(req))

    title = translate(request, _("Request about the drawing of lots"))
    return form_page(request, form, title, save, intro=intro, submit="file")


@view_config(context=RequestsFolder, renderer="portal:templates/draw_requests.pt", permission=P.VIEW)
def requests_list(context, request):
    visible = [r for r in context.values() if request.has_permission(P.VIEW, r)]
    return {"page_title": translate(request, context.title), "requests": visible, "kinds": KINDS}


@view_config(context=DrawRequest, renderer="portal:templates/draw_request.pt", permission=P.VIEW)
def request_view(context, request):
    return {
        "page_title": translate(request, KINDS[context.kind]),
        "state_name": state_name(request, context.state),
        "under_review_name": state_name(request, context.under_review) if context.under_review else "",
        "volunteer_name": state_name(request, context.volunteer) if context.volunteer else "",
        "workflow": workflow_info(context, request),
        "can_decide": request.has_permission(P.MANAGE_CYCLES, context),
        "history": list(reversed(context.workflow_history or [])),
    }


class DecisionSchema(CSRFSchema):
    decision = colander.SchemaNode(colander.String(), title=_("Decision"),
                                   widget=deform.widget.SelectWidget(values=[("grant", _("Grant")), ("refuse", _("Refuse"))]),
                                   validator=colander.OneOf(["grant", "refuse"]))
    comment = colander.SchemaNode(colander.String(), title=_("Comment"), missing="", validator=colander.Length(max=2000),
                                  widget=deform.widget.TextAreaWidget(rows=3))
    volunteer = colander.SchemaNode(colander.String(), title=_("State that volunteers in its place (exemption)"),
                                    missing="", widget=_party_widget, validator=_party_validator)
    exceptional = colander.SchemaNode(
        colander.String(), title=_("Exceptional circumstances (a redraw beyond the limit)"), missing="",
        validator=colander.Length(max=2000), widget=deform.widget.TextAreaWidget(rows=2),
        description=_("Only for a redraw beyond the cycle's maximum: the secretariat's decision and its reasons."))


@view_config(context=DrawRequest, name="decide", renderer="portal:templates/form.pt", permission=P.MANAGE_CYCLES)
def decide(context, request):
    cycle = context.__parent__.__parent__
    form = make_form(DecisionSchema, request, buttons=[button("decide", _("Record the decision"))], cycle=cycle)
    page_title = translate(request, _("Decide on the request: ${title}", mapping={"title": translate(request, KINDS[context.kind])}))

    def save(data):
        context.volunteer = data["volunteer"] or None
        context.exceptional = data["exceptional"].strip()
        state = get_workflow(context).fire(context, request, data["decision"], comment=data["comment"])
        flash(request, _("Done: the item is now “${state}”.", mapping={"state": state.title}))
        if context.draw:  # a granted redraw is prepared: its commitment is public until the secretariat runs it
            record = cycle["draws"][context.draw]
            flash(request, _("The redraw is prepared; the hash of its seed is published: ${hash}. Run it from its "
                             "record.", mapping={"hash": record.seed_commitment}))
            return redirect(request.resource_url(record))
        return redirect(request.resource_url(context))

    return form_page(request, form, page_title, save, submit="decide")

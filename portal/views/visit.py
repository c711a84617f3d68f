"""The country visit or joint meeting of a review (¶28, R15): proposed by a reviewing State or the
secretariat, agreed or declined by the State under review, planned, and recorded with its minutes."""

import colander
import deform
from pyramid.view import view_config

from content.consultation import KINDS as STAKEHOLDER_KINDS
from content.reviews import CountryReview
from content.visit import FIELDS, KINDS, Visit
from portal.forms import CSRFSchema, button, form_page, make_form
from portal.i18n import _, translate
from portal.notices import tell
from portal.views import flash, redirect, user_state
from portal.views.helpers import state_name, state_value
from portal.views.helpers import workflow_info
from workflows import get_workflow
from workflows import permissions as P

MAX_TEXT = 10_000


class VisitSchema(CSRFSchema):
    kind = colander.SchemaNode(colander.String(), title=_("Kind"), validator=colander.OneOf(list(KINDS)),
                               widget=deform.widget.SelectWidget(values=list(KINDS.items())))
    start = colander.SchemaNode(colander.Date(), title=_("First day"), widget=deform.widget.DateInputWidget())
    end = colander.SchemaNode(colander.Date(), title=_("Last day"), widget=deform.widget.DateInputWidget())
    place = colander.SchemaNode(colander.String(), title=_("Place"), validator=colander.Length(max=300))
    participants = colander.SchemaNode(colander.String(), title=_("Participants"), missing="",
                                       validator=colander.Length(max=MAX_TEXT),
                                       widget=deform.widget.TextAreaWidget(rows=3))
    agenda = colander.SchemaNode(colander.String(), title=_("Agenda"), missing="",
                                 validator=colander.Length(max=MAX_TEXT), widget=deform.widget.TextAreaWidget(rows=5))

    def validator(self, node, value):
        if value["end"] < value["start"]:
            raise colander.Invalid(node["end"], _("The last day cannot be before the first day."))


@view_config(context=CountryReview, name="propose-visit", renderer="portal:templates/form.pt",
             permission=P.PROPOSE_VISIT)
def propose(context, request):
    """A proposal the State under review must agree to before anything happens (R15)."""
    visit = context.get("visit")
    if visit is not None and visit.workflow_state not in ("declined", "cancelled"):
        return redirect(request.resource_url(visit))
    form = make_form(VisitSchema, request, buttons=[button("save", _("Propose"))])
    page_title = translate(request, _("Propose a country visit or joint meeting: review of ${state}",
                                      mapping={"state": state_value(request, context.state)}))

    def save(data):
        details = {k: data[k] for k in FIELDS}
        if visit is None:
            new = context.add("visit", Visit(details, user_state(request), request.authenticated_userid))
            get_workflow(new).initialize(new, request.authenticated_userid)
        else:
            new = visit
            new.update(details, request.authenticated_userid)
            new.proposed_by = user_state(request)
            get_workflow(new).fire(new, request, "propose-again")
        tell(request, "visit/proposed", new)
        flash(request, _("The proposal has been sent to the State under review, whose agreement it needs."))
        return redirect(request.resource_url(new))

    appstruct = {k: getattr(visit, k) for k in FIELDS} if visit is not None else None
    return form_page(request, form, page_title, save, appstruct=appstruct,
                     intro=translate(request, _("A country visit or a joint meeting in Vienna takes place only if the "
                                                "State under review agrees (ToR ¶28).")))


@view_config(context=Visit, renderer="portal:templates/visit.pt", permission=P.VIEW)
def visit_view(context, request):
    review = context.__parent__
    return {"page_title": translate(request, _("${kind}: review of ${state}",
                                               mapping={"kind": KINDS[context.kind],
                                                        "state": state_name(request, review.state)})),
            "review": review, "kinds": KINDS, "meeting_kinds": STAKEHOLDER_KINDS,
            "proposed_by": state_name(request, context.proposed_by) if context.proposed_by else
            translate(request, _("Secretariat")),
            "can_plan": request.has_permission(P.PLAN_VISIT, context),
            "can_propose": request.has_permission(P.PROPOSE_VISIT, review)
            and context.workflow_state in ("declined", "cancelled"),
            "workflow": workflow_info(context, request),
            "history": list(reversed(context.workflow_history or []))}


@view_config(context=Visit, name="edit", renderer="portal:templates/form.pt", permission=P.PLAN_VISIT)
def edit(context, request):
    form = make_form(VisitSchema, request, buttons=[button("save", _("Save"))])

    def save(data):
        details = {k: data[k] for k in FIELDS}
        if details == {k: getattr(context, k) for k in FIELDS}:
            flash(request, _("Nothing changed."))
            return redirect(request.resource_url(context))
        context.update(details, request.authenticated_userid)
        if context.workflow_state == "agreed":  # R15: the State under review agrees to the new details
            get_workflow(context).fire(context, request, "revise")  # portal.notices tells the State
            flash(request, _("Saved. The State under review is asked to agree to the new details."))
        else:
            flash(request, _("Saved."))
        return redirect(request.resource_url(context))

    return form_page(request, form, translate(request, _("Plan the visit")), save,
                     appstruct={k: getattr(context, k) for k in FIELDS})


class MinutesSchema(CSRFSchema):
    minutes = colander.SchemaNode(colander.String(), title=_("Minutes"), validator=colander.Length(min=1, max=50_000),
                                  widget=deform.widget.TextAreaWidget(rows=12))


@view_config(context=Visit, name="minutes", renderer="portal:templates/form.pt", permission=P.PLAN_VISIT)
def minutes(context, request):
    form = make_form(MinutesSchema, request, buttons=[button("save", _("Save"))])

    def save(data):
        context.record_minutes(data["minutes"], request.authenticated_userid)
        flash(request, _("Saved."))
        return redirect(request.resource_url(context))

    return form_page(request, form, translate(request, _("Minutes of the visit")), save,
                     appstruct={"minutes": context.minutes} if context.minutes else None)

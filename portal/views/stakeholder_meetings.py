"""Meetings with national stakeholders on the programme of a country visit (ToR ¶29): date, organization, kind,
participants and topic, added or removed by whoever plans the visit; a change of an agreed visit asks the State
under review to agree again, as any change of its details does (R15)."""

import colander
import deform
from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config

from content.consultation import KINDS, MAX_ORGANIZATION
from content.visit import Visit
from portal.forms import CSRFSchema, button, form_page, make_form
from portal.i18n import _, translate
from portal.views import flash, redirect
from workflows import get_workflow
from workflows import permissions as P


class MeetingSchema(CSRFSchema):
    date = colander.SchemaNode(colander.Date(), title=_("Date"), widget=deform.widget.DateInputWidget())
    organization = colander.SchemaNode(colander.String(), title=_("Organization"),
                                       validator=colander.Length(min=2, max=MAX_ORGANIZATION))
    kind = colander.SchemaNode(colander.String(), title=_("Kind of organization"), validator=colander.OneOf(list(KINDS)),
                               widget=deform.widget.SelectWidget(values=list(KINDS.items())))
    participants = colander.SchemaNode(colander.String(), title=_("Participants"), missing="",
                                       validator=colander.Length(max=2000), widget=deform.widget.TextAreaWidget(rows=2))
    topic = colander.SchemaNode(colander.String(), title=_("Topic"), missing="", validator=colander.Length(max=2000),
                                widget=deform.widget.TextAreaWidget(rows=2))

    def validator(self, node, value):
        visit = self.bindings["request"].context
        if visit.start and visit.end and not visit.start <= value["date"] <= visit.end:
            raise colander.Invalid(node["date"], _("The meeting must take place during the visit."))


def _changed(request, visit):
    """After a change: an agreed visit goes back to the State under review for its agreement (R15)."""
    if visit.workflow_state == "agreed":
        get_workflow(visit).fire(visit, request, "revise")  # portal.notices tells the State
        flash(request, _("Saved. The State under review is asked to agree to the new details."))
    else:
        flash(request, _("Saved."))
    return redirect(request.resource_url(visit) + "#stakeholder-meetings")


@view_config(context=Visit, name="add-stakeholder-meeting", renderer="portal:templates/form.pt",
             permission=P.PLAN_VISIT)
def add_meeting(context, request):
    form = make_form(MeetingSchema, request, buttons=[button("save", _("Add the meeting"))])

    def save(data):
        context.add_stakeholder_meeting(data, request.authenticated_userid)
        return _changed(request, context)

    return form_page(request, form, translate(request, _("A meeting with national stakeholders")), save,
                     intro=translate(request, _("ToR ¶29: States parties are encouraged to facilitate engagement with "
                                                "all relevant national stakeholders in the course of a country visit.")))


@view_config(context=Visit, name="remove-stakeholder-meeting", request_method="POST", permission=P.PLAN_VISIT)
def remove_meeting(context, request):
    try:
        context.remove_stakeholder_meeting(int(request.POST.get("index", "")), request.authenticated_userid)
    except (ValueError, IndexError):
        raise HTTPNotFound(translate(request, _("The visit has no such meeting."))) from None
    return _changed(request, context)

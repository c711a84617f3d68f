"""Firing workflow transitions from the buttons on any page, and the history of an object."""

from pyramid.httpexceptions import HTTPBadRequest
from pyramid.view import view_config

from content.base import Resource
from portal.i18n import _, translate
from portal.views import flash, redirect
from workflows import get_workflow
from workflows import permissions as P

MAX_COMMENT = 2000


@view_config(context=Resource, name="transition", request_method="POST", permission=P.VIEW)
def fire_transition(context, request):
    """Fire ``transition`` with an optional ``comment``; the engine checks the transition's own permission and guard."""
    workflow = get_workflow(context)
    if workflow is None:
        raise HTTPBadRequest()
    name = request.POST.get("transition", "")
    comment = request.POST.get("comment", "")[:MAX_COMMENT]
    state = workflow.fire(context, request, name, comment=comment)
    flash(request, _("Done: the item is now “${state}”.", mapping={"state": state.title}))
    return redirect(request.resource_url(context))


@view_config(context=Resource, name="history", renderer="portal:templates/history.pt", permission=P.VIEW_HISTORY)
def history(context, request):
    return {"page_title": translate(request, _("History")), "entries": list(reversed(context.workflow_history or []))}



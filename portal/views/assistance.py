"""Requests for assistance from the State under review to the secretariat (¶16), kept as threads that
either side can close and reopen; only the State under review and the secretariat see them."""

from pyramid.view import view_config

from content.threads import MAX_MESSAGE, MAX_TITLE, Assistance, AssistanceRequest
from portal.i18n import _, translate
from portal.notices import tell
from portal.views import flash, redirect
from portal.views.helpers import state_name, state_value
from portal.views.threads import (post_message, poster_state, text_node, thread_page, upload_help, uploaded_files,
                                  validate)
from workflows import get_workflow
from workflows import permissions as P

import colander


def _from(request, thread):
    first = thread.messages[0]["state"] if thread.messages else None
    return state_name(request, first) if first else translate(request, _("Secretariat"))


def _page(context, request, **extra):
    review = context.review
    return {"page_title": translate(request, _("Requests for assistance: review of ${state}",
                                               mapping={"state": state_value(request, review.state)})),
            "review": review, "rows": [{"question": t, "asked_by": _from(request, t)} for t in context.ordered()],
            "can_start": request.has_permission(P.REQUEST_ASSISTANCE, context), "dialogue": False,
            "sections": [], "upload_help": upload_help(request), "values": {}, "errors": {},
            "new_title": _("Ask the secretariat for assistance"), "new_button": _("Send the request"),
            "new_action": "@@new", **extra}


@view_config(context=Assistance, renderer="portal:templates/threads.pt", permission=P.VIEW)
def assistance_view(context, request):
    return _page(context, request)


@view_config(context=Assistance, name="new", request_method="POST", renderer="portal:templates/threads.pt",
             permission=P.REQUEST_ASSISTANCE)
def new_request(context, request):
    schema = colander.SchemaNode(colander.Mapping())
    schema.add(text_node("title", _("Subject"), MAX_TITLE))
    schema.add(text_node("text", _("Message"), MAX_MESSAGE))
    fields = {k: request.POST.get(k, "") for k in ("title", "text")}
    values, errors = validate(request, schema, fields)
    if values is None:
        return _page(context, request, values=fields, errors=errors)
    thread = AssistanceRequest(values["title"])
    problems = post_message(request, thread, poster_state(request), values["text"], uploaded_files(request))
    if problems:
        return _page(context, request, values=fields, errors={"files": " ".join(problems)})
    context.add(context.next_number(), thread)
    get_workflow(thread).initialize(thread, request.authenticated_userid)
    tell(request, "assistance/asked", thread, from_state=poster_state(request))
    flash(request, _("Your request has been sent."))
    return redirect(request.resource_url(thread))


def _thread_page(context, request, **extra):
    return thread_page(request, context, _from(request, context), (P.REQUEST_ASSISTANCE, _("Reply"), _("Send the reply")),
                       context.workflow_state == "open", **extra)


@view_config(context=AssistanceRequest, renderer="portal:templates/thread.pt", permission=P.VIEW)
def request_view(context, request):
    return _thread_page(context, request)


@view_config(context=AssistanceRequest, name="reply", request_method="POST", renderer="portal:templates/thread.pt",
             permission=P.REQUEST_ASSISTANCE)
def reply(context, request):
    text = request.POST.get("text", "")
    errors = post_message(request, context, poster_state(request), text, uploaded_files(request))
    if errors:
        return _thread_page(context, request, text=text, errors=errors)
    tell(request, "assistance/reply", context, from_state=poster_state(request))
    flash(request, _("Your reply has been sent."))
    return redirect(request.resource_url(context))

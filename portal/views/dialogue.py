"""The constructive dialogue of a review (¶22-¶23, R14): reviewers and the secretariat ask questions
with a due date and attachments, the State under review answers; open, answered and overdue at a glance."""

from datetime import date, timedelta

import colander
from pyramid.view import view_config

from content.threads import MAX_MESSAGE, MAX_TITLE, Dialogue, Question
from portal.i18n import _, translate
from portal.notices import tell
from portal.views import flash, redirect
from portal.views.helpers import section_title
from portal.views.helpers import state_name, state_value
from portal.views.threads import (is_overdue, message_rows, post_message, poster_state, reply_forms, text_node,
                                  upload_help, uploaded_files, validate)
from workflows import get_workflow
from workflows import permissions as P

DEFAULT_DAYS = 14


def _sections(request, dialogue):
    checklist = dialogue.review.get("checklist")
    return [(s.key, section_title(request, s)) for s in checklist.sections()] if checklist is not None else []


def _due_not_past(node, value):
    if value < date.today():
        raise colander.Invalid(node, _("The due date cannot be in the past."))


def ask_schema(sections):
    schema = colander.SchemaNode(colander.Mapping())
    schema.add(text_node("title", _("Subject"), MAX_TITLE))
    schema.add(text_node("text", _("Question"), MAX_MESSAGE))
    schema.add(colander.SchemaNode(colander.Date(), name="due", title=_("Answer due by"),
                                   validator=_due_not_past, missing_msg=_("This field is required.")))
    schema.add(colander.SchemaNode(colander.String(), name="about", missing="",
                                   validator=colander.OneOf([""] + [k for k, _t in sections])))
    return schema


def _page(context, request, **extra):
    today = date.today()
    sections = dict(_sections(request, context))
    rows = [{"question": q, "asked_by": state_name(request, q.asked_by_state) if q.asked_by_state else
             translate(request, _("Secretariat")), "about": sections.get(q.about, ""),
             "overdue": is_overdue(q, today)} for q in context.ordered()]
    review = context.review
    return {"page_title": translate(request, _("Constructive dialogue: review of ${state}",
                                               mapping={"state": state_value(request, review.state)})),
            "review": review, "rows": rows, "can_start": request.has_permission(P.ASK_QUESTION, context),
            "sections": _sections(request, context), "upload_help": upload_help(request),
            "values": {"due": (today + timedelta(days=DEFAULT_DAYS)).isoformat()}, "errors": {}, "dialogue": True,
            "new_title": _("Ask a question"), "new_button": _("Send the question"), "new_action": "@@ask", **extra}


@view_config(context=Dialogue, renderer="portal:templates/threads.pt", permission=P.VIEW)
def dialogue_view(context, request):
    request.environ["portal.no_page_cache"] = True  # overdue flags depend on today's date
    return _page(context, request)


@view_config(context=Dialogue, name="ask", request_method="POST", renderer="portal:templates/threads.pt",
             permission=P.ASK_QUESTION)
def ask(context, request):
    """A new question to the State under review; its focal point is told by mail."""
    fields = {k: request.POST.get(k, "") for k in ("title", "text", "due", "about")}
    values, errors = validate(request, ask_schema(_sections(request, context)), fields)
    files = uploaded_files(request)
    if values is None:
        return _page(context, request, values=fields, errors=errors)
    question = Question(values["title"], poster_state(request), values["due"], values["about"])
    problems = post_message(request, question, poster_state(request), values["text"], files)
    if problems:
        return _page(context, request, values=fields, errors={"files": " ".join(problems)})
    context.add(context.next_number(), question)
    get_workflow(question).initialize(question, request.authenticated_userid)
    tell(request, "question/asked", question, mapping={"due": values["due"]})  # a date: each mail writes it
    flash(request, _("Your question has been sent to the State under review."))
    return redirect(request.resource_url(question))


def _question_page(context, request, **extra):
    review = context.review
    sections = dict(_sections(request, context.__parent__))
    return {"page_title": context.title, "review": review, "question": context,
            "asked_by": state_name(request, context.asked_by_state) if context.asked_by_state else
            translate(request, _("Secretariat")), "about": sections.get(context.about, ""),
            "overdue": is_overdue(context), "messages": message_rows(request, context),
            "forms": reply_forms(request, context, [
                (P.ANSWER_QUESTION, "@@answer", _("Your answer"), _("Send the answer")),
                (P.ASK_QUESTION, "@@follow-up", _("Follow-up question"), _("Send the follow-up question"))]),
            "upload_help": upload_help(request), "text": "", "errors": [], "workflow": None,
            "state_title": get_workflow(context).state_of(context).title, **extra}


@view_config(context=Question, renderer="portal:templates/thread.pt", permission=P.VIEW)
def question_view(context, request):
    request.environ["portal.no_page_cache"] = True
    return _question_page(context, request)


def _reply(context, request, transition, done):
    text = request.POST.get("text", "")
    errors = post_message(request, context, poster_state(request), text, uploaded_files(request))
    if errors:
        return _question_page(context, request, text=text, errors=errors)
    get_workflow(context).fire(context, request, transition)  # portal.notices tells who must know
    flash(request, done)
    return redirect(request.resource_url(context))


@view_config(context=Question, name="answer", request_method="POST", renderer="portal:templates/thread.pt",
             permission=P.ANSWER_QUESTION)
def answer(context, request):
    """The State under review answers; whoever asked is told by mail."""
    return _reply(context, request, "answer", _("Your answer has been sent."))


@view_config(context=Question, name="follow-up", request_method="POST", renderer="portal:templates/thread.pt",
             permission=P.ASK_QUESTION)
def follow_up(context, request):
    """A follow-up question reopens the question for the State under review."""
    return _reply(context, request, "follow-up", _("Your follow-up question has been sent."))

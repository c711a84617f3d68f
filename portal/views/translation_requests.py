"""Translations of a review's working documents (ToR ¶48, ¶49): the secretariat (or the State under review,
for a further language) asks for the checklist answers or the report draft in another language; the
secretariat delivers the translated file in the request's thread and marks it delivered."""

import colander
from pyramid.view import view_config

from content.translation_requests import DOCUMENTS, MAX_LANGUAGE_NAME, TranslationRequest, TranslationRequests
from content.threads import MAX_MESSAGE
from portal.i18n import LANGUAGE_NAMES, LANGUAGE_TITLES, _, translate
from portal.notices import tell
from portal.views import flash, redirect
from portal.views.helpers import state_name, state_value
from portal.views.threads import post_message, poster_state, text_node, thread_page, uploaded_files, validate
from workflows import get_workflow
from workflows import permissions as P

OTHER = "other"


def _requested_by(request, item):
    return state_name(request, item.requested_for) if item.requested_for else translate(request, _("Secretariat"))


def _page(context, request, **extra):
    review = context.review
    languages = [(code, name) for code, name in LANGUAGE_NAMES.items() if code != review.language]
    return {"page_title": translate(request, _("Translations of the documents of the review of ${state}",
                                               mapping={"state": state_value(request, review.state)})),
            "review": review, "working_language": translate(request, LANGUAGE_TITLES[review.language]) if review.language in LANGUAGE_TITLES else None,
            "rows": [{"item": r, "title": translate(request, r.title), "by": _requested_by(request, r)}
                     for r in context.ordered()],
            "can_ask": request.has_permission(P.REQUEST_TRANSLATION, context), "documents": DOCUMENTS,
            "languages": languages, "values": {}, "errors": {}, **extra}


@view_config(context=TranslationRequests, renderer="portal:templates/translation_requests.pt", permission=P.VIEW)
def requests_view(context, request):
    return _page(context, request)


def _target(values):
    """The language asked for: a working-language code, or the name of a further language (¶49)."""
    return values["other_language"] if values["language"] == OTHER else values["language"]


def _check(context, values):
    """The request's own rules, as ``{field: message}``: a document that exists, a language that is not
    the review's own, a further language named, and one open request per document and language."""
    review = context.review
    if values["document"] == "report" and review["report"].current() is None:
        return {"document": _("There is no draft of the report yet.")}
    if values["language"] == OTHER and not values["other_language"]:
        return {"other_language": _("Name the language.")}
    language = _target(values)
    if language == review.language:
        return {"language": _("The review is conducted in this language already.")}
    if context.open_request(values["document"], language) is not None:
        return {"language": _("This document has already been requested in this language.")}
    return {}


@view_config(context=TranslationRequests, name="new", request_method="POST",
             renderer="portal:templates/translation_requests.pt", permission=P.REQUEST_TRANSLATION)
def new_request(context, request):
    schema = colander.SchemaNode(colander.Mapping())
    schema.add(colander.SchemaNode(colander.String(), name="document", validator=colander.OneOf(list(DOCUMENTS))))
    schema.add(colander.SchemaNode(colander.String(), name="language",
                                   validator=colander.OneOf(list(LANGUAGE_NAMES) + [OTHER])))
    schema.add(text_node("other_language", _("Another language"), MAX_LANGUAGE_NAME, required=False))
    schema.add(text_node("text", _("Message"), MAX_MESSAGE, required=False))
    fields = {k: request.POST.get(k, "") for k in ("document", "language", "other_language", "text")}
    values, errors = validate(request, schema, fields)
    if values is None or (errors := {k: translate(request, v) for k, v in _check(context, values).items()}):
        request.response.status_int = 400
        return _page(context, request, values=fields, errors=errors)
    review = context.review
    item = TranslationRequest(values["document"], _target(values),
                              review["report"].current_number() if values["document"] == "report" else None,
                              request.authenticated_userid, poster_state(request))
    if values["text"]:
        post_message(request, item, poster_state(request), values["text"], [])
    context.add(context.next_number(), item)
    get_workflow(item).initialize(item, request.authenticated_userid)
    tell(request, "translation-request/asked", item, from_state=poster_state(request))
    flash(request, _("The translation is requested."))
    return redirect(request.resource_url(item))


def _thread_page(context, request, **extra):
    return thread_page(request, context, _requested_by(request, context),
                       (P.REQUEST_TRANSLATION, _("Message"), _("Send the message")),
                       context.workflow_state == "requested", **extra)


@view_config(context=TranslationRequest, renderer="portal:templates/thread.pt", permission=P.VIEW)
def request_view(context, request):
    return _thread_page(context, request)


@view_config(context=TranslationRequest, name="reply", request_method="POST", renderer="portal:templates/thread.pt",
             permission=P.REQUEST_TRANSLATION)
def reply(context, request):
    text = request.POST.get("text", "")
    errors = post_message(request, context, poster_state(request), text, uploaded_files(request))
    if errors:
        request.response.status_int = 400
        return _thread_page(context, request, text=text, errors=errors)
    tell(request, "translation-request/reply", context, from_state=poster_state(request))
    flash(request, _("Your message has been sent."))
    return redirect(request.resource_url(context))

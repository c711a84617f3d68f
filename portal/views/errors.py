"""Error pages: not found, forbidden (login for anonymous readers), bad input; translated, and never leaking content."""

import logging
from urllib.parse import urlencode

from pyramid.events import subscriber
from pyramid.exceptions import BadCSRFOrigin, BadCSRFToken, URLDecodeError
from pyramid.httpexceptions import HTTPBadRequest, HTTPMethodNotAllowed, HTTPSeeOther
from pyramid.location import lineage
from pyramid.renderers import render_to_response
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config
from pyramid_retry import IBeforeRetry
from transaction.interfaces import TransientError

from content.checklists import Checklist
from content.draw_requests import DrawRequest
from content.states import StatesFolder
from portal.layout import Layout
from portal.i18n import _, format_date, translate
from portal.views import safe_came_from, user_state
from portal.tweens import ControlCharacter
from workflows import GuardRejected, InvalidTransition, TransitionForbidden, get_workflow
from workflows import permissions as P

log = logging.getLogger(__name__)


def wants_json(request):
    return getattr(request, "view_name", None) == "json" or request.path.endswith("/@@json") or "application/json" in (request.accept.header_value or "")


def error_response(request, status, title, message, more=(), links=()):
    """An error as a translated HTML page, or as JSON for JSON clients. ``more``: further paragraphs;
    ``links``: ``[(url, label)]``, the ways on from the page (labels are translation strings)."""
    if wants_json(request):
        response = render_to_response(
            "json", {"error": status, "title": translate(request, title), "message": translate(request, message)}, request=request
        )
    else:
        response = render_to_response(
            "portal:templates/message.pt",
            {"page_title": translate(request, title), "message": translate(request, message), "context": None,
             "more": [translate(request, m) for m in more],
             "links": [(url, translate(request, label)) for url, label in links]},
            request=request,
        )
    response.status_int = status
    response.cache_control = "no-store"
    return response


def hides_items(request, folder):
    """True when ``folder`` is a list of entries of different States or people (``hides_entries``) and holds
    one the reader may not see: a name missing there then gets the answer a hidden entry gets, so that
    nobody can count or probe the entries hidden from them (an expert list, say)."""
    return getattr(folder, "hides_entries", False) and any(
        not request.has_permission(P.VIEW, item) for item in folder.values())


@notfound_view_config()
def not_found(exc, request):
    """A missing page; but below something the reader may not see, or in a list holding entries the reader
    may not see, the same answer as for an existing one (access denied), so that nobody learns what exists
    inside a confidential review (R18) or counts what a list hides."""
    context = getattr(request, "context", None)
    if context is not None and (not request.has_permission(P.VIEW, context) or hides_items(request, context)):
        return forbidden(exc, request)
    if isinstance(context, StatesFolder) and request.view_name:
        message = _("There is no state with the code “${code}” in the registry. Codes are ISO 3166 three-letter codes in capitals, such as KEN.",
                    mapping={"code": request.view_name[:20]})
    else:
        message = _("There is nothing at this address. It may have been moved, or the address may be mistyped.")
    return error_response(request, 404, _("Page not found"), message)


def back_link(request):
    """``(url, label)``: back to where the reader was (the Referer, when it is a page of the portal other than
    this one), else the nearest page at or above the refused one that the reader may see. The same for a
    hidden resource and a missing one below it (``not_found``), so that it tells nothing about either."""
    referer = request.referer
    if referer and referer != request.url and safe_came_from(request, referer) == referer:
        return referer, _("Back to the previous page")
    context = getattr(request, "context", None)
    start = context if request.view_name else getattr(context, "__parent__", None)
    for node in lineage(start) if start is not None else ():
        if getattr(node, "type_name", None) and request.has_permission(P.VIEW, node):
            return request.resource_url(node), _("Back to “${title}”", mapping={
                "title": Layout(request, None).title_of(node)})
    return None


def _links(*links):
    return [link for link in links if link is not None]


def submitted_checklist(request, checklist):
    """The page for someone who may read a checklist and opens its answer form after it was submitted (or
    sends it): when it was submitted, that the answers are read-only, and how it can be reopened. None when
    the checklist is not submitted, or the reader may not see it (the usual page then)."""
    review = checklist.__parent__
    if review.workflow_state in ("scheduled", "checklist") or not request.has_permission(P.VIEW, checklist):
        return None
    submitted = [e for e in review.workflow_history or () if e.get("transition") == "submit-checklist"]
    if not submitted:
        return None
    more = []
    workflow = get_workflow(review)
    if review.workflow_state not in workflow.transitions["reopen-checklist"].sources:
        more.append(_("At this stage of the review the checklist can no longer be reopened."))
    elif any(t.name == "reopen-checklist" for t in workflow.available(review, request)):
        more.append(_("To let the State under review change its answers, reopen the checklist from the review's page."))
    elif user_state(request) == review.state:
        more.append(_("To change an answer, ask the secretariat to reopen the checklist."))
    return error_response(
        request, 403, _("Checklist submitted"),
        _("The checklist was submitted on ${date}; its answers are read-only now.",
          mapping={"date": format_date(submitted[-1]["when"].date(), request.locale_name)}),
        more=more,
        links=[(request.resource_url(checklist), _("Back to the checklist")),
               (request.resource_url(review), _("Back to the review"))])


@forbidden_view_config()
def forbidden(exc, request):
    if request.identity is None and not wants_json(request) and request.method == "GET":
        query = urlencode({"came_from": request.url})
        return HTTPSeeOther(location=f"{request.application_url}/@@login?{query}")
    context = getattr(request, "context", None)
    if isinstance(context, Checklist) and request.view_name == "answer":
        page = submitted_checklist(request, context)
        if page is not None:
            return page
    return error_response(request, 403, _("Access denied"), _("You do not have permission to see this page or do this."),
                          links=_links(back_link(request)))


@exception_view_config(BadCSRFToken)
@exception_view_config(BadCSRFOrigin)
def bad_csrf(exc, request):
    return error_response(
        request, 400, _("Form expired"),
        _("The form has expired or was not sent from this portal. Go back, reload the page and try again."),
    )


@exception_view_config(UnicodeDecodeError)
@exception_view_config(URLDecodeError)
def bad_encoding(exc, request):
    # The page's own links (language switcher, sign-in) are built from the address, which cannot be
    # decoded: they point to the home page instead.
    request.environ["PATH_INFO"], request.environ["QUERY_STRING"] = "/", ""
    return error_response(
        request, 400, _("Invalid characters"),
        _("The request contained text that is not valid UTF-8. Nothing was changed."),
    )


@exception_view_config(ControlCharacter)
def control_character(exc, request):
    return error_response(
        request, 400, _("Invalid characters"),
        _("A text in the form contained a control character (such as NUL) that no text of the portal may hold. "
          "Nothing was changed: go back, remove it and send the form again."),
    )


@exception_view_config(HTTPMethodNotAllowed)
def method_not_allowed(exc, request):
    response = error_response(request, 405, _("Method not allowed"),
                              _("The portal answers only GET, HEAD and POST requests. Nothing was changed."))
    response.headers["Allow"] = exc.headers.get("Allow", "GET, HEAD, POST")
    return response


@exception_view_config(HTTPBadRequest)
def bad_request(exc, request):
    return error_response(request, 400, _("Bad request"), _("The request could not be understood. Nothing was changed."))


@exception_view_config(TransitionForbidden)
def transition_forbidden(exc, request):
    return error_response(request, 403, _("Access denied"), exc.message, links=_links(back_link(request)))


@exception_view_config(InvalidTransition)
@exception_view_config(GuardRejected)
def transition_refused(exc, request):
    context = getattr(request, "context", None)
    if isinstance(exc, GuardRejected) and isinstance(context, DrawRequest):  # granting what the rules refuse (now)
        cycle = context.__parent__.__parent__
        return error_response(
            request, 409, _("The request cannot be granted"), exc.message,
            more=[_("Nothing was changed and the request is still waiting for a decision: refuse it with a comment "
                    "saying why, or decide on it again once the situation has changed.")],
            links=[(request.resource_url(context), _("Back to the request")),
                   (request.resource_url(cycle), _("Back to the cycle"))])
    return error_response(request, 409, _("Action not possible"), exc.message, links=_links(back_link(request)))


@subscriber(IBeforeRetry)
def log_retry(event):
    """Each retry of a request after a write conflict is logged (operators count them; see docs/operations.md)."""
    environ = event.environ
    log.info("retrying %s %s after %s (attempt %s of %s)", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"),
             event.exception.__class__.__name__, environ.get("retry.attempt", 0) + 1, environ.get("retry.attempts"))


@exception_view_config(TransientError, retryable_error=False)
def write_collision(exc, request):
    """A write that kept colliding with other writes to the same items through every retry: refused whole,
    with a message that says so (the transaction is aborted; nothing of the request is saved)."""
    log.warning("write refused after %s attempts on %s %s: %s", request.environ.get("retry.attempts"),
                request.method, request.path_url, exc.__class__.__name__)
    return error_response(
        request, 409, _("Saved by someone else at the same moment"),
        _("Others were saving changes to the same items at the same moment, and your change could not be saved "
          "after several attempts. Nothing of it was kept: go back, check the page and submit it again."),
    )


@exception_view_config(Exception, retryable_error=False)
def server_error(exc, request):
    """Any other failure: the transaction is aborted (nothing is saved) and the reader gets a translated page.

    Retryable errors (write conflicts) are left to pyramid_retry, which runs the request again.
    """
    log.exception("unhandled error on %s %s", request.method, request.path_url)
    return error_response(
        request, 500, _("Something went wrong"),
        _("The portal could not complete this request. Nothing was changed. Please try again; if the problem persists, inform the secretariat."),
    )

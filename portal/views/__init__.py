"""Views of the portal, one module per area; every view declares its permission."""

from pyramid.httpexceptions import HTTPSeeOther

from portal.i18n import translate


def flash(request, message, queue=""):
    """Show ``message`` (translated now, as sessions hold plain text) on the next page."""
    request.session.flash(translate(request, message), queue=queue)


def user_state(request):
    """The state (ISO3) of the signed-in user, from the security policy's cached identity; None if it has none."""
    return getattr(request.identity, "state", None)


def redirect(location):
    return HTTPSeeOther(location=location)


def safe_came_from(request, value):
    """Only same-site paths are followed after sign-in (no open redirects), and none with a control
    character (CR/LF would inject headers into the redirect)."""
    if not value or not isinstance(value, str) or any(ord(c) < 32 or ord(c) == 127 for c in value):
        return request.application_url + "/"
    if value.startswith(request.application_url + "/"):
        return value
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return request.application_url + value
    return request.application_url + "/"


def form_errors_html(request, errors):
    """Translate a list of translation strings for an error box."""
    return [translate(request, e) for e in errors]

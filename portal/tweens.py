"""Request-level guards that run before any view: only GET, HEAD and POST; text input must be valid UTF-8
and hold no control characters but tab, line and page breaks.

WebOb silently replaces undecodable bytes in form bodies with U+FFFD, so a broken upload would
store mangled text; a NUL or other control character has no place in any text of the portal. We refuse
such requests with a clear 400 (the error view translates it); nothing is changed.
"""

import re
from urllib.parse import unquote_to_bytes

from pyramid.httpexceptions import HTTPMethodNotAllowed

METHODS = ("GET", "HEAD", "POST")
# Tab, line and page breaks stay (text pasted from word processors carries them); the rest are refused.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class ControlCharacter(ValueError):
    """A form's text holds a control character (NUL and the like): refused with a 400."""


def _form_is_utf8(request):
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        raw = unquote_to_bytes(request.body.replace(b"+", b" "))
        raw.decode("utf-8")  # raises UnicodeDecodeError
    elif content_type.startswith("multipart/form-data"):
        for value in request.POST.values():
            if isinstance(value, str) and "\ufffd" in value:
                raise UnicodeDecodeError("utf-8", b"", 0, 1, "invalid UTF-8 in a form field")


def utf8_guard_factory(handler, registry):
    def utf8_guard(request):
        if request.method not in METHODS:  # the portal has no other (TRACE, OPTIONS, PUT, DELETE ...)
            raise HTTPMethodNotAllowed(headers={"Allow": ", ".join(METHODS)})
        request.path_info  # noqa: B018  (raises URLDecodeError for a non-UTF-8 path)
        if request.query_string:
            request.GET  # noqa: B018  (raises UnicodeDecodeError)
        if request.method == "POST":
            _form_is_utf8(request)
            if any(isinstance(v, str) and CONTROL.search(v) for v in request.POST.values()):
                raise ControlCharacter("a control character in a form field")
        return handler(request)

    return utf8_guard

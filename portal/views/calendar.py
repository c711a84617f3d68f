"""Each person's deadlines as an iCalendar feed (``/@@calendar?token=...``, a private address that the
person makes and revokes on ``/users/<login>/@@calendar-address``); the feed names the review and what is
due, never the review's text."""

import secrets
from datetime import datetime, timedelta, timezone

from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from content.root import PortalRoot
from content.users import User, token_digest
from portal.i18n import _, localizer, translate, translate_with
from portal.reminders import deadlines_of
from portal.views import flash, redirect
from workflows import permissions as P


def _user_of(root, token):
    digest = token_digest(token) if token else None
    return next((u for u in root["users"].values()
                 if digest and u.active and getattr(u, "calendar_token_digest", None) == digest), None)


def _text(value):
    """A text value of iCalendar (RFC 5545 §3.3.11): backslash, semicolon, comma and new lines escaped."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _folded(line):
    """A content line folded at 75 octets (RFC 5545 §3.1), never inside a character."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += char
    return "\r\n ".join(out + [current])


def calendar_text(request, user):
    """The VCALENDAR of ``user``'s open deadlines, in the user's language."""
    loc = localizer(user.language, request.registry)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Review Portal//Deadlines//EN", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_text(translate_with(loc, _('Review Portal: my deadlines')))}"]
    for deadline in deadlines_of(request.root, user):
        registered = request.root["states"].get(deadline.review.state)
        state = registered.name_value() if registered is not None else deadline.review.state
        summary = translate_with(loc, _("Review of ${state}: ${what}", mapping={"state": state, "what": deadline.title}))
        lines += ["BEGIN:VEVENT", f"UID:{deadline.key.replace('/', '-')}@review-portal", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{deadline.due:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{deadline.due + timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{_text(summary)}", f"URL:{request.resource_url(deadline.resource)}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_folded(line) for line in lines) + "\r\n"


@view_config(context=PortalRoot, name="calendar", permission=NO_PERMISSION_REQUIRED, request_method=("GET", "HEAD"))
def calendar_feed(context, request):
    """The feed of the person whose private address this is; an unknown or revoked address is not found."""
    user = _user_of(context, request.GET.get("token", "")[:200])
    if user is None:
        raise HTTPNotFound()
    response = Response(calendar_text(request, user), content_type="text/calendar", charset="utf-8")
    response.cache_control = "private, no-store"
    return response


@view_config(context=User, name="calendar-address", renderer="portal:templates/calendar_address.pt",
             permission=P.EDIT_PROFILE)
def calendar_address(context, request):
    """Make a new private address for the feed (the old one stops working), or revoke it."""
    address = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            context.calendar_token_digest = None
            flash(request, _("The address of your calendar no longer works."))
            return redirect(request.resource_url(context, "@@calendar-address"))
        token = secrets.token_urlsafe(32)
        context.calendar_token_digest = token_digest(token)
        address = request.resource_url(request.root, "@@calendar", query={"token": token})
    return {"page_title": translate(request, _("Calendar of my deadlines")), "address": address,
            "active": getattr(context, "calendar_token_digest", None) is not None}

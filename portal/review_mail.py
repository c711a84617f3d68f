"""Inbox entries and mails the portal sends to the people it tells something (``portal.notices`` says whom,
about what): a mail about a review names it and links to it, and never quotes its confidential text."""

from pyramid.traversal import find_root

from content.inbox import inbox_of
from portal.i18n import _
from portal.mail import send


def review_recipients(users, review, iso3):
    """The users (of the folder ``users``) to tell for ``iso3`` in ``review``: its focal point named for the
    review, else all its active focal points; the secretariat's staff for ``None``."""
    if iso3 is None:
        return [u for u in users.values() if u.function == "secretariat" and u.active]
    named = review.team(iso3)["focal_point"]
    if named and named in users and users[named].active:
        return [users[named]]
    return [u for u in users.values() if u.function == "focal-point" and u.state == iso3 and u.active]


def review_state_name(review):
    """The State under review's names for a message's mapping (``${state}`` and its forms), else its code."""
    registered = find_root(review)["states"].get(review.state)
    return registered.name_value() if registered is not None else review.state


def notify_users(request, users, review, subject, what, link):
    """Tell each of ``users`` but the person acting: an entry in their inbox, and a mail in their language at
    once, or in the next daily digest when they chose one. A mail about ``review`` names it."""
    sent = []
    state = review_state_name(review) if review is not None else None
    for user in users:
        if user.login == request.authenticated_userid:
            continue
        immediate = user.notifications != "digest" and bool(user.email)
        inbox_of(user).add(subject, what, link, mailed=immediate)
        if not immediate:
            continue
        if review is None:
            body = _("Dear ${name},\n\n${what}\n\n${link}\n\nThis message is sent by the Review Portal.",
                     mapping={"name": user.fullname, "what": what, "link": link})
        else:
            body = _("Dear ${name},\n\n${what}\n\nReview of: ${state} (${year})\n${link}\n\nThis message is sent "
                     "by the Review Portal; the review itself is confidential and can be read only in the portal.",
                     mapping={"name": user.fullname, "what": what, "state": state, "year": review.year,
                              "link": link})
        sent.append(send(request, user.email, user.language, subject, body))
    return sent

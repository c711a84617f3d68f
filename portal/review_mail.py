"""Mails about a country review (¶22-¶23, R14-R16): a new question, an answer, a proposed visit, a
report awaiting agreement. They name the review and link to it, and never quote its confidential text."""

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


def notify(request, review, states, subject, what, link):
    """Tell every recipient of ``states`` (ISO3 codes, ``None`` for the secretariat): an entry in their inbox,
    and a mail in their language at once, or in the next daily digest when they chose one."""
    sent = []
    seen = set()
    registered = request.root["states"].get(review.state)
    state = registered.name_value() if registered is not None else review.state
    for iso3 in states:
        for user in review_recipients(request.root["users"], review, iso3):
            if user.login in seen or user.login == request.authenticated_userid:
                continue
            seen.add(user.login)
            immediate = user.notifications != "digest" and bool(user.email)
            inbox_of(user).add(subject, what, link, mailed=immediate)
            if not immediate:
                continue
            body = _("Dear ${name},\n\n${what}\n\nReview of: ${state} (${year})\n${link}\n\nThis message is sent by "
                     "the Review Portal; the review itself is confidential and can be read only in the portal.",
                     mapping={"name": user.fullname, "what": what, "state": state, "year": review.year,
                              "link": link})
            sent.append(send(request, user.email, user.language, subject, body))
    return sent

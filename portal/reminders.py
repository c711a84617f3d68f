"""Deadlines of the people who work on reviews (ToR ¶24 milestones, the dialogue's due dates): what each
person has to do by when, the daily reminders ``portal-remind`` sends (N days before, then when overdue,
once per person, item and day) and the iCalendar feed of one's own deadlines."""

from dataclasses import dataclass
from datetime import date

from BTrees.OOBTree import OOBTree

from content.milestones import MILESTONES, is_done
from portal.i18n import _, _n, localizer, translate_with
from portal.mail import send
from portal.review_mail import review_recipients
from portal.review_tasks import open_questions

DAYS_BEFORE = 7  # default of the setting ``reminders.days_before``
OVERDUE_EVERY = 7  # an overdue item is recalled on its first day overdue, then weekly


@dataclass(frozen=True)
class Deadline:
    """Something ``states`` (ISO3 codes; ``None`` for the secretariat) must do in ``review`` by ``due``."""

    key: str  # stable: the review's path and the milestone or question
    title: object  # a translation string naming what is due, never quoting the review's text
    due: date
    review: object
    resource: object  # what the link opens
    states: tuple


def deadlines(root):
    """Every open deadline of the reviews under way: each milestone not reached yet, for whoever must reach
    it, and each question awaiting its answer, for the State under review."""
    for cycle in root["cycles"].values():
        reviews = cycle.get("reviews")
        for review in (reviews.values() if reviews is not None else ()):
            if review.workflow_state == "final":
                continue
            path = f"{cycle.__name__}/{review.state}"
            for key, (title, _days) in MILESTONES.items():
                due = (getattr(review, "milestones", None) or {}).get(key)
                if due is not None and not is_done(review, key):
                    yield Deadline(f"{path}/milestone/{key}", title, due, review, review, _owners(review, key))
            for question in open_questions(review):
                yield Deadline(f"{path}/question/{question.__name__}", _("An answer to a question of the dialogue"),
                               question.due, review, question, (review.state,))


def _owners(review, key):
    """Who must reach milestone ``key``: the States that have not named their focal point or experts yet, the
    State under review for its checklist, the secretariat for the review as a whole."""
    if key == "focal-points":
        return tuple(s for s in review.parties() if not review.team(s)["focal_point"])
    if key == "experts":
        return tuple(s for s in review.parties() if not review.team(s)["experts"])
    if key == "checklist":
        return (review.state,)
    return (None,)


def reminder_kind(due, today, days_before):
    """``"soon"`` ``days_before`` days before ``due``, ``"overdue"`` on its first day overdue and weekly
    after, else None."""
    if (due - today).days == days_before:
        return "soon"
    late = (today - due).days
    if late >= 1 and (late - 1) % OVERDUE_EVERY == 0:
        return "overdue"
    return None


def send_reminders(root, request, today=None, days_before=DAYS_BEFORE):
    """Mail today's reminders; a reminder already sent today to that person for that item is not sent again
    (``root.reminders`` records each one). Returns how many were sent."""
    today = today or date.today()
    if getattr(root, "reminders", None) is None:
        root.reminders = OOBTree()
    sent = 0
    for deadline in deadlines(root):
        kind = reminder_kind(deadline.due, today, days_before)
        if kind is None:
            continue
        for iso3 in deadline.states:
            for user in review_recipients(root["users"], deadline.review, iso3):
                record = f"{today.isoformat()}|{user.login}|{deadline.key}"
                if record in root.reminders or not user.email:
                    continue
                _mail(root, request, user, deadline, kind)
                root.reminders[record] = (kind, deadline.due)
                sent += 1
    return sent


def _mail(root, request, user, deadline, kind):
    registered = root["states"].get(deadline.review.state)
    state = registered.name_value() if registered is not None else deadline.review.state
    mapping = {"name": user.fullname, "what": deadline.title, "state": state, "due": deadline.due,
               "link": request.resource_url(deadline.resource)}
    if kind == "soon":
        subject = _("Reminder: due on ${due}", mapping={"due": deadline.due})
        body = _("Dear ${name},\n\nIn the review of ${state}: ${what}, due on ${due}.\n${link}\n\nThis reminder is "
                 "sent by the Review Portal; the review itself can be read only in the portal.", mapping=mapping)
    else:
        subject = _("Overdue since ${due}", mapping={"due": deadline.due})
        body = _("Dear ${name},\n\nIn the review of ${state}: ${what}, due on ${due}, is still awaited.\n${link}\n\n"
                 "This reminder is sent by the Review Portal; the review itself can be read only in the portal.",
                 mapping=mapping)
    send(request, user.email, user.language, subject, body)


def deadlines_of(root, user):
    """The open deadlines ``user`` has to meet: their State's, or every one for the secretariat."""
    if user.function == "secretariat":
        return list(deadlines(root))
    return [d for d in deadlines(root) if user.state in d.states]


def prune(root, before):
    """Forget the records of reminders sent before ``before`` (they only prevent a second mail on a day)."""
    reminders = getattr(root, "reminders", None)
    if reminders is None:
        return 0
    old = list(reminders.keys(max=before.isoformat(), excludemax=True))
    for key in old:
        del reminders[key]
    return len(old)


def send_digests(root, request):
    """One mail to each person who chose a daily digest, with the notifications no mail has carried yet, in
    their language; a second run the same day finds nothing left to carry. Returns how many were sent."""
    sent = 0
    for user in root["users"].values():
        inbox = getattr(user, "inbox", None)
        if user.notifications != "digest" or inbox is None or not user.email or not user.active:
            continue
        items = inbox.for_digest()
        if not items:
            continue
        loc = localizer(user.language, request.registry)
        lines = "\n".join(f"- {translate_with(loc, subject)}: {translate_with(loc, what)}\n  {link}"
                           for subject, what, link in items)
        send(request, user.email, user.language,
             _n("Review Portal: ${count} notification", "Review Portal: ${count} notifications", len(items)),
             _("Dear ${name},\n\nWhat the Review Portal told you since the last digest:\n\n${items}\n\nThe "
               "reviews themselves can be read only in the portal.", mapping={"name": user.fullname, "items": lines}))
        sent += 1
    return sent

"""Reminders of deadlines and the calendar of one's deadlines (issue 21 §2): ``portal-remind`` mails N days
before a milestone or an answer is due and when it is overdue, once per person, item and day (run twice, it
sends nothing twice), in each person's language, without the review's text; the iCalendar feed lives at a
private address that its owner makes and revokes."""

from datetime import date, timedelta

import pytest
from pyramid.request import Request
from pyramid.scripting import prepare

from content.milestones import set_due_dates
from portal.reminders import reminder_kind, send_reminders
from portal.scripts.demo_reviews import hold_dialogue
from tests.conftest import csrf_from, last_form
from tests.cycle_fixtures import CYCLE

TODAY = date(2027, 3, 10)  # a frozen clock: the reminders are computed for this day


@pytest.mark.parametrize("due, kind", [
    (TODAY + timedelta(days=7), "soon"), (TODAY + timedelta(days=6), None), (TODAY, None),
    (TODAY - timedelta(days=1), "overdue"), (TODAY - timedelta(days=2), None), (TODAY - timedelta(days=8), "overdue"),
])
def test_reminders_come_n_days_before_and_when_overdue(due, kind):
    assert reminder_kind(due, TODAY, 7) == kind


def remind(portal, today=TODAY):
    env = prepare(registry=portal.registry, request=Request.blank("/", base_url="https://review.example.org"))
    try:
        with portal.root() as root:
            return send_reminders(root, env["request"], today, 7)
    finally:
        env["closer"]()


@pytest.fixture
def due_soon_and_overdue(portal, clients, review_parties):
    """The State under review's checklist due in 7 days, one of its questions a day overdue (French mails)."""
    sur = review_parties[0]
    portal.add_user("sur-fp-fr", function="focal-point", state=sur)
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        set_due_dates(review, {"checklist": TODAY + timedelta(days=7), "focal-points": TODAY + timedelta(days=30),
                               "experts": TODAY + timedelta(days=30), "desk-review": TODAY + timedelta(days=30),
                               "dialogue": TODAY + timedelta(days=60), "drafting": TODAY + timedelta(days=80),
                               "review": TODAY + timedelta(days=90)}, "test")
        hold_dialogue(review, "test", answered=False)
        review["dialogue"]["1"].due = TODAY - timedelta(days=1)
        root["users"]["sur-fp-fr"].language = "fr"
    portal.mailer.outbox.clear()
    return sur


def test_portal_remind_mails_once_per_person_item_and_day(portal, due_soon_and_overdue):
    sur = due_soon_and_overdue
    sent = remind(portal)
    mails = list(portal.mailer.outbox)
    # Two deadlines (checklist soon, question overdue) for each of the two focal points of the State.
    assert sent == 4 and len(mails) == 4
    assert remind(portal) == 0 and len(portal.mailer.outbox) == 4  # run twice the same day: nothing twice
    french = [m for m in mails if m.recipients == ["sur-fp-fr@example.org"]]
    assert {m.subject for m in french} == {"Rappel : échéance le 17 mars 2027", "En retard depuis le 9 mars 2027"}
    body = next(m.body for m in french if m.subject.startswith("Rappel"))
    assert "Liste de contrôle présentée" in body or "liste de contrôle" in body.lower()
    assert f"https://review.example.org{CYCLE}reviews/{sur}/" in body
    with portal.root() as root:
        question = root["cycles"]["first-cycle"]["reviews"][sur]["dialogue"]["1"]
        assert question.messages[0]["text"] not in "".join(m.body for m in mails)  # never the review's text
    assert remind(portal, TODAY + timedelta(days=1)) == 0  # the next day: not due for a reminder
    assert remind(portal, TODAY + timedelta(days=7)) == 2  # a week on, the question is recalled again


def test_answered_questions_and_final_reviews_send_no_reminder(portal, due_soon_and_overdue):
    sur = due_soon_and_overdue
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        review.workflow_state = "final"
    assert remind(portal) == 0


def test_the_command_runs_for_a_given_day(tmp_path, capsys):
    from tests.test_scripts import INI
    from portal.scripts import remind as command

    config = tmp_path / "portal.ini"
    config.write_text(INI.format(development="true", path=tmp_path) + "portal.public_url = https://review.example.org\n")
    assert command.main([str(config), "--date", "2027-03-10"]) == 0
    assert "0 reminder(s) sent for 2027-03-10" in capsys.readouterr().out


def test_the_calendar_feed_is_private_and_revocable(portal, clients, due_soon_and_overdue):
    sur_fp = clients["sur-fp"]
    page = sur_fp.get("/users/sur-fp/@@calendar-address")
    made = sur_fp.post("/users/sur-fp/@@calendar-address", {"csrf_token": csrf_from(page), "action": "new"})
    address = made.html.find("code").text
    assert "/@@calendar?token=" in address
    anonymous = portal.client()
    feed = anonymous.get(address.replace("http://localhost", ""))
    assert feed.content_type == "text/calendar" and "BEGIN:VEVENT" in feed.text
    assert f"DTSTART;VALUE=DATE:{(TODAY + timedelta(days=7)):%Y%m%d}" in feed.text
    assert "\r\n" in feed.text and all(len(line.encode()) <= 75 for line in feed.text.split("\r\n"))
    # Another person cannot make or revoke it; a wrong token finds nothing.
    assert clients["rev-fp"].get("/users/sur-fp/@@calendar-address", expect_errors=True).status_int == 403
    assert anonymous.get("/@@calendar?token=wrong", expect_errors=True).status_int == 404
    page = sur_fp.get("/users/sur-fp/@@calendar-address")
    sur_fp.post("/users/sur-fp/@@calendar-address", {"csrf_token": csrf_from(page), "action": "revoke"}, status=303)
    assert anonymous.get(address.replace("http://localhost", ""), expect_errors=True).status_int == 404


def test_notifications_reach_the_inbox_and_a_digest_replaces_the_mails(portal, clients, review_parties):
    """A question asked: the State under review's focal point has it in the inbox, unread in the header; having
    chosen the daily digest, it gets no mail then, and one digest at the day's run (run twice: one)."""
    sur = review_parties[0]
    with portal.root() as root:
        root["users"]["sur-fp"].notifications = "digest"
    from tests.test_review_parts import path_of

    from tests.cycle_fixtures import set_stage
    set_stage(portal, sur, "dialogue")
    portal.mailer.outbox.clear()
    rev = clients["rev-fp"]
    form = last_form(rev.get(path_of(sur) + "dialogue/?lang=en"))
    form["title"], form["text"] = "Statistics", "Confidential question 5521."
    form["due"] = (date.today() + timedelta(days=9)).isoformat()
    form.submit(status=303)
    assert "sur-fp@example.org" not in {r for m in portal.mailer.outbox for r in m.recipients}  # digest: no mail now
    header = clients["sur-fp"].get("/@@dashboard").text
    assert "(1 unread)" in header
    inbox = clients["sur-fp"].get("/users/sur-fp/@@inbox")
    assert "A new question in a country review" in inbox.text and "5521" not in inbox.text
    clients["sur-fp"].post("/users/sur-fp/@@inbox", {"csrf_token": csrf_from(inbox)}, status=303)
    assert "unread)" not in clients["sur-fp"].get("/@@dashboard").text
    assert clients["rev-fp"].get("/users/sur-fp/@@inbox", expect_errors=True).status_int == 403
    portal.mailer.outbox.clear()
    env = prepare(registry=portal.registry, request=Request.blank("/", base_url="https://review.example.org"))
    try:
        from portal.reminders import send_digests
        with portal.root() as root:
            assert send_digests(root, env["request"]) == 1
            assert send_digests(root, env["request"]) == 0
    finally:
        env["closer"]()
    (digest,) = portal.mailer.outbox
    assert digest.recipients == ["sur-fp@example.org"] and "A new question in a country review" in digest.body
    assert "5521" not in digest.body

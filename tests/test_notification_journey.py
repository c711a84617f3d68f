"""Issue 21, acceptance: a review from the nomination of a reviewing State's expert to the final report, with the
demo accounts, as the State under review's focal point (in French), the reviewing State's expert and the
secretariat see it. At each step: who gets a mail (in their language, without the review's text), who gets an
inbox entry (a daily-digest reader gets no mail), and the next action the dashboard shows. The rows of
``portal.notices`` not reached by a review (access, draws, courses, meetings, decisions) follow."""

import re
from datetime import date
from pathlib import Path

import pytest

from language.names import of_phrase
from portal.i18n import _, localizer, translate_with
from portal.notices import AUDIENCES, NOTICES
from tests.conftest import csrf_from, last_form, set_localized, sign_in
from tests.cycle_fixtures import cycle_of, decide, set_stage
from tests.cycle_fixtures import file_request as file_draw_request
from tests.test_access_requests import file as file_access
from tests.test_access_requests import fire as fire_access
from tests.test_review_journey import client_for, demo, fire  # noqa: F401  (demo: a fixture)
from tests.test_trainings import add_course

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET = "Confidential-7731"  # written in every answer, question and text: no mail may quote it
DOCS = Path(__file__).resolve().parents[1] / "docs" / "notifications.md"


@pytest.fixture
def world(portal, demo):
    """The demo review of test_review_journey (scheduled, three parties); the State under review's focal point
    reads French, the second reviewing State's chose the daily digest."""
    sur, (rev1, rev2) = demo
    with portal.root() as root:
        root["users"][f"{sur.lower()}-fp"].language = "fr"
        root["users"][f"{rev2.lower()}-fp"].notifications = "digest"
    portal.mailer.outbox.clear()
    return sur, rev1, rev2


class Watch:
    """The mails sent and inbox entries made since the last ``step``, for the people of the review."""

    def __init__(self, portal, logins):
        self.portal, self.logins = portal, logins
        self.seen = self._lengths()

    def _lengths(self):
        with self.portal.root() as root:
            users = root["users"]
            return {login: len(getattr(users[login], "inbox", None).entries)
                    if getattr(users[login], "inbox", None) is not None else 0 for login in self.logins}

    def step(self, subject, mailed, digest=(), also=None):
        """Assert that exactly ``mailed`` (logins) got a mail with ``subject`` in their language, and ``mailed``
        and ``digest`` an inbox entry with it; nobody else of the review heard anything. ``also``: another
        ``(subject, mailed, digest)`` told by the same act (``portal.notices.ALSO``)."""
        rows = [(subject, mailed, digest)] + ([also] if also else [])
        with self.portal.root() as root:
            users = root["users"]
            emails = {users[login].email: login for login in self.logins}
            languages = {login: users[login].language for login in self.logins}
            entries = {login: [e["subject"]["id"] for e in users[login].inbox.entries[
                :len(users[login].inbox.entries) - self.seen[login]]]
                if getattr(users[login], "inbox", None) is not None else [] for login in self.logins}
        mails = list(self.portal.mailer.outbox)
        self.portal.mailer.outbox.clear()
        expected = {}
        for row_subject, row_mailed, row_digest in rows:
            expected.update({login: (row_subject, True) for login in row_mailed})
            expected.update({login: (row_subject, False) for login in row_digest})
        assert sorted(emails.get(r, r) for m in mails for r in m.recipients) == sorted(
            login for login, (_s, mail) in expected.items() if mail), subject
        for mail in mails:
            login = emails[mail.recipients[0]]
            lang = languages[login]
            assert mail.subject == translate_with(localizer(lang, self.portal.registry), _(expected[login][0])), (
                login, lang)
            assert SECRET not in mail.body and "http://localhost/" in mail.body
        assert {login: new for login, new in entries.items() if new} == {
            login: [row_subject] for login, (row_subject, _m) in expected.items()}, subject
        self.seen = self._lengths()
        return mails


def next_action(client, state_name):
    """The dashboard's next action for the review of ``state_name``."""
    page = client.get("/@@dashboard")
    row = next(tr for tr in page.html.select("tr") if tr.select("td") and state_name in tr.select("td")[1].text)
    return " ".join(row.select("td")[4].text.split())


def test_the_notifications_of_a_review_reach_each_role(portal, world):
    sur, rev1, rev2 = world
    path = f"/cycles/first-cycle/reviews/{sur}/"
    sur_fp_login, rev1_fp_login, rev2_fp_login = (f"{s.lower()}-fp" for s in (sur, rev1, rev2))
    with portal.root() as root:
        name = root["states"][sur].name("en")
        name_fr = root["states"][sur].name("fr")
    sec, sur_fp = client_for(portal, "secretariat"), client_for(portal, sur_fp_login)
    rev1_fp, rev2_fp = client_for(portal, rev1_fp_login), client_for(portal, rev2_fp_login)

    # Nomination (¶21): the reviewing State's focal point nominates an expert with an account; the secretariat
    # is told, the expert gets the activation link, activates, and is named for the review.
    watch = Watch(portal, [sur_fp_login, rev1_fp_login, rev2_fp_login, "secretariat", f"{sur.lower()}-expert"])
    form = last_form(rev1_fp.get("/experts/@@add"))
    form["name"], form["email"] = "Halima Yusuf-Test", "halima@example.org"
    form["position"], form["expertise"] = "State Counsel", "Mutual legal assistance"
    form.submit("save", status=303)
    with portal.root() as root:
        expert_id, expert = next((n, e.login) for n, e in root["experts"].items() if e.name == "Halima Yusuf-Test")
    watch.logins.append(expert)
    watch.seen[expert] = 0
    (activation,) = [m for m in portal.mailer.outbox if m.recipients == ["halima@example.org"]]
    portal.mailer.outbox.remove(activation)
    watch.step("A governmental expert has been nominated", ["secretariat"])
    link = re.search(r"http://localhost(/@@activate\?token=[\w-]+)", activation.body).group(1)
    form = last_form(portal.client().get(link))
    form["password"] = form["confirm"] = "halima own long passphrase"
    form.submit(status=303)
    halima = portal.client()
    sign_in(halima, expert, password="halima own long passphrase")
    watch.seen = watch._lengths()

    # Scheduled: the State chooses the language; each State names its team; the expert is told she is named.
    assert next_action(sur_fp, name_fr) == "Choisir la langue de travail de l'examen"
    form = last_form(sur_fp.get(path + "@@language"))
    form["language"] = "fr"
    form.submit("save", status=303)
    for client, login, state in ((sur_fp, sur_fp_login, sur), (rev1_fp, rev1_fp_login, rev1)):
        form = last_form(client.get(path + f"@@team?state={state}"))
        form["focal_point"] = login
        if state == rev1:
            for box in form.fields.get("checkbox", []):
                box.checked = box._value == expert_id
        form.submit("save", status=303)
    watch.step("You have been named for a country review", [expert])
    assert next_action(sec, name) == "Open the checklist"

    # Checklist (R13): opened for the State under review, which answers (a file on one answer) and submits.
    fire(sec, path, "open-checklist")
    (mail,) = watch.step("The self-assessment checklist is open", [sur_fp_login])
    assert mail.subject == "La liste de contrôle pour l'auto-évaluation est ouverte"
    # The inbox says it in French too, naming the State as French does ("de l'examen du Bénin").
    with portal.root() as root:
        phrase = of_phrase(root["states"][sur].names["fr"], "fr")
    inbox = " ".join(sur_fp.get(f"/users/{sur_fp_login}/@@inbox").html.get_text().split())
    assert f"La liste de contrôle de l'examen {phrase} est ouverte" in inbox
    assert next_action(sur_fp, name_fr).startswith("Répondre à la liste de contrôle")
    # Assistance (¶16) and translation (¶48): a thread between the State under review and the secretariat.
    token = csrf_from(sur_fp.get(path + "assistance/"))
    sur_fp.post(path + "assistance/@@new", {"csrf_token": token, "title": "Help", "text": f"Drafting help. {SECRET}"},
                status=303)
    watch.step("A request for assistance in a country review", ["secretariat"])
    sec.post(path + "assistance/1/@@reply", {"csrf_token": csrf_from(sec.get(path + "assistance/1/")),
                                             "text": f"Gladly. {SECRET}"}, status=303)
    watch.step("A reply about assistance in a country review", [sur_fp_login])
    sur_fp.post(path + "translation-requests/@@new", {
        "csrf_token": csrf_from(sur_fp.get(path + "translation-requests/")), "document": "checklist",
        "language": "en", "text": ""}, status=303)
    watch.step("A translation of a review document is requested", ["secretariat"])
    checklist = sur_fp.get(path + "checklist/")
    for key in sorted(set(re.findall(r'checklist/@@answer\?section=([\w-]+)', checklist.text))):
        form = last_form(sur_fp.get(path + f"checklist/@@answer?section={key}"))
        for k, _field in enumerate(form.fields.get("answer", ())):
            form.set("answer", "yes", index=k)
            form.set("legislation", f"Penal Code, art. 12 {SECRET}", index=k)
        for k, _field in enumerate(form.fields.get("progress", ())):  # the follow-up of the pilot review (¶41)
            form.set("progress", "full", index=k)
            form.set("description", f"Amended {SECRET}", index=k)
        form.submit("save", status=303)
    page = sur_fp.get(path + "checklist/")
    upload = page.forms[next(k for k, f in page.forms.items() if f.action.endswith("@@attach"))]
    upload["files"] = [("penal-code.pdf", PDF)]
    upload.submit(status=303)
    halima.get(path + "checklist/files/1", status=403)  # not before the checklist is submitted
    confirm = sur_fp.get(path + "@@submit-checklist")
    last_form(confirm).submit(status=303)
    watch.step("A self-assessment checklist has been submitted", [rev1_fp_login, expert, "secretariat"],
               digest=[rev2_fp_login])
    assert halima.get(path + "checklist/files/1").body == PDF
    assert next_action(halima, name) == "Read the checklist, comment on the answers and ask questions"
    fire(sec, path, "reopen-checklist")
    watch.step("A self-assessment checklist has been reopened", [sur_fp_login, rev1_fp_login],
               digest=[rev2_fp_login])
    last_form(sur_fp.get(path + "@@submit-checklist")).submit(status=303)
    watch.step("A self-assessment checklist has been submitted", [rev1_fp_login, expert, "secretariat"],
               digest=[rev2_fp_login])

    # New information after submission (¶13) reaches the reviewing States and the secretariat.
    page = sur_fp.get(path + "checklist/")
    inform = page.forms[next(k for k, f in page.forms.items() if f.action.endswith("@@new-information"))]
    inform["text"] = f"A new law was adopted in 2027. {SECRET}"
    inform.submit(status=303)
    watch.step("New information from the State under review", [rev1_fp_login, expert, "secretariat"],
               digest=[rev2_fp_login])
    assert "A new law was adopted in 2027." in halima.get(path + "checklist/").text
    sec.post(path + "translation-requests/1/@@reply", {"csrf_token": csrf_from(sec.get(path + "translation-requests/1/")),
                                                       "text": "Attached."},
             upload_files=[("files", "checklist-en.pdf", PDF)], status=303)
    watch.step("A new message in a request for translation", [sur_fp_login])
    fire(sec, path + "translation-requests/1/", "deliver")
    watch.step("A translation of a review document is available", [sur_fp_login, rev1_fp_login],
               digest=[rev2_fp_login])

    # A visit (R15): proposed by a reviewing State, agreed by the State under review.
    form = last_form(rev1_fp.get(path + "@@propose-visit"))
    form["kind"], form["place"] = "country-visit", "Capital"
    form.set("date", "2027-09-06", index=0)
    form.set("date", "2027-09-08", index=1)
    form.submit("save", status=303)
    watch.step("A country visit is proposed", [sur_fp_login])
    fire(sur_fp, path + "visit/", "agree")
    watch.step("A country visit has been agreed", [rev1_fp_login, "secretariat"], digest=[rev2_fp_login])

    # Dialogue (¶23): the expert asks; the State answers; everyone who follows the review hears of the answer.
    fire(sec, path, "start-dialogue")
    watch.step("The constructive dialogue has begun", [sur_fp_login, rev1_fp_login, expert],
               digest=[rev2_fp_login])
    ask = last_form(halima.get(path + "dialogue/"))
    ask["title"], ask["text"] = "Statistics", f"How many convictions? {SECRET}"
    ask.submit(status=303)
    others = ("A question has been put to the State under review", [rev1_fp_login, "secretariat"], [rev2_fp_login])
    watch.step("A new question in a country review", [sur_fp_login], also=others)
    assert next_action(sur_fp, name_fr).startswith("Répondre aux questions du dialogue")
    answer = last_form(sur_fp.get(path + "dialogue/1/"))
    answer["text"] = f"Fourteen. {SECRET}"
    answer.submit(status=303)
    watch.step("A question has been answered", [expert, rev1_fp_login, "secretariat"], digest=[rev2_fp_login])
    follow = last_form(rev1_fp.get(path + "dialogue/1/"))
    follow["text"] = f"And in 2026? {SECRET}"
    follow.submit(status=303)
    watch.step("A follow-up question in a country review", [sur_fp_login],
               also=("A question has been put to the State under review", [expert, "secretariat"], [rev2_fp_login]))

    # Drafting and agreement (R16): an edit after an agreement clears it, and the parties hear of it.
    fire(sec, path, "start-drafting")
    watch.step("The drafting of the report has begun", [sur_fp_login, rev1_fp_login, expert],
               digest=[rev2_fp_login])
    assert next_action(halima, name) == "Draft the report"
    form = last_form(rev1_fp.get(path + "report/@@section?key=introduction"))
    form["text"] = f"Introduction. {SECRET}"
    form.submit("save", status=303)
    fire(sec, path, "seek-agreement")
    watch.step("A country review report awaits your agreement", [sur_fp_login, rev1_fp_login],
               digest=[rev2_fp_login])
    assert next_action(sur_fp, name_fr) == "Donner son accord sur le rapport ou le commenter"
    assert next_action(halima, name) == "Waiting for the agreement of every State"
    fire(sec, path, "resume-drafting")
    watch.step("The drafting of the report has resumed", [sur_fp_login, rev1_fp_login], digest=[rev2_fp_login])
    fire(sec, path, "seek-agreement")
    watch.step("A country review report awaits your agreement", [sur_fp_login, rev1_fp_login],
               digest=[rev2_fp_login])

    def agree(client):
        with portal.root() as root:
            version = root["cycles"]["first-cycle"]["reviews"][sur]["report"].current_number()
        page = client.get(path + "report/")
        client.post(path + "report/@@agree", {"csrf_token": csrf_from(page), "version": str(version)}, status=303)

    agree(rev1_fp)
    form = last_form(rev2_fp.get(path + "report/@@section?key=introduction"))
    form["text"] = f"Introduction, revised. {SECRET}"
    form.submit("save", status=303)
    watch.step("The agreements to a report have been cleared", [sur_fp_login, rev1_fp_login])
    for client in (rev1_fp, rev2_fp, sur_fp):
        agree(client)
    watch.step("A country review report is final", [rev1_fp_login, expert, "secretariat"], digest=[rev2_fp_login])
    assert next_action(halima, name) == ""  # a final review asks nothing more

    # Publication (R19): the State publishes a part; the reviewing States and the secretariat are told.
    publish = last_form(sur_fp.get(path + "report/@@publish"))
    boxes = publish.fields.get("part", [])
    for field in boxes:
        field.checked = field is boxes[0]
    last_form(publish.submit("review", status=200)).submit("confirm", status=303)
    watch.step("Part of a country review report has been published", [rev1_fp_login, "secretariat"],
               digest=[rev2_fp_login])

    # Training (¶31): registered by her State's focal point, the expert is told.
    with portal.root() as root:
        course = sorted(root["trainings"].keys())[-1]
    rev1_fp.post(f"/trainings/{course}/@@register", {"csrf_token": csrf_from(rev1_fp.get(f"/trainings/{course}/")),
                                                    "expert": expert_id}, status=303)
    watch.step("You are registered for a training course", [expert])


def test_access_draws_courses_meetings_and_decisions_tell_whom_the_table_names(portal, clients, review_parties,
                                                                                 signed_in):
    sur, reviewing, third = review_parties
    set_stage(portal, sur, "final")
    _, schedule, _ = cycle_of(portal)
    year = max(schedule) - 1
    draw_fp = signed_in("draw-fp", "focal-point", schedule[year][0])
    with portal.root() as root:
        users = root["users"]
        focal_points = sorted(u.login for u in users.values() if u.function == "focal-point" and u.active)
        staff = sorted(u.login for u in users.values() if u.function == "secretariat" and u.active)
        users["third-fp"].notifications = "digest"
    watch = Watch(portal, sorted(set(focal_points) | set(staff) | {"third-x", "sur-x", "rev-x"}))
    sec, sur_fp, third_fp = clients["secretariat"], clients["sur-fp"], clients["third-fp"]
    portal.mailer.outbox.clear()

    # Access to the final report (¶37, R20): each decision reaches whoever must act on it next.
    path = file_access(third_fp, sur).location.replace("http://localhost", "")
    watch.step("A request for access to a country review report", ["sur-fp"])
    fire_access(sur_fp, path, "grant", comment="For the reform only.")
    watch.step("Your request for access has been granted", [], digest=["third-fp"])
    fire_access(third_fp, path, "accept")
    watch.step("A confidentiality undertaking has been accepted", ["sur-fp"] + staff)
    fire_access(sur_fp, path, "revoke")
    watch.step("Your State's access to a report has been revoked", [], digest=["third-fp"])
    path = file_access(third_fp, sur).location.replace("http://localhost", "")
    watch.step("A request for access to a country review report", ["sur-fp"])
    fire_access(sur_fp, path, "refuse", comment="Not now.")
    watch.step("Your request for access has been refused", [], digest=["third-fp"])
    path = file_access(third_fp, sur).location.replace("http://localhost", "")
    watch.step("A request for access to a country review report", ["sur-fp"])
    fire_access(third_fp, path, "withdraw")
    watch.step("A request for access has been withdrawn", ["sur-fp"])

    # A request about the draws goes to the secretariat; its decision to the State that filed it.
    page = file_draw_request(draw_fp, "deferral", year)
    watch.step("A request about the drawing of lots", staff)
    decide(sec, page.location.replace("http://localhost", ""), decision="refuse")
    watch.step("Your request about the drawing of lots has been refused", ["draw-fp"])

    # Courses, meetings and decisions are announced to every State's focal points.
    add_course(sec)
    watch.step("A training course is announced", [fp for fp in focal_points if fp != "third-fp"], digest=["third-fp"])
    form = last_form(sec.get("/group/meetings/@@add"))
    set_localized(form, "title", "Implementation Review Group, first session")
    form["year"] = str(date.today().year + 1)
    form.submit("save", status=303)
    watch.step("A meeting is announced", [fp for fp in focal_points if fp != "third-fp"], digest=["third-fp"])
    form = last_form(sec.get("/conference/@@add"))
    form["kind"], form["symbol"], form["cycle"] = "amendment", "2/1", ""
    set_localized(form, "session", "second session, Vienna")
    set_localized(form, "title", "Amendment of the terms of reference")
    set_localized(form, "text", "The Conference amends paragraph 24.")
    form.set("date", f"{date.today().year - 1}-10-10", index=0)
    form.submit("save", status=303)
    watch.step("A decision of the Conference has been recorded",
               [fp for fp in focal_points if fp != "third-fp"] + [s for s in staff if s != "sec"], digest=["third-fp"])


def test_the_documented_table_is_the_table_the_portal_uses():
    """docs/notifications.md lists every row of ``portal.notices`` with its audiences, and nothing else."""
    rows = re.findall(r"^\| `([\w-]+/[\w-]+)` \| ([^|]+) \|", DOCS.read_text(encoding="utf-8"), flags=re.M)
    assert {key: set(re.findall(r"`([\w-]+)`", to)) for key, to in rows} == {
        key: set(notice.to) for key, notice in NOTICES.items()}
    assert {a for notice in NOTICES.values() for a in notice.to} == set(AUDIENCES)

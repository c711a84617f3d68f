"""Issue 23 point 2: national stakeholders (ToR ¶27, ¶29, ¶30; docs/stakeholders.md). The focal point of the State
under review invites stakeholder contributors to chosen sections of its checklist; a stakeholder reads and comments
on those sections and nothing else of the review; the consultation is recorded with the checklist for the reviewing
States (who, when, which sections, never the comments); a visit lists its meetings with stakeholders."""

import pytest

import re
from datetime import date, timedelta

from content.visit import Visit
from portal.scripts.demo_reviews import agree_visit
from tests.conftest import csrf_from, last_form, password_hash, sign_in
from tests.cycle_fixtures import CYCLE, set_stage

NEW_PASSWORD = "my own long passphrase 7"


def checklist_url(sur):
    return f"{CYCLE}reviews/{sur}/checklist/"


def sections_of(portal, sur):
    """``[(key, [question ids])]`` of the article sections of the review's checklist."""
    with portal.root() as root:
        checklist = root["cycles"]["first-cycle"]["reviews"][sur]["checklist"]
        return [(s.key, [q.id for q in s.questions], [q.text for q in s.questions])
                for s in checklist.article_sections()]


def invite(client, sur, sections, name="Grace Wanjiru", email="grace@haki.example", organization="Haki Centre",
           kind="civil-society", status=303):
    form = last_form(client.get(checklist_url(sur) + "@@invite-stakeholder"))
    form["fullname"] = name
    form["email"] = email
    form["organization"] = organization
    form["kind"] = kind
    for field in form.fields.get("checkbox", []):  # deform names each choice of a set "checkbox"
        field.checked = field._value in sections
    return form.submit("save", status=status)


def invitations(portal, sur):
    with portal.root() as root:
        consultation = getattr(root["cycles"]["first-cycle"]["reviews"][sur]["checklist"], "consultation", None)
        return {} if consultation is None else {
            name: {"login": i.login, "organization": i.organization, "kind": i.kind, "sections": i.sections,
                   "by": i.invited_by, "state": i.workflow_state, "changes": [c["change"] for c in i.changes],
                   "roles": i.local_roles()} for name, i in consultation.items()}


def account(portal, login):
    with portal.root() as root:
        user = root["users"][login]
        return {"function": user.function, "state": user.state, "of": user.stakeholder_of,
                "organization": user.organization, "kind": user.organization_kind,
                "workflow": user.workflow_state, "principals": user.principals()}


def activate_directly(portal, login):
    """The stakeholder has chosen a password (as the activation link lets it: the first test goes through it)."""
    with portal.root() as root:
        user = root["users"][login]
        user.password_hash = password_hash()
        user.workflow_state = "active"
    client = portal.client()
    sign_in(client, login)
    return client


def post(client, url, fields, status=303):
    page = client.get("/")
    return client.post(url, [("csrf_token", csrf_from(page)), *fields], status=status)


def found(client, word):
    return client.get("/@@search", {"q": word, "format": "json"}).json["results"]


def save_answer(portal, sur, key, words):
    """The State's draft answers of section ``key``, each citing ``words``."""
    with portal.root() as root:
        checklist = root["cycles"]["first-cycle"]["reviews"][sur]["checklist"]
        section = checklist.section(key)
        checklist.save_section(key, {q.id: {"answer": "yes-in-part", "legislation": f"{words} {n}"}
                                     for n, q in enumerate(section.questions)}, "sur-x", checklist.version(key))


def invited(portal, clients, sur, keys, **fields):
    """Invite a stakeholder to ``keys`` as the focal point; its signed-in client and the invitation's address."""
    invite(clients["sur-fp"], sur, keys, **fields)
    number = max(invitations(portal, sur), key=int)
    login = invitations(portal, sur)[number]["login"]
    return activate_directly(portal, login), f"{checklist_url(sur)}consultation/{number}/", login


@pytest.mark.storages("file", "relstorage")  # production runs on PostgreSQL
def test_tor27_focal_point_invites_stakeholders_to_chosen_sections(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    (first, *_), (second, *_), *rest = sections_of(portal, sur)
    fp = clients["sur-fp"]
    portal.mailer.outbox.clear()
    page = invite(fp, sur, {first, second})
    assert page.location.endswith(f"{checklist_url(sur)}consultation/1/")
    (row,) = invitations(portal, sur).values()
    login = row["login"]
    assert (row["organization"], row["kind"], row["sections"], row["by"], row["state"]) == \
        ("Haki Centre", "civil-society", (first, second), "sur-fp", "open")
    assert row["roles"] == {f"user:{login}": frozenset({"StakeholderContributor"})}
    # The account: a stakeholder of the inviting State in a field of its own, never the State's principals.
    assert account(portal, login) == {"function": "stakeholder", "state": None, "of": sur, "organization": "Haki Centre",
                                      "kind": "civil-society", "workflow": "nominated", "principals": [f"user:{login}"]}
    (mail,) = portal.mailer.outbox
    assert mail.recipients == ["grace@haki.example"]
    link = re.search(r"http://localhost(/@@activate\?token=[\w-]+)", mail.body).group(1)
    stakeholder = portal.client()
    form = last_form(stakeholder.get(link))
    form["password"] = form["confirm"] = NEW_PASSWORD
    form.submit(status=303)
    sign_in(stakeholder, login, NEW_PASSWORD)
    page = stakeholder.get("/@@dashboard")
    assert "Your invitations to national consultations" in page.text and "Haki Centre" in page.text
    assert "consultation/1/" in page.text and "/reviews/" + sur + '/"' not in page.text
    # Refused, with the reason and what was typed kept: the same person again, another account's address, no section.
    page = invite(fp, sur, {first}, status=200)
    assert "This stakeholder is invited already" in page.text and "Haki Centre" in page.text
    page = invite(fp, sur, {first}, email="sur-x@example.org", status=200)
    assert "This address belongs to another account of the portal" in page.text
    page = invite(fp, sur, set(), email="someone@else.example", status=200)
    assert "Choose at least one section." in page.text
    assert len(invitations(portal, sur)) == 1
    # An existing stakeholder account of the State is used again (its invitation withdrawn first): told by the
    # notice, no new account; the account takes the organization given now.
    post(fp, f"{checklist_url(sur)}consultation/1/@@withdraw", [])
    with portal.root() as root:
        users_before = len(root["users"])
    portal.mailer.outbox.clear()
    invite(fp, sur, {second}, name="Grace W.", email="GRACE@haki.example", organization="University of Nairobi",
           kind="academia")
    with portal.root() as root:
        assert len(root["users"]) == users_before
    rows = invitations(portal, sur)
    assert (rows["2"]["login"], rows["2"]["organization"], rows["2"]["kind"]) == (login, "University of Nairobi",
                                                                                 "academia")
    (mail,) = portal.mailer.outbox
    assert mail.recipients == ["grace@haki.example"]
    assert mail.subject == "You are invited to comment on a self-assessment checklist"
    assert "consultation/2/" in mail.body
    # The focal point changes the sections: recorded.
    post(fp, f"{checklist_url(sur)}consultation/2/@@sections", [("sections", first), ("sections", second)])
    assert invitations(portal, sur)["2"]["sections"] == (first, second)
    assert invitations(portal, sur)["2"]["changes"] == ["invited", "sections"]
    post(fp, f"{checklist_url(sur)}consultation/2/@@sections", [])  # none: refused, nothing changes
    post(fp, f"{checklist_url(sur)}consultation/2/@@sections", [("sections", "untoc-999")])
    assert invitations(portal, sur)["2"]["sections"] == (first, second)
    # A second stakeholder of another kind, with its own account.
    invite(fp, sur, {rest[0][0]}, name="Peter Otieno", email="peter@chamber.example", organization="Chamber of Commerce",
           kind="private-sector")
    assert account(portal, invitations(portal, sur)["3"]["login"])["principals"] == \
        [f"user:{invitations(portal, sur)['3']['login']}"]


def test_tor27_stakeholder_reads_and_comments_only_opened_sections(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    (first, first_ids, first_texts), (second, second_ids, second_texts), *_ = sections_of(portal, sur)
    save_answer(portal, sur, first, "Zebulonite")
    save_answer(portal, sur, second, "Quorvantine")
    with portal.root() as root:  # a visit exists, so that its refusal is tested
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        review.add("visit", Visit({"kind": "country-visit", "start": date.today(), "end": date.today(),
                                   "place": "Nairobi", "participants": "", "agenda": ""}, None, "sec"))
    stakeholder, url, login = invited(portal, clients, sur, {first})
    other, other_url, _other_login = invited(portal, clients, sur, {second}, name="Peter Otieno",
                                             email="peter@chamber.example", organization="Chamber of Commerce",
                                             kind="private-sector")
    page = stakeholder.get(url)
    assert first_texts[0] in page.text and "Zebulonite 0" in page.text  # the questions and the draft answers
    assert second_texts[0] not in page.text and "Quorvantine" not in page.text
    assert "Withdraw the invitation" not in page.text  # the focal point's, not the stakeholder's
    page = clients["sur-fp"].get(url)
    assert "Withdraw the invitation" in page.text and "Change the sections" in page.text
    assert "Withdraw the invitation" not in clients["sur-expert"].get(url).text
    assert stakeholder.get(f"/users/{login}/@@profile").status_int == 200  # its own account, as anyone's
    stakeholder.get("/users/sur-fp/", status=403)
    # A comment on an opened question; the State under review is told, without the text.
    portal.mailer.outbox.clear()
    post(stakeholder, url + "@@comment", [("question", first_ids[0]), ("text", "The 2019 amendment is missing. 6631")])
    assert "The 2019 amendment is missing. 6631" in stakeholder.get(url).text
    with portal.root() as root:
        fps = {u.email for u in root["users"].values() if u.active and u.function == "focal-point" and u.state == sur}
    assert {r for m in portal.mailer.outbox for r in m.recipients} == fps
    assert all("6631" not in m.body for m in portal.mailer.outbox)
    assert "6631" in clients["sur-expert"].get(url).text and "6631" in clients["secretariat"].get(url).text
    # Not on a question of a section not opened to it, nor an empty one.
    post(stakeholder, url + "@@comment", [("question", second_ids[0]), ("text", "Mine too.")], status=404)
    post(stakeholder, url + "@@comment", [("question", first_ids[0]), ("text", "  ")])
    with portal.root() as root:
        invitation = root["cycles"]["first-cycle"]["reviews"][sur]["checklist"].consultation["1"]
        assert [c["text"] for k in invitation.comments for c in invitation.comments.on(k)] == \
            ["The 2019 amendment is missing. 6631"]
    # Nothing else of the review: 403 everywhere, the JSON representations too.
    review = f"{CYCLE}reviews/{sur}/"
    for path in (review, review + "@@json", checklist_url(sur), checklist_url(sur) + "@@json",
                 checklist_url(sur) + f"@@answer?section={first}", checklist_url(sur) + "consultation/",
                 checklist_url(sur) + "consultation/@@json", other_url, other_url + "@@json", review + "dialogue/",
                 review + "dialogue/@@json", review + "report/", review + "report/@@json", review + "visit/",
                 review + "visit/@@json", review + "assistance/", review + "access-requests/",
                 review + "translation-requests/", f"{CYCLE}reviews/", url + "@@history", "/trainings/",
                 "/technical-assistance/", "/funding/", "/experts/"):
        stakeholder.get(path, status=403)
    post(stakeholder, other_url + "@@comment", [("question", second_ids[0]), ("text", "x")], status=403)
    post(stakeholder, url + "@@sections", [("sections", second)], status=403)
    post(stakeholder, url + "@@withdraw", [], status=403)
    post(stakeholder, checklist_url(sur) + "@@comment", [("question", first_ids[0]), ("text", "x")], status=403)
    assert stakeholder.get(url + "@@json").json["sections"] == [first]
    other.get(url, status=403)
    # The portal's search finds nothing of the review for it (the answers it reads included); the State does.
    assert found(clients["sur-expert"], "Zebulonite") and found(clients["sur-expert"], "Quorvantine")
    for word in ("Zebulonite", "Quorvantine", "6631"):
        assert found(stakeholder, word) == []
    # Everything it may find about the State under review is what the public finds: nothing inside the review.
    everything = {"q": "", "state": sur, "format": "json"}
    public = portal.client().get("/@@search", everything).json
    assert stakeholder.get("/@@search", everything).json["total"] == public["total"]
    assert clients["sur-expert"].get("/@@search", everything).json["total"] > public["total"]
    assert not [r for r in stakeholder.get("/@@search", everything).json["results"] if "/reviews/" in r["url"]]
    # Once the checklist is submitted it still reads its sections, and comments no more.
    set_stage(portal, sur, "desk-review")
    page = stakeholder.get(url)
    assert "comments are closed" in page.text and "6631" in page.text
    post(stakeholder, url + "@@comment", [("question", first_ids[0]), ("text", "Late.")], status=403)
    stakeholder.get(checklist_url(sur), status=403)


def test_tor27_consultation_recorded_with_the_checklist(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    (first, first_ids, _t), *_ = sections_of(portal, sur)
    stakeholder, url, _login = invited(portal, clients, sur, {first})
    post(stakeholder, url + "@@comment", [("question", first_ids[0]), ("text", "Confidential remark 8812.")])
    record = checklist_url(sur) + "consultation/"
    # While the checklist is open the consultation is the State's own (the reviewing States see progress only).
    for kind in ("rev-fp", "rev-expert", "third-fp"):
        clients[kind].get(record, status=403)
    for kind in ("rev-fp", "rev-expert"):
        assert "stakeholders consulted" not in clients[kind].get(checklist_url(sur)).text
    assert "Haki Centre" in clients["sur-expert"].get(record).text
    set_stage(portal, sur, "desk-review")
    for kind in ("rev-fp", "rev-expert"):
        page = clients[kind].get(record)
        assert "Haki Centre" in page.text and "Civil society" in page.text and "Open" in page.text
        assert "8812" not in page.text and "Grace" not in page.text and url not in page.text
        assert "stakeholders consulted: 1" in clients[kind].get(checklist_url(sur)).text
        clients[kind].get(url, status=403)
        clients[kind].get(url + "@@json", status=403)
        data = clients[kind].get(record + "@@json").json
        (row,) = data["record"]
        assert (row["organization"], row["kind"], row["sections"], row["withdrawn"]) == \
            ("Haki Centre", "civil-society", [first], None)
        assert row["invited"] and data["items"] == [] and "8812" not in str(data)
    for kind in ("third-fp", "third-expert", "observer", "admin", "anonymous"):
        client = clients[kind] or portal.client()
        client.get(record, status=403 if clients[kind] else 303)
        client.get(url, status=403 if clients[kind] else 303)
    for kind in ("sur-fp", "sur-expert", "secretariat"):
        assert "8812" in clients[kind].get(url).text
        assert len(clients[kind].get(record + "@@json").json["items"]) == 1


def test_tor27_withdrawn_invitation_closes_access(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    (first, first_ids, _t), *_ = sections_of(portal, sur)
    stakeholder, url, login = invited(portal, clients, sur, {first})
    post(stakeholder, url + "@@comment", [("question", first_ids[0]), ("text", "Before the withdrawal 3307.")])
    post(clients["sur-expert"], url + "@@withdraw", [], status=403)  # the focal point's decision
    post(clients["secretariat"], url + "@@withdraw", [], status=403)
    post(clients["sur-fp"], url + "@@withdraw", [])
    (row,) = invitations(portal, sur).values()
    assert row["state"] == "withdrawn" and row["roles"] == {} and row["changes"] == ["invited", "withdrawn"]
    stakeholder.get(url, status=403)
    stakeholder.get(url + "@@json", status=403)
    post(stakeholder, url + "@@comment", [("question", first_ids[0]), ("text", "After.")], status=403)
    assert "Haki Centre" not in stakeholder.get("/@@dashboard").text
    # The record stays, for the State and the secretariat, and says it was withdrawn.
    assert "Withdrawn on" in clients["sur-fp"].get(checklist_url(sur) + "consultation/").text
    assert "3307" in clients["secretariat"].get(url).text
    post(clients["sur-fp"], url + "@@sections", [("sections", first)], status=403)  # nothing left to change
    set_stage(portal, sur, "desk-review")
    stakeholder.get(url, status=403)
    (row,) = clients["rev-fp"].get(checklist_url(sur) + "consultation/@@json").json["record"]
    assert row["withdrawn"]


def test_tor27_withdrawing_through_the_generic_transition_closes_access_too(portal, clients, review_parties):
    """Every route to the ``withdraw`` transition ends the stakeholder's role: ``@@transition`` as ``@@withdraw``;
    the invitation's history records the move."""
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    (first, _ids, _t), *_ = sections_of(portal, sur)
    stakeholder, url, login = invited(portal, clients, sur, {first})
    for kind in ("sur-expert", "secretariat"):
        post(clients[kind], url + "@@transition", [("transition", "withdraw")], status=403)
    post(stakeholder, url + "@@transition", [("transition", "withdraw")], status=403)
    post(clients["sur-fp"], url + "@@transition", [("transition", "withdraw")])
    (row,) = invitations(portal, sur).values()
    assert row["state"] == "withdrawn" and row["roles"] == {} and row["changes"] == ["invited", "withdrawn"]
    with portal.root() as root:
        invitation = root["cycles"]["first-cycle"]["reviews"][sur]["checklist"].consultation["1"]
        assert [(h["from"], h["to"], h["actor"]) for h in invitation.workflow_history][-1] == ("open", "withdrawn",
                                                                                           "sur-fp")
        assert invitation.withdrawn_at is not None
    stakeholder.get(url, status=403)


def test_tor29_visit_lists_stakeholder_meetings(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "dialogue")
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        agree_visit(review, "test")
        start = review["visit"].start
    visit = f"{CYCLE}reviews/{sur}/visit/"
    form = last_form(clients["rev-fp"].get(visit + "@@add-stakeholder-meeting"))
    form["date"] = (start + timedelta(days=10)).isoformat()
    form["organization"] = "Haki Centre"
    form["kind"] = "civil-society"
    form["participants"] = "Grace Wanjiru, director"
    form["topic"] = "Support to victims of trafficking"
    page = form.submit("save", status=200)  # not during the visit: refused, what was typed kept
    assert "The meeting must take place during the visit." in page.text and "Support to victims" in page.text
    form = last_form(page)
    form["date"] = (start + timedelta(days=1)).isoformat()
    form.submit("save", status=303)
    # A change of an agreed visit: the State under review agrees again (R15).
    with portal.root() as root:
        assert root["cycles"]["first-cycle"]["reviews"][sur]["visit"].workflow_state == "proposed"
    for kind in ("sur-fp", "sur-expert", "rev-expert", "secretariat"):
        page = clients[kind].get(visit)
        assert "Meetings with national stakeholders" in page.text and "Haki Centre" in page.text
        assert "Support to victims of trafficking" in page.text and "Civil society" in page.text
    data = clients["sur-expert"].get(visit + "@@json").json
    assert data["stakeholder_meetings"] == [{"date": (start + timedelta(days=1)).isoformat(),
                                             "organization": "Haki Centre", "kind": "civil-society",
                                             "participants": "Grace Wanjiru, director",
                                             "topic": "Support to victims of trafficking"}]
    for kind in ("sur-expert", "rev-expert", "third-fp"):
        clients[kind].get(visit + "@@add-stakeholder-meeting", status=403)
        post(clients[kind], visit + "@@remove-stakeholder-meeting", [("index", "0")], status=403)
    clients["third-fp"].get(visit + "@@json", status=403)
    post(clients["secretariat"], visit + "@@remove-stakeholder-meeting", [("index", "3")], status=404)
    post(clients["secretariat"], visit + "@@remove-stakeholder-meeting", [("index", "0")])
    assert clients["sur-expert"].get(visit + "@@json").json["stakeholder_meetings"] == []


def test_tor27_only_the_sur_focal_point_invites(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    (first, *_), *_ = sections_of(portal, sur)
    invite_page = checklist_url(sur) + "@@invite-stakeholder"
    assert "Invite a national stakeholder" in clients["sur-fp"].get(checklist_url(sur)).text
    for kind in ("sur-expert", "rev-fp", "rev-expert", "third-fp", "third-expert", "observer", "admin", "secretariat"):
        clients[kind].get(invite_page, status=403)
        post(clients[kind], invite_page, [("fullname", "X Y"), ("email", "x@y.example"), ("save", "save")],
             status=403)
    assert "Invite a national stakeholder" not in clients["sur-expert"].get(checklist_url(sur)).text
    stakeholder, url, _login = invited(portal, clients, sur, {first})
    stakeholder.get(invite_page, status=403)
    assert account(portal, _login)["principals"] == [f"user:{_login}"]  # never a State's principals
    # Once submitted, nobody invites; the focal point no longer changes the sections.
    set_stage(portal, sur, "desk-review")
    clients["sur-fp"].get(invite_page, status=403)
    post(clients["sur-fp"], url + "@@sections", [("sections", first)], status=403)
    assert clients["sur-fp"].get(url).status_int == 200

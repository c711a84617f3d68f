"""The schedule of a country review (ToR ¶24, docs/schedule.md): dates for every stage, proposed by the secretariat,
agreed to or countered by the State under review's focal point, the history kept; overdue flags and reminders
follow the agreed dates; a proposal replaced meanwhile cannot be agreed to (409); nobody else proposes or agrees."""

from datetime import date, timedelta

import pytest

from content.milestones import MILESTONES, STAGE_CHAIN, agree, default_due_dates, propose, timeline
from portal.reminders import deadlines
from tests.conftest import csrf_from
from tests.cycle_fixtures import CYCLE, set_stage

KEYS = list(MILESTONES)
FROZEN = date(2027, 3, 10)  # a frozen "today" for the overdue flags and the reminders


def url(sur, view="@@schedule"):
    return f"{CYCLE}reviews/{sur}/{view}"


def schedule_json(client, sur):
    return client.get(f"{CYCLE}reviews/{sur}/@@json").json


def propose_dates(client, sur, dates, comment="", status=303):
    """Fill the proposal form with ``dates`` (``{key: date}``; the others as proposed now) and send it."""
    form = client.get(url(sur)).forms["schedule-propose"]
    for key, value in dates.items():
        form.set("date", value.isoformat(), index=KEYS.index(key))
    form["comment"] = comment
    return form.submit("propose", status=status)


def agree_form(client, sur):
    return client.get(url(sur)).forms["schedule-agree"]


def in_force(portal, sur):
    with portal.root() as root:
        return dict(root["cycles"]["first-cycle"]["reviews"][sur].milestones)


def subjects_to(portal, address):
    return [m.subject for m in portal.mailer.outbox if address in m.recipients]


def test_tor24_secretariat_proposes_every_stage_and_the_state_under_review_agrees(portal, clients, review_parties):
    sur = review_parties[0]
    sec, fp = clients["secretariat"], clients["sur-fp"]
    data = schedule_json(sec, sur)
    # The defaults at the review's start are the secretariat's first proposal, with a date for every stage.
    assert set(data["milestones"]) == set(KEYS) == {"focal-points", "experts", "checklist", "desk-review",
                                                    "dialogue", "drafting", "review"}
    assert data["schedule"]["status"] == "proposed" and data["schedule"]["pending"] == 1
    first = data["schedule"]["history"][0]
    assert (first["kind"], first["side"], first["dates"]) == ("proposal", "secretariat", data["milestones"])
    assert "proposed, not yet agreed" in fp.get(f"{CYCLE}reviews/{sur}/").text
    page = fp.get(url(sur))
    assert all(title.default in page.text for title, _days in MILESTONES.values())
    assert "Proposed, not yet agreed" in page.text
    # The secretariat does not agree to its own proposal; it proposes again, with a reason.
    assert "schedule-agree" not in sec.get(url(sur)).forms
    later = {key: date.fromisoformat(data["milestones"][key]) + timedelta(days=10)
             for key in ("desk-review", "dialogue", "drafting", "review")}
    portal.mailer.outbox.clear()
    propose_dates(sec, sur, later, "The Group meets in June; the dialogue moves accordingly.")
    # Not agreed yet: the secretariat's proposal applies; the State under review is asked to agree.
    assert {k: in_force(portal, sur)[k] for k in later} == later
    assert subjects_to(portal, "sur-fp@example.org") == ["Dates are proposed for a country review"]
    assert subjects_to(portal, "rev-fp@example.org") == []
    form = agree_form(clients["sur-fp"], sur)
    assert form["proposal"].value == "2"
    page = form.submit("agree", status=303).follow()
    assert "Agreed with the State under review" in page.text
    data = schedule_json(clients["rev-fp"], sur)
    assert data["schedule"]["status"] == "agreed" and data["schedule"]["agreed"] == 2
    assert data["schedule"]["pending"] is None
    assert {k: date.fromisoformat(data["milestones"][k]) for k in later} == later
    assert [(e["kind"], e["number"], e["side"], e["who"]) for e in data["schedule"]["history"]] == [
        ("proposal", 1, "secretariat", "sec"), ("proposal", 2, "secretariat", "sec"), ("agreement", 2, sur, "sur-fp")]
    for told in ("sec@example.org", "rev-fp@example.org"):
        assert "The schedule of a country review is agreed" in subjects_to(portal, told), told
    assert "The schedule of a country review is agreed" not in subjects_to(portal, "sur-fp@example.org")  # who acted
    assert "agreed with the State under review" in sec.get(f"{CYCLE}reviews/{sur}/").text
    # Nothing awaits agreement: nobody may agree any more.
    for who in ("sur-fp", "secretariat"):
        assert "schedule-agree" not in clients[who].get(url(sur)).forms


def test_tor24_counter_proposal_history_kept(portal, clients, review_parties):
    sur = review_parties[0]
    sec, fp, rev = clients["secretariat"], clients["sur-fp"], clients["rev-fp"]
    before = in_force(portal, sur)
    mine = {"checklist": before["checklist"] + timedelta(days=21), "desk-review": before["desk-review"] + timedelta(days=21)}
    # A counter-proposal says why: without a reason it is refused, and nothing typed is lost.
    page = propose_dates(fp, sur, mine, "   ", status=200)
    assert "Say why you propose these dates." in page.text and mine["checklist"].isoformat() in page.text
    assert len(schedule_json(sec, sur)["schedule"]["history"]) == 1
    portal.mailer.outbox.clear()
    propose_dates(fp, sur, mine, "Our parliament sits until April; the checklist needs three more weeks.")
    assert subjects_to(portal, "sec@example.org") == ["Dates are proposed for a country review"]
    assert subjects_to(portal, "sur-fp@example.org") == []
    # The State's own proposal does not move the deadlines before the secretariat agrees; it cannot agree to it.
    assert in_force(portal, sur) == before
    assert "schedule-agree" not in fp.get(url(sur)).forms
    fp.post(url(sur, "@@agree-schedule"), {"csrf_token": csrf_from(fp.get(url(sur))), "proposal": "2",
                                           "agree": "agree"}, status=403)
    # The reviewing States are consulted: they read the proposals and comment; they propose nothing.
    page = rev.get(url(sur))
    assert "Our parliament sits until April" in page.text and "schedule-propose" not in page.forms
    form = page.forms["schedule-comment"]
    form["text"] = "We can hold the dialogue in May as well."
    form.submit("comment", status=303)
    form = agree_form(sec, sur)
    form["comment"] = "Agreed: the Group's meeting leaves room."
    form.submit("agree", status=303)
    after = in_force(portal, sur)
    assert {k: after[k] for k in mine} == mine and after["review"] == before["review"]
    # The secretariat proposes again: the agreed dates stay in force until the State agrees.
    propose_dates(sec, sur, {"review": after["review"] + timedelta(days=30)}, "The translation takes longer.")
    assert in_force(portal, sur) == after
    data = schedule_json(sec, sur)["schedule"]
    assert data["status"] == "renegotiating" and data["pending"] == 3 and data["agreed"] == 2
    assert [(e["kind"], e["number"], e["side"], e["comment"][:12]) for e in data["history"]] == [
        ("proposal", 1, "secretariat", ""), ("proposal", 2, sur, "Our parliame"),
        ("comment", 2, review_parties[1][0], "We can hold "), ("agreement", 2, "secretariat", "Agreed: the "),
        ("proposal", 3, "secretariat", "The translat")]
    assert data["history"][1]["dates"]["checklist"] == mine["checklist"].isoformat()
    # Everyone taking part reads the whole history, with who, for which State, and when.
    page = clients["rev-expert"].get(url(sur)).text
    for text in ("Proposal 2", "Agreement to proposal 2", "Proposal 3", "Sur-Fp", "Sec", "Rev-Fp",
                 "Our parliament sits until April", "Agreed: the Group", "We can hold the dialogue in May",
                 "Proposed instead"):
        assert text in page, text


def test_tor24_overdue_flags_follow_agreed_dates(portal, clients, review_parties):
    sur = review_parties[0]
    fp_login = "sur-fp"
    base = default_due_dates(FROZEN - timedelta(days=70))  # the checklist was due 9 days ago by the defaults
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        for iso3 in review.parties():  # the teams are named: those milestones are done
            review.appoint(iso3, "someone", ("x",), "test")
        review.language = "en"
        agree(review, propose(review, base, "sec")["number"], fp_login, sur)
        assert [s for k, _t, _d, s in timeline(review, FROZEN) if k == "checklist"] == ["overdue"]
        # Later dates proposed by the State: still overdue by the agreed dates, until the secretariat agrees.
        later = {**base, "checklist": FROZEN + timedelta(days=7)}
        number = propose(review, later, fp_login, sur, "Three more weeks")["number"]
        assert [s for k, _t, _d, s in timeline(review, FROZEN) if k == "checklist"] == ["overdue"]
        assert [d.due for d in deadlines(root) if d.key.endswith(f"{sur}/milestone/checklist")] == [base["checklist"]]
        agree(review, number, "sec", "secretariat")
        assert [s for k, _t, _d, s in timeline(review, FROZEN) if k == "checklist"] == ["open"]
        assert [d.due for d in deadlines(root) if d.key.endswith(f"{sur}/milestone/checklist")] == [later["checklist"]]
        # An earlier date proposed by the secretariat after the agreement changes nothing until the State agrees.
        earlier = {**later, "checklist": FROZEN - timedelta(days=1)}
        number = propose(review, earlier, "sec", "secretariat", "Sooner, please")["number"]
        assert [s for k, _t, _d, s in timeline(review, FROZEN) if k == "checklist"] == ["open"]
        agree(review, number, fp_login, sur)
        assert [s for k, _t, _d, s in timeline(review, FROZEN) if k == "checklist"] == ["overdue"]
    # Each later stage is flagged by its own agreed date, and done once the review reaches the next stage.
    set_stage(portal, sur, "desk-review")
    today = date.today()
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        flags = {k: s for k, _t, _d, s in timeline(review, FROZEN)}
        assert flags["checklist"] == "done" and flags["desk-review"] == "open"
        dates = {**review.milestones, "desk-review": today - timedelta(days=1)}
        number = propose(review, {**dates, "dialogue": today + timedelta(days=20)}, "sec", "secretariat", "Earlier")
        agree(review, number["number"], fp_login, sur)
        assert review.milestones["desk-review"] == today - timedelta(days=1)
    # The pages follow the agreed dates: the review, the list of the cycle's reviews and the dashboard.
    title = "Desk review done, constructive dialogue started"
    assert "<strong>Overdue</strong>" in clients["sur-fp"].get(f"{CYCLE}reviews/{sur}/").text
    assert f"<strong>{title}</strong>" in clients["secretariat"].get(CYCLE + "reviews/").text
    row = clients["sur-fp"].get("/@@dashboard").text.split(f'reviews/{sur}/"')[1].split("</tr>")[0]
    assert f"<strong>{title}</strong>" in row


@pytest.mark.storages("file", "relstorage")  # production runs on PostgreSQL
def test_tor24_stale_agreement_refused_409(portal, clients, review_parties):
    sur = review_parties[0]
    sec, fp = clients["secretariat"], clients["sur-fp"]
    stale = agree_form(fp, sur)  # proposal 1, opened before the secretariat proposes again
    assert stale["proposal"].value == "1"
    stale_proposal = fp.get(url(sur)).forms["schedule-propose"]
    checklist = in_force(portal, sur)["checklist"]
    propose_dates(sec, sur, {"checklist": checklist + timedelta(days=5)}, "Five more days for the checklist.")
    stale["comment"] = "We agree."
    page = stale.submit("agree", status=409)
    assert "made a new proposal (number 2) after you opened this page" in page.text
    assert "We agree." in page.text  # nothing typed is lost
    assert page.forms["schedule-agree"]["proposal"].value == "2"  # the form now offers the proposal in force
    data = schedule_json(sec, sur)["schedule"]
    assert data["agreed"] is None and data["pending"] == 2 and len(data["history"]) == 2
    # A counter-proposal to a proposal replaced meanwhile is refused the same way, the typed dates kept.
    mine = checklist + timedelta(days=20)
    stale_proposal.set("date", mine.isoformat(), index=KEYS.index("checklist"))
    stale_proposal["comment"] = "Twenty days, please."
    page = stale_proposal.submit("propose", status=409)
    assert "made a new proposal (number 2)" in page.text and mine.isoformat() in page.text
    assert "Twenty days, please." in page.text
    assert len(schedule_json(sec, sur)["schedule"]["history"]) == 2
    # The secretariat cannot agree to its own proposal, whatever it posts.
    sec.post(url(sur, "@@agree-schedule"), {"csrf_token": csrf_from(sec.get(url(sur))), "proposal": "2",
                                            "agree": "agree"}, status=403)
    with portal.root() as root, pytest.raises(ValueError):
        agree(root["cycles"]["first-cycle"]["reviews"][sur], 2, "sec", "secretariat")
    # Agreeing twice to the same proposal after another one came: refused again, nothing recorded.
    stale = agree_form(fp, sur)
    propose_dates(sec, sur, {"checklist": checklist + timedelta(days=6)}, "Six days.")
    assert stale.submit("agree", status=409).status_int == 409
    assert len(schedule_json(sec, sur)["schedule"]["history"]) == 3


@pytest.mark.parametrize("stage", ["scheduled", "dialogue", "agreement", "final"])
def test_tor24_only_the_sur_focal_point_and_secretariat_propose_or_agree(portal, clients, review_parties, stage):
    sur = review_parties[0]
    set_stage(portal, sur, stage)
    token = csrf_from(clients["secretariat"].get("/"))
    under_way = stage != "final"
    readers = {"sur-fp", "sur-expert", "rev-fp", "rev-expert", "secretariat"}
    for who, client in clients.items():
        if client is None:  # anonymous: to the sign-in page, as for every page of a review
            assert portal.client().get(url(sur)).status_int == 303
            continue
        assert client.get(url(sur), expect_errors=True).status_int == (200 if who in readers else 403), who
        token = csrf_from(client.get("/"))
        may_propose = under_way and who in ("sur-fp", "secretariat")
        for view, may in (("@@propose-schedule", may_propose), ("@@comment-schedule", under_way and who == "rev-fp"),
                          ("@@agree-schedule", under_way and who == "sur-fp")):  # the secretariat's proposal awaits
            status = client.post(url(sur, view), {"csrf_token": token}, expect_errors=True).status_int
            assert status == (200 if may else 403), (who, view, status)
    # A refused (or empty) post records nothing.
    assert len(schedule_json(clients["secretariat"], sur)["schedule"]["history"]) == 1


def test_tor24_six_month_default(portal, clients, review_parties):
    sur = review_parties[0]
    milestones = {k: date.fromisoformat(v) for k, v in schedule_json(clients["secretariat"], sur)["milestones"].items()}
    start = milestones["focal-points"] - timedelta(days=14)
    assert abs((start - date.today()).days) <= 1
    assert {k: (d - start).days for k, d in milestones.items()} == {
        "focal-points": 14, "experts": 28, "checklist": 61, "desk-review": 91, "dialogue": 122, "drafting": 152,
        "review": 183}
    assert (milestones["review"] - start).days <= 184  # about six months (¶24)
    chain = [milestones[k] for k in STAGE_CHAIN]
    assert chain == sorted(chain)
    # A cycle that shortens the review keeps every stage within it.
    shortened = default_due_dates(date(2027, 1, 1), {"review": 120})
    assert max(shortened.values()) == shortened["review"] == date(2027, 5, 1)


def test_tor24_bad_proposals_are_refused_and_change_nothing(portal, clients, review_parties):
    sur = review_parties[0]
    sec = clients["secretariat"]
    before = schedule_json(sec, sur)
    current = in_force(portal, sur)
    page = propose_dates(sec, sur, {"drafting": current["dialogue"] - timedelta(days=1)}, "Sooner", status=200)
    assert ("Draft report submitted for agreement cannot fall due before Constructive dialogue done, drafting of "
            "the report started.") in page.text
    page = propose_dates(sec, sur, {"review": current["checklist"] - timedelta(days=1)}, "Sooner", status=200)
    assert "The review cannot be completed before its other milestones." in page.text
    page = propose_dates(sec, sur, {}, "The same again", status=200)
    assert "These are the dates proposed now" in page.text
    form = sec.get(url(sur)).forms["schedule-propose"]
    form.set("date", "31/02/2027", index=2)
    form["comment"] = "Typed"
    assert "Write a valid date, in the form YYYY-MM-DD." in form.submit("propose", status=200).text
    assert schedule_json(sec, sur) == before


def test_tor24_an_older_review_gets_its_dates_as_the_secretariats_first_proposal(portal, clients, review_parties):
    """The migration of a database from before the agreed schedule (``adopt_schedule``, for the evolve step)."""
    from content.milestones import adopt_schedule, history, status

    sur = review_parties[0]
    with portal.root() as root:
        cycle = root["cycles"]["first-cycle"]
        review = cycle["reviews"][sur]
        old = {k: review.milestones[k] - timedelta(days=2) for k in ("focal-points", "experts", "checklist", "review")}
        review.milestones.clear()
        review.milestones.update(old)
        del review.schedule_history
        assert status(review) == "proposed" and history(review) == []
        adopt_schedule(review, cycle.review_milestone_days(), "portal-evolve")
        assert adopt_schedule(review, cycle.review_milestone_days(), "portal-evolve") is None  # once
        start = review.workflow_history[0]["when"].date()
        assert {k: review.milestones[k] for k in old} == old  # the dates the secretariat had set stay
        assert review.milestones["desk-review"] == start + timedelta(days=91)
        assert [(e["kind"], e["number"], e["side"]) for e in history(review)] == [("proposal", 1, "secretariat")]
    assert "schedule-agree" in clients["sur-fp"].get(url(sur)).forms
    # A final review's schedule is a record: closed, not awaiting an agreement nobody may give any more.
    set_stage(portal, sur, "final")
    with portal.root() as root:
        assert status(root["cycles"]["first-cycle"]["reviews"][sur]) == "closed"
    page = clients["sur-fp"].get(url(sur))
    assert "schedule-agree" not in page.forms and "kept as a record" in page.text
    assert schedule_json(clients["sur-fp"], sur)["schedule"]["status"] == "closed"


def test_tor24_the_dashboard_asks_the_other_side_to_agree_when_nothing_else_waits(portal, clients, review_parties):
    """A proposal awaiting agreement becomes the next action on the dashboard of the side that did not make it,
    unless the stage asks something else of it first (answering the checklist comes before the dates)."""
    sur = review_parties[0]
    action = "Agree to the proposed schedule, or propose other dates"

    def row(client):
        page = client.get("/@@dashboard")
        return next(tr.get_text(" ") for tr in page.html.select("tr") if f"reviews/{sur}/" in str(tr))

    set_stage(portal, sur, "checklist")
    assert action not in row(clients["sur-fp"])  # the checklist to answer comes first
    set_stage(portal, sur, "desk-review")  # the State waits for questions: the secretariat's dates wait for it
    assert action in row(clients["sur-fp"])
    assert action not in row(clients["sur-expert"]) and action not in row(clients["rev-fp"])
    assert action not in row(clients["secretariat"])  # its own proposal
    agree_form(clients["sur-fp"], sur).submit("agree", status=303)
    assert action not in row(clients["sur-fp"])
    propose_dates(clients["sur-fp"], sur, {"review": in_force(portal, sur)["review"] + timedelta(days=7)},
                  "One more week at the end.")
    assert action not in row(clients["sur-fp"])
    assert action not in row(clients["secretariat"])  # the desk review asks it to read and ask first
    set_stage(portal, sur, "agreement")  # the secretariat waits for the States: the State's dates wait for it
    assert action in row(clients["secretariat"])

"""Country reviews (issue 4, part 1): created from the reviewer draw, bound to the state under review and
its reviewing states by local roles (R18), the working language chosen by the state under review (R25)."""

import pytest

from tests.conftest import csrf_from, last_form, set_localized
from tests.cycle_fixtures import NO_GROUP, CYCLE, STAGES, cycle_of, decide, file_request, post, relax, set_stage


def test_reviews_are_created_with_the_reviewer_draw(portal, drawn):
    _, schedule, assignments = cycle_of(portal)
    year = min(schedule)
    listing = drawn.get(CYCLE + "reviews/@@json").json
    assert sorted(i["title"] for i in listing["items"]) == sorted(schedule[year])
    for a in assignments[year][:12]:
        data = drawn.get(f"{CYCLE}reviews/{a['under_review']}/@@json").json
        assert data["state"] == a["under_review"] and data["year"] == year
        assert data["reviewers"][a["instrument"]] == sorted(a["reviewers"])
        assert data["workflow_state"] == "scheduled" and data["language"] is None


def test_no_review_before_the_reviewers_are_drawn(portal, selected):
    with portal.root() as root:
        assert "reviews" not in root["cycles"]["first-cycle"]
    selected.get(CYCLE + "reviews/", status=404)


@pytest.mark.parametrize("stage", STAGES)
def test_r18_only_the_review_parties_and_the_secretariat_see_a_review(portal, clients, review_parties, stage):
    """The security matrix of a country review: principal kind × stage × view."""
    sur = review_parties[0]
    set_stage(portal, sur, stage)
    path = f"{CYCLE}reviews/{sur}/"
    parties = {"sur-fp", "sur-expert", "rev-fp", "rev-expert", "secretariat"}
    expected = {
        "": parties,
        "@@json": parties,
        "@@history": {"secretariat"},
        "@@language": {"sur-fp"} if stage == "scheduled" else set(),
    }
    for view, allowed in expected.items():
        for kind, client in clients.items():
            if client is None:
                status = portal.client().get(path + view, expect_errors=True).status_int
                assert status in (303, 403), (kind, view, stage, status)
                if view == "":
                    assert status == 303  # to the sign-in page
                continue
            status = client.get(path + view, expect_errors=True).status_int
            assert status == (200 if kind in allowed else 403), (kind, view, stage, status)
    # The list of all reviews: the secretariat only.
    for kind, client in clients.items():
        if client is not None:
            status = client.get(CYCLE + "reviews/@@json", expect_errors=True).status_int
            assert status == (200 if kind == "secretariat" else 403), (kind, status)


def test_r18_only_the_secretariat_moves_a_review_through_its_stages(portal, clients, review_parties):
    sur = review_parties[0]
    path = f"{CYCLE}reviews/{sur}/"
    set_stage(portal, sur, "desk-review")
    for kind in ("sur-fp", "rev-fp", "third-fp", "observer", "admin"):
        client = clients[kind]
        token = csrf_from(client.get("/"))
        for transition in ("start-dialogue", "reopen-checklist"):
            client.post(path + "@@transition", {"csrf_token": token, "transition": transition}, status=403)
    with portal.root() as root:
        assert root["cycles"]["first-cycle"]["reviews"][sur].workflow_state == "desk-review"
    sec = clients["secretariat"]
    page = sec.get(path)
    form = [f for f in page.forms.values() if f.action.endswith("@@transition")
            and f["transition"].value == "start-dialogue"][0]
    form.submit(status=303)
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        assert review.workflow_state == "dialogue" and review.workflow_history[-1]["actor"] == "sec"


def test_r25_the_state_under_review_chooses_the_working_language(portal, clients, review_parties):
    sur = review_parties[0]
    path = f"{CYCLE}reviews/{sur}/"
    sec = clients["secretariat"]
    # The checklist does not open before the language is chosen: no button, and a POST is refused.
    page = sec.get(path)
    assert not [f for f in page.forms.values() if f.action.endswith("@@transition")]
    page = sec.post(path + "@@transition", {"csrf_token": csrf_from(page), "transition": "open-checklist"},
                    expect_errors=True)
    assert page.status_int == 409 and "has not chosen the working language" in page.text
    assert sec.get(path + "@@json").json["workflow_state"] == "scheduled"
    fp = clients["sur-fp"]
    form = last_form(fp.get(path + "@@language"))
    form["language"] = "fr"
    form.submit("save", status=303)
    assert fp.get(path + "@@json").json["language"] == "fr"
    assert "Français" in fp.get(path).text
    # Bad input: a language that is not one of the six changes nothing.
    token = csrf_from(fp.get(path + "@@language"))
    page = fp.post(path + "@@language", {"csrf_token": token, "language": "de", "save": "save"}, status=200)
    assert "Choose one of the options offered." in page.text or "Choisissez l'une des options proposées." in page.text
    assert fp.get(path + "@@json").json["language"] == "fr"
    # A reviewing state cannot choose it; once the checklist is open, nobody can change it.
    clients["rev-fp"].get(path + "@@language", status=403)
    page = sec.get(path)
    form = [f for f in page.forms.values() if f.action.endswith("@@transition")
            and f["transition"].value == "open-checklist"][0]
    form.submit(status=303)
    fp.get(path + "@@language", status=403)


def test_r18_cycle_page_links_a_review_only_for_its_parties(portal, clients, review_parties):
    sur = review_parties[0]
    link = f'href="http://localhost{CYCLE}reviews/{sur}/"'
    for kind, client in clients.items():
        page = (client or portal.client()).get(CYCLE)
        allowed = kind in ("sur-fp", "sur-expert", "rev-fp", "rev-expert", "secretariat")
        assert (link in page.text) == allowed, kind


def test_r8_a_redraw_rebinds_the_reviewing_states(portal, clients, review_parties, signed_in):
    sur, reviewing, _ = review_parties
    path = f"{CYCLE}reviews/{sur}/"
    sec = clients["secretariat"]
    _, schedule, _ = cycle_of(portal)
    file_request(sec, "redraw", min(schedule), state=sur)
    record = decide(sec, f"{CYCLE}requests/1/").location.replace("http://localhost", "")
    post(sec, record + "@@run")  # the redraw's second step (issue 19 §7)
    after = sorted({r for pair in sec.get(path + "@@json").json["reviewers"].values() for r in pair})
    assert after != reviewing
    gone = [r for r in reviewing if r not in after]
    new = [r for r in after if r not in reviewing]
    assert gone and new
    signed_in("gone-fp", "focal-point", gone[0]).get(path, status=403)
    signed_in("new-fp", "focal-point", new[0]).get(path + "@@json", status=200)
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        assert len(review.bindings) == 2 and review.bindings[-1]["who"] == "sec"
        assert sorted({r for p in review.bindings[-1]["before"].values() for r in p}) == reviewing


def _nominate_experts(portal, state, names):
    from content.experts import Expert, next_expert_name

    with portal.root() as root:
        folder = root["experts"]
        return [folder.add(next_expert_name(folder, state), Expert(state, n, "", {}, "test")).__name__ for n in names]


def test_each_state_names_its_focal_point_and_experts_for_the_review(portal, clients, review_parties):
    """¶17, ¶21: one focal point per state and review at a time, replaceable, with history; experts from
    the state's own list, at most the cycle's number."""
    sur, reviewing, third = review_parties
    path = f"{CYCLE}reviews/{sur}/"
    mine = _nominate_experts(portal, sur, ["Expert A", "Expert B"])
    _nominate_experts(portal, reviewing[0], ["Their expert"])
    fp = clients["sur-fp"]
    form = last_form(fp.get(path + "@@team"))
    assert [v for v, *_ in form["focal_point"].options] == ["", "sur-fp"]  # only its own state's focal points
    assert "Their expert" not in fp.get(path + "@@team").text
    form["focal_point"] = "sur-fp"
    form.get("checkbox", index=0).checked = True
    form.get("checkbox", index=1).checked = True
    form.submit("save", status=303)
    data = fp.get(path + "@@json").json["teams"]
    assert data[sur] == {"focal_point": "sur-fp", "experts": sorted(mine)}
    assert data[reviewing[0]] == {"focal_point": None, "experts": []}
    # Replaced later: the history keeps both.
    form = last_form(fp.get(path + "@@team"))
    form.get("checkbox", index=1).checked = False
    form.submit("save", status=303)
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        assert review.team(sur)["experts"] == (mine[0],)
        assert [h["experts"] for h in review.team_history] == [sorted(mine), [mine[0]]]
    # A reviewing state names its own team, never another state's, whatever the address says.
    rev = clients["rev-fp"]
    page = rev.get(path + "@@team", params={"state": sur})
    assert [v for v, *_ in last_form(page)["focal_point"].options] == ["", "rev-fp"]
    clients["sur-expert"].get(path + "@@team", status=403)
    clients["third-fp"].get(path + "@@team", status=403)
    clients["secretariat"].get(path + "@@team", params={"state": third}, status=404)
    assert "Expert A" in clients["rev-expert"].get(path).text


def test_team_bad_input_changes_nothing(portal, clients, review_parties):
    sur = review_parties[0]
    path = f"{CYCLE}reviews/{sur}/"
    with portal.root() as root:
        root["cycles"]["first-cycle"].experts_per_state = 1
    _nominate_experts(portal, sur, ["Expert A", "Expert B"])
    other = _nominate_experts(portal, review_parties[2], ["Outsider"])[0]
    fp = clients["sur-fp"]
    form = last_form(fp.get(path + "@@team"))
    form["focal_point"] = "sur-fp"
    form.get("checkbox", index=0).checked = True
    form.get("checkbox", index=1).checked = True
    assert "At most 1 expert per State" in form.submit("save", status=200).text
    fields = [(n, v) for n, v in last_form(fp.get(path + "@@team")).submit_fields()]
    fields = [(n, "someone-else" if n == "focal_point" else v) for n, v in fields]
    page = fp.post(path + "@@team", fields + [("checkbox", other), ("save", "save")], status=200)
    assert "Choose one of the options offered." in page.text
    with portal.root() as root:
        assert root["cycles"]["first-cycle"]["reviews"][sur].team(sur) == {"focal_point": None, "experts": ()}


def test_milestones_default_from_the_start_and_overdue_flags(portal, clients, review_parties):
    """¶24: default due dates (2 weeks, 4 weeks, 2 months, then a month a stage, 6 months), proposed again by the
    secretariat (tests/test_schedule.py: agreed with the State under review), flagged when overdue."""
    from datetime import date, timedelta

    sur = review_parties[0]
    path = f"{CYCLE}reviews/{sur}/"
    sec = clients["secretariat"]
    milestones = sec.get(path + "@@json").json["milestones"]
    start = date.fromisoformat(milestones["focal-points"]) - timedelta(days=14)
    assert abs((start - date.today()).days) <= 1
    assert milestones == {"focal-points": str(start + timedelta(days=14)), "experts": str(start + timedelta(days=28)),
                          "checklist": str(start + timedelta(days=61)), "desk-review": str(start + timedelta(days=91)),
                          "dialogue": str(start + timedelta(days=122)), "drafting": str(start + timedelta(days=152)),
                          "review": str(start + timedelta(days=183))}
    assert "Overdue" not in sec.get(path).text
    # The secretariat moves the focal-point milestone into the past: flagged on the review and the list.
    form = sec.get(path + "@@schedule").forms["schedule-propose"]
    past = date.today() - timedelta(days=3)
    form.set("date", past.isoformat(), index=0)  # deform names each date field "date", in milestone order
    form["comment"] = "The focal points were due earlier."
    form.submit("propose", status=303)
    page = clients["sur-fp"].get(path)
    assert "<strong>Overdue</strong>" in page.text
    assert sec.get(CYCLE + "reviews/").text.count("<strong>Focal points named</strong>") == 1
    # Done once every state taking part has named its focal point.
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        for iso3 in review.parties():
            review.appoint(iso3, "someone", (), "test")
    assert "<strong>Overdue</strong>" not in clients["sur-fp"].get(path).text
    assert len(sec.get(path + "@@json").json["schedule"]["history"]) == 2
    clients["sur-fp"].get(path + "@@schedule", status=200)  # the parties read the schedule (¶24)
    clients["third-fp"].get(path + "@@schedule", status=403)


def test_milestones_bad_input_changes_nothing(portal, clients, review_parties):
    sur = review_parties[0]
    path = f"{CYCLE}reviews/{sur}/"
    sec = clients["secretariat"]
    before = sec.get(path + "@@json").json["milestones"]
    form = sec.get(path + "@@schedule").forms["schedule-propose"]
    form.set("date", "2020-01-01", index=6)  # the review's completion
    form["comment"] = "Sooner."
    assert "The review cannot be completed before its other milestones." in form.submit("propose", status=200).text
    form = sec.get(path + "@@schedule").forms["schedule-propose"]
    form.set("date", "31/02/2027", index=2)
    form["comment"] = "Sooner."
    assert "Write a valid date, in the form YYYY-MM-DD." in form.submit("propose", status=200).text
    assert sec.get(path + "@@json").json["milestones"] == before


def test_dashboard_shows_each_user_its_own_reviews_and_overdue_milestones(portal, clients, review_parties):
    """Focal points and experts see the reviews their state takes part in, with the next milestone;
    the secretariat sees all; nobody sees another state's review; alphabetical, never ranked (R22)."""
    from datetime import date, timedelta

    from content.milestones import set_due_dates

    sur, reviewing, third = review_parties
    link = f'href="http://localhost{CYCLE}reviews/{sur}/"'
    with portal.root() as root:
        set_due_dates(root["cycles"]["first-cycle"]["reviews"][sur],
                      {"focal-points": date.today() - timedelta(days=1)}, "test")
    page = clients["sur-fp"].get("/@@dashboard")
    row = page.text.split(link)[1].split("</tr>")[0]
    assert "State under review" in row and "Scheduled" in row and "<strong>Focal points named</strong>" in row
    row = clients["rev-expert"].get("/@@dashboard").text.split(link)[1].split("</tr>")[0]
    assert "Reviewing State" in row and "Focal points named" in row
    assert link not in clients["third-fp"].get("/@@dashboard").text
    assert link not in clients["observer"].get("/@@dashboard").text
    sec = clients["secretariat"].get("/@@dashboard").text
    with portal.root() as root:
        names = sorted(root["cycles"]["first-cycle"]["reviews"].keys())
    assert all(f'{CYCLE}reviews/{s}/"' in sec for s in names)
    assert portal.client().get("/@@dashboard").status_int == 303


def row_of(client, sur):
    page = client.get("/@@dashboard").text
    link = f'href="http://localhost{CYCLE}reviews/{sur}/"'
    return page.split(link)[1].split("</tr>")[0]


def test_dashboard_says_what_each_participant_does_next(portal, clients, review_parties):
    """Focal points and experts see their state's work in each review (next action, answers due);
    the secretariat sees what it must do to move each review on."""
    sur = review_parties[0]
    assert "Choose the working language of the review" in row_of(clients["sur-fp"], sur)
    assert "Name your focal point and experts for the review" in row_of(clients["rev-fp"], sur)
    # An expert is not asked what only its focal point may do (issue 21: the next action is one it can take).
    assert "Name your focal point" not in row_of(clients["rev-expert"], sur)
    assert "Waiting for the working language" in row_of(clients["secretariat"], sur)
    set_stage(portal, sur, "drafting")  # the demo dialogue leaves one question open
    sur_row = row_of(clients["sur-expert"], sur)
    assert "Answer the questions of the dialogue: 1 question awaiting an answer" in sur_row
    assert "Answer due by" in sur_row
    assert "Draft the report" in row_of(clients["rev-expert"], sur)
    set_stage(portal, sur, "agreement")
    assert "Agree to the report, or comment on it" in row_of(clients["rev-fp"], sur)
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        review["report"].agree(review_parties[1][0], review["report"].current_number(), "test")
    assert "Waiting for the agreement of every State" in row_of(clients["rev-fp"], sur)
    assert "Agree to the report, or comment on it" in row_of(clients["sur-fp"], sur)


def test_evolve_step_gives_reviews_made_before_it_their_parts(portal, drawn, review_parties):
    from content.evolve import STEPS

    sur = review_parties[0]
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        for name in ("dialogue", "assistance", "report"):
            review.remove(name)
        del review["checklist"].comments
        STEPS[3][0](root)
        assert {"dialogue", "assistance", "report"} <= set(review.keys())
        assert review["checklist"].comments.on("anything") == []
    assert drawn.get(f"{CYCLE}reviews/{sur}/report/").status_int == 200


def test_r18_a_missing_address_inside_a_review_answers_like_an_existing_one(portal, clients, review_parties):
    """Nobody outside a review learns what exists in it: a missing part is "access denied" as a present one."""
    sur = review_parties[0]
    path = f"{CYCLE}reviews/{sur}/"
    for missing, present in (("visit/", "report/"), ("dialogue/99/", "dialogue/"), ("nothing-here", "")):
        assert clients["third-fp"].get(path + missing, expect_errors=True).status_int == 403
        assert clients["third-fp"].get(path + present, expect_errors=True).status_int == 403
        assert portal.client().get(path + missing).status_int == 303  # to the sign-in page, as for any review page
    assert clients["third-fp"].get(f"{CYCLE}reviews/ZZZ/", expect_errors=True).status_int == 403
    assert clients["sur-fp"].get(path + "visit/", expect_errors=True).status_int == 404
    assert clients["secretariat"].get(path + "dialogue/99/", expect_errors=True).status_int == 404
    assert clients["sur-fp"].get(path + "dialogue/99/", expect_errors=True).status_int == 403  # no dialogue yet


def test_r14_milestone_defaults_are_a_setting_of_the_cycle(portal, secretariat):
    """¶24: the cycle says how many days after a review starts each milestone falls due; reviews start with them."""
    from datetime import date as day

    def fill(checklist, review):
        form = last_form(secretariat.get("/cycles/@@add"))
        for field, value in (("name", "first-cycle"), ("decision_ref", "CTOC/COP/1"),
                             ("first_year", "2027"), ("last_year", "2031")):
            form[field] = value
        set_localized(form, "title", "First review cycle")
        set_localized(form, "UNTOC", "Articles 5, 6")
        assert form.get("checklist", index=0).value == "61"
        form.set("checklist", checklist, index=0)
        form.set("review", review, index=0)
        return form

    assert "The review cannot be completed before its other milestones." in fill("45", "30").submit(
        "save", status=200).text
    form = fill("45", "150")
    form.set("drafting", "140", index=0)
    form.submit("save", status=303)
    assert secretariat.get(CYCLE + "@@json").json["milestone_days"] == {
        "focal-points": 14, "experts": 28, "checklist": 45, "desk-review": 91, "dialogue": 122, "drafting": 140,
        "review": 150}
    post(secretariat, CYCLE + "@@prepare-selection")
    post(secretariat, CYCLE + "draws/1/@@run")
    for code in NO_GROUP:
        relax(secretariat, f"R6:{code}")
    post(secretariat, CYCLE + "@@prepare-reviewers")
    post(secretariat, CYCLE + "draws/2/@@run")
    with portal.root() as root:
        review = next(iter(root["cycles"]["first-cycle"]["reviews"].values()))
        assert {k: (d - day.today()).days for k, d in review.milestones.items()} == {
            "focal-points": 14, "experts": 28, "checklist": 45, "desk-review": 91, "dialogue": 122, "drafting": 140,
            "review": 150}

"""The dashboard as the home of a signed-in user (issue 21, point 3): sign-in lands on it, a final review shows no
deadline, a pending request for access is the next action of the State under review and a line of waiting for the
requester, and each review's page shows its stages (a stepper) in every language."""

import re
from datetime import date, timedelta

from language import format_date

from tests.conftest import PASSWORD, last_form, sign_in
from tests.cycle_fixtures import CYCLE, set_stage


def row_of(client, sur):
    page = client.get("/@@dashboard").text
    link = f'href="http://localhost{CYCLE}reviews/{sur}/"'
    assert link in page
    return page.split(link)[1].split("</tr>")[0]


def name_of(portal, iso3, lang="en"):
    """The State's name as an English sentence writes it after "of" ("the Bahamas"), escaped as in a page."""
    from html import escape

    from language.names import with_article

    with portal.root() as root:
        return escape(with_article(root["states"][iso3].names[lang], lang), quote=False)


# -- sign-in lands on the dashboard -------------------------------------------------------------------------


def test_sign_in_lands_on_the_dashboard(portal, anon):
    portal.add_user("ken-fp")
    response = sign_in(anon, "ken-fp")
    assert response.location == "http://localhost/@@dashboard"
    assert "My reviews" in response.follow().text


def test_sign_in_with_came_from_lands_there(portal, anon):
    portal.add_user("ken-fp")
    page = anon.get("/@@login?came_from=/states/KEN")
    form = last_form(page)
    assert form["came_from"].value == "http://localhost/states/KEN"
    form["login"], form["password"] = "ken-fp", PASSWORD
    assert form.submit(status=303).location == "http://localhost/states/KEN"


def test_a_forbidden_page_leads_back_to_itself_after_sign_in(portal, anon):
    portal.add_user("ken-fp")
    login = anon.get("/@@dashboard", status=303).follow()
    form = last_form(login)
    form["login"], form["password"] = "ken-fp", PASSWORD
    assert form.submit(status=303).location == "http://localhost/@@dashboard"
    portal.add_user("fra-fp", state="FRA")
    other = portal.client()
    form = last_form(other.get("/@@login?came_from=http://localhost/states/FRA"))
    form["login"], form["password"] = "fra-fp", PASSWORD
    assert form.submit(status=303).location == "http://localhost/states/FRA"


def test_an_outside_came_from_is_refused_as_before(portal, anon):
    portal.add_user("ken-fp")
    for outside in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        form = last_form(anon.get("/@@login", {"came_from": outside}))
        assert "evil" not in form["came_from"].value
        form["login"], form["password"] = "ken-fp", PASSWORD
        location = form.submit(status=303).location
        assert location == "http://localhost/", outside


# -- a final review has no deadline -------------------------------------------------------------------------


def test_a_final_review_shows_no_due_date_although_a_question_is_still_open(portal, clients, review_parties):
    from content.milestones import set_due_dates
    from portal.review_tasks import open_questions

    sur = review_parties[0]
    set_stage(portal, sur, "drafting")  # the demo dialogue leaves one question open
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        open_questions(review)[0].due = date.today() - timedelta(days=3)
        set_due_dates(review, {"focal-points": date.today() - timedelta(days=20)}, "test")
    before = row_of(clients["sur-fp"], sur)
    assert "Answer due by" in before and "<strong>" in before  # overdue while the review is under way
    set_stage(portal, sur, "final")
    with portal.root() as root:
        assert open_questions(root["cycles"]["first-cycle"]["reviews"][sur])  # the question is still open
    for who in ("sur-fp", "sur-expert", "rev-fp", "secretariat"):
        row = row_of(clients[who], sur)
        assert "Final" in row
        assert "Answer due by" not in row and "<strong>" not in row, who
        assert "Focal points named" not in row and "Review completed" not in row, who
        assert "Answer to a question" not in row, who


def test_the_stage_and_the_next_deadline_have_different_headings_in_french(portal, clients):
    page = clients["sur-fp"].get("/@@dashboard?lang=fr").text
    headings = re.findall(r"<th>([^<]*)</th>", page.split("<thead>")[1].split("</thead>")[0])
    assert len(headings) == len(set(headings)) == 7
    assert "Étape" in headings and "Prochaine étape" not in headings


# -- pending requests for access -----------------------------------------------------------------------------


def file_request(client, sur):
    form = last_form(client.get(f"{CYCLE}reviews/{sur}/access-requests/@@new"))
    form["reason"] = "We are preparing a similar reform of our criminal code."
    form["scope"] = "whole"
    return form.submit("save", status=303).location.replace("http://localhost", "")


def test_a_pending_request_for_access_is_the_next_action_of_the_state_under_review(portal, clients,
                                                                                   review_parties):
    from tests.conftest import csrf_from

    sur, _reviewing, third = review_parties
    set_stage(portal, sur, "final")
    assert "Decide on the request" not in row_of(clients["sur-fp"], sur)
    path = file_request(clients["third-fp"], sur)
    decide = f"Decide on the request of {name_of(portal, third)} to read the report"
    row = row_of(clients["sur-fp"], sur)
    assert f'<a href="http://localhost{path}">{decide}</a>' in row
    # Only the focal point decides: its experts, the reviewing States and the secretariat are not asked to.
    for who in ("sur-expert", "rev-fp", "secretariat"):
        assert "Decide on the request" not in row_of(clients[who], sur), who
    # The requesting State's focal point sees whose decision it awaits, for its own request.
    waiting = f"Awaiting the decision of {name_of(portal, sur)}"
    requester_page = clients["third-fp"].get("/@@dashboard").text
    assert waiting in requester_page and decide not in requester_page
    assert waiting not in clients["sur-fp"].get("/@@dashboard").text
    assert waiting not in clients["third-expert"].get("/@@dashboard").text  # it does not see the request
    # Once decided, nothing is awaited any more.
    token = csrf_from(clients["sur-fp"].get("/"))
    clients["sur-fp"].post(path + "@@transition", {"csrf_token": token, "transition": "refuse",
                                                   "comment": "Not at this stage."}, status=303)
    assert "Decide on the request" not in row_of(clients["sur-fp"], sur)
    assert waiting not in clients["third-fp"].get("/@@dashboard").text


# -- the stages of a review ----------------------------------------------------------------------------------


def steps(page):
    stepper = page.split('<ol class="stepper"')[1].split("</ol>")[0]
    return re.findall(r"<li([^>]*)>(.*?)</li>", stepper, re.S)


def test_the_review_page_shows_its_stages_with_the_current_one_and_the_dates(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "dialogue")
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        history = list(review.workflow_history)
        checklist_due = review.milestones["checklist"]
        review_due = review.milestones["review"]
    entered = {entry["to"]: entry["when"].date() for entry in history}
    path = f"{CYCLE}reviews/{sur}/"
    for lang, titles, current_title, done, current_label, reached, to_come, heading in (
            ("en", ("Scheduled", "Self-assessment checklist", "Desk review", "Constructive dialogue"),
             "Constructive dialogue", "Done", "Current stage", "Reached on", "To come", "Stages of the review"),
            ("fr", ("Programmé", "Liste de contrôle pour l'auto-évaluation", "Examen sur dossier",
                    "Dialogue constructif"), "Dialogue constructif", "Fait", "Étape en cours", "Atteinte le", "À venir",
             "Étapes de l'examen")):
        page = clients["sur-expert"].get(path, {"lang": lang}).text
        items = steps(page)
        assert len(items) == 7
        assert page.count('aria-current="step"') == 1
        current = [body for attrs, body in items if 'aria-current="step"' in attrs]
        assert len(current) == 1 and current_title in current[0] and current_label in current[0]
        for (attrs, body), title, stage in zip(items, titles, ("scheduled", "checklist", "desk-review", "dialogue")):
            assert title.replace("'", "&#39;") in body or title in body, (lang, title)
            when = format_date(entered[stage], lang)
            assert f"{reached} {when}" in body, (lang, stage)
            if stage != "dialogue":
                assert done in body and "done" in attrs and "aria-current" not in attrs
        for attrs, body in items[4:]:
            assert to_come in body and reached not in body and "aria-current" not in attrs
        assert format_date(checklist_due, lang) in items[1][1]
        assert format_date(review_due, lang) in items[6][1]
        assert heading in page

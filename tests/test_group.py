"""The upper half of the process (R23, R24, ¶34, ¶38-45): the secretariat's thematic compilation and the
thematic report drafted from it, which quote nothing confidential; the Implementation Review Group's
meetings and recommendations; the Conference's decisions; and the checks that refuse bad input."""

from datetime import date

import pytest

from portal.scripts.demo_reviews import publish_parts
from workflows import get_workflow
from tests.conftest import csrf_from, last_form, set_localized
from tests.cycle_fixtures import set_stage

THEMATIC = "/group/thematic/"
MEETINGS = "/group/meetings/"
CONFERENCE = "/conference/"


def fire(client, path, transition, status=303):
    return client.post(path + "@@transition", {"csrf_token": csrf_from(client.get("/")), "transition": transition},
                       status=status)


def review(root, sur):
    return root["cycles"]["first-cycle"]["reviews"][sur]


def confidential_texts(portal, sur):
    """The texts of the final report on ``sur`` that its State has not published."""
    with portal.root() as root:
        parts = review(root, sur)["report"]["parts"]
        return [p.text for p in parts.values() if not p.published and len(p.text) > 20]


def published_finding(portal, sur):
    """Publish the summary and the first finding of the final report on ``sur``; return that finding's text."""
    with portal.root() as root:
        parts = review(root, sur)["report"]["parts"]
        name = sorted(n for n in parts.keys() if n.startswith("finding-"))[0]
        publish_parts(review(root, sur), "sur-fp", {"summary", name})
        return parts[name].text


def fill(form, values):
    """Set ``values`` on a deform form; its date widget names the field "date"."""
    for key, value in values.items():
        if key == "day":
            form.set("date", value, index=0)
        elif key in ("session", "title", "text", "agenda"):
            set_localized(form, key, value)
        else:
            form[key] = value
    return form


def draft_thematic(client, cycle="first-cycle", status=303):
    form = last_form(client.get(THEMATIC + "@@compile", params={"cycle": cycle}))
    form["cycle"] = cycle
    return form.submit("draft", status=status)


def test_r23_the_compilation_counts_by_group_and_quotes_only_published_findings(portal, clients, review_parties):
    sur = review_parties[0]
    sec = clients["secretariat"]
    # Bad input: a cycle with no final report has nothing to compile; nothing is drafted.
    page = draft_thematic(sec, status=200)
    assert "No country review report of this cycle is final yet" in page.text
    with portal.root() as root:
        assert len(root["group"]["thematic"]) == 0
        name = root["states"][sur].name("en")
    set_stage(portal, sur, "final")
    secret = confidential_texts(portal, sur)
    assert secret
    # Counts per regional group, never per State: with nothing published, no State is even named (R22).
    page = sec.get(THEMATIC + "@@compile", params={"cycle": "first-cycle"})
    assert "Thematic compilation" in page.text and "1 report<" in page.text
    assert name not in page.text and not any(text in page.text for text in secret)
    quoted = published_finding(portal, sur)
    secret = confidential_texts(portal, sur)
    page = sec.get(THEMATIC + "@@compile", params={"cycle": "first-cycle"})
    assert quoted in page.text and not any(text in page.text for text in secret)
    # Only the secretariat compiles.
    for kind in ("sur-fp", "rev-fp", "observer", "admin"):
        assert clients[kind].get(THEMATIC + "@@compile", expect_errors=True).status_int == 403, kind
    assert portal.client().get(THEMATIC + "@@compile").status_int == 303


def test_r23_thematic_report_and_addenda_never_show_confidential_text(portal, clients, review_parties):
    """The confidentiality test of compilations: every page of the drafted documents, read by every kind of
    user in every language, holds no text of the report that its State has not published."""
    sur = review_parties[0]
    set_stage(portal, sur, "final")
    quoted = published_finding(portal, sur)
    secret = confidential_texts(portal, sur)
    sec = clients["secretariat"]
    page = draft_thematic(sec).follow()
    assert "regional addenda are drafted" in page.text
    with portal.root() as root:
        item = root["group"]["thematic"]["1"]
        docs = {doc.__name__: doc.original.text for doc in item.documents()}
        groups = {doc.__name__: doc.regional_group for doc in item.documents()[1:]}
        assert list(groups.values()) == [root["states"][sur].regional_group]  # one addendum: the only group reviewed
    assert set(docs) == {"report", *groups} and all(quoted in text for text in docs.values())
    addendum = next(iter(groups))
    urls = [THEMATIC, THEMATIC + "1/"]
    for name in docs:
        urls += [f"{THEMATIC}1/{name}/"] + [f"{THEMATIC}1/{name}/{lang}/" for lang in ("en", "ar", "zh", "fr", "ru", "es")]
    # The secretariat publishes the report in English; the addenda stay drafts.
    editor = last_form(sec.get(THEMATIC + "1/report/en/@@edit"))
    editor["text"] = docs["report"] + "\n\nEdited by the secretariat."
    editor.submit("save", status=303)
    fire(sec, THEMATIC + "1/report/en/", "mark-translated")
    # A draft is a snapshot: if the State withdraws the quoted finding meanwhile, publication is refused.
    with portal.root() as root:
        part = next(p for p in review(root, sur)["report"]["parts"].values() if p.text == quoted)
        get_workflow(part).fire(part, None, "unpublish", check_permission=False, actor="sur-fp")
    page = fire(sec, THEMATIC + "1/report/en/", "publish", status="*")
    assert "remove the quotation before publishing" in (page.follow() if page.status_int == 303 else page).text
    with portal.root() as root:
        assert root["group"]["thematic"]["1"]["report"]["en"].workflow_state == "translated"
        part = next(p for p in review(root, sur)["report"]["parts"].values() if p.text == quoted)
        get_workflow(part).fire(part, None, "publish", check_permission=False, actor="sur-fp")
    fire(sec, THEMATIC + "1/report/en/", "publish")
    for kind, client in clients.items():
        client = client or portal.client()
        for url in urls:
            for lang in ("en", "fr", "ar"):
                page = client.get(url, params={"lang": lang}, expect_errors=True)
                assert page.status_int in (200, 303, 403, 404), (kind, url)
                assert not any(text in page.text for text in secret), (kind, url)
    anonymous = portal.client()
    page = anonymous.get(THEMATIC + "1/report/")
    assert "Edited by the secretariat." in page.text and quoted in page.text
    assert anonymous.get(f"{THEMATIC}1/{addendum}/").status_int == 303  # a draft: not public
    listing = anonymous.get(THEMATIC).text
    assert "/group/thematic/1/report/" in listing and addendum not in listing


def test_r24_meetings_recommendations_and_the_conference_decision_that_approves_them(portal, clients):
    sec = clients["secretariat"]
    year = date.today().year
    # Bad input: a meeting in a past year with no date is refused, and nothing is recorded.
    form = last_form(sec.get(MEETINGS + "@@add"))
    set_localized(form, "title", "Implementation Review Group, first session")
    form["year"] = str(year - 1)
    page = form.submit("save", status=200)
    assert "A meeting in a past year needs its dates." in page.text
    form = last_form(page)
    form.set("date", f"{year}-06-02", index=0)  # deform names both date fields "date"
    page = form.submit("save", status=200)
    assert "The first day must fall in the meeting&#39;s year." in page.text or "meeting's year" in page.text
    with portal.root() as root:
        assert len(root["group"]["meetings"]) == 0
    form = last_form(page)
    form.set("date", f"{year - 1}-06-02", index=0)
    form.set("date", f"{year - 1}-06-04", index=1)
    set_localized(form, "agenda", "Opening of the session\nOverview of the review process")
    form["observers"] = "Observer organization A"
    page = form.submit("save", status=303).follow()
    assert "The meeting is recorded." in page.text and "Overview of the review process" in page.text
    anonymous = portal.client()
    assert "Observer organization A" in anonymous.get(MEETINGS + "1/").text
    assert "first session" in anonymous.get(MEETINGS).text
    # A recommendation: empty text refused; a draft is not public; adopted, it is.
    csrf = csrf_from(page)
    page = sec.post(MEETINGS + "1/@@recommend", {"csrf_token": csrf, "kind": "recommendation", "text": " "}, status=400)
    assert "Write the text of the recommendation" in page.text
    sec.post(MEETINGS + "1/@@recommend", {"csrf_token": csrf, "kind": "recommendation",
                                          "text": "States should share good practices on witness protection."},
             status=303)
    assert anonymous.get(MEETINGS + "1/1/").status_int == 303
    assert "witness protection" not in anonymous.get(MEETINGS + "1/").text
    assert clients["third-fp"].get(MEETINGS + "1/1/").status_int == 200  # under discussion: States read it
    assert clients["sur-fp"].post(MEETINGS + "1/@@recommend", {"csrf_token": csrf, "kind": "conclusion",
                                                              "text": "x"}, expect_errors=True).status_int == 403
    # Under discussion, the secretariat corrects the text; an empty text is refused and changes nothing.
    form = last_form(sec.get(MEETINGS + "1/1/@@edit"))
    set_localized(form, "text", " ")
    assert "Give the text in its original language." in form.submit("save", status=200).text
    set_localized(form, "text", "States parties should share good practices on witness protection and relocation.")
    form.submit("save", status=303)
    fire(sec, MEETINGS + "1/1/", "adopt")
    assert sec.get(MEETINGS + "1/1/@@edit", expect_errors=True).status_int == 403  # adopted: no longer edited
    assert "and relocation" in anonymous.get(MEETINGS + "1/1/").text
    assert "witness protection" in anonymous.get(MEETINGS + "1/").text
    # Only a recorded Conference decision approves it: the secretariat cannot fire the transition itself.
    fire(sec, MEETINGS + "1/1/", "approve", status=403)
    with portal.root() as root:
        assert root["group"]["meetings"]["1"]["1"].workflow_state == "adopted"

    def decision(**fields):
        form = last_form(sec.get(CONFERENCE + "@@add"))
        values = {"kind": "approval", "symbol": "1/1", "session": "first session, Vienna",
                  "day": f"{year - 1}-10-10", "title": "Approval of the Group's recommendations",
                  "text": "The Conference approves the recommendations."}
        values.update(fields)
        return fill(form, values)

    # Bad input: an approval that approves nothing, a date to come.
    page = decision().submit("save", status=200)
    assert "Choose the adopted recommendations and conclusions this decision approves." in page.text
    form = decision(day=f"{year + 1}-01-01")
    form.get("checkbox", index=0).checked = True
    assert "its date cannot be in the future" in form.submit("save", status=200).text
    with portal.root() as root:
        assert len(root["conference"]) == 0
    form = decision()
    form.get("checkbox", index=0).checked = True
    page = form.submit("save", status=303).follow()
    assert "The decision is recorded." in page.text and "witness protection" in page.text
    with portal.root() as root:
        item = root["group"]["meetings"]["1"]["1"]
        assert item.workflow_state == "approved" and item.approved_by is root["conference"]["1"]
        assert item.workflow_history[-1]["actor"] == "sec"
    assert "Decision 1/1" in anonymous.get(MEETINGS + "1/1/").text
    assert "Decision 1/1" in anonymous.get(CONFERENCE).text
    assert clients["sur-fp"].get(CONFERENCE + "@@add", expect_errors=True).status_int == 403


@pytest.mark.parametrize("kind", ["cycle", "assessment"])
def test_r24_a_decision_on_a_cycle_without_a_cycle_is_refused(portal, clients, kind):
    sec = clients["secretariat"]
    form = last_form(sec.get(CONFERENCE + "@@add"))
    fill(form, {"kind": kind, "symbol": "5/1", "session": "fifth session", "day": "2026-01-10",
                "title": "The first review cycle", "text": "The Conference decides."})
    page = form.submit("save", status=200)
    assert "This kind of decision concerns a review cycle: choose the cycle." in page.text
    assert "The first review cycle" in page.text  # nothing typed is lost
    with portal.root() as root:
        assert len(root["conference"]) == 0


def test_r24_the_assessment_of_a_closed_cycle_carries_its_overview(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "final")
    sec = clients["secretariat"]

    def assessment():
        form = last_form(sec.get(CONFERENCE + "@@add"))
        fill(form, {"kind": "assessment", "symbol": "9/2", "session": "ninth session", "day": "2026-10-20",
                    "title": "Assessment of the first cycle", "text": "Assessed.", "cycle": "first-cycle"})
        return form.submit("save", status="*")

    page = assessment()
    assert page.status_int == 200 and "close the cycle first" in page.text
    with portal.root() as root:
        cycle = root["cycles"]["first-cycle"]
        cycle.workflow_state = "closed"
        reviews = len(cycle["reviews"])
    page = assessment().follow()
    assert "Annex: overview of the cycle" in page.text
    with portal.root() as root:
        annex = root["conference"]["1"].annex
    assert (annex["reviews"], annex["completed"], annex["timed"]) == (reviews, 1, 1)
    assert annex["within_target"] == 1 and annex["target_days"] == 183
    assert portal.client().get(CONFERENCE + "1/").status_int == 200  # decisions are public
    assert "Decision 9/2: Assessment of the first cycle" in portal.client().get("/cycles/first-cycle/").text


def test_r24_the_dashboard_warns_of_a_year_without_a_meeting(portal, clients):
    sec = clients["secretariat"]
    year = date.today().year
    assert "No meeting is recorded for" not in sec.get("/@@dashboard").text  # the first cycle has not begun
    with portal.root() as root:
        root["cycles"]["first-cycle"].first_year = year - 1
    page = sec.get("/@@dashboard")
    assert "No meeting is recorded for" in page.text and f"{year - 1}" in page.text
    assert "No meeting is recorded for" not in clients["sur-fp"].get("/@@dashboard").text
    for held in (year - 1, year):
        form = last_form(sec.get(MEETINGS + "@@add"))
        set_localized(form, "title", f"Session {held}")
        form["year"] = str(held)
        form.set("date", f"{held}-06-02", index=0)
        form.submit("save", status=303)
    assert "No meeting is recorded for" not in sec.get("/@@dashboard").text

"""Publication of a final report by the State under review (R19, ¶36): whole or in parts, with a
confirmation step; published parts are public pages in every language, withdrawal closes them again;
each step is in the audit log, which nobody can edit; nobody else publishes anything."""

import pytest

from tests.conftest import csrf_from, last_form
from tests.cycle_fixtures import CYCLE, set_stage


def report_url(sur):
    return f"{CYCLE}reviews/{sur}/report/"


def parts_of(portal, sur):
    with portal.root() as root:
        parts = root["cycles"]["first-cycle"]["reviews"][sur]["report"]["parts"]
        return {p.__name__: (p.workflow_state, p.text) for p in parts.values()}


def choose(client, sur, names):
    form = last_form(client.get(report_url(sur) + "@@publish"))
    for field in form.fields.get("part", []):
        field.checked = field._value in names
    return form.submit("review", status=200)


@pytest.mark.storages("file", "relstorage")
def test_r19_publish_part_of_a_report_and_read_it_anonymously_in_french_and_arabic(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "final")
    before = parts_of(portal, sur)
    assert {state for state, _text in before.values()} == {"confidential"}
    finding = sorted(n for n in before if n.startswith("finding-"))[0]
    anonymous = portal.client()
    for name in ("summary", finding):
        assert anonymous.get(report_url(sur) + f"parts/{name}/").status_int == 303  # confidential: sign in
    sur_fp = clients["sur-fp"]
    confirm = choose(sur_fp, sur, {"summary", finding})
    assert "These parts will become public" in confirm.text
    assert parts_of(portal, sur) == before  # nothing happens before the confirmation
    last_form(confirm).submit("confirm", status=303)
    after = parts_of(portal, sur)
    assert {n for n, (state, _t) in after.items() if state == "published"} == {"summary", finding}
    summary_text = after["summary"][1]
    for lang, direction in (("fr", "ltr"), ("ar", "rtl")):
        page = anonymous.get(f"/states/{sur}?lang={lang}")
        assert f'lang="{lang}" dir="{direction}"' in page.text
        assert summary_text in page.text and after[finding][1] in page.text
        assert after["introduction"][1] not in page.text  # not published
        part = anonymous.get(report_url(sur) + f"parts/summary/?lang={lang}")
        assert summary_text in part.text
    assert "Publié par l'État partie examiné" in anonymous.get(report_url(sur) + "parts/summary/?lang=fr").text
    assert anonymous.get(report_url(sur) + "parts/introduction/").status_int == 303
    assert clients["third-fp"].get(report_url(sur) + "parts/introduction/", status=403)
    assert clients["third-fp"].get(report_url(sur) + "parts/summary/").status_int == 200
    # Withdraw the summary: it is confidential again at once, for everyone outside the review.
    confirm = choose(sur_fp, sur, {finding})
    assert "These parts will no longer be public" in confirm.text
    last_form(confirm).submit("confirm", status=303)
    assert anonymous.get(report_url(sur) + "parts/summary/").status_int == 303
    assert summary_text not in anonymous.get(f"/states/{sur}").text
    # The audit log has each move of each part (two published, one withdrawn), with who and for which state;
    # the part's history says who published it.
    log = clients["secretariat"].get("/audit/").text
    assert log.count("sur-fp") == 3 and "Withdrawn from publication" in log and "Published" in log
    with portal.root() as root:
        history = root["cycles"]["first-cycle"]["reviews"][sur]["report"]["parts"]["summary"].workflow_history
        assert [(h["transition"], h["actor"]) for h in history[1:]] == [("publish", "sur-fp"), ("unpublish", "sur-fp")]


def test_r19_only_the_state_under_reviews_focal_point_publishes_and_only_a_final_report(portal, clients,
                                                                                        review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "agreement")
    assert clients["sur-fp"].get(report_url(sur) + "@@publish", expect_errors=True).status_int == 403
    set_stage(portal, sur, "final")
    for kind in ("sur-expert", "rev-fp", "rev-expert", "secretariat", "third-fp", "observer", "admin"):
        assert clients[kind].get(report_url(sur) + "@@publish", expect_errors=True).status_int == 403, kind
        page = clients[kind].get("/", expect_errors=True)
        status = clients[kind].post(report_url(sur) + "@@publish", {"csrf_token": csrf_from(page), "whole": "1",
                                                                    "confirm": "1"}, expect_errors=True).status_int
        assert status == 403, kind
        status = clients[kind].post(report_url(sur) + "parts/summary/@@transition", {
            "csrf_token": csrf_from(page), "transition": "publish"}, expect_errors=True).status_int
        assert status == 403, kind
    assert {state for state, _t in parts_of(portal, sur).values()} == {"confidential"}


def test_r19_bad_input_changes_nothing(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "final")
    sur_fp = clients["sur-fp"]
    page = sur_fp.get(report_url(sur) + "@@publish")
    token = csrf_from(page)
    # A tampered part name, a forged form without the token, a replayed one with another session's token.
    assert sur_fp.post(report_url(sur) + "@@publish", {"csrf_token": token, "part": "../../checklist",
                                                       "confirm": "1"}, status=400)
    assert sur_fp.post(report_url(sur) + "@@publish", {"part": "summary", "confirm": "1"}, status=400)
    other = csrf_from(clients["rev-fp"].get("/"))
    assert sur_fp.post(report_url(sur) + "@@publish", {"csrf_token": other, "part": "summary", "confirm": "1"},
                       status=400)
    assert {state for state, _t in parts_of(portal, sur).values()} == {"confidential"}
    # Nothing chosen that differs from now: nothing happens, nothing is logged.
    sur_fp.post(report_url(sur) + "@@publish", {"csrf_token": token, "review": "1"}, status=303)
    with portal.root() as root:
        assert len(root["audit"]) == 0


def test_r19_the_audit_log_is_read_only_and_for_the_secretariat(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "final")
    confirm = choose(clients["sur-fp"], sur, {"summary"})
    last_form(confirm).submit("confirm", status=303)
    for kind in ("sur-fp", "rev-fp", "third-fp", "observer", "admin"):
        assert clients[kind].get("/audit/", expect_errors=True).status_int == 403, kind
    assert portal.client().get("/audit/").status_int == 303
    sec = clients["secretariat"]
    token = csrf_from(sec.get("/audit/"))
    for view in ("@@edit", "@@delete", "@@transition"):
        assert sec.post("/audit/" + view, {"csrf_token": token, "transition": "x"},
                        expect_errors=True).status_int in (400, 403, 404)
    with portal.root() as root:
        log = root["audit"]
        assert len(log) == 1 and log.records[1]["event"] == "publish" and log.records[1]["parts"] == ["summary"]


def test_r19_a_stale_or_empty_confirmation_is_refused_and_changes_nothing(portal, clients, review_parties):
    """The confirmation carries what it showed: a saved confirmation replayed after a withdrawal does not
    publish again, and a confirmation without one (a bare POST) withdraws nothing. Issue 16."""
    sur = review_parties[0]
    set_stage(portal, sur, "final")
    owner = clients["sur-fp"]
    saved = choose(owner, sur, {"summary"})  # the confirmation page, kept (as a browser's history does)
    last_form(saved).submit("confirm", status=303)
    assert {n for n, (state, _t) in parts_of(portal, sur).items() if state == "published"} == {"summary"}
    last_form(choose(owner, sur, set())).submit("confirm", status=303)  # withdrawn since
    replay = last_form(saved).submit("confirm", status=409)
    assert "changed since" in replay.text
    assert {state for state, _t in parts_of(portal, sur).values()} == {"confidential"}
    last_form(choose(owner, sur, {"summary"})).submit("confirm", status=303)  # published again, knowingly
    bare = owner.post(report_url(sur) + "@@publish", {"csrf_token": csrf_from(owner.get("/")), "confirm": "1"},
                      status=409)
    assert "changed since" in bare.text or "confirm" in bare.text
    assert parts_of(portal, sur)["summary"][0] == "published"
    french = owner.post(report_url(sur) + "@@publish", {"csrf_token": csrf_from(owner.get("/")), "confirm": "1"},
                        headers={"Accept-Language": "fr"}, status=409)
    assert 'lang="fr"' in french.text

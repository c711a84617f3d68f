"""The secretariat tracks the technical assistance provided against the needs of final reports (¶41): each need,
the State's own follow-up answer in its next review, a status with who provides it, and the history;
confidential to the secretariat; bad input is refused and changes nothing."""

from tests.conftest import csrf_from
from tests.cycle_fixtures import set_stage

URL = "/technical-assistance/"


def record(client, fields, expect=303):
    return client.post(URL + "@@record", {"csrf_token": csrf_from(client.get("/")), **fields}, status=expect)


def test_r13_follow_up_the_secretariat_tracks_assistance_provided_for_each_need(portal, clients, review_parties):
    from content.cycles import new_cycle
    from content.reviews import sync_reviews

    sur, reviewing, _third = review_parties
    sec = clients["secretariat"]
    assert "Nothing here yet." in sec.get(URL).text  # no final report, no need
    set_stage(portal, sur, "final")
    with portal.root() as root:
        needs = [f for f in root["cycles"]["first-cycle"]["reviews"][sur]["report"].findings() if f["kind"] == "ta-need"]
        assert needs
        key = f"first-cycle/{sur}/{needs[0]['id']}"
        # The State reviewed again in a second cycle says, in its follow-up, whether it received assistance.
        second = root["cycles"].add("second-cycle", new_cycle("Second review cycle", 2032, 2036))
        second.assignments[2032] = ({"under_review": sur, "instrument": "UNTOC", "reviewers": list(reviewing[:2])},)
        sync_reviews(second, 2032, "test")
        second["reviews"][sur]["checklist"].answers[f"follow-up-first-cycle-{needs[0]['id']}"] = {
            "progress": "partial", "assistance": "received", "provider": "UNODC and the Council of Europe",
            "period": "2030", "effect": "A workshop on mutual legal assistance was held.", "description": ""}
    page = sec.get(URL)
    assert needs[0]["text"] in page.text and "A workshop on mutual legal assistance was held." in page.text
    assert "Partly addressed" in page.text and "Received" in page.text and "Not yet addressed" in page.text
    assert "UNODC and the Council of Europe" in page.text and "2030" in page.text
    # Confidential like the reports: nobody but the secretariat opens or writes it.
    for kind in ("sur-fp", "rev-fp", "third-fp", "observer", "admin"):
        assert clients[kind].get(URL, expect_errors=True).status_int == 403, kind
        assert record(clients[kind], {"need": key, "status": "provided", "provider": "x"}, 403).status_int == 403
    assert portal.client().get(URL).status_int == 303
    # Bad input: an unknown need, an unknown status, assistance provided by nobody: refused, nothing stored.
    page = record(sec, {"need": f"first-cycle/{sur}/no-such-need", "status": "provided", "provider": "UNODC"}, 400)
    assert "not in any final report" in page.text
    page = record(sec, {"need": key, "status": "finished", "provider": "UNODC"}, 400)
    assert "Choose a status of the list." in page.text
    page = record(sec, {"need": key, "status": "provided", "provider": " ", "note": "Kept note"}, 400)
    assert "Say who provides the assistance." in page.text and "Kept note" in page.text  # nothing typed is lost
    with portal.root() as root:
        assert len(root["technical-assistance"].entries) == 0
    record(sec, {"need": key, "status": "planned", "provider": "", "note": "Mission in spring."})
    page = record(sec, {"need": key, "status": "provided", "provider": "UNODC", "note": ""}).follow()
    assert "Assistance provided" in page.text and "UNODC" in page.text
    with portal.root() as root:
        history = root["technical-assistance"].history(key)
        assert [(h["status"], h["who"]) for h in history] == [("planned", "sec"), ("provided", "sec")]

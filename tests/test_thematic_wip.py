"""Smoke test of the WIP thematic compilation (R23): a draft quotes only published findings."""

from tests.conftest import last_form
from tests.cycle_fixtures import set_stage


def test_r23_thematic_draft_quotes_only_published_findings(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "final")
    page = clients["secretariat"].get("/group/thematic/@@compile", params={"cycle": "first-cycle"})
    assert "Thematic compilation" in page.text
    form = last_form(page)
    form["cycle"] = "first-cycle"
    page = form.submit("draft").follow()
    with portal.root() as root:
        item = root["group"]["thematic"]["1"]
        secret = [f["text"] for f in root["cycles"]["first-cycle"]["reviews"][sur]["report"].findings()]
        for doc in item.documents():
            text = doc.original.text
            assert "finding" in text
            assert not any(s in text for s in secret)
    assert True

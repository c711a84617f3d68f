"""Issue 22 §5: the open data API, version 1 (docs/api.md): states with participation, cycles, a cycle's
schedule with reviewers and stages, published documents, as JSON and CSV, described by OpenAPI; the public
facts only (a review's stage, never its content; documents only once published)."""

import csv
import io

from tests.cycle_fixtures import set_stage


def test_the_open_data_api_gives_the_public_facts_as_json_and_csv(portal, clients, review_parties):
    from portal.scripts.demo_reviews import publish_parts, translate_summary

    sur, reviewing, _third = review_parties
    set_stage(portal, sur, "final")
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        translate_summary(review, "test", languages=("fr",))
        publish_parts(review, "test", names={"summary"})
        other = next(iso3 for iso3 in root["cycles"]["first-cycle"]["reviews"].keys() if iso3 != sur)
        kenya_parties = {i: root["states"]["KEN"].status(i) for i in ("UNTOC", "TIP", "SOM", "FIR")}
    set_stage(portal, other, "dialogue")
    anon = portal.client()
    spec = anon.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.") and "/cycles/{cycle}/reviews.csv" in spec["paths"]

    data = anon.get("/api/v1/states").json
    assert data["version"] == "1"
    kenya = next(s for s in data["states"] if s["iso3"] == "KEN")
    assert kenya["names"]["fr"] == "Kenya" and kenya["regional_group"] == "African"
    assert {i: p["status"] for i, p in kenya["participation"].items()} == kenya_parties
    table = list(csv.DictReader(io.StringIO(anon.get("/api/v1/states.csv").text)))
    row = next(r for r in table if r["iso3"] == "KEN")
    assert row["names.zh"] == "肯尼亚" and row["participation.UNTOC.status"] == kenya_parties["UNTOC"]
    assert len(table) == len(data["states"])

    assert [c["id"] for c in anon.get("/api/v1/cycles").json["cycles"]] == ["first-cycle"]
    schedule = anon.get("/api/v1/cycles/first-cycle/reviews").json["reviews"]
    mine = next(r for r in schedule if r["state"] == sur)
    assert mine["stage"] == "final" and reviewing[0] in {s for states in mine["reviewers"].values() for s in states}
    assert next(r for r in schedule if r["state"] == other)["stage"] == "dialogue"
    assert set(next(r for r in schedule if r["state"] == other)) == {"state", "year", "reviewers", "stage"}
    rows = list(csv.DictReader(io.StringIO(anon.get("/api/v1/cycles/first-cycle/reviews.csv").text)))
    assert len(rows) == len(schedule) and "reviewers.UNTOC" in rows[0]

    documents = anon.get("/api/v1/documents").json["documents"]
    with portal.root() as root:
        published = root["cycles"]["first-cycle"]["reviews"][sur]["report"]["summary"].published_languages()
    assert "fr" in published and len(published) < 6  # French and the original, not the drafts
    assert sorted((d["state"], d["kind"], d["language"] if d["kind"] == "executive-summary" else d["part"])
                  for d in documents) == sorted([(sur, "executive-summary", lang) for lang in published]
                                                + [(sur, "report-part", "summary")])
    assert not [d for d in documents if d["state"] == other]
    assert [d["finding_kind"] for d in documents if d["kind"] == "report-part"] == [None]  # a section, not a finding
    for d in documents:  # every listed document answers the public
        assert anon.get(d["url"].replace("http://localhost", "")).status_int == 200
    for bad in ("/api/v2/states", "/api/v1/", "/api/v1/nothing", "/api/v1/cycles/none/reviews", "/api"):
        anon.get(bad, status=404)

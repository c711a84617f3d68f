"""Issue 22 §4: an index of the published executive summaries by year of review and language (filtered by
language), alphabetical in the reader's language (R22), with only what the public may read."""

from tests.cycle_fixtures import set_stage


def test_the_index_of_published_summaries_by_year_and_language(portal, clients, review_parties):
    from portal.scripts.demo_reviews import translate_summary

    sur = review_parties[0]
    set_stage(portal, sur, "final")
    with portal.root() as root:
        reviews = root["cycles"]["first-cycle"]["reviews"]
        translate_summary(reviews[sur], "test", languages=("ar",))
        year, name = reviews[sur].year, root["states"][sur].name("en")
        other = next(iso3 for iso3 in reviews.keys() if iso3 != sur)
        other_name = root["states"][other].name("en")
        published = reviews[sur]["report"]["summary"].published_languages()
    set_stage(portal, other, "agreement")
    anon = portal.client()
    assert "@@summaries" in anon.get("/states/?lang=en").text
    page = anon.get("/@@summaries?lang=en")
    section = page.html.select_one("section")
    assert section.h2.get_text() == str(year)
    item = next(li for li in section.select("li") if name in li.get_text())
    assert sorted(a["hreflang"] for a in item.select("a[hreflang]")) == sorted(published)
    assert other_name not in page.text  # not final: no summary to list
    arabic = anon.get("/@@summaries?lang=en&language=ar").html
    assert [a["hreflang"] for a in arabic.select("main section a[hreflang]")] == ["ar"]
    missing = next(lang for lang in ("ru", "zh", "es") if lang not in published)
    assert "No executive summary is published in this language yet." in anon.get(
        f"/@@summaries?lang=en&language={missing}").text

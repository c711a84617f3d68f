"""Issue 22 §5: robots.txt names the sitemap and keeps crawlers out of private areas; sitemap.xml lists the
public pages with their six languages as hreflang alternates, and nothing the public may not read."""

from xml.etree import ElementTree

from tests.cycle_fixtures import CYCLE, set_stage

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def test_robots_and_a_sitemap_of_public_pages_only(portal, clients, review_parties):
    from portal.scripts.demo_reviews import publish_parts, translate_summary

    sur = review_parties[0]
    with portal.root() as root:
        other = next(iso3 for iso3 in root["cycles"]["first-cycle"]["reviews"].keys() if iso3 != sur)
    set_stage(portal, sur, "final")
    set_stage(portal, other, "dialogue")
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        translate_summary(review, "test", languages=("fr",))
        publish_parts(review, "test", names={"summary"})
    anon = portal.client()
    robots = anon.get("/robots.txt")
    assert robots.content_type == "text/plain"
    assert "Sitemap: http://localhost/sitemap.xml" in robots.text and "Disallow: /users/" in robots.text
    tree = ElementTree.fromstring(anon.get("/sitemap.xml").body)
    urls = [u.find("s:loc", NS).text for u in tree.findall("s:url", NS)]
    assert "http://localhost/" in urls and f"http://localhost/states/{sur}/" in urls
    assert f"http://localhost{CYCLE}" in urls
    summary = f"http://localhost{CYCLE}reviews/{sur}/report/summary/"
    assert summary + "fr/" in urls and summary + "ru/" not in urls  # published in French only (and its original)
    assert f"http://localhost{CYCLE}reviews/{sur}/report/parts/summary/" in urls
    assert not [u for u in urls if f"reviews/{other}" in u or u.endswith(f"reviews/{sur}/") or "/users/" in u]
    for url in urls:  # every public page answers the public, in each of its six languages
        alternates = tree.find(f"s:url[s:loc='{url}']", NS).findall("x:link", NS)
        assert sorted(a.get("hreflang") for a in alternates) == ["ar", "en", "es", "fr", "ru", "zh"]
    for url in urls[:40] + [u for u in urls if "reviews" in u]:
        assert anon.get(url.replace("http://localhost", ""), expect_errors=True).status_int == 200, url

"""Issue 22 §4: the cycle page counts the reviews per stage, per year and per regional group, as a table and
as an SVG chart with a text alternative, mirrored in Arabic; counts only, never a State's name (R22)."""

from xml.etree import ElementTree

from tests.cycle_fixtures import CYCLE, set_stage

SVG = "{http://www.w3.org/2000/svg}"


def test_the_cycle_page_counts_reviews_by_stage_per_year_and_group(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "dialogue")
    with portal.root() as root:
        reviews = root["cycles"]["first-cycle"]["reviews"]
        total, year = len(reviews), reviews[sur].year
        in_year = sum(1 for r in reviews.values() if r.year == year)
        names = [root["states"][iso3].name("en") for iso3 in reviews.keys()]
    page = portal.client().get(CYCLE + "?lang=en")
    glance = page.html.select_one("section.glance")
    tables = glance.select("table.counts")
    header = [th.get_text() for th in tables[0].select("thead th")]
    assert header[0] == "Year of review" and "Constructive dialogue" in header and header[-1] == "Total"
    row = next(tr for tr in tables[0].select("tbody tr") if tr.th.get_text() == str(year))
    cells = [int(td.get_text()) for td in row.select("td")]
    assert cells[-1] == in_year and cells[header.index("Constructive dialogue") - 1] == 1
    assert sum(int(tr.select("td")[-1].get_text()) for tr in tables[1].select("tbody tr")) == total
    charts = glance.select("svg")
    assert len(charts) == 2
    svg = ElementTree.fromstring(str(charts[0]))
    assert svg.get("role") == "img" and "Constructive dialogue 1" in svg.find(f"{SVG}desc").text
    # R22: counts only; the chart and the table name no State.
    assert not [name for name in names if name in glance.get_text() or name in str(charts)]
    # Arabic: the bars start on the right.
    arabic = portal.client().get(CYCLE + "?lang=ar").html.select_one("section.glance svg")
    bars = [float(r["x"]) + float(r["width"]) for r in arabic.select("rect") if r.get("height") == "20"]
    english = [float(r["x"]) for r in charts[0].select("rect") if r.get("height") == "20"]
    assert bars and min(english) >= 260 and max(bars) <= 720 - 260

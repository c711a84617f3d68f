"""Issue 22 §3: a State's public page says, per cycle, the year of its review, its reviewing States per
instrument and the stage, and which States it reviews; the public learns the stage and nothing more, and only
those who take part get a link to the review (R18)."""

from tests.cycle_fixtures import CYCLE, set_stage


def profile(client, iso3):
    page = client.get(f"/states/{iso3}?lang=en")
    return page, page.html.select_one("section.reviews")


def test_a_states_page_shows_its_review_year_reviewers_and_stage_and_nothing_more(portal, clients, review_parties):
    sur, reviewing, third = review_parties
    set_stage(portal, sur, "dialogue")
    with portal.root() as root:
        cycle = root["cycles"]["first-cycle"]
        year = next(y for y, states in cycle.schedule.items() if sur in states)
        names = {iso3: root["states"][iso3].name("en") for iso3 in reviewing}
        question = root["cycles"]["first-cycle"]["reviews"][sur]["dialogue"]
        secrets = [m["text"] for q in question.values() for m in q.messages]
    page, section = profile(portal.client(), sur)
    row = section.select_one("tbody tr")
    cells = [" ".join(td.get_text().split()) for td in row.select("td")]
    assert cells[1] == str(year) and cells[3] == "Constructive dialogue"
    assert all(name in cells[2] for name in names.values()) and "Convention" in cells[2]
    assert row.select_one(f'a[href$="{CYCLE}reviews/{sur}/"]') is None  # the public: the stage, no link
    assert all(secret not in page.text for secret in secrets if secret)
    _page, mine = profile(clients["sur-fp"], sur)
    assert mine.select_one(f'a[href$="{CYCLE}reviews/{sur}/"]') is not None
    # The reviewing State's page names the State it reviews, that year.
    _page, theirs = profile(portal.client(), reviewing[0])
    assert f"{year}:" in theirs.get_text() and portal.client().get(f"/states/{sur}?lang=en").html.select_one("h1").get_text() \
        in theirs.get_text()
    # A State neither reviewed nor reviewing in any cycle has no such section.
    with portal.root() as root:
        cycle = root["cycles"]["first-cycle"]
        scheduled = {s for states in cycle.schedule.values() for s in states}
        drawn = {r for y in cycle.assignments for a in cycle.assignments[y] for r in a["reviewers"]}
        outside = next(s for s in sorted(root["states"].keys()) if s not in scheduled | drawn)
    assert profile(portal.client(), outside)[1] is None


def test_the_states_list_filters_by_name_group_and_instrument(portal, anon):
    def shown(**params):
        page = anon.get("/states/", {"lang": "en", **params})
        return [a.get_text() for a in page.html.select("table tbody td:first-child a")], page

    everyone, page = shown()
    assert len(everyone) >= 190 and "States shown: %d" % len(everyone) in page.text
    names, _page = shown(q="kenya")
    assert names == ["Kenya"]
    assert shown(q="KEN")[0] == ["Kenya"]  # the code
    assert "Kenya" in shown(q="Кения")[0]  # a name in another language
    african, page = shown(group="African")
    assert "Kenya" in african and "France" not in african and len(page.html.select("section h2")) == 1
    with portal.root() as root:
        parties = {s.name("en") for s in root["states"].values() if s.is_party("FIR")}
        others = {s.name("en") for s in root["states"].values() if not s.is_party("FIR")}
    firearms = set(shown(instrument="FIR")[0])
    assert firearms == parties and not firearms & others
    none, page = shown(q="no such state", group="African")
    assert none == [] and "No State matches these filters." in page.text
    assert shown(group="<script>", instrument="XYZ")[0] == everyone  # unknown values filter nothing

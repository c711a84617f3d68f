"""Fixtures shared by the cycle, review and checklist tests: a recorded cycle, its selection drawn, its first
year's reviewers drawn, one review with a client for every kind of principal around it."""

import pytest

from tests.conftest import csrf_from, last_form, set_localized


NO_GROUP = ("COK", "EUE", "NIU", "VAT")


def add_cycle(client, name="first-cycle", first=2027, last=2031, per_year="", status=303):
    page = client.get("/cycles/@@add")
    form = last_form(page)
    form["name"] = name
    set_localized(form, "title", "First review cycle")
    form["decision_ref"] = "CTOC/COP/2026/1"
    form["first_year"] = str(first)
    form["last_year"] = str(last)
    form["per_year"] = per_year
    set_localized(form, "UNTOC", "Articles 5, 6, 8, 23")
    set_localized(form, "themes", "Criminalization\nInternational cooperation")
    return form.submit("save", status=status)


def post(client, url, status=303, **fields):
    page = client.get(url.rsplit("/@@", 1)[0] + "/")
    return client.post(url, {"csrf_token": csrf_from(page), **fields}, status=status)


def relax(client, code, status=303):
    page = client.get("/cycles/first-cycle/@@relax")
    form = last_form(page)
    form["code"] = code
    set_localized(form, "justification", "No regional group: decided by the Bureau.")
    return form.submit("save", status=status)


def run_selection(secretariat):
    add_cycle(secretariat)
    post(secretariat, "/cycles/first-cycle/@@prepare-selection")
    post(secretariat, "/cycles/first-cycle/draws/1/@@run")


def run_reviewer_draw(secretariat):
    for code in NO_GROUP:
        relax(secretariat, f"R6:{code}")
    post(secretariat, "/cycles/first-cycle/@@prepare-reviewers")
    post(secretariat, "/cycles/first-cycle/draws/2/@@run")


@pytest.fixture(scope="session")
def world_builder(tmp_path_factory):
    """``world_builder(kind)``: the folder of a database with the ``selected`` or ``drawn`` world, built
    the first time it is asked for, through the web like the fixtures below, then closed for copying."""
    from portal import main
    from tests.conftest import Portal, file_uri, make_settings, sign_in

    built = {}

    def build(kind):
        if kind not in built:
            directory = tmp_path_factory.mktemp(f"world-{kind}")
            world = Portal(main({}, **make_settings(**{"zodbconn.uri": file_uri(directory)})))
            try:
                world.add_user("sec", function="secretariat", state=None)
                client = world.client()
                sign_in(client, "sec")
                run_selection(client)
                if kind == "drawn":
                    run_reviewer_draw(client)
            finally:
                world.db.close()
            built[kind] = directory
        return built[kind]

    return build


@pytest.fixture
def secretariat(portal, signed_in):
    """The secretariat's signed-in client (its account comes with a copied world, or is made now)."""
    from tests.conftest import sign_in

    with portal.root() as root:
        exists = "sec" in root["users"]
    if not exists:
        return signed_in("sec", function="secretariat", state=None)
    client = portal.client()
    sign_in(client, "sec")
    return client


def _draws(portal):
    with portal.root() as root:
        cycle = root["cycles"].get("first-cycle")
        return len(cycle["draws"]) if cycle is not None else 0


@pytest.fixture
def selected(portal, secretariat):
    """A cycle whose selection draw has been run."""
    if _draws(portal) < 1:
        run_selection(secretariat)
    return secretariat


def cycle_of(portal):
    with portal.root() as root:
        c = root["cycles"]["first-cycle"]
        return c.workflow_state, {y: tuple(s) for y, s in c.schedule.items()}, dict(c.assignments)


@pytest.fixture
def drawn(portal, selected):
    """The first year's reviewers drawn (with the relaxations for the states outside any group)."""
    if _draws(portal) < 2:
        run_reviewer_draw(selected)
    return selected


def file_request(client, kind, year, justification="We have elections that year.", under_review="", state=None,
                 status=303):
    page = client.get("/cycles/first-cycle/@@request")
    form = last_form(page)
    form["kind"] = kind
    form["year"] = str(year)
    form["justification"] = justification
    if under_review:
        form["under_review"] = under_review
    if state:
        form["state"] = state
    return form.submit("file", status=status)


def decide(client, path, decision="grant", volunteer="", exceptional="", status=303):
    form = last_form(client.get(path + "@@decide"))
    form["decision"] = decision
    form["volunteer"] = volunteer
    form["exceptional"] = exceptional
    return form.submit("decide", status=status)


CYCLE = "/cycles/first-cycle/"
from portal.scripts.demo_reviews import STAGES  # noqa: E402  (every stage of a review, final included)


@pytest.fixture
def review_parties(portal, drawn):
    """``(state under review, its reviewing states, a third state)`` for a review of the first year."""
    _, schedule, assignments = cycle_of(portal)
    year = min(schedule)
    sur = schedule[year][0]
    reviewing = sorted({r for a in assignments[year] if a["under_review"] == sur for r in a["reviewers"]})
    third = next(s for s in sorted(schedule[year + 1]) if s not in reviewing and s != sur)
    return sur, reviewing, third


@pytest.fixture
def clients(signed_in, drawn, review_parties):
    """Signed-in clients of every kind of principal, around one review."""
    sur, reviewing, third = review_parties
    rev = reviewing[0]
    return {
        "anonymous": None,
        "sur-fp": signed_in("sur-fp", "focal-point", sur),
        "sur-expert": signed_in("sur-x", "expert", sur),
        "rev-fp": signed_in("rev-fp", "focal-point", rev),
        "rev-expert": signed_in("rev-x", "expert", rev),
        "third-fp": signed_in("third-fp", "focal-point", third),
        "third-expert": signed_in("third-x", "expert", third),
        "observer": signed_in("obs", "observer", None),
        "admin": signed_in("adm", "admin", None),
        "secretariat": drawn,
    }


def set_stage(portal, sur, stage):
    from portal.scripts.demo_reviews import bring_to_stage

    with portal.root() as root:
        bring_to_stage(root["cycles"]["first-cycle"]["reviews"][sur], stage, "test")


def reviewer_loads(assignments, year):
    """``{reviewing State: {States it reviews}}`` in ``year``."""
    loads = {}
    for a in assignments[year]:
        for r in a["reviewers"]:
            loads.setdefault(r, set()).add(a["under_review"])
    return loads

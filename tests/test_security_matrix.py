"""The security matrix (issue 5): principal kind x resource x workflow state x view of the demo world,
computed from the workflow definitions, equals the reviewed golden file; a sample of its cells is what
the web app answers; and changing one ACE in a workflow definition changes exactly the expected cells.

After reviewing a change of the matrix, regenerate the golden file with
``python -m portal.scripts.security_matrix tests/data/security_matrix.json``.
"""

import json
import pathlib

import pytest
from pyramid.traversal import resource_path

from portal import main
from portal.scripts import security_matrix as sm
from portal.scripts.demo import DEMO_PASSWORD
from workflows import permissions as P
from workflows import roles as R
from workflows.definitions.country_review import COUNTRY_REVIEW, REPORT_ROLES

from .conftest import Portal, file_uri, make_settings, sign_in

GOLDEN = pathlib.Path(__file__).parent / "data" / "security_matrix.json"
REGENERATE = "python -m portal.scripts.security_matrix tests/data/security_matrix.json"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The demo world (with ``security_matrix.prepare``'s additions) on a FileStorage, built once."""
    directory = tmp_path_factory.mktemp("security-matrix")
    portal = Portal(main({}, **make_settings(**{"zodbconn.uri": file_uri(directory), "portal.page_cache": "false"})))
    with portal.root() as root:
        sm.prepare(root)
    yield portal
    portal.db.close()


def compute(world):
    with world.root() as root:
        return sm.compute(root, world.registry)


@pytest.fixture(scope="module")
def golden():
    return [list(cell) for cell in json.loads(GOLDEN.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def cells(world):
    return compute(world)


def changes(before, after):
    """``{(kind, state, principal kind, view): (allowed before, allowed after)}`` of the differing cells."""
    old = {tuple(c[:4]): c[4] for c in before}
    new = {tuple(c[:4]): c[4] for c in after}
    return {key: (old.get(key), new.get(key)) for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def test_the_security_matrix_equals_the_reviewed_golden_file(cells, golden):
    differing = changes(golden, cells)
    if differing:
        lines = [f"  {list(key)}: golden {old}, now {new}" for key, (old, new) in sorted(differing.items())[:30]]
        pytest.fail(f"{len(differing)} cell(s) of the security matrix differ from {GOLDEN.name} "
                    f"(first 30; None = no such cell):\n" + "\n".join(lines) +
                    f"\nIf the change is intended, review it, then regenerate the golden file: {REGENERATE}")
    assert cells == golden  # also the order and the absence of duplicates


def test_the_matrix_covers_every_stage_kind_and_principal(golden):
    pairs = {(c[0], c[1]) for c in golden}
    for stage in ("scheduled", "checklist", "desk-review", "dialogue", "drafting", "agreement", "final"):
        for kind in ("review", "review/checklist", "review/dialogue", "review/assistance", "review/report",
                     "review/access-requests"):
            assert (kind, stage) in pairs
    for state in ("requested", "granted", "refused", "withdrawn", "revoked"):
        assert ("review/access-requests/request", f"final/{state}") in pairs
    assert {("review/report/parts/part", "final/published"), ("review/report/parts/part", "final/confidential"),
            ("review/dialogue/question/attachment", "final")} <= pairs
    principals = {c[2] for c in golden}
    assert {"anonymous", "secretariat", "admin", "observer", "sur-fp", "sur-expert", "rev-fp", "rev-expert",
            "third-fp", "third-expert", "requester-fp", "grantee-expert"} <= principals
    assert {"", "json", "history", "transition"} <= {c[3] for c in golden}


# -- what the web app answers --------------------------------------------------------------------------

def http_sample(world, golden):
    """Per (kind, state) and for "" and "json" (GET views only): one allowed principal kind, one denied
    signed-in one, and anonymous when denied; the choice rotates so that many principal kinds are tried."""
    with world.root() as root:
        views = sm.registered_views(world.registry)
        places = {(kind, state): (resource_path(resource).rstrip("/") + "/", logins,
                                  sm.views_for(resource, views))
                  for kind, state, resource, logins in sm.representatives(root)}
    table = {}
    for kind, state, who, view, allowed in golden:
        table.setdefault((kind, state, view), []).append((who, allowed))
    sample = []
    for n, ((kind, state), (path, logins, found)) in enumerate(sorted(places.items())):
        for view in ("", "json"):
            if view not in found or found[view][1]:
                continue  # no such view here, or a POST-only one
            entries = table[(kind, state, view)]
            allowed = [who for who, ok in entries if ok and who != "anonymous"]
            denied = [who for who, ok in entries if not ok and who != "anonymous"]
            picks = [(allowed[n % len(allowed)], True)] if allowed else []
            picks += [(denied[n % len(denied)], False)] if denied else []
            picks += [("anonymous", ok) for who, ok in entries if who == "anonymous"]
            for who, ok in picks:
                url = path if view == "" else path + "@@" + view
                sample.append((kind, state, who, view, ok, url, logins[who]))
    return sample


def test_the_web_app_enforces_a_sample_of_the_matrix(world, golden):
    sample = http_sample(world, golden)
    pairs = {(kind, state) for kind, state, *_rest in golden}
    assert {(s[0], s[1]) for s in sample} == pairs
    assert {ok for *_rest, ok, _url, _login in sample} == {True, False}
    clients = {}

    def client_for(login):
        if login not in clients:
            client = world.client(REMOTE_ADDR=f"192.0.2.{10 + len(clients)}")
            if login is not None:
                sign_in(client, login, password=DEMO_PASSWORD)
            clients[login] = client
        return clients[login]

    wrong = []
    for kind, state, who, view, ok, url, login in sample:
        response = client_for(login).get(url, expect_errors=True)
        if ok:
            expected = 200
        elif login is None and view == "":
            expected = 303
        else:
            expected = 403
        fine = response.status_int == expected
        if fine and expected == 303:
            fine = "@@login" in response.headers.get("Location", "")
        if not fine:
            wrong.append(f"{[kind, state, who, view, ok]} GET {url} as {login}: {response.status}, expected {expected}")
    assert not wrong, f"{len(wrong)} of {len(sample)} requests disagree with the matrix:\n" + "\n".join(wrong[:30])


# -- a changed ACE changes exactly the expected cells --------------------------------------------------

def test_removing_one_ace_from_the_final_report_changes_exactly_its_cells(world, golden, monkeypatch):
    """Reviewing experts lose view on the final report (REPORT_ROLES["final"]): they can no longer open
    the report or list its parts; nothing else changes (the published parts have their own ACL)."""
    final = REPORT_ROLES["final"]
    monkeypatch.setitem(final, R.REVIEWER_EXPERT, final[R.REVIEWER_EXPERT] - {P.VIEW})
    try:
        mutated = compute(world)
    finally:
        monkeypatch.undo()
    expected = {("review/report", "final", "rev-expert", view): (True, False) for view in ("", "json", "pdf", "transition")}
    expected.update({("review/report/parts", "final", "rev-expert", view): (True, False)
                     for view in ("json", "transition")})
    assert changes(golden, mutated) == expected
    assert compute(world) == golden  # the definition is restored


def test_adding_one_ace_to_the_dialogue_stage_changes_exactly_its_cells(world, golden, monkeypatch):
    """Every signed-in user gets view on reviews in the constructive dialogue (COUNTRY_REVIEW's
    "dialogue" stage): the review page and its schedule open to those taking no part (a national stakeholder
    too), but none of its parts does."""
    roles = COUNTRY_REVIEW.states["dialogue"].roles
    monkeypatch.setitem(roles, R.AUTHENTICATED, {P.VIEW})
    try:
        mutated = compute(world)
    finally:
        monkeypatch.undo()
    expected = {("review", "dialogue", who, view): (False, True)
                for who in ("admin", "observer", "third-fp", "third-expert", "stakeholder")
                for view in ("", "json", "transition", "schedule")}
    assert changes(golden, mutated) == expected
    assert R.AUTHENTICATED not in COUNTRY_REVIEW.states["dialogue"].roles


def test_no_principal_kind_of_the_reference_review_is_a_donor(world):
    """The draw is random: a donor State (¶52) taking part in the reference review would read its funding records as
    ``sur``, ``rev`` or ``third`` and flip cells that have nothing to do with the review. The reference review and
    the third State are chosen among the others."""
    with world.root() as root:
        donors = sm._donors(root)
        reference = sm._reference(root)
        assert donors and not donors & set(sm._people(root, reference).values())

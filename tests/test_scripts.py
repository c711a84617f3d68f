"""Console scripts: portal-init (first administrator, no default password), portal-demo (development only, idempotent), portal-evolve."""

from datetime import date

import pytest
from ZODB import DB
from ZODB.FileStorage import FileStorage

from portal.scripts import demo, evolve, init
from portal.scripts.demo_reviews import DEMO_SUMMARIES

INI = """
[app:main]
use = egg:review-portal
portal.development = {development}
portal.session_secret = test-secret-0123456789-0123456789-0123456789
zodbconn.uri = file://{path}/Data.fs?blobstorage_dir={path}/blobs
mail.mode = dummy
search.defer_text = true
"""


@pytest.fixture
def ini(tmp_path):
    def make(development="true"):
        path = tmp_path / f"portal-{development}.ini"
        path.write_text(INI.format(development=development, path=tmp_path))
        return str(path)

    return make


def read_root(tmp_path):
    db = DB(FileStorage(str(tmp_path / "Data.fs"), read_only=True))
    try:
        conn = db.open()
        root = conn.root()["portal"]
        users = {login: (u.function, u.workflow_state) for login, u in root["users"].items()}
        generation = root.generation
        conn.close()
        return users, generation
    finally:
        db.close()


def test_portal_init_creates_database_and_admin(ini, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", "a strong administrator passphrase")
    assert init.main([ini()]) == 0
    users, generation = read_root(tmp_path)
    assert users == {"admin": ("admin", "active")}
    assert generation >= 2
    # Running again changes nothing.
    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", "another strong passphrase")
    assert init.main([ini()]) == 0
    assert read_root(tmp_path)[0] == users


def test_portal_init_has_no_default_password(ini, monkeypatch):
    monkeypatch.delenv("PORTAL_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(SystemExit) as info:
        init.main([ini()])
    assert "PORTAL_ADMIN_PASSWORD" in str(info.value)


def test_portal_init_refuses_a_weak_password(ini, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", "short")
    with pytest.raises(SystemExit) as info:
        init.main([ini()])
    assert "12 characters" in str(info.value)
    assert read_root(tmp_path)[0] == {}


def test_admin_from_portal_init_can_sign_in(ini, tmp_path, monkeypatch):
    from webtest import TestApp

    from portal import main

    from .conftest import sign_in

    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", "a strong administrator passphrase")
    init.main([ini()])
    app = main({}, **{"portal.session_secret": "s" * 40, "zodbconn.uri": f"file://{tmp_path}/Data.fs", "mail.mode": "dummy"})
    try:
        client = TestApp(app)
        sign_in(client, "admin", "a strong administrator passphrase")
        assert client.get("/users/@@json").status_int == 200
    finally:
        app.registry._zodb_databases[""].close()


def test_portal_demo_refuses_a_non_development_configuration(ini):
    with pytest.raises(SystemExit) as info:
        demo.main([ini(development="false")])
    assert "portal.development" in str(info.value)


def test_portal_demo_is_idempotent(ini, tmp_path, capsys):
    assert demo.main([ini()]) == 0
    users, _ = read_root(tmp_path)
    db = DB(FileStorage(str(tmp_path / "Data.fs"), read_only=True))
    try:  # with deferred text indexing, the command indexed its words before it ended (docs/search.md)
        catalog = db.open().root()["portal"].catalog
        assert len(catalog) > 500 and not catalog.stale
    finally:
        db.close()
    assert {"admin", "secretariat", "observer", "ken-fp", "ken-expert", "fra-fp", "eue-fp"} <= set(users)
    assert users["ken-fp"] == ("focal-point", "active")
    assert users["observer"] == ("observer", "active")
    assert "prk-fp" in users and "tuv-fp" not in users  # Tuvalu is not a party in the data
    count = len(users)
    stakeholders = sum(1 for function, _state in users.values() if function == "stakeholder")  # ¶27
    assert count - stakeholders == 3 + 2 * 193 and stakeholders >= 4
    demo.main([ini()])
    assert len(read_root(tmp_path)[0]) == count
    assert "0 demo account(s) created" in capsys.readouterr().out
    # The demo cycle's first-year reviews are in every stage and every working language (issue 4).
    db = DB(FileStorage(str(tmp_path / "Data.fs"), read_only=True))
    try:
        reviews = list(db.open().root()["portal"]["cycles"]["first-cycle"]["reviews"].values())
        assert len(reviews) == 39
        assert {r.workflow_state for r in reviews} == {"scheduled", "checklist", "desk-review", "dialogue",
                                                      "drafting", "agreement", "final"}
        final = [r for r in reviews if r.workflow_state == "final"]
        assert len(final) >= 2
        for review in final:  # final reports with findings of every kind, agreed by every party (R16)
            report = review["report"]
            assert {f["kind"] for f in report.findings()} == {"success", "good-practice", "challenge",
                                                              "observation", "ta-need"}
            assert report.missing_agreements() == []
        published = sorted(sum(p.published for p in r["report"]["parts"].values()) * 100
                           // len(r["report"]["parts"]) for r in final)
        assert published[0] == 0 and published[-1] == 100 and any(0 < p < 100 for p in published)  # R19
        # Executive summaries (R21): in six languages, written in the review's language; one still in translation.
        summaries = [r["report"]["summary"] for r in final]
        assert all(s.original_language == s.__parent__.review.language for s in summaries)
        assert sum(len(s.published_languages()) == 6 for s in summaries) == len(final) - 1
        assert {v.workflow_state for s in summaries for v in s.values()} == {"draft", "translated", "published"}
        assert {s["zh"].text for s in summaries if s["zh"].published} == {DEMO_SUMMARIES["zh"]}
        translations = [t for r in reviews for t in r["translation-requests"].values()]  # ¶48, ¶49
        assert {t.workflow_state for t in translations} == {"requested", "delivered"}
        assert any(t.further for t in translations) and all(t.delivered_files() for t in translations
                                                            if t.workflow_state == "delivered")
        requests = [a for r in final for a in r["access-requests"].values()]
        assert {a.workflow_state for a in requests} == {"requested", "granted", "refused", "withdrawn", "revoked"}
        dialogue = [q for r in reviews for q in r["dialogue"].values()]
        assert {q.workflow_state for q in dialogue} == {"open", "answered"}
        assert {r["visit"].workflow_state for r in reviews if "visit" in r} == {"agreed", "held"}
        assert {r.language for r in reviews} == {None, "ar", "zh", "en", "fr", "ru", "es"}
        assert all(r.language for r in reviews if r.workflow_state != "scheduled")
        # Issue 7: a closed pilot cycle with its thematic report, meetings, recommendations and decisions; the
        # first cycle's checklists of the pilot's States carry its follow-up (¶41).
        portal = db.open().root()["portal"]
        pilot = portal["cycles"]["pilot-cycle"]
        assert pilot.workflow_state == "closed" and {r.workflow_state for r in pilot["reviews"].values()} == {"final"}
        follow_ups = [r for r in reviews if getattr(r["checklist"], "follow_up", None)]
        assert sorted(r.state for r in follow_ups) == sorted(pilot["reviews"].keys())
        thematic = portal["group"]["thematic"]["1"]
        assert thematic.cycle_name == "pilot-cycle" and len(thematic.documents()) >= 2
        assert thematic.documents()[0].published_languages() == ["en", "fr"]
        meetings = portal["group"]["meetings"]
        assert sorted(m.year for m in meetings.values()) == list(range(2023, date.today().year + 1))
        states = {r.workflow_state for m in meetings.values() for r in m.values()}
        assert states == {"draft", "adopted", "approved"}
        decisions = {d.kind for d in portal["conference"].values()}
        assert decisions == {"cycle", "approval", "assessment"}
        annex = next(d.annex for d in portal["conference"].values() if d.kind == "assessment")
        assert annex["completed"] == annex["reviews"] == 6 and annex["timed"] == 6
        assert len(portal["technical-assistance"].entries) >= 2
    finally:
        db.close()


def test_portal_evolve_reports_generation(ini, tmp_path, capsys):
    assert evolve.main([ini(), "--dry-run"]) == 0
    assert "generation" in capsys.readouterr().out



def test_r24_every_page_of_the_demo_group_and_conference_renders(ini):
    """The demo world's pilot cycle, thematic report, meetings, decisions and assistance tracking open without
    error for the public and for the secretariat, in English and Arabic; the public never sees the tracker."""
    import re

    from pyramid.paster import get_app
    from webtest import TestApp

    path = ini()
    demo.main([path])
    app = get_app(path)
    anonymous, secretariat = TestApp(app), TestApp(app)
    from tests.conftest import last_form

    form = last_form(secretariat.get("/@@login"))
    form["login"], form["password"] = "secretariat", demo.DEMO_PASSWORD
    form.submit(status=303)
    prefixes = ("/group/", "/conference/", "/technical-assistance/", "/cycles/pilot-cycle/")
    for client, limit in ((anonymous, 80), (secretariat, 160)):
        seen, queue = set(), list(prefixes) + ["/@@dashboard"]
        while queue and len(seen) < limit:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            for lang in ("en", "ar"):
                page = client.get(url, params={"lang": lang}, expect_errors=True)
                assert page.status_int < 500, (url, page.status)
            if page.status_int != 200 or "html" not in page.content_type:
                continue
            for href in re.findall(r'href="([^"#?]+)"', page.text):
                href = href.replace("http://localhost", "")
                if href.startswith(prefixes) and "@@" not in href:
                    queue.append(href)
        assert len(seen) > 20
    assert anonymous.get("/technical-assistance/").status_int == 303
    page = secretariat.get("/technical-assistance/", params={"lang": "en"})
    assert "Legislative drafting workshop (demonstration)." in page.text
    assert "Annex: overview of the cycle" in anonymous.get("/conference/3/", params={"lang": "en"}).text
    app.registry.text_indexer.stop()  # its thread must not wake on a database closed at the end of the session
    app.registry._zodb_databases[""].close()


def test_portal_reindex_rebuilds_a_lost_search_index(ini, tmp_path, monkeypatch, capsys):
    """``portal-reindex`` (docs/search.md) makes the index again from the tree, the same as the migration made."""
    import transaction

    from content.catalog import SearchCatalog
    from portal.scripts import reindex

    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", "a strong administrator passphrase")
    assert init.main([ini()]) == 0
    db = DB(FileStorage(str(tmp_path / "Data.fs")))
    try:
        connection = db.open()
        root = connection.root()["portal"]
        made = sorted(entry.key for entry in root.catalog.entries.values())
        assert len(made) > 190  # the States' pages at least
        root.catalog = SearchCatalog()
        transaction.commit()
        connection.close()
    finally:
        db.close()
    assert reindex.main([ini()]) == 0
    assert f"indexed {len(made)} documents" in capsys.readouterr().out
    db = DB(FileStorage(str(tmp_path / "Data.fs"), read_only=True))
    try:
        root = db.open().root()["portal"]
        assert sorted(entry.key for entry in root.catalog.entries.values()) == made
    finally:
        db.close()

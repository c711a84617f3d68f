"""Storage: the tree built at startup, BTree folders, ordered evolve steps, conflicts retried, and a real ZEO server."""

import uuid
from datetime import datetime

import pytest
import transaction
import zodburi
import ZODB
from BTrees.OOBTree import OOBTree
from ZEO.ClientStorage import ClientStorage

from content import evolve as evolve_module
from content.evolve import STEPS, evolve, latest_generation, pending, step
from content.folder import Folder
from portal import main
from portal.storage import ROOT_KEY

from . import conflict_views
from .conftest import Portal, make_settings
from .zeo_server import running_zeo

TEST_VIEWS = {"pyramid.includes": "tests.conflict_views"}


# -- fixtures -----------------------------------------------------------------------------


@pytest.fixture
def open_portal():
    """``open_portal(uri, **settings)``: a ``Portal`` whose database is closed after the test."""
    opened = []

    def factory(uri="memory://", **overrides):
        portal = Portal(main({}, **make_settings(**{"zodbconn.uri": uri, **overrides})))
        opened.append(portal)
        return portal

    yield factory
    for portal in opened:
        portal.db.close()


@pytest.fixture(scope="module")
def zeo_server(tmp_path_factory):
    """A ``runzeo`` subprocess serving a fresh FileStorage; ``(host, port)``."""
    with running_zeo(tmp_path_factory.mktemp("zeo")) as address:
        yield address


def zeo_uri(address):
    host, port = address
    return f"zeo://{host}:{port}?wait_timeout=10"


@pytest.fixture(params=["memory", "zeo", "relstorage"])
def storage_uri(request, tmp_path):
    if request.param == "memory":
        return "memory://"
    if request.param == "relstorage":
        return new_relstorage_uri(request, tmp_path)
    return zeo_uri(request.getfixturevalue("zeo_server"))


def new_relstorage_uri(request, tmp_path, cache="blob-cache"):
    """A new, empty PostgreSQL database for this test (skipped without PostgreSQL, failed in CI)."""
    postgres = request.getfixturevalue("postgres")
    name = postgres.create_database()
    request.addfinalizer(lambda: postgres.drop_database(name))
    return postgres.uri(name, tmp_path / cache)


@pytest.fixture
def calls():
    conflict_views.CALLS.clear()
    yield conflict_views.CALLS
    conflict_views.CALLS.clear()


def open_connection(db):
    """``(tm, conn)``: a connection with its own explicit transaction manager."""
    tm = transaction.TransactionManager(explicit=True)
    return tm, db.open(transaction_manager=tm)


# -- a. the tree built on first run -------------------------------------------------------


def test_first_run_builds_the_tree_of_design_section_2(open_portal):
    portal = open_portal()
    with portal.root() as root:
        assert {"states", "experts", "cycles", "group", "trainings", "users"} <= set(root.keys())
        assert set(root["group"].keys()) == {"meetings", "thematic"}
        for name in ("states", "experts", "cycles", "group", "trainings", "users"):
            assert isinstance(root[name], Folder)
            assert root[name].__parent__ is root and root[name].__name__ == name
        assert root.generation == latest_generation()
        assert [entry["generation"] for entry in root.evolve_log] == sorted(STEPS)
        ken = root["states"]["KEN"]
        assert ken.names["en"] == "Kenya"
    response = portal.client().get("/states/KEN", status=200)
    assert "Kenya" in response.text


@pytest.mark.parametrize("kind", ["file", "relstorage"])
def test_restart_applies_only_new_steps(kind, open_portal, tmp_path, monkeypatch, request):
    uri = f"file://{tmp_path}/var/Data.fs" if kind == "file" else new_relstorage_uri(request, tmp_path)
    first = open_portal(uri)
    with first.root() as root:
        log_length = len(root.evolve_log)
    first.db.close()

    again = open_portal(uri)
    with again.root() as root:
        assert root.generation == latest_generation()
        assert len(root.evolve_log) == log_length
    again.db.close()

    new = latest_generation() + 1
    monkeypatch.setitem(STEPS, new, (lambda root: root["cycles"].add("added-at-startup", Folder()), "a new step"))
    upgraded = open_portal(uri)
    with upgraded.root() as root:
        assert root.generation == new
        assert "added-at-startup" in root["cycles"]
        assert root.evolve_log[-1]["generation"] == new
        assert len(root.evolve_log) == log_length + 1


# -- b. folders ---------------------------------------------------------------------------


def test_folder_is_btree_backed_and_counts():
    folder = Folder()
    assert isinstance(folder.data, OOBTree)
    assert len(folder) == 0 and bool(folder)
    for name in ("b", "a", "c"):
        child = folder.add(name, Folder())
        assert child.__name__ == name and child.__parent__ is folder
    assert len(folder) == 3
    removed = folder.remove("b")
    assert removed.__parent__ is None
    assert len(folder) == 2 and "b" not in folder
    with pytest.raises(KeyError):
        folder.remove("b")
    assert len(folder) == 2
    assert list(folder.keys()) == ["a", "c"]


def test_folder_pages_in_key_order():
    folder = Folder()
    names = [f"item-{i:03d}" for i in range(25)]
    for name in reversed(names):
        folder.add(name, Folder())

    total, first = folder.page(0, 10)
    assert total == 25
    assert [name for name, _ in first] == names[:10]
    assert all(child is folder[name] for name, child in first)

    total, middle = folder.page(10, 10)
    assert total == 25 and [name for name, _ in middle] == names[10:20]

    total, last = folder.page(20, 10)
    assert total == 25 and [name for name, _ in last] == names[20:]
    assert len(last) == 5

    assert folder.page(30, 10) == (25, [])


@pytest.mark.parametrize("name", ["", "@@x", "_x", "a/b", ".x", None, "x" * 101])
def test_folder_rejects_bad_names(name):
    folder = Folder()
    with pytest.raises(ValueError):
        folder.add(name, Folder())
    assert len(folder) == 0 and list(folder.keys()) == []


def test_folder_rejects_duplicate_names():
    folder = Folder()
    first = folder.add("x", Folder())
    second = Folder()
    with pytest.raises(KeyError):
        folder.add("x", second)
    assert folder["x"] is first and len(folder) == 1
    assert second.__parent__ is None


# -- c. evolve ----------------------------------------------------------------------------


def _recording_step(ran, generation):
    """A step that records that it ran and marks the root."""

    def record(root):
        ran.append(generation)
        setattr(root, f"evolved_to_{generation}", True)

    return record


def test_evolve_runs_pending_steps_in_order_and_records_them(open_portal, monkeypatch):
    portal = open_portal()
    base = latest_generation()
    ran = []
    # Registered out of order: evolve must still run them in ascending order.
    monkeypatch.setitem(STEPS, base + 2, (_recording_step(ran, base + 2), "second new step"))
    monkeypatch.setitem(STEPS, base + 1, (_recording_step(ran, base + 1), "first new step"))

    with portal.root() as root:
        assert root.generation == base
        log_length = len(root.evolve_log)
        assert pending(root) == [(base + 1, "first new step"), (base + 2, "second new step")]
        assert evolve(root, actor="tester") == [base + 1, base + 2]
    assert ran == [base + 1, base + 2]

    with portal.root() as root:
        assert root.generation == base + 2 == latest_generation()
        assert getattr(root, f"evolved_to_{base + 1}")
        assert getattr(root, f"evolved_to_{base + 2}")
        new_entries = list(root.evolve_log[log_length:])
        assert [(e["generation"], e["description"], e["actor"]) for e in new_entries] == [
            (base + 1, "first new step", "tester"),
            (base + 2, "second new step", "tester"),
        ]
        assert all(isinstance(e["when"], datetime) and e["when"].tzinfo is not None for e in new_entries)
        assert pending(root) == []
        # A second run does nothing.
        assert evolve(root) == []

    assert ran == [base + 1, base + 2]
    with portal.root() as root:
        assert root.generation == base + 2
        assert len(root.evolve_log) == log_length + 2


def test_failing_step_aborts_the_whole_migration(open_portal, monkeypatch):
    portal = open_portal()
    base = latest_generation()
    ran = []

    def broken(root):
        ran.append("broken")
        raise RuntimeError("step failed")

    monkeypatch.setitem(STEPS, base + 1, (_recording_step(ran, base + 1), "works"))
    monkeypatch.setitem(STEPS, base + 2, (broken, "fails"))

    with portal.root() as root:
        log_length = len(root.evolve_log)

    tm, conn = open_connection(portal.db)
    try:
        with pytest.raises(RuntimeError, match="step failed"):
            with tm:
                evolve(conn.root()[ROOT_KEY])
    finally:
        conn.close()
    assert ran == [base + 1, "broken"]

    # Nothing of the migration was committed, not even the step that succeeded.
    with portal.root() as root:
        assert root.generation == base
        assert len(root.evolve_log) == log_length
        assert not hasattr(root, f"evolved_to_{base + 1}")
        assert [g for g, _ in pending(root)] == [base + 1, base + 2]

    # Once the step is fixed, the next run applies both.
    monkeypatch.setitem(STEPS, base + 2, (_recording_step(ran, base + 2), "fixed"))
    with portal.root() as root:
        assert evolve(root) == [base + 1, base + 2]
    with portal.root() as root:
        assert root.generation == base + 2


def test_step_numbers_are_never_reused():
    before = dict(STEPS)
    with pytest.raises(ValueError):
        step(1, "another first step")(lambda root: None)
    assert STEPS == before
    assert evolve_module.latest_generation() == max(STEPS)


# -- d. conflicts are retried, failures commit nothing (memory and ZEO) -------------------


def test_conflict_error_is_retried(storage_uri, open_portal, calls):
    portal = open_portal(storage_uri, **TEST_VIEWS)
    with portal.root() as root:
        root.test_counter = 0

    response = portal.client().post("/@@test-increment", status=200)

    assert calls == [("increment", 0), ("increment", 1)]
    assert response.text == "counter=2 attempt=1"
    with portal.root() as root:
        # One increment from the concurrent writer, one from the retried request.
        assert root.test_counter == 2


def test_conflict_on_the_last_attempt_commits_nothing(storage_uri, open_portal, calls):
    portal = open_portal(storage_uri, **TEST_VIEWS, **{"retry.attempts": "1"})
    with portal.root() as root:
        root.test_counter = 0

    # Out of attempts: the writer is told, in its language, that nothing of the request was saved.
    response = portal.client().post("/@@test-increment", status=409)
    assert "Saved by someone else at the same moment" in response.text and "Nothing of it was kept" in response.text
    french = portal.client().post("/@@test-increment", headers={"Accept-Language": "fr"}, status=409)
    assert 'lang="fr"' in french.text and "Rien n'en a été conservé" in french.text

    assert calls == [("increment", 0), ("increment", 0)]
    with portal.root() as root:
        # Only the concurrent writer's increments.
        assert root.test_counter == 2


def test_failed_request_commits_nothing(storage_uri, open_portal, calls):
    portal = open_portal(storage_uri, **TEST_VIEWS)
    client = portal.client()

    response = client.post("/@@test-fail", {"marker": "handled"}, expect_errors=True)
    assert response.status_int == 500
    assert calls == [("fail", 0)]  # an ordinary error is not retried

    # An unexpected error gets the portal's translated 500 page; it is not retried either.
    response = client.post("/@@test-fail", {"marker": "unhandled", "unhandled": "1"}, status=500)
    assert "Nothing was changed" in response.text
    assert calls == [("fail", 0), ("fail", 0)]

    with portal.root() as root:
        assert getattr(root, "test_marker", None) is None


# -- e. a real ZEO server -----------------------------------------------------------------


def test_portal_runs_on_zeo(zeo_server, open_portal):
    portal = open_portal(zeo_uri(zeo_server))
    assert isinstance(portal.db.storage, ClientStorage)
    response = portal.client().get("/states/KEN", status=200)
    assert "Kenya" in response.text
    with portal.root() as root:
        assert root.generation == latest_generation()


def test_zeo_clients_see_each_others_commits(zeo_server, open_portal):
    uri = zeo_uri(zeo_server)
    portal = open_portal(uri)  # client 1: the app's database
    factory, dbkw = zodburi.resolve_uri(uri)
    db2 = ZODB.DB(factory(), **dbkw)  # client 2: an independent ZEO client
    try:
        assert db2.storage is not portal.db.storage
        token1, token2 = f"one-{uuid.uuid4().hex}", f"two-{uuid.uuid4().hex}"
        tm2, conn2 = open_connection(db2)
        try:
            # Client 2 is in a transaction and has read the root when client 1 commits.
            tm2.begin()
            root2 = conn2.root()[ROOT_KEY]
            assert root2.generation == latest_generation()
            assert "KEN" in root2["states"]
            assert getattr(root2, "zeo_token", None) != token1

            with portal.root() as root1:
                root1.zeo_token = token1

            db2.storage.ping()  # a round trip: the server's invalidations have arrived
            assert getattr(root2, "zeo_token", None) != token1  # its snapshot is unchanged
            tm2.abort()

            # A new transaction in client 2 sees client 1's commit.
            with tm2:
                root2 = conn2.root()[ROOT_KEY]
                assert root2.zeo_token == token1
                # And the other way round: client 2 writes, the app sees it.
                root2.zeo_token = token2
                root2["states"]["KEN"].set_field("name_en", f"Kenya {token2}", actor="client2", source="test")

            portal.db.storage.ping()
            with portal.root() as root1:
                assert root1.zeo_token == token2
            response = portal.client().get("/states/KEN", status=200)
            assert f"Kenya {token2}" in response.text
        finally:
            conn2.close()
    finally:
        db2.close()



def test_a_returned_error_response_commits_nothing(open_portal, calls):
    """A view that returns (not raises) a 4xx response after changing data commits nothing (commit veto)."""
    portal = open_portal(**TEST_VIEWS)
    portal.client().post("/@@test-return-error", {"marker": "returned"}, status=400)
    assert calls == [("return-error", 0)]
    with portal.root() as root:
        assert getattr(root, "test_marker", None) is None


def test_a_retried_attempt_sees_the_user_of_its_own_connection(open_portal, calls):
    """The identity is cached per request, not in the WSGI environ that pyramid_retry reuses."""
    from .conftest import sign_in

    portal = open_portal(**TEST_VIEWS)
    portal.add_user("ken-fp")
    client = portal.client()
    sign_in(client, "ken-fp")
    response = client.post("/@@test-touch-user", status=200)
    assert calls == [("touch-user", 0), ("touch-user", 1)]
    assert response.text == "touches=1"
    with portal.root() as root:
        assert root["users"]["ken-fp"].test_touches == 1


# -- f. caches retired by commits of other clients (ZEO, RelStorage) ---------------------------


@pytest.mark.parametrize("kind", ["zeo", "relstorage"])
def test_a_commit_through_another_client_retires_both_caches_at_once(kind, open_portal, request, tmp_path):
    """Two portals on one storage stand for two processes: after a commit through either, anonymous and
    signed-in readers of both get the new page on their very next request (no waiting, no polling)."""
    from .conftest import sign_in

    if kind == "zeo":
        uri = zeo_uri(request.getfixturevalue("zeo_server"))
        one, two = open_portal(uri), open_portal(uri)
    else:
        uri = new_relstorage_uri(request, tmp_path)
        one, two = open_portal(uri), open_portal(uri.replace("blob-cache", "blob-cache-two"))
    assert one.db.storage is not two.db.storage
    one.add_user(f"reader-{kind}")
    readers = []
    for portal in (one, two):
        signed = portal.client()
        sign_in(signed, f"reader-{kind}")
        readers += [portal.client(), signed]
    for writer in (one, two):  # a commit through each
        token = uuid.uuid4().hex
        for reader in readers:  # read twice: the second answer comes from the caches
            for _ in range(2):
                reader.get("/states/KEN")
                reader.get("/states/KEN/@@json")
        with writer.root() as root:
            root["states"]["KEN"].set_field("name_en", f"Kenya {token}", "test", "test")
        for n, reader in enumerate(readers):
            assert f"Kenya {token}" in reader.get("/states/KEN").text, n
            assert reader.get("/states/KEN/@@json").json["names"]["en"] == f"Kenya {token}", n

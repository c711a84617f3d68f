"""Operating the portal: ``/@@health``; backup and restore drills (FileStorage with repozo, full and
incremental, and PostgreSQL with pg_dump), blobs included, restoring the earlier state exactly; packing
(the audit log survives); converting a FileStorage to PostgreSQL; and every command refusing, with exit
status 2 and a plain message, a FileStorage that a running portal holds."""

import hashlib

import pytest
from ZODB.blob import is_blob_record
from ZODB.serialize import referencesf
from ZODB.utils import z64

from content.attachments import Attachment
from portal import main
from portal.databases import address_of, open_storage
from portal.scripts import backup, convert, demo, evolve, init, pack, restore

from .conftest import Portal, file_uri, make_settings

INI = """[app:main]
use = egg:review-portal
portal.development = true
portal.session_secret = test-secret-0123456789-0123456789-0123456789
zodbconn.uri = {uri}
mail.mode = dummy
"""

PDF = b"%PDF-1.4\n% first version of the table\n" + bytes(range(256)) * 40


def write_ini(folder, uri):
    path = folder / "portal.ini"
    path.write_text(INI.format(uri=uri))
    return str(path)


def run(command, *argv):
    """A command's exit status, whether it returns it or exits with it."""
    try:
        return command.main([str(a) for a in argv])
    except SystemExit as exit_:
        return exit_.code


def digest(data):
    return hashlib.sha256(data).hexdigest()


def snapshot(uri):
    """Every object reachable from the root, with its data, its transaction and its blob's content: two
    databases with equal snapshots hold exactly the same current state."""
    storage = open_storage(address_of(uri), read_only=True)
    try:
        result, todo = {}, [z64]
        while todo:
            oid = todo.pop()
            if oid in result:
                continue
            data, tid = storage.load(oid)
            blob = None
            if is_blob_record(data):
                with open(storage.loadBlob(oid, tid), "rb") as f:
                    blob = digest(f.read())
            result[oid] = (digest(data), tid, blob)
            todo.extend(referencesf(data))
        return result
    finally:
        storage.close()


def change(portal, name, attachment=None):
    """A change of data (a state's name) and, with ``attachment`` bytes, of an attachment (a new blob)."""
    with portal.root() as root:
        root["states"]["KEN"].set_field("name_en", name, "test", "test")
        if attachment is not None:
            root.test_attachment = Attachment("table.pdf", attachment, "test")


def attachment_of(portal):
    with portal.root() as root:
        return root.test_attachment.read()


def open_app(uri):
    return Portal(main({}, **make_settings(**{"zodbconn.uri": uri})))


def assert_serves(uri, name, attachment=PDF):
    """A portal started on ``uri`` shows ``name`` for Kenya and gives the attachment's bytes back."""
    portal = open_app(uri)
    try:
        assert attachment_of(portal) == attachment
        assert name in portal.client().get("/states/KEN").text
    finally:
        portal.db.close()


# -- /@@health --------------------------------------------------------------------------------


def test_health_answers_the_load_balancer_and_reveals_nothing(portal, anon):
    page = anon.get("/@@health", status=200)
    data = page.json
    assert set(data) == {"status", "version", "generation", "last_commit"}
    assert data["status"] == "ok" and data["last_commit"].endswith("+00:00")
    assert page.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in page.headers  # development: plain HTTP on this machine
    assert portal.wsgi.cache.entries == {} or all(key[0] != "/@@health" for key in portal.wsgi.cache.entries)
    before = data["last_commit"]
    change(portal, "Kenya (health)")
    assert anon.get("/@@health").json["last_commit"] >= before


def test_health_says_unavailable_when_the_database_does_not_answer(portal, anon):
    def unreachable():
        raise OSError("connection refused")

    portal.registry.last_commit = unreachable
    page = anon.get("/@@health", status=503)
    assert page.json == {"status": "unavailable", "version": page.json["version"]}


# -- backup and restore -----------------------------------------------------------------------


def test_backup_and_restore_drill_on_filestorage_full_and_incremental(tmp_path, capsys):
    uri = file_uri(tmp_path / "db")
    config, destination = write_ini(tmp_path, uri), tmp_path / "backups"
    portal = open_app(uri)
    try:
        change(portal, "Kenya (first)", PDF)
        assert run(backup, config, str(destination)) == 0  # hot: the portal is running
        assert "full backup" in capsys.readouterr().out
        first = snapshot(uri)
        change(portal, "Kenya (second)", PDF + b"second")
        assert run(backup, config, str(destination)) == 0
        assert "incremental backup" in capsys.readouterr().out
        second = snapshot(uri)
        assert run(backup, config, str(destination)) == 0
        assert "nothing changed" in capsys.readouterr().out
        change(portal, "Kenya (lost)", PDF + b"lost")
        assert run(restore, config, str(destination)) == 2  # not while the portal runs
        assert "in use by a running portal" in capsys.readouterr().err
    finally:
        portal.db.close()
    assert run(restore, config, str(destination)) == 0
    assert snapshot(uri) == second
    stamps = sorted(p.name for p in (destination / "blobs").iterdir())
    assert run(restore, config, destination, "--date", stamps[0]) == 0
    assert snapshot(uri) == first
    assert_serves(uri, "Kenya (first)")
    assert sorted(p.name for p in (tmp_path / "db").iterdir() if ".replaced-" in p.name)  # what was replaced is kept


def test_backup_and_restore_drill_on_postgresql(postgres, tmp_path, capsys):
    database = postgres.create_database()
    uri = postgres.uri(database, tmp_path / "blob-cache")
    config, destination = write_ini(tmp_path, uri), tmp_path / "backups"
    portal = open_app(uri)
    try:
        change(portal, "Kenya (kept)", PDF)
        assert run(backup, config, str(destination)) == 0
        assert "dumped" in capsys.readouterr().out
        kept = snapshot(uri)
        change(portal, "Kenya (lost)", PDF + b"lost")
        assert snapshot(uri) != kept
        assert run(restore, config, str(destination)) == 2  # the running portal is connected
        assert "in use" in capsys.readouterr().err
    finally:
        portal.db.close()
    assert run(restore, config, str(destination)) == 0
    out = capsys.readouterr().out
    assert "restored" in out
    assert snapshot(uri) == kept
    assert_serves(uri, "Kenya (kept)")
    kept_name = out.split("kept as ")[1].split(" ")[0]
    postgres.drop_database(kept_name)
    postgres.drop_database(database)


# -- pack -------------------------------------------------------------------------------------


def revisions(uri, oid=z64):
    storage = open_storage(address_of(uri), read_only=True)
    try:
        return len(storage.history(oid, size=1000))
    finally:
        storage.close()


def audit_records(portal):
    with portal.root() as root:
        return {number: dict(entry) for number, entry in root["audit"].records.items()}


@pytest.mark.parametrize("kind", ["file", "relstorage"])
def test_pack_removes_old_history_and_keeps_the_audit_log(kind, request, tmp_path, capsys):
    if kind == "file":
        uri = file_uri(tmp_path / "db")
    else:
        postgres = request.getfixturevalue("postgres")
        uri = postgres.uri(postgres.create_database(), tmp_path / "blob-cache")
    config = write_ini(tmp_path, uri)
    portal = open_app(uri)
    try:
        for n in range(3):
            with portal.root() as root:
                root["audit"].write("publish", "test", "KEN", f"/entry/{n}")
                root.test_counter = n
        change(portal, "Kenya (packed)", PDF)
        records = audit_records(portal)
        assert len(records) >= 3
        with portal.root() as root:
            oid = root._p_oid  # the portal root, changed by each of the writes above
        if kind == "file":
            assert run(pack, config, "--days", "0") == 2  # a FileStorage is packed with the portal stopped
            assert "in use by a running portal" in capsys.readouterr().err
            portal.db.close()
        before_state = snapshot(uri)
        assert revisions(uri, oid) > 3
        assert run(pack, config, "--days", "0") == 0
        assert "history older than 0 days removed" in capsys.readouterr().out
        assert revisions(uri, oid) <= 1  # (RelStorage lists no revision of a packed transaction)
        assert snapshot(uri) == before_state  # nothing current is lost: data, attachment, audit log
        if kind == "file":
            portal = open_app(uri)
        assert audit_records(portal) == records
        assert attachment_of(portal) == PDF
    finally:
        portal.db.close()


# -- convert ----------------------------------------------------------------------------------


def test_convert_moves_a_filestorage_with_its_blobs_and_history_to_postgresql(postgres, tmp_path, capsys):
    source = file_uri(tmp_path / "db")
    portal = open_app(source)
    try:
        change(portal, "Kenya (converted)", PDF)
        assert run(convert, source, postgres.uri(postgres.create_database(), tmp_path / "c")) == 2
        assert "in use by a running portal" in capsys.readouterr().err
    finally:
        portal.db.close()
    destination = postgres.uri(postgres.create_database(), tmp_path / "blob-cache")
    assert run(convert, write_ini(tmp_path, source), destination) == 0
    assert snapshot(destination) == snapshot(source)
    assert revisions(destination) == revisions(source)
    assert run(convert, source, destination) == 1  # never into a database that holds data
    assert "not empty" in capsys.readouterr().err
    assert_serves(destination, "Kenya (converted)")


def test_blobs_live_in_postgresql_not_in_a_process_cache(postgres, tmp_path):
    """An attachment saved through one process is read by another with an empty blob cache of its own."""
    database = postgres.create_database()
    one = open_app(postgres.uri(database, tmp_path / "cache-one"))
    two = open_app(postgres.uri(database, tmp_path / "cache-two"))
    try:
        change(one, "Kenya", PDF)
        assert attachment_of(two) == PDF
        change(two, "Kenya", PDF + b"from two")
        assert attachment_of(one) == PDF + b"from two"
    finally:
        one.db.close()
        two.db.close()


# -- a FileStorage held by a running portal ---------------------------------------------------


def test_every_command_refuses_a_filestorage_that_a_running_portal_holds(tmp_path, capsys, monkeypatch):
    uri = file_uri(tmp_path / "db")
    config = write_ini(tmp_path, uri)
    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", "a strong administrator passphrase")
    portal = open_app(uri)
    try:
        for command, argv in ((demo, [config]), (init, [config]), (evolve, [config]), (pack, [config, "--days", "1"]),
                              (restore, [config, tmp_path / "none"]), (convert, [config, f"file://{tmp_path}/copy/Data.fs"])):
            assert run(command, *argv) == 2, command.__name__
            err = capsys.readouterr().err
            assert "is in use by a running portal" in err and "stop the portal first" in err, command.__name__
        assert run(backup, config, str(tmp_path / "hot")) == 0  # a backup is taken while it runs
    finally:
        portal.db.close()
    assert run(demo, config) == 0  # once the portal is stopped, the same command works


def test_portal_demo_beside_a_running_portal_on_postgresql(postgres, tmp_path):
    """Several processes share PostgreSQL: the demo is added while a portal serves the same database."""
    uri = postgres.uri(postgres.create_database(), tmp_path / "blob-cache")
    portal = open_app(uri)
    try:
        assert run(demo, write_ini(tmp_path, uri)) == 0
        anonymous = portal.client()
        assert "first-cycle" in anonymous.get("/cycles/").text
    finally:
        portal.db.close()


def test_settings_read_the_database_uri_from_the_environment(tmp_path, monkeypatch):
    """A URI with a password belongs in the environment: ``zodbconn.uri = env:NAME``."""
    monkeypatch.setenv("PORTAL_TEST_URI", file_uri(tmp_path / "env-db"))
    portal = Portal(main({}, **make_settings(**{"zodbconn.uri": "env:PORTAL_TEST_URI"})))
    try:
        assert portal.client().get("/@@health").json["status"] == "ok"
        assert (tmp_path / "env-db" / "Data.fs").exists()
    finally:
        portal.db.close()


def test_production_ini_parses_and_starts_with_its_secrets_from_the_environment(tmp_path, monkeypatch):
    """production.ini sets no option twice (it did, and would not start), allows 5 attachments of 10 MB,
    builds the portal from PORTAL_SESSION_SECRET and PORTAL_ZODB_URI, and tells browsers to use HTTPS only
    (HSTS) with a content security policy that allows no inline style or script (issue 16)."""
    import configparser
    from pathlib import Path

    from pyramid.paster import get_app
    from webtest import TestApp

    from content.attachments import MAX_BYTES, MAX_FILES

    ini = Path(__file__).resolve().parent.parent / "production.ini"
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.read(ini)  # DuplicateOptionError for an option set twice
    assert int(parser["server:main"]["max_request_body_size"]) > MAX_FILES * MAX_BYTES
    assert parser["app:main"]["zodbconn.uri"] == "env:PORTAL_ZODB_URI"
    assert parser["app:main"]["mail.mode"] == "queue"  # no answer waits for the mail server
    monkeypatch.setenv("PORTAL_SESSION_SECRET", "s" * 48)
    monkeypatch.setenv("PORTAL_ZODB_URI", file_uri(tmp_path / "db"))
    app = get_app(str(ini), options={"http_port": "6543"})
    try:
        assert TestApp(app).get("/@@health").json["status"] == "ok"
        page = TestApp(app).get("/states/KEN")
        assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"  # HTTPS only
        assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    finally:
        app.registry.text_indexer.stop()  # its thread must not wake on the closed database
        app.registry._zodb_databases[""].close()


def test_templates_compile_one_at_a_time_for_the_first_requests_of_a_process(portal):
    """The first requests of a new process compile their templates in parallel threads, which CPython 3.11
    can fail at ("AST constructor recursion depth mismatch"): compiling is serialized."""
    import threading
    import time

    from chameleon.template import BaseTemplate
    from chameleon.zpt.template import PageTemplate

    running, most = [0], [0]
    lock = threading.Lock()
    compile_ = BaseTemplate._compile

    def slow_compile(self, body, builtins):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        try:
            return compile_(self, body, builtins)
        finally:
            with lock:
                running[0] -= 1

    BaseTemplate._compile = slow_compile
    try:
        templates = []  # a PageTemplate compiles its body when it is made
        threads = [threading.Thread(target=lambda n=n: templates.append(PageTemplate(f"<p>${{'{n}'}} {time.time()}</p>")))
                   for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        BaseTemplate._compile = compile_
    assert len(templates) == 4 and all(t.render().startswith("<p>") for t in templates)
    assert most[0] == 1

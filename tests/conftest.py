"""Shared fixtures: an app on an in-memory ZODB with the dummy mailer, direct database access, signing in."""

import contextlib
import functools
import os
import re
import shutil
import tempfile

# Chameleon compiles each page template once per application, and the suite makes hundreds of them: the
# compiled templates are kept for the run in Chameleon's own cache folder (read when chameleon is imported,
# so this comes first). Compiling itself stays tested (tests/test_operations.py compiles fresh sources).
os.environ.setdefault("CHAMELEON_CACHE", tempfile.mkdtemp(prefix="portal-test-chameleon-"))

import pytest  # noqa: E402
from argon2 import PasswordHasher
from webtest import TestApp

from content import users as users_module
from content.users import User
from portal import main
from portal.storage import zodb_root
from workflows import get_workflow

# The cycle fixtures (secretariat, selected, drawn) serve the cycle and the review tests alike.
pytest_plugins = ["tests.cycle_fixtures"]

SECRET = "test-secret-" + "x" * 40
PASSWORD = "correct horse battery staple"


def make_settings(**overrides):
    settings = {
        "portal.session_secret": SECRET,
        "zodbconn.uri": "memory://",
        "mail.mode": "dummy",
        "portal.development": "true",
        "retry.attempts": "3",
        "draws.wait": "true",  # a draw's thread has stored its result when the "run" request answers
    }
    settings.update(overrides)
    return settings


# Argon2 at its production cost takes ~0.15 s a sign-in, and the suite signs in thousands of times: the
# tests hash with the same algorithm at its lowest cost (pserve processes of the live tests keep the real one).
users_module.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@functools.lru_cache(maxsize=1)
def password_hash():
    """The argon2 hash of ``PASSWORD``, computed once per test session."""
    from content.users import hash_password

    return hash_password(PASSWORD)


class Portal:
    """A running portal for a test: the WSGI app, a WebTest client and database access."""

    def __init__(self, wsgi):
        self.wsgi = wsgi
        self.registry = wsgi.registry
        self.db = wsgi.registry._zodb_databases[""]

    def client(self, **extra_environ):
        env = {"REMOTE_ADDR": "192.0.2.10"}
        env.update(extra_environ)
        return TestApp(self.wsgi, extra_environ=env)

    @contextlib.contextmanager
    def root(self):
        """Yield the portal root in its own transaction; commit at the end of the block. The portal's
        registry is current meanwhile, as in a script, so that events reach the portal's subscribers."""
        with zodb_root(self.db, self.registry) as root:
            yield root["portal"]

    def add_user(self, login, function="focal-point", state="KEN", active=True, password=PASSWORD):
        with self.root() as root:
            user = User(login, login.title(), f"{login}@example.org", function, state=state)
            if password == PASSWORD:
                user.password_hash = password_hash()  # argon2 takes ~0.15 s: hash the shared password once
            elif password:
                user.set_password(password)
            root["users"].add(login, user)
            get_workflow(user).initialize(user, actor="test")
            if active:
                user.workflow_state = "active"
        return login

    @property
    def mailer(self):
        from pyramid_mailer.interfaces import IMailer

        return self.registry.getUtility(IMailer)


def file_uri(directory):
    """A FileStorage with a blob folder, as in production: attachments are ZODB blobs."""
    return f"file://{directory}/Data.fs?blobstorage_dir={directory}/blobs"


def pytest_generate_tests(metafunc):
    """``@pytest.mark.storages("file", "relstorage")`` runs a test that uses ``portal`` on each storage."""
    marker = metafunc.definition.get_closest_marker("storages")
    if marker is not None and "storage" in metafunc.fixturenames:
        metafunc.parametrize("storage", marker.args, indirect=True)


@pytest.fixture
def storage(request):
    """The storage kind under the ``portal`` fixture: ``file`` unless the test is marked ``storages``."""
    return getattr(request, "param", "file")


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for RelStorage (``tests.postgres_server.Server``): the one ``.ci/run`` started,
    else a private one for this session; without PostgreSQL the test is skipped, saying why (in CI,
    where ``PORTAL_REQUIRE_POSTGRES=1``, it fails instead)."""
    from tests import postgres_server

    server = postgres_server.from_environment()
    if server is not None:
        yield server
        return
    reason = None
    try:
        import psycopg2  # noqa: F401
        import relstorage  # noqa: F401
    except ImportError:
        reason = "RelStorage or psycopg2 is not installed (pip install -e '.[postgresql]')"
    if reason is None and postgres_server.pg_bin() is None:
        reason = "PostgreSQL is not installed (apt-get install postgresql), nor named by PORTAL_TEST_POSTGRES"
    if reason is not None:
        if os.environ.get("PORTAL_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PORTAL_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    with postgres_server.running_postgres() as (host, port):
        yield postgres_server.Server(host, port)


@pytest.fixture(scope="session")
def relstorage_templates(postgres, world_builder, tmp_path_factory):
    """``template(world)``: the name of a database holding the empty portal (``world=None``) or a copy of
    the ``selected``/``drawn`` world, made once per session; tests start from copies of it."""
    from portal.databases import address_of, copy_database, open_storage

    made = {}

    def template(world):
        if world not in made:
            name = postgres.create_database(prefix=f"template_{world or 'empty'}")
            uri = postgres.uri(name, tmp_path_factory.mktemp("blob-cache"))
            if world is None:
                Portal(main({}, **make_settings(**{"zodbconn.uri": uri}))).db.close()
            else:
                source = open_storage(address_of(file_uri(world_builder(world))), read_only=True)
                destination = open_storage(address_of(uri))
                try:
                    copy_database(source, destination)
                finally:
                    source.close()
                    destination.close()
            made[world] = name
        return made[world]

    return template


@pytest.fixture(scope="session")
def empty_portal_template(tmp_path_factory):
    """The folder of a FileStorage holding a new portal (its tree and the states registry, loaded once per
    session instead of once per test); tests start from copies of it."""
    directory = tmp_path_factory.mktemp("empty-portal")
    Portal(main({}, **make_settings(**{"zodbconn.uri": file_uri(directory)}))).db.close()
    return directory


def storage_uri_for(request, storage, directory, world):
    """The URI of a new database of kind ``storage`` for one test, holding ``world`` (None: empty)."""
    if storage == "file":
        source = request.getfixturevalue("world_builder")(world) if world is not None else \
            request.getfixturevalue("empty_portal_template")
        shutil.copytree(source, directory)
        return file_uri(directory)
    if storage == "relstorage":
        postgres = request.getfixturevalue("postgres")
        template = request.getfixturevalue("relstorage_templates")(world)
        name = postgres.create_database(template=template)
        request.addfinalizer(lambda: postgres.drop_database(name))
        return postgres.uri(name, directory / "blob-cache")
    raise ValueError(f"unknown storage {storage!r}")


@pytest.fixture
def portal(tmp_path, request, storage):
    """A portal on its own database (a FileStorage, or RelStorage for tests marked ``storages``). A test
    that uses ``selected`` or ``drawn`` starts from a copy of that world, built once per session (the
    draws take seconds), so each test still has its own data."""
    world = next((kind for kind in ("drawn", "selected") if kind in request.fixturenames), None)
    uri = storage_uri_for(request, storage, tmp_path / "db", world)
    portal = Portal(main({}, **make_settings(**{"zodbconn.uri": uri})))
    yield portal
    indexer = getattr(portal.registry, "text_indexer", None)
    if indexer is not None:  # its thread must not wake on a closed database
        indexer.stop()
    portal.db.close()


@pytest.fixture
def anon(portal):
    return portal.client()


def csrf_from(response):
    match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in(client, login, password=PASSWORD, status=303):
    page = client.get("/@@login")
    form = last_form(page)  # the header's search form comes first
    form["login"] = login
    form["password"] = password
    return form.submit(status=status)


@pytest.fixture
def signed_in(portal):
    """``signed_in(login, function, state)``: a client signed in as a new active user."""

    def factory(login, function="focal-point", state="KEN"):
        portal.add_user(login, function=function, state=state)
        client = portal.client()
        sign_in(client, login)
        return client

    return factory


def last_form(page):
    """The page's last form (the header's sign-out form comes first)."""
    return page.forms[max(k for k in page.forms if isinstance(k, int))]


def localized_field(form, name, lang="en"):
    """The ``lang`` field of the text in six languages ``name`` of a deform form (``portal.forms.localized_node``:
    a mapping whose fields are named after the languages, so a form with several repeats those names)."""
    inside = False
    for field_name, field in form.field_order:
        if field_name == "__start__" and field.value == f"{name}:mapping":
            inside = True
        elif inside and field_name == lang:
            return field
    raise KeyError(f"no text in six languages named {name!r}")


def set_localized(form, name, value, lang="en"):
    """Type ``value`` as the ``lang`` version of the text ``name`` (English, the default original)."""
    localized_field(form, name, lang).value = value
    return form

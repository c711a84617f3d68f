"""The configured database outside the web app: its URI and kind, opening its storage, whether a running
portal holds it, copying all of it to another storage (``portal-convert``) and packing its history."""

import contextlib
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import zodburi
import ZODB
from zc.lockfile import LockError, SimpleLockFile
from portal.settings import setting_from_env
from portal import postgresql

URI_SETTING = "zodbconn.uri"
URI_ENVIRONMENT = "PORTAL_ZODB_URI"


class DatabaseInUse(Exception):
    """A FileStorage that a running portal (or another command) holds: one process at a time."""


class UnsupportedStorage(Exception):
    """The command does not work on this kind of storage; the message says what to do instead."""


def database_uri(settings):
    """The storage URI of a configuration: ``zodbconn.uri``, which may read ``env:NAME`` (a URI with a
    password belongs in the environment, not in the ``.ini``), or ``PORTAL_ZODB_URI`` when unset."""

    return setting_from_env(settings, URI_SETTING, URI_ENVIRONMENT) or ""


def uri_from(argument):
    """A command's database argument: an ``.ini`` file (its ``zodbconn.uri``) or a storage URI itself."""
    if "://" in argument:
        return argument
    from pyramid.paster import get_appsettings

    return database_uri(get_appsettings(argument))


@dataclass(frozen=True)
class StorageAddress:
    """What a URI names: ``kind`` is ``file``, ``postgresql``, ``zeo`` or ``memory``."""

    uri: str
    kind: str

    @property
    def query(self):
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.uri).query).items()}

    @property
    def data_fs(self):
        """FileStorage: the path of ``Data.fs``."""
        return Path(urlsplit(self.uri).path)

    @property
    def blob_dir(self):
        """FileStorage: the blob folder (None without blobs); RelStorage: its local blob cache (or the
        shared blob folder when ``shared_blob_dir`` is true)."""
        query = self.query
        value = query.get("blobstorage_dir") if self.kind == "file" else query.get("blob_dir")
        return Path(value) if value else None

    @property
    def shared_blobs(self):
        """RelStorage keeps blobs in the database unless ``shared_blob_dir`` is true."""
        return self.kind == "postgresql" and self.query.get("shared_blob_dir", "true").lower() in ("1", "true", "on", "yes")

    @property
    def postgresql(self):
        """RelStorage: libpq connection parameters (dbname, user, password, host, port) of the URI."""
        parts = urlsplit(self.uri.replace("postgres://", "http://", 1))
        params = {"dbname": parts.path.lstrip("/"), "user": parts.username, "password": parts.password,
                  "host": parts.hostname, "port": parts.port}
        return {k: str(v) for k, v in params.items() if v}

    def with_query(self, **extra):
        parts = urlsplit(self.uri)
        query = {**self.query, **{k: str(v) for k, v in extra.items()}}
        return StorageAddress(urlunsplit(parts._replace(query=urlencode(query, safe="/"))), self.kind)


def address_of(uri):
    scheme = uri.split("://", 1)[0] if "://" in uri else ""
    kinds = {"file": "file", "postgres": "postgresql", "zeo": "zeo", "memory": "memory"}
    if scheme not in kinds:
        raise UnsupportedStorage(f"unknown storage URI {uri!r}: expected file://, postgres://, zeo:// or memory://")
    return StorageAddress(uri, kinds[scheme])


# The key of the PostgreSQL advisory lock that processes hold while they open the database at startup.
STARTUP_LOCK = 0x5265766965770001


@contextlib.contextmanager
def startup_lock(uri):
    """On PostgreSQL, processes starting together take turns: RelStorage creates its tables on the first
    open, and the portal builds or evolves its tree, and two doing either at once would collide. The lock
    is PostgreSQL's own (an advisory lock of the session), so it is released if the process dies."""
    if not uri.startswith("postgres://"):
        yield
        return

    conn = postgresql.connect(address_of(uri))
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", (STARTUP_LOCK,))
        yield
    finally:
        conn.close()


def check_not_in_use(address):
    """Raise ``DatabaseInUse`` when a FileStorage is held by another process (a running portal). Other
    storages serve several processes at once."""
    if address.kind != "file" or not address.data_fs.exists():
        return
    try:
        lock = SimpleLockFile(str(address.data_fs) + ".lock")  # (leaves the holder's pid in the file)
    except LockError:
        raise DatabaseInUse(str(address.data_fs)) from None
    lock.close()


def in_use_message(prog, path):
    return (f"{prog}: the database {path} is in use by a running portal (or another command). A FileStorage "
            "admits one process at a time: stop the portal first, or run the portal on PostgreSQL, which "
            "serves several processes (docs/operations.md).")


def open_storage(address, read_only=False):
    """The storage of ``address`` itself (no app around it)."""
    if read_only and address.kind == "file":
        address = address.with_query(read_only=1)
    elif read_only and address.kind == "postgresql":
        address = address.with_query(read_only="true")
    factory, _dbkw = zodburi.resolve_uri(address.uri)
    return factory()


def is_empty(storage):
    """True when the storage holds no transaction."""
    return storage.lastTransaction() == b"\0" * 8


def copy_database(source, destination):
    """Copy every transaction of ``source`` (with its blobs) into the empty ``destination``. The copy keeps
    transaction ids, so the history stays as it was; returns the last one, checked to be the source's."""
    if not is_empty(destination):
        raise ValueError("the destination database is not empty")
    destination.copyTransactionsFrom(source)
    last = destination.lastTransaction()
    if last != source.lastTransaction():
        raise RuntimeError("the copy ended at another transaction than its source")
    return last


def pack(address, days):
    """Remove object revisions older than ``days`` days that are no longer current (and objects no longer
    reachable). Current data, the audit log among it, is never removed."""
    db = ZODB.DB(open_storage(address))
    try:
        db.pack(t=time.time(), days=days)
    finally:
        db.close()

"""A private PostgreSQL server for tests and benchmarks: found, started on a free port, stopped afterwards.

``.ci/run`` starts one for the whole run (``python -m tests.postgres_server start`` prints its
address and folder; ``stop FOLDER`` ends it) and exports ``PORTAL_TEST_POSTGRES=host:port``. Without that variable the
test session starts its own when Debian's PostgreSQL binaries are installed, and otherwise the tests
that need it are skipped, saying why (``PORTAL_REQUIRE_POSTGRES=1`` turns the skip into a failure).
As root, the server runs as the ``postgres`` user, as initdb refuses to run as root.
"""

import contextlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from tests.zeo_server import free_port

HOST = "127.0.0.1"
USER = "portal"
START_TIMEOUT = 60


def pg_bin():
    """The folder of PostgreSQL's server binaries (initdb, pg_ctl), or None when not installed."""
    candidates = []
    if os.environ.get("PORTAL_PG_BIN"):
        candidates.append(Path(os.environ["PORTAL_PG_BIN"]))
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    candidates.extend(reversed(versions))
    found = shutil.which("pg_ctl")
    if found:
        candidates.append(Path(found).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def _as_server_user(argv):
    """Run as the ``postgres`` user when we are root (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--"] + argv


def _chown_to_server_user(path):
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        for folder in [path, *path.rglob("*")]:
            os.chown(folder, entry.pw_uid, entry.pw_gid)


def start():
    """initdb in a new folder under the system's temporary folder and start the server on a free port;
    returns ``(port, folder)``. (The folder is the server's own: as root it belongs to ``postgres``.)"""
    binaries = pg_bin()
    if binaries is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="portal-postgres-"))
    folder.chmod(0o755)
    _chown_to_server_user(folder)
    data = folder / "data"
    _run([str(binaries / "initdb"), "-D", str(data), "-U", USER, "-A", "trust", "-E", "UTF8", "--no-locale"])
    port = free_port()
    options = (
        f"-p {port} -k {folder} -c listen_addresses={HOST} -c max_connections=200 "
        # The tests kill portal processes, never the database server: its own durability is not under test.
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    _run([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-o", options,
          "-w", "-t", str(START_TIMEOUT), "start"])
    return port, folder


def _run(argv):
    done = subprocess.run(_as_server_user(argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd="/")
    if done.returncode:
        raise RuntimeError(f"{Path(argv[0]).name} failed ({done.returncode}): {done.stdout.decode(errors='replace')}")


def stop(folder):
    """Stop the server of ``folder`` and remove the folder."""
    binaries = pg_bin()
    folder = Path(folder)
    if binaries is not None and (folder / "data" / "postmaster.pid").exists():
        subprocess.run(_as_server_user([str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "-w", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/")
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def running_postgres():
    """Yield ``(host, port)`` of a private server; stopped and removed at the end."""
    port, folder = start()
    try:
        yield HOST, port
    finally:
        stop(folder)


class Server:
    """A running server (``host``, ``port``): makes databases and ``postgres://`` URIs for them."""

    def __init__(self, host, port):
        self.host, self.port = host, int(port)

    def _connect(self, dbname="postgres"):
        import psycopg2

        conn = psycopg2.connect(host=self.host, port=self.port, user=USER, dbname=dbname)
        conn.autocommit = True
        return conn

    def create_database(self, prefix="portal", template=None):
        """A new database, empty or a copy of ``template``; returns its name."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        conn = self._connect()
        try:
            with conn.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        finally:
            conn.close()
        return name

    def drop_database(self, name):
        conn = self._connect()
        try:
            with conn.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            conn.close()

    def uri(self, dbname, blob_cache_dir, **options):
        """The RelStorage URI of ``dbname`` with a process-local blob cache (blobs live in the database)."""
        query = {"blob_dir": str(blob_cache_dir), "shared_blob_dir": "false", **options}
        params = "&".join(f"{k}={v}" for k, v in query.items())
        return f"postgres://{USER}@{self.host}:{self.port}/{dbname}?{params}"


def from_environment():
    """The server named by ``PORTAL_TEST_POSTGRES=host:port``, or None."""
    value = os.environ.get("PORTAL_TEST_POSTGRES", "")
    if not value:
        return None
    host, _, port = value.rpartition(":")
    return Server(host or HOST, port)


def main(argv=None):
    """``start`` prints ``HOST:PORT FOLDER`` of a new server; ``stop FOLDER`` stops it."""
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["start"]:
        port, folder = start()
        print(f"{HOST}:{port} {folder}")
        return 0
    if len(argv) == 2 and argv[0] == "stop":
        stop(argv[1])
        return 0
    print("usage: python -m tests.postgres_server start | stop FOLDER", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

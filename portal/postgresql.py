"""PostgreSQL around RelStorage: finding its programs (pg_dump, pg_restore), running them for the configured
database with the password kept out of the command line, and the few statements the commands need."""

import os
import shutil
import subprocess
from pathlib import Path


class PostgreSQLError(Exception):
    """A PostgreSQL program or statement failed; the message carries its own words."""


def program(name):
    """The path of a PostgreSQL program: in ``PORTAL_PG_BIN``, else Debian's newest
    ``/usr/lib/postgresql/<version>/bin``, else on the PATH."""
    folders = [Path(os.environ["PORTAL_PG_BIN"])] if os.environ.get("PORTAL_PG_BIN") else []
    versions = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if p.parent.name.isdigit()]
    folders += sorted(versions, key=lambda p: int(p.parent.name), reverse=True)
    for folder in folders:
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        raise PostgreSQLError(f"{name} not found: install PostgreSQL's client programs (apt-get install postgresql-client) or set PORTAL_PG_BIN")
    return found


def environment(address, dbname=None):
    """libpq's environment variables for the URI's database (the password never appears in ``ps``)."""
    params = address.postgresql
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD", "dbname": "PGDATABASE"}
    env = dict(os.environ)
    env.update({names[k]: v for k, v in params.items()})
    if dbname is not None:
        env["PGDATABASE"] = dbname
    return env


def run(name, address, argv, dbname=None):
    done = subprocess.run([program(name), *argv], env=environment(address, dbname), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    if done.returncode:
        raise PostgreSQLError(f"{name} failed: {done.stdout.decode(errors='replace').strip()}")
    return done.stdout.decode(errors="replace")


def connect(address, dbname=None):
    import psycopg2

    params = dict(address.postgresql)
    if dbname is not None:
        params["dbname"] = dbname
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    return conn


def execute(address, statement, args=(), dbname="postgres"):
    """Run one statement on ``dbname`` (the maintenance database by default); returns the rows, if any."""
    conn = connect(address, dbname)
    try:
        with conn.cursor() as cursor:
            cursor.execute(statement, args)
            return cursor.fetchall() if cursor.description else []
    finally:
        conn.close()


def other_connections(address):
    """How many sessions other than ours are connected to the configured database (running portals)."""
    rows = execute(address, "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                   (address.postgresql["dbname"],))
    return rows[0][0]


def _quoted(name):
    return '"' + name.replace('"', '""') + '"'


def create_database(address, name):
    execute(address, f"CREATE DATABASE {_quoted(name)}")


def drop_database(address, name):
    execute(address, f"DROP DATABASE IF EXISTS {_quoted(name)}")


def swap_databases(address, new, kept):
    """Give ``new`` the configured database's name; the configured one is renamed ``kept``."""
    current = address.postgresql["dbname"]
    execute(address, f"ALTER DATABASE {_quoted(current)} RENAME TO {_quoted(kept)}")
    try:
        execute(address, f"ALTER DATABASE {_quoted(new)} RENAME TO {_quoted(current)}")
    except Exception:
        execute(address, f"ALTER DATABASE {_quoted(kept)} RENAME TO {_quoted(current)}")
        raise

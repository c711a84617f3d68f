"""Opening the portal from a configuration file for a command-line script."""

import contextlib
import sys

from pyramid.paster import bootstrap, get_appsettings, setup_logging
from zc.lockfile import LockError

from portal.databases import (DatabaseInUse, UnsupportedStorage, address_of, check_not_in_use, database_uri,
                              in_use_message)

EXIT_IN_USE = 2


def exit_if_in_use(prog, address):
    """Exit with status 2 and a plain message when a running portal holds this FileStorage."""
    try:
        check_not_in_use(address)
    except DatabaseInUse as exc:
        print(in_use_message(prog, exc), file=sys.stderr)
        raise SystemExit(EXIT_IN_USE) from None


def configured_address(config_uri):
    """The storage address of an ``.ini`` file's ``zodbconn.uri`` (exit 2, saying why, when it names none)."""
    uri = database_uri(get_appsettings(config_uri))
    try:
        return address_of(uri)
    except UnsupportedStorage as exc:
        hint = " (is the environment variable it reads set?)" if not uri else ""
        raise SystemExit(f"{config_uri}: {exc}{hint}") from None


@contextlib.contextmanager
def portal_env(config_uri, prog="portal", request=None):
    """Yield ``(root, request)`` inside a transaction that commits when the block succeeds (``request``: one
    to start from, e.g. with the portal's public address for links in mails). A FileStorage held by a
    running portal ends the command with status 2 and says so."""
    setup_logging(config_uri)
    address = configured_address(config_uri)
    exit_if_in_use(prog, address)
    try:
        env = bootstrap(config_uri, request=request)
    except LockError:  # a portal started since the check above
        print(in_use_message(prog, address.data_fs), file=sys.stderr)
        raise SystemExit(EXIT_IN_USE) from None
    indexer = getattr(env["registry"], "text_indexer", None)
    try:
        request = env["request"]
        with request.tm:
            yield request.root if getattr(request, "root", None) is not None else env["root"], request
        if indexer is not None:  # a command leaves no stale words behind it for the servers (docs/search.md)
            indexer.stop()
            indexer.drain()
    finally:
        if indexer is not None:
            indexer.stop()
        env["closer"]()
        for db in getattr(env["registry"], "_zodb_databases", {}).values():
            db.close()  # release the FileStorage lock for the next user of the file


def usage(script, extra=""):
    print(f"usage: {script} CONFIG.ini{extra}", file=sys.stderr)
    return 2

"""Opening the portal from a configuration file for a command-line script."""

import contextlib
import sys

from pyramid.paster import bootstrap, setup_logging


@contextlib.contextmanager
def portal_env(config_uri):
    """Yield ``(root, request)`` inside a transaction that commits when the block succeeds."""
    setup_logging(config_uri)
    env = bootstrap(config_uri)
    try:
        request = env["request"]
        with request.tm:
            yield request.root if getattr(request, "root", None) is not None else env["root"], request
    finally:
        env["closer"]()
        for db in getattr(env["registry"], "_zodb_databases", {}).values():
            db.close()  # release the FileStorage lock for the next user of the file


def usage(script, extra=""):
    print(f"usage: {script} CONFIG.ini{extra}", file=sys.stderr)
    return 2

"""``portal-restore CONFIG SRC [--date YYYY-MM-DD[-HH[-MM[-SS]]]]``: put back the database of a backup
made by ``portal-backup`` (the newest, or the newest at or before the UTC date). The portal must be
stopped; what the restore replaces is kept beside it. See docs/operations.md.
"""

import argparse
import sys

from portal import postgresql
from portal.backups import BackupError, restore_filestorage, restore_postgresql
from portal.postgresql import PostgreSQLError
from portal.scripts.common import EXIT_IN_USE, configured_address, exit_if_in_use


def main(argv=None):
    parser = argparse.ArgumentParser(prog="portal-restore", description=__doc__)
    parser.add_argument("config")
    parser.add_argument("source")
    parser.add_argument("--date", help="UTC, YYYY-MM-DD[-HH[-MM[-SS]]]: the newest backup taken at or before it")
    args = parser.parse_args(argv)
    address = configured_address(args.config)
    try:
        if address.kind == "file":
            exit_if_in_use("portal-restore", address)
            stamp = restore_filestorage(address, args.source, args.date)
            print(f"portal-restore: {address.data_fs} restored from the backup {stamp}; the files it replaced "
                  "are kept beside it (….replaced-<time>)")
        elif address.kind == "postgresql":
            others = postgresql.other_connections(address)
            if others:
                print(f"portal-restore: the database {address.postgresql['dbname']} is in use ({others} connections, "
                      "running portals or other commands): stop the portal processes first", file=sys.stderr)
                return EXIT_IN_USE
            stamp, kept = restore_postgresql(address, args.source, args.date)
            print(f"portal-restore: database {address.postgresql['dbname']} restored from the backup {stamp}; the "
                  f"database it replaced is kept as {kept} (drop it once satisfied)")
        else:
            print(f"portal-restore: a {address.kind} database is not restored from here (see docs/operations.md)", file=sys.stderr)
            return 2
    except (BackupError, PostgreSQLError) as exc:
        print(f"portal-restore: {exc}", file=sys.stderr)
        return 1
    return 0

"""``portal-backup CONFIG DEST [--full]``: back up the configured database into the folder DEST.

FileStorage: repozo, incremental unless ``--full`` (or none is possible), with the blob folder; it runs
while the portal runs. PostgreSQL: a full ``pg_dump`` (blobs are in the database). See docs/operations.md.
"""

import argparse
import sys

from portal.backups import BackupError, backup_filestorage, backup_postgresql
from portal.postgresql import PostgreSQLError
from portal.scripts.common import configured_address


def main(argv=None):
    parser = argparse.ArgumentParser(prog="portal-backup", description=__doc__)
    parser.add_argument("config")
    parser.add_argument("destination")
    parser.add_argument("--full", action="store_true", help="a full FileStorage backup even if an incremental one is possible")
    args = parser.parse_args(argv)
    address = configured_address(args.config)
    try:
        if address.kind == "file":
            stamp, kind = backup_filestorage(address, args.destination, full=args.full)
            if stamp is None:
                print("portal-backup: nothing changed since the last backup; no new backup was needed")
                return 0
            print(f"portal-backup: {kind} backup {stamp} of {address.data_fs} (with its blobs) in {args.destination}")
        elif address.kind == "postgresql":
            stamp = backup_postgresql(address, args.destination)
            print(f"portal-backup: database {address.postgresql['dbname']} dumped as {args.destination}/postgresql/{stamp}.dump")
        else:
            print(f"portal-backup: a {address.kind} database is not backed up from here: back up the storage behind "
                  "it (for ZEO, the server's FileStorage; see docs/operations.md)", file=sys.stderr)
            return 2
    except (BackupError, PostgreSQLError) as exc:
        print(f"portal-backup: {exc}", file=sys.stderr)
        return 1
    return 0

"""``portal-pack CONFIG --days N``: remove the history older than N days (earlier revisions of objects, and
objects no longer reachable). What is current stays, the audit log included: it is application data,
not history. A FileStorage is packed with the portal stopped; PostgreSQL and ZEO while it runs.
"""

import argparse
import sys

from portal.databases import pack
from portal.scripts.common import configured_address, exit_if_in_use


def _size(address):
    return address.data_fs.stat().st_size if address.kind == "file" and address.data_fs.exists() else None


def main(argv=None):
    parser = argparse.ArgumentParser(prog="portal-pack", description=__doc__)
    parser.add_argument("config")
    parser.add_argument("--days", type=float, required=True, help="keep the history of the last N days (0: none)")
    args = parser.parse_args(argv)
    if args.days < 0:
        parser.error("--days must be 0 or more")
    address = configured_address(args.config)
    if address.kind == "memory":
        print("portal-pack: an in-memory database has nothing to pack", file=sys.stderr)
        return 2
    exit_if_in_use("portal-pack", address)
    before = _size(address)
    pack(address, args.days)
    after = _size(address)
    sizes = f" ({before:,} bytes before, {after:,} after)" if before is not None else ""
    print(f"portal-pack: history older than {args.days:g} days removed{sizes}")
    return 0

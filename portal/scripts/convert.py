"""``portal-convert SOURCE DESTINATION``: copy a whole database, with its blobs and its history, into an
empty one; typically a FileStorage into PostgreSQL. Each of SOURCE and DESTINATION is an ``.ini`` file
(its ``zodbconn.uri``) or a storage URI. The portal must be stopped while a FileStorage is copied.
"""

import argparse
import sys

from ZODB.TimeStamp import TimeStamp

from portal.databases import UnsupportedStorage, address_of, copy_database, is_empty, open_storage, uri_from
from portal.scripts.common import exit_if_in_use


def main(argv=None):
    parser = argparse.ArgumentParser(prog="portal-convert", description=__doc__)
    parser.add_argument("source", help="an .ini file or a storage URI (file://…)")
    parser.add_argument("destination", help="an .ini file or a storage URI (postgres://…), of an empty database")
    args = parser.parse_args(argv)
    try:
        source_address, destination_address = address_of(uri_from(args.source)), address_of(uri_from(args.destination))
    except UnsupportedStorage as exc:
        parser.error(str(exc))
    if source_address.uri == destination_address.uri:
        parser.error("the source and the destination are the same database")
    for address in (source_address, destination_address):
        exit_if_in_use("portal-convert", address)
    source = open_storage(source_address, read_only=True)
    try:
        destination = open_storage(destination_address)
        try:
            if not is_empty(destination):
                print("portal-convert: the destination database is not empty; nothing was copied (convert into a new, "
                      "empty database)", file=sys.stderr)
                return 1
            last = copy_database(source, destination)
        finally:
            destination.close()
    finally:
        source.close()
    print(f"portal-convert: copied the database with its history and blobs (last transaction {TimeStamp(last)} UTC). "
          "Point zodbconn.uri at the destination and start the portal.")
    return 0

"""``portal-reindex CONFIG``: rebuild the search index from the tree (docs/search.md), in one transaction;
readers keep the old index until it commits."""

import argparse
import time

from content.catalog import rebuild_index
from portal.scripts.common import portal_env


def main(argv=None):
    parser = argparse.ArgumentParser(prog="portal-reindex", description=__doc__)
    parser.add_argument("config")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    with portal_env(args.config, "portal-reindex") as (root, _request):
        count = rebuild_index(root)
    print(f"indexed {count} documents in {time.perf_counter() - began:.1f} s")
    return 0

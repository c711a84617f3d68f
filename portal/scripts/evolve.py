"""``portal-evolve CONFIG [--dry-run]``: show or apply pending schema migrations (startup applies them too)."""

import argparse

from content.evolve import evolve, latest_generation, pending
from portal.scripts.common import portal_env


def main(argv=None):
    parser = argparse.ArgumentParser(prog="portal-evolve", description=__doc__)
    parser.add_argument("config")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    with portal_env(args.config, "portal-evolve") as (root, request):
        steps = pending(root)
        print(f"generation {root.generation} of {latest_generation()}")
        for generation, description in steps:
            print(f"  pending {generation}: {description}")
        if steps and not args.dry_run:
            evolve(root, actor="portal-evolve")
            print(f"now at generation {root.generation}")
        if args.dry_run:
            request.tm.abort()
            request.tm.begin()
    return 0

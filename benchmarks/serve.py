"""Serve one app of the benchmark with waitress: ``serve.py hello PORT`` or ``serve.py portal PORT SETTINGS.json``.

The portal's database must already exist (``bench_states.py`` creates it, with its user, before serving).
"""

import argparse
import json

import waitress

THREADS = 4


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("which", choices=("hello", "portal"))
    parser.add_argument("port", type=int)
    parser.add_argument("settings", nargs="?", help="JSON file of the portal's settings (portal only)")
    args = parser.parse_args()
    if args.which == "hello":
        from hello_app import app
    else:
        if not args.settings:
            parser.error("portal needs a settings file")
        from portal import main as portal_main

        with open(args.settings, encoding="utf-8") as f:
            app = portal_main({}, **json.load(f))
    waitress.serve(app, host="127.0.0.1", port=args.port, threads=THREADS)


if __name__ == "__main__":
    main()

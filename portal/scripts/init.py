"""``portal-init CONFIG``: create the database and a first administrator (password from a prompt or PORTAL_ADMIN_PASSWORD)."""

import argparse
import getpass
import os
import sys

from content.users import User, password_problem
from portal.scripts.common import portal_env
from workflows import get_workflow


def create_admin(root, login, password, fullname="Administrator", email="admin@localhost"):
    """Create an active administrator account; returns False when ``login`` exists already."""
    users = root["users"]
    if login in users:
        return False
    user = User(login, fullname, email, "admin")
    user.set_password(password)
    users.add(login, user)
    workflow = get_workflow(user)
    workflow.initialize(user, actor="portal-init")
    workflow.fire(user, None, "activate", check_permission=False, actor="portal-init")
    return True


def read_password():
    password = os.environ.get("PORTAL_ADMIN_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        raise SystemExit("portal-init: set PORTAL_ADMIN_PASSWORD or run in a terminal to be asked for the password")
    first = getpass.getpass("Password for the administrator: ")
    if getpass.getpass("Repeat it: ") != first:
        raise SystemExit("portal-init: the two passwords differ")
    return first


def main(argv=None):
    parser = argparse.ArgumentParser(prog="portal-init", description=__doc__)
    parser.add_argument("config")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--email", default="admin@localhost")
    args = parser.parse_args(argv)
    with portal_env(args.config, "portal-init") as (root, request):
        if args.login in root["users"]:
            print(f"portal-init: the database exists and already has the account {args.login!r}; nothing changed")
            return 0
        password = read_password()
        problem = password_problem(password, User(args.login, "", args.email, "admin"))
        if problem is not None:
            raise SystemExit("portal-init: " + problem.interpolate())
        create_admin(root, args.login, password, email=args.email)
    print(f"portal-init: database ready, administrator {args.login!r} created")
    return 0

"""``portal-demo CONFIG``: the demo world (idempotent); refuses to run unless the configuration is a development one."""

import argparse

from pyramid.paster import get_appsettings
from pyramid.settings import asbool

from content.users import User, hash_password
from portal.scripts.common import portal_env
from workflows import get_workflow

DEMO_PASSWORD = "review-portal-demo"
STAFF = (
    ("admin", "Portal Administrator", "admin"),
    ("secretariat", "Secretariat Officer", "secretariat"),
    ("observer", "Review Group Observer", "observer"),
)


def _add_active(users, login, fullname, function, state, password_hash):
    user = User(login, fullname, f"{login}@demo.invalid", function, state=state)
    user.password_hash = password_hash
    users.add(login, user)
    workflow = get_workflow(user)
    workflow.initialize(user, actor="portal-demo")
    workflow.fire(user, None, "activate", check_permission=False, actor="portal-demo")
    return user


def build_demo(root):
    """Create the demo accounts that are missing; returns how many were created."""
    users = root["users"]
    # One hash for all demo accounts: hashing ~400 times with argon2 would take a minute.
    shared_hash = hash_password(DEMO_PASSWORD)
    created = 0
    for login, fullname, function in STAFF:
        if login not in users:
            _add_active(users, login, fullname, function, None, shared_hash)
            created += 1
    for state in root["states"].values():
        if not state.is_party("UNTOC"):
            continue
        for suffix, function, label in (("fp", "focal-point", "Focal point"), ("expert", "expert", "Governmental expert")):
            login = f"{state.iso3.lower()}-{suffix}"
            if login not in users:
                _add_active(users, login, f"{label}, {state.name('en')}", function, state.iso3, shared_hash)
                created += 1
    return created


def main(argv=None):
    parser = argparse.ArgumentParser(prog="portal-demo", description=__doc__)
    parser.add_argument("config")
    args = parser.parse_args(argv)
    settings = get_appsettings(args.config)
    if not asbool(settings.get("portal.development", False)):
        raise SystemExit("portal-demo: refusing to run: the configuration is not marked portal.development = true")
    with portal_env(args.config) as (root, request):
        created = build_demo(root)
    print(f"portal-demo: {created} demo account(s) created; password for all: {DEMO_PASSWORD}")
    return 0

"""Throttling of failed logins, per login name and per client address, kept in the database."""

import time

WINDOW_SECONDS = 15 * 60
LIMITS = {"login": 5, "ip": 20}


def _key(kind, value):
    return f"{kind}:{(value or '').lower()[:100]}"


def locked_for(root, kind, value, now=None):
    """Seconds until another attempt is allowed for this login/address, or 0."""
    now = now or time.time()
    failures = [t for t in root.login_failures.get(_key(kind, value), ()) if t > now - WINDOW_SECONDS]
    if len(failures) < LIMITS[kind]:
        return 0
    return int(failures[-LIMITS[kind]] + WINDOW_SECONDS - now) + 1


def record_failure(root, kind, value, now=None):
    now = now or time.time()
    key = _key(kind, value)
    recent = [t for t in root.login_failures.get(key, ()) if t > now - WINDOW_SECONDS]
    root.login_failures[key] = tuple((recent + [now])[-LIMITS[kind]:])


def clear(root, kind, value):
    key = _key(kind, value)
    if key in root.login_failures:
        del root.login_failures[key]

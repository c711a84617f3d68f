"""Settings the application's modules share: the session cookie's name and reading secrets from the
environment (``env:NAME``)."""

import os

SESSION_COOKIE = "portal_session"


def setting_from_env(settings, key, env_name):
    """A setting written as ``env:NAME`` is read from the environment (production secrets); when it is
    empty, the environment variable ``env_name`` is."""
    value = settings.get(key, "")
    if isinstance(value, str) and value.startswith("env:"):
        value = os.environ.get(value[4:], "")
    if not value and env_name:
        value = os.environ.get(env_name, "")
    return value

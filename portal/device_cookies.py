"""Device cookies (OWASP): a browser that signed in to a login before carries a signed cookie naming it,
and signs in to that login past a lock that strangers' failures put on it."""

import base64
import hashlib
import hmac
import secrets

from pyramid.settings import asbool

from content.users import LOGIN_PATTERN

DEVICE_COOKIE = "portal_device"
MAX_AGE = 180 * 24 * 3600


def _signature(request, login, nonce):
    secret = request.registry.device_cookie_key
    digest = hmac.new(secret, f"{nonce}.{login}".encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode("ascii")


def key_from_secret(secret):
    """The cookies' signing key, derived from the session secret (so it is not the same key)."""
    return hmac.new(secret.encode("utf-8"), b"review-portal device cookie", hashlib.sha256).digest()


def device_nonce(request, login):
    """The nonce of a valid device cookie for ``login`` in this request, or None."""
    value = (request.cookies.get(DEVICE_COOKIE) or "").strip('"')
    parts = value.split(".", 2)
    if len(parts) != 3 or parts[2] != login or not LOGIN_PATTERN.match(login):
        return None
    nonce, signature, _login = parts
    if not nonce.isascii() or not hmac.compare_digest(signature.encode("ascii", "replace"),
                                                      _signature(request, login, nonce).encode("ascii")):
        return None
    return nonce


def issue(request, response, login):
    """Give this browser a fresh device cookie for ``login`` (after a successful sign-in or reset)."""
    nonce = secrets.token_urlsafe(12)
    response.set_cookie(
        DEVICE_COOKIE, f"{nonce}.{_signature(request, login, nonce)}.{login}", max_age=MAX_AGE, path="/",
        httponly=True, samesite="Lax", secure=asbool(request.registry.settings.get("portal.session_secure", False)),
    )

"""Whole-response cache for anonymous GET requests, invalidated by any database commit.

Anonymous readers all have the same principals, so a public page depends only on its address and
the negotiated language. Entries are stamped with the database's last transaction id when the
request started; any commit changes that id and so retires every entry. Requests that carry a
session cookie never touch the cache, and only 200 responses that set no cookie are stored.
"""

import hashlib

from pyramid.response import Response
from webob import Request

from portal import SESSION_COOKIE
from portal.i18n import negotiate_locale
from portal.lru import LRUCache

CACHEABLE_TYPES = ("text/html", "application/json")
ANONYMOUS_CACHE_CONTROL = "public, no-cache"


def _cacheable(response, max_body):
    return (
        response.status_int == 200
        and "Set-Cookie" not in response.headers
        and (response.content_type or "") in CACHEABLE_TYPES
        and response.content_length is not None
        and response.content_length <= max_body
    )


def _replay(request, entry):
    _tid, status, headerlist, body, etag = entry
    response = Response(status=status, headerlist=list(headerlist), body=body if request.method == "GET" else b"")
    if request.if_none_match and etag in request.if_none_match:
        response = Response(status=304, headerlist=[(k, v) for k, v in headerlist if k.lower() in ("etag", "cache-control", "vary")])
    return response


class AnonymousCacheMiddleware:
    """WSGI middleware around the Pyramid app: sees final responses (cookies included) and answers hits
    without entering Pyramid at all. ``registry`` is exposed like the router's, for scripts and tests."""

    def __init__(self, app, registry):
        self.app = app
        self.registry = registry
        settings = registry.settings
        self.enabled = str(settings.get("portal.anonymous_cache", "true")).lower() in ("true", "1", "yes", "on")
        self.cache = LRUCache(max_entries=int(settings.get("portal.anonymous_cache_entries", 2000)))
        self.db = registry._zodb_databases[""]

    def __call__(self, environ, start_response):
        request = Request(environ)
        if not self.enabled or request.method not in ("GET", "HEAD") or SESSION_COOKIE in request.cookies:
            return self.app(environ, start_response)
        tid = self.db.lastTransaction()
        key = (request.path_qs, negotiate_locale(request))
        entry = self.cache.get(key, lambda e: e[0] == tid)
        if entry is None:
            response = request.get_response(self.app)
            if not _cacheable(response, self.cache.max_body):
                return response(environ, start_response)
            response.cache_control = ANONYMOUS_CACHE_CONTROL
            body = response.body
            response.etag = hashlib.sha256(body).hexdigest()[:32]
            entry = (tid, response.status, tuple(response.headerlist), body, response.etag)
            if request.method == "GET":
                self.cache.put(key, entry)
        return _replay(request, entry)(environ, start_response)

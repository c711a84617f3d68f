"""Whole-response cache for anonymous GET requests, invalidated by any database commit.

Anonymous readers all have the same principals, so a public page depends only on its address (scheme,
host, path and query: links in pages are absolute) and the negotiated language. Responses carry an ETag (of the body) and Last-Modified (the last commit), and
conditional requests get 304. Entries are stamped with the database's last transaction id when the
request started, as every process sees it (``portal/last_commit.py``); any commit, through any process,
changes that id and so retires every entry. Requests that carry a
session cookie never touch the cache, and only 200 responses that set no cookie (but the reader's
language, set again on each replay) are stored.
"""

import hashlib
import logging
import math
import time
from datetime import datetime, timezone

from pyramid.response import Response
from webob import Request
from ZODB.TimeStamp import TimeStamp

from portal.settings import SESSION_COOKIE
from portal.i18n import LANGUAGE_COOKIE, negotiate_locale, set_language_cookie
from portal.lru import LRUCache

log = logging.getLogger(__name__)
CACHEABLE_TYPES = ("text/html", "application/json")
ANONYMOUS_CACHE_CONTROL = "public, no-cache"


def _only_language_cookie(response):
    """True when the response sets no cookie but the reader's language (which the replay sets again)."""
    return all(value.startswith(LANGUAGE_COOKIE + "=") for value in response.headers.getall("Set-Cookie"))


def _cacheable(response, max_body):
    return (
        response.status_int == 200
        and "no-store" not in response.headers.get("Cache-Control", "")
        and _only_language_cookie(response)
        and (response.content_type or "") in CACHEABLE_TYPES
        and response.content_length is not None
        and response.content_length <= max_body
    )


def last_modified(tid, now):
    """Last-Modified of every public page: the end of the second of the last commit (``tid``), once that
    second is over. Within it another commit could still come with the same date, so no date is given
    then (the ETag still validates); this way a date never stands for two different pages."""
    end = math.floor(TimeStamp(tid).timeTime()) + 1
    return datetime.fromtimestamp(end, timezone.utc) if now >= end else None


def _not_modified(request, etag, modified):
    """A conditional GET is answered 304 when the reader's copy is current: its ETag matches or, when it
    sent no ETag, its date is not older than the page's."""
    if request.if_none_match:
        return etag in request.if_none_match
    since = request.if_modified_since
    return since is not None and modified is not None and since >= modified


def _replay(request, entry):
    tid, status, headerlist, body, etag = entry
    response = Response(status=status, headerlist=list(headerlist), body=body if request.method == "GET" else b"")
    modified = last_modified(tid, time.time())
    if modified is not None:
        response.last_modified = modified
        headerlist = response.headerlist
    if _not_modified(request, etag, modified):
        kept = ("etag", "cache-control", "vary", "last-modified")
        response = Response(status=304, headerlist=[(k, v) for k, v in headerlist if k.lower() in kept])
    set_language_cookie(request, response)  # a shared ``?lang=`` address is cached and still remembered
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

    def __call__(self, environ, start_response):
        request = Request(environ)
        if not self.enabled or request.method not in ("GET", "HEAD") or SESSION_COOKIE in request.cookies:
            return self.app(environ, start_response)
        try:
            # Pages carry absolute links built from the request's scheme and host: both are part of the key,
            # so that a request with a foreign Host header never changes what others get.
            key = (request.path_qs, negotiate_locale(request), request.host_url)
        except UnicodeDecodeError:  # an address that is not UTF-8: the app answers with its 400 page
            return self.app(environ, start_response)
        try:
            tid = self.registry.last_commit()
        except Exception:  # noqa: BLE001  (the database does not answer: the app's own error pages say so)
            log.warning("the database's last commit is unknown; serving without the cache", exc_info=True)
            return self.app(environ, start_response)
        entry = self.cache.get(key, lambda e: e[0] == tid)
        if entry is None:
            response = request.get_response(self.app)
            if not _cacheable(response, self.cache.max_body):
                return response(environ, start_response)
            response.cache_control = ANONYMOUS_CACHE_CONTROL
            body = response.body
            if "Set-Cookie" in response.headers:
                del response.headers["Set-Cookie"]
            response.etag = hashlib.sha256(body).hexdigest()[:32]
            entry = (tid, response.status, tuple(response.headerlist), body, response.etag)
            if request.method == "GET":
                self.cache.put(key, entry)
        return _replay(request, entry)(environ, start_response)

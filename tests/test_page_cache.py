"""The signed-in page cache: keyed by principals, retired by commits, never outliving a session."""

import re
import time

import pytest

from portal import SESSION_COOKIE

from .conftest import sign_in

# Caching depends on how the storage reports commits: every test runs on a FileStorage and on PostgreSQL.
pytestmark = pytest.mark.storages("file", "relstorage")


def entries(portal):
    return portal.wsgi.registry.page_cache.entries


def token_in(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def test_second_request_is_served_from_the_cache(portal, signed_in):
    client = signed_in("ken-fp")
    first = client.get("/states/KEN")
    assert len(entries(portal)) == 1
    second = client.get("/states/KEN")
    assert second.text == first.text
    assert second.headers["Cache-Control"] == "private, no-store"


def test_each_session_gets_its_own_csrf_token(portal):
    portal.add_user("ken-fp")
    one, two = portal.client(), portal.client()
    sign_in(one, "ken-fp")
    sign_in(two, "ken-fp")
    page_one = one.get("/states/KEN")
    page_two = two.get("/states/KEN")  # same principals: served from the cache
    assert token_in(page_one) != token_in(page_two)
    assert token_in(page_two) == two.get("/@@login").html.find("input", {"name": "csrf_token"})["value"]
    # The token really works: signing out with it succeeds.
    two.post("/@@logout", {"csrf_token": token_in(page_two)}, status=303)


def test_different_principals_never_share_a_page(portal, signed_in):
    ken = signed_in("ken-fp")
    fra = signed_in("fra-fp", state="FRA")
    assert ken.get("/users/ken-fp/@@json").json["login"] == "ken-fp"
    fra.get("/users/ken-fp/@@json", status=403)
    sec = signed_in("sec", function="secretariat", state=None)
    assert "(<bdi>sec</bdi>)" in sec.get("/states/KEN").text
    assert "(<bdi>ken-fp</bdi>)" in ken.get("/states/KEN").text


def test_a_cookie_replayed_after_logout_gets_nothing_from_the_cache(portal, signed_in):
    client = signed_in("ken-fp")
    client.get("/users/ken-fp/@@json")
    client.get("/users/ken-fp/@@json")  # now cached
    stolen = client.cookies[SESSION_COOKIE]
    client.post("/@@logout", {"csrf_token": token_in(client.get("/states/KEN"))}, status=303)
    thief = portal.client()
    thief.set_cookie(SESSION_COOKIE, stolen)
    thief.get("/users/ken-fp/@@json", status=403)


def test_deactivation_retires_cached_pages_at_once(portal, signed_in):
    client = signed_in("ken-fp")
    client.get("/users/ken-fp/@@json")
    client.get("/users/ken-fp/@@json")
    with portal.root() as root:
        user = root["users"]["ken-fp"]
        user.workflow_state = "deactivated"
        user.end_all_sessions()
    client.get("/users/ken-fp/@@json", status=403)


def test_absolute_timeout_applies_to_cached_pages(portal, signed_in, monkeypatch):
    client = signed_in("ken-fp")
    client.get("/users/ken-fp/@@json")
    real = time.time
    offset = 0
    steps = [1200 * i for i in range(1, 36)] + [12 * 3600 - 20]
    for offset in steps:
        monkeypatch.setattr(time, "time", lambda o=offset: real() + o)
        client.get("/users/ken-fp/@@json", status=200)
    # 25 seconds later: the cached page is still fresh, but the session is over.
    monkeypatch.setattr(time, "time", lambda: real() + 12 * 3600 + 5)
    client.get("/users/ken-fp/@@json", status=403)


def test_cached_pages_expire(portal, signed_in, monkeypatch):
    from portal import page_cache

    client = signed_in("ken-fp")
    client.get("/states/KEN")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + page_cache.TTL + 1)
    client.get("/states/KEN")
    # The expired entry was replaced by a fresh one.
    assert all(entry[0] > real() + page_cache.TTL for entry in entries(portal).values())


def test_pending_flash_messages_bypass_the_cache(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    sec.get("/states/KEN")
    form = sec.get("/states/KEN/@@edit").forms["deform"]
    form["name_fr"] = "Kenya (corrigé)"
    page = form.submit("save").follow()
    assert "1 field changed." in page.text
    assert "Kenya (corrigé)" in sec.get("/states/KEN?lang=fr").text

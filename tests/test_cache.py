"""The anonymous response cache: public pages only, per language, retired by any commit; HTTP cache headers."""

import pytest

from .conftest import sign_in

# Caching depends on how the storage reports commits: every test runs on a FileStorage and on PostgreSQL.
pytestmark = pytest.mark.storages("file", "relstorage")


def cache_of(portal):
    return portal.wsgi.cache


def test_anonymous_pages_are_cached_and_revalidated(portal, anon):
    first = anon.get("/states/KEN")
    assert first.headers["Cache-Control"] == "public, no-cache"
    etag = first.headers["ETag"]
    assert len(cache_of(portal).entries) == 1
    second = anon.get("/states/KEN")
    assert second.body == first.body and second.headers["ETag"] == etag
    not_modified = anon.get("/states/KEN", headers={"If-None-Match": etag}, status=304)
    assert not_modified.body == b""


def test_cache_is_keyed_by_language(portal):
    fr = portal.client().get("/states/KEN", headers={"Accept-Language": "fr"})
    ru = portal.client().get("/states/KEN", headers={"Accept-Language": "ru"})
    assert 'lang="fr"' in fr.text and 'lang="ru"' in ru.text
    assert len(cache_of(portal).entries) == 2


def test_any_commit_retires_cached_pages(portal, anon):
    assert "Kenya (renamed)" not in anon.get("/states/KEN").text
    with portal.root() as root:
        root["states"]["KEN"].set_field("name_en", "Kenya (renamed)", "test", "test")
    assert "Kenya (renamed)" in anon.get("/states/KEN").text


def test_signed_in_requests_bypass_the_cache_and_are_private(portal, anon, signed_in):
    anon.get("/states/KEN")
    client = signed_in("ken-fp")
    page = client.get("/states/KEN")
    assert "(<bdi>ken-fp</bdi>)" in page.text  # not the cached anonymous page
    assert page.headers["Cache-Control"] == "private, no-store"
    assert client.get("/users/ken-fp/@@json").headers["Cache-Control"] == "private, no-store"


def test_responses_that_set_cookies_or_fail_are_not_cached(portal, anon):
    anon.get("/@@login")  # sets the session cookie (CSRF token)
    portal.client().get("/states/XYZ", status=404)
    assert cache_of(portal).entries == {} or all(
        key[0] not in ("/@@login", "/states/XYZ") for key in cache_of(portal).entries
    )


def test_a_shared_language_address_is_cached_and_still_remembers_the_language(portal):
    first = portal.client().get("/states/KEN?lang=fr")
    assert "portal_lang=fr" in first.headers["Set-Cookie"] and 'lang="fr"' in first.text
    assert [key for key in cache_of(portal).entries if key[0] == "/states/KEN?lang=fr"]
    reader = portal.client()
    second = reader.get("/states/KEN?lang=fr")  # a hit: same page, and the choice is remembered
    assert second.body == first.body and "portal_lang=fr" in second.headers["Set-Cookie"]
    assert 'lang="fr"' in reader.get("/states/KEN").text
    assert "Set-Cookie" not in reader.get("/states/KEN?lang=fr").headers  # already remembered


def test_last_modified_is_given_once_the_second_of_the_last_commit_is_over():
    from ZODB.TimeStamp import TimeStamp

    from portal.cache import last_modified

    tid = TimeStamp(2026, 11, 30, 12, 0, 7.25).raw()
    end = TimeStamp(2026, 11, 30, 12, 0, 8).timeTime()
    assert last_modified(tid, end - 0.5) is None  # another commit may still come in that second
    assert last_modified(tid, end).isoformat() == "2026-11-30T12:00:08+00:00"


def test_public_pages_carry_last_modified_and_answer_conditional_requests(portal, anon):
    import time

    with portal.root() as root:
        root["states"]["KEN"].set_field("name_en", "Kenya (before)", "test", "test")
    time.sleep(1.05)  # the commit's second is over: the pages may carry its date
    first = anon.get("/states/KEN")
    stamp = first.headers["Last-Modified"]
    assert anon.get("/states/KEN", headers={"If-Modified-Since": stamp}, status=304).body == b""
    assert anon.get("/states/KEN", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}, status=200)
    with portal.root() as root:  # any commit makes every public page newer than the reader's copy
        root["states"]["KEN"].set_field("name_en", "Kenya (renamed)", "test", "test")
    again = anon.get("/states/KEN", headers={"If-Modified-Since": stamp}, status=200)
    assert "Kenya (renamed)" in again.text


def test_post_is_never_cached(portal, anon):
    portal.add_user("ken-fp")
    sign_in(portal.client(), "ken-fp")
    assert all(key[0] != "/@@login" for key in cache_of(portal).entries)


def test_cache_can_be_switched_off():
    from portal import main

    from .conftest import Portal, make_settings

    p = Portal(main({}, **make_settings(**{"portal.anonymous_cache": "false"})))
    p.client().get("/states/KEN")
    assert p.wsgi.cache.entries == {}
    p.db.close()



def test_a_foreign_host_header_never_changes_what_others_get(portal, anon):
    """Pages carry absolute links built from the Host header: a request naming another host gets its own
    cache entry, and the next reader of the real host gets links to the real host (issue 16)."""
    for path in ("/states/KEN", "/"):
        poisoned = portal.client().get(path, headers={"Host": "evil.example"})
        assert "http://evil.example/" in poisoned.text
        page = anon.get(path)
        assert "evil.example" not in page.text and "http://localhost/@@login" in page.text
        assert "evil.example" not in anon.get(path).text  # also when served from the cache


def test_an_address_that_is_not_utf8_gets_the_translated_400_page(portal, anon, signed_in):
    """The caches read the address before the app does; invalid UTF-8 in it was a bare 500 with a
    traceback (issue 16): it gets the app's translated 400 page, signed in or not."""
    from webob import Request

    cookie = "; ".join(f"{c.name}={c.value}" for c in signed_in("ken-fp").cookiejar)
    for path, query in (("/\xff", ""), ("/states/", "q=%ff"), ("/states/\xff/", "")):  # WSGI: bytes as latin-1
        for headers in ({}, {"Cookie": cookie}):
            request = Request.blank("/", headers={"Accept-Language": "fr", **headers})
            request.environ.update(PATH_INFO=path, QUERY_STRING=query)
            response = request.get_response(portal.wsgi)
            assert response.status_int == 400, (path, query, headers)
            assert "UTF-8" in response.text and 'lang="fr"' in response.text

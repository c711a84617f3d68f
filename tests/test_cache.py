"""The anonymous response cache: public pages only, per language, retired by any commit; HTTP cache headers."""

from .conftest import sign_in


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
    assert "Republic of Kenya" not in anon.get("/states/KEN").text
    with portal.root() as root:
        root["states"]["KEN"].set_field("name_en", "Republic of Kenya", "test", "test")
    assert "Republic of Kenya" in anon.get("/states/KEN").text


def test_signed_in_requests_bypass_the_cache_and_are_private(portal, anon, signed_in):
    anon.get("/states/KEN")
    client = signed_in("ken-fp")
    page = client.get("/states/KEN")
    assert "(<bdi>ken-fp</bdi>)" in page.text  # not the cached anonymous page
    assert page.headers["Cache-Control"] == "private, no-store"
    assert client.get("/users/ken-fp/@@json").headers["Cache-Control"] == "private, no-store"


def test_responses_that_set_cookies_or_fail_are_not_cached(portal, anon):
    anon.get("/@@login")  # sets the session cookie (CSRF token)
    portal.client().get("/states/KEN?lang=fr")  # sets the language cookie
    portal.client().get("/states/XYZ", status=404)
    assert cache_of(portal).entries == {} or all(
        key[0] not in ("/@@login", "/states/KEN?lang=fr", "/states/XYZ") for key in cache_of(portal).entries
    )


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


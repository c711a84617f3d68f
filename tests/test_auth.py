"""Sign-in and sessions: cookies, CSRF, throttling, timeouts, logout, password change, nomination and activation."""

import re
import time
from datetime import timedelta

import pytest

from content import users as users_module
from portal import SESSION_COOKIE

from .conftest import PASSWORD, csrf_from, last_form, make_settings, sign_in


def session_cookie(client):
    return client.cookies.get(SESSION_COOKIE)


def whoami(client):
    """The signed-in login according to the page header, or None."""
    page = client.get("/")
    match = re.search(r'class="who"><bdi>[^<]*</bdi> \(<bdi>([^<]+)</bdi>\)', page.text)
    return match.group(1) if match else None


def test_login_and_logout(portal, anon):
    portal.add_user("ken-fp")
    sign_in(anon, "ken-fp")
    assert whoami(anon) == "ken-fp"
    page = anon.get("/")
    page.forms[0].submit(status=303) if page.forms[0].action.endswith("@@logout") else pytest.fail("no logout form")
    assert whoami(anon) is None


def test_wrong_password_is_refused_with_a_clear_message(portal, anon):
    portal.add_user("ken-fp")
    r = sign_in(anon, "ken-fp", "wrong password here", status=200)
    assert "The login name or password is wrong, or the account is not active." in r.text
    r = sign_in(anon, "nobody", "whatever", status=200)
    assert "The login name or password is wrong, or the account is not active." in r.text
    assert whoami(anon) is None


def test_session_cookie_flags(portal, anon):
    portal.add_user("ken-fp")
    r = sign_in(anon, "ken-fp")
    header = [v for k, v in r.headerlist if k == "Set-Cookie" and v.startswith(SESSION_COOKIE)][-1]
    assert "HttpOnly" in header and "SameSite=Lax" in header and "secure" not in header.lower()


def test_secure_cookie_when_configured():
    from webtest import TestApp

    from portal import main

    from .conftest import Portal

    p = Portal(main({}, **make_settings(**{"portal.session_secure": "true"})))
    p.add_user("ken-fp")
    client = TestApp(p.wsgi, extra_environ={"wsgi.url_scheme": "https", "HTTP_HOST": "portal.example:443"})
    r = sign_in(client, "ken-fp")
    header = [v for k, v in r.headerlist if k == "Set-Cookie" and v.startswith(SESSION_COOKIE)][-1]
    assert "secure" in header.lower()


def test_forged_post_without_csrf_token_is_rejected(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    r = sec.post("/users/@@nominate", {"nominate": "1", "login": "forged", "fullname": "Forged", "email": "f@example.org",
                                       "function": "focal-point", "state": "KEN", "language": "en"}, status=400)
    assert "The form has expired" in r.text
    assert "forged" not in sec.get("/users/@@json").text
    r = sec.post("/@@logout", {"csrf_token": "not-the-token"}, status=400)
    assert whoami(sec) == "sec"


def test_login_post_without_csrf_token_is_rejected(portal, anon):
    portal.add_user("ken-fp")
    anon.post("/@@login", {"login": "ken-fp", "password": PASSWORD}, status=400)
    assert whoami(anon) is None


def test_a_new_session_at_login(portal, anon):
    portal.add_user("ken-fp")
    anon.get("/@@login")
    before = session_cookie(anon)
    sign_in(anon, "ken-fp")
    assert session_cookie(anon) != before
    # The pre-login cookie does not carry the login.
    other = portal.client()
    other.set_cookie(SESSION_COOKIE, before)
    assert whoami(other) is None


def test_logout_ends_the_session_server_side(portal, anon):
    portal.add_user("ken-fp")
    sign_in(anon, "ken-fp")
    stolen = session_cookie(anon)
    anon.get("/").forms[0].submit(status=303)
    replay = portal.client()
    replay.set_cookie(SESSION_COOKIE, stolen)
    assert whoami(replay) is None


def test_throttling_after_repeated_failures(portal, anon):
    portal.add_user("ken-fp")
    for _ in range(5):
        sign_in(anon, "ken-fp", "wrong password!", status=200)
    r = sign_in(anon, "ken-fp", PASSWORD, status=429)
    assert "Too many failed sign-in attempts" in r.text
    assert int(r.headers["Retry-After"]) > 0
    assert whoami(anon) is None
    # Another account from the same address is not locked by these five failures.
    portal.add_user("fra-fp", state="FRA")
    sign_in(anon, "fra-fp")


def test_throttling_per_address(portal):
    portal.add_user("ken-fp")
    attacker = portal.client(REMOTE_ADDR="198.51.100.7")
    for i in range(20):
        sign_in(attacker, f"guess{i}", "wrong password!", status=200)
    sign_in(attacker, "ken-fp", PASSWORD, status=429)
    sign_in(portal.client(REMOTE_ADDR="198.51.100.8"), "ken-fp", PASSWORD)


def test_throttle_window_expires(portal, anon, monkeypatch):
    portal.add_user("ken-fp")
    for _ in range(5):
        sign_in(anon, "ken-fp", "wrong password!", status=200)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 16 * 60)
    sign_in(anon, "ken-fp")


def test_idle_timeout(portal, anon, monkeypatch):
    portal.add_user("ken-fp")
    sign_in(anon, "ken-fp")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 1000)
    assert whoami(anon) == "ken-fp"  # within the 30 minutes, activity renews the session
    monkeypatch.setattr(time, "time", lambda: real() + 1000 + 1801)
    assert whoami(anon) is None


def test_absolute_timeout(portal, anon, monkeypatch):
    portal.add_user("ken-fp")
    sign_in(anon, "ken-fp")
    real = time.time
    offset = 0
    # Stay active every 20 minutes for 12 hours: the session still ends.
    while offset < 12 * 3600 - 1200:
        offset += 1200
        monkeypatch.setattr(time, "time", lambda o=offset: real() + o)
        assert whoami(anon) == "ken-fp"
    monkeypatch.setattr(time, "time", lambda: real() + 12 * 3600 + 10)
    assert whoami(anon) is None


def _password_form(client, login):
    return last_form(client.get(f"/users/{login}/@@password"))


def test_password_change(portal, anon):
    portal.add_user("ken-fp")
    sign_in(anon, "ken-fp")
    other_device = portal.client()
    sign_in(other_device, "ken-fp")
    form = _password_form(anon, "ken-fp")
    form["current"] = "not my password"
    form["new"] = form["new-confirm"] = "a brand new passphrase"
    r = form.submit("save", status=200)
    assert "The current password is wrong." in r.text
    form = _password_form(anon, "ken-fp")
    form["current"] = PASSWORD
    form["new"] = form["new-confirm"] = "short"
    assert "at least 12 characters" in form.submit("save", status=200).text
    form = _password_form(anon, "ken-fp")
    form["current"] = PASSWORD
    form["new"] = form["new-confirm"] = "a brand new passphrase"
    form.submit("save", status=303)
    assert whoami(anon) == "ken-fp"
    assert whoami(other_device) is None  # other sessions end
    fresh = portal.client()
    sign_in(fresh, "ken-fp", PASSWORD, status=200)
    sign_in(fresh, "ken-fp", "a brand new passphrase")


def test_password_change_only_for_oneself(portal, signed_in):
    portal.add_user("fra-fp", state="FRA")
    ken = signed_in("ken-fp")
    ken.get("/users/fra-fp/@@password", status=403)


# -- nomination and activation ----------------------------------------------------------------

def nominate(client, status, **fields):
    form = last_form(client.get("/users/@@nominate"))
    values = {"login": "ken-new", "fullname": "Amina Njeri", "email": "amina@example.org", "function": "focal-point",
              "state": "KEN", "language": "fr"}
    values.update(fields)
    for key, value in values.items():
        form[key] = value
    return form.submit("nominate", status=status)


def activation_link(portal):
    body = portal.mailer.outbox[-1].body
    return re.search(r"http://localhost(/@@activate\?token=[\w-]+)", body).group(1)


def test_nomination_and_activation(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    nominate(sec, status=303)
    mail = portal.mailer.outbox[-1]
    assert mail.recipients == ["amina@example.org"]
    assert "Activez" in mail.subject or "activ" in mail.subject.lower()
    assert sec.get("/users/ken-new/@@json").json["workflow_state"] == "nominated"
    link = activation_link(portal)
    nominee = portal.client()
    page = nominee.get(link)
    form = last_form(page)
    form["password"] = "my own passphrase 1"
    form["confirm"] = "my own passphrase 2"
    assert "The two passwords differ." in form.submit(status=200).text
    form = last_form(nominee.get(link))
    form["password"] = form["confirm"] = "my own passphrase 1"
    form.submit(status=303)
    assert sec.get("/users/ken-new/@@json").json["workflow_state"] == "active"
    sign_in(nominee, "ken-new", "my own passphrase 1")
    assert whoami(nominee) == "ken-new"
    # Single use: the link is dead now.
    r = portal.client().get(link, status=400)
    assert "not valid" in r.text


def test_activation_link_expires_after_ten_days(portal, signed_in, monkeypatch):
    sec = signed_in("sec", function="secretariat", state=None)
    nominate(sec, status=303)
    link = activation_link(portal)
    real_now = users_module._now
    monkeypatch.setattr(users_module, "_now", lambda: real_now() + timedelta(days=9, hours=23))
    portal.client().get(link, status=200)
    monkeypatch.setattr(users_module, "_now", lambda: real_now() + timedelta(days=10, minutes=1))
    portal.client().get(link, status=400)


def test_resent_link_replaces_the_old_one(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    nominate(sec, status=303)
    first = activation_link(portal)
    last_form(sec.get("/users/ken-new/")).submit(status=303)
    second = activation_link(portal)
    assert first != second
    portal.client().get(first, status=400)
    portal.client().get(second, status=200)


def test_nomination_bad_input_changes_nothing(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    r = nominate(sec, login="Bad Login!", status=200)
    assert "lowercase letters" in r.text
    r = nominate(sec, fullname="x" * 300, status=200)
    assert "write at most 200 characters" in r.text
    r = nominate(sec, state="", status=200)
    assert "Choose the State that nominated this person." in r.text
    r = nominate(sec, email="not-an-address", status=200)
    assert "Write a valid e-mail address" in r.text
    assert "ken-new" not in sec.get("/users/@@json").text
    assert portal.mailer.outbox == []


def test_secretariat_cannot_create_staff_but_admin_can(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    form = last_form(sec.get("/users/@@nominate"))
    assert "secretariat" not in [o[0] for o in form["function"].options]
    admin = signed_in("adm", function="admin", state=None)
    form = last_form(admin.get("/users/@@nominate"))
    assert "secretariat" in [o[0] for o in form["function"].options]


def test_focal_points_cannot_nominate(portal, signed_in):
    fp = signed_in("ken-fp")
    fp.get("/users/@@nominate", status=403)


def test_deactivated_account_cannot_sign_in_and_its_password_is_not_confirmed(portal, anon):
    """The right password of a deactivated account gets the same answer as a wrong one (issue 16: the
    answer "not active" confirmed the password to whoever tried it)."""
    portal.add_user("ken-fp")
    with portal.root() as root:
        root["users"]["ken-fp"].workflow_state = "deactivated"
    right = sign_in(anon, "ken-fp", status=200)
    wrong = sign_in(portal.client(), "ken-fp", password="a wrong password, long enough", status=200)
    message = "The login name or password is wrong, or the account is not active."
    assert message in right.text and message in wrong.text
    assert "portal_session" not in anon.cookies or "ken-fp" not in anon.get("/").text


def test_non_utf8_form_bytes_are_a_clear_error(portal, anon):
    page = anon.get("/@@login")
    token = csrf_from(page)
    r = anon.post("/@@login", params=b"csrf_token=" + token.encode() + b"&login=%FF%FE&password=x",
                  content_type="application/x-www-form-urlencoded; charset=UTF-8", status=400)
    assert "not valid UTF-8" in r.text


def test_login_redirect_is_not_open(portal, anon):
    portal.add_user("ken-fp")
    page = anon.get("/@@login?came_from=https://evil.example/")
    form = last_form(page)
    form["login"], form["password"] = "ken-fp", PASSWORD
    r = form.submit(status=303)
    assert r.location == "http://localhost/"



def test_expired_session_ids_are_pruned_at_login(portal, anon, monkeypatch):
    portal.add_user("ken-fp")
    sign_in(anon, "ken-fp")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 13 * 3600)
    sign_in(portal.client(), "ken-fp")
    with portal.root() as root:
        assert len(root["users"]["ken-fp"].sessions) == 1


def test_a_came_from_with_control_characters_is_not_followed_and_the_sign_in_holds(portal, anon):
    """A ``came_from`` carrying CR/LF (a header injection attempt) gave a 500 after the right password and
    rolled the sign-in back (issue 16): it is ignored, as any unsafe address is."""
    portal.add_user("ken-fp")
    page = anon.get("/@@login")
    response = anon.post("/@@login", {"csrf_token": csrf_from(page), "login": "ken-fp", "password": PASSWORD,
                                      "came_from": "/states/\r\nSet-Cookie: injected=1"}, status=303)
    assert response.location == "http://localhost/" and "injected" not in str(response.headers)
    assert "(<bdi>ken-fp</bdi>)" in anon.get("/states/KEN").text

"""Each person's language (issue 20, point 6): the profile page (language, e-mail address, notifications), the
interface following the chosen language, the language given at nomination, and mails in the user's language."""

import re
from datetime import date, datetime, timezone

from babel.dates import format_date

from language import _, translate_with
from portal.i18n import LANGUAGE_COOKIE, localizer

from .conftest import PASSWORD, csrf_from, last_form, sign_in


def page_lang(page):
    return re.search(r'<html\s+lang="(\w+)"', page.text).group(1)


class ProfileForm:
    """The profile form, with the notification choice by its name (deform names its radio buttons by id)."""

    def __init__(self, form):
        self.form = form
        self.radio = next(name for name, fields in form.fields.items()
                          if any(value == "digest" for value, _checked, _text in getattr(fields[0], "options", ())))

    def __getitem__(self, key):
        return self.form[self.radio if key == "notifications" else key]

    def __setitem__(self, key, value):
        self.form[self.radio if key == "notifications" else key] = value

    def submit(self, *args, **kw):
        return self.form.submit(*args, **kw)

    def submit_fields(self, *args):
        return self.form.submit_fields(*args)


def profile_form(client, login):
    return ProfileForm(last_form(client.get(f"/users/{login}/@@profile")))


def user(portal, login):
    with portal.root() as root:
        found = root["users"][login]
        return {"language": found.language, "chosen": found.chosen_language, "email": found.email,
                "notifications": found.notifications, "history": list(found.workflow_history)}


# -- the interface follows the chosen language ---------------------------------------------------------------

def test_a_chosen_language_sets_the_next_pages_and_an_explicit_choice_still_wins(portal, signed_in):
    ken = signed_in("ken-fp")
    assert page_lang(ken.get("/")) == "en"
    assert 'href="http://localhost/users/ken-fp/@@profile"' in ken.get("/").text  # the header's link
    form = profile_form(ken, "ken-fp")
    form["language"] = "fr"
    saved = form.submit("save", status=303)
    assert ken.cookies.get(LANGUAGE_COOKIE) == "fr"  # visible at once, in this browser
    assert page_lang(saved.follow()) == "fr"
    assert page_lang(ken.get("/states/")) == "fr"  # no ?lang
    assert user(portal, "ken-fp")["language"] == "fr"
    assert page_lang(ken.get("/states/?lang=es")) == "es"  # the address's explicit choice wins for that request

    # Another browser, without the language cookie and with a Russian browser: the account's language, once
    # signed in; the browser's before.
    other = portal.client(HTTP_ACCEPT_LANGUAGE="ru")
    assert page_lang(other.get("/states/")) == "ru"
    sign_in(other, "ken-fp")
    assert LANGUAGE_COOKIE not in other.cookies
    assert page_lang(other.get("/states/")) == "fr"
    assert page_lang(other.get("/")) == "fr"


def test_signed_in_pages_cached_for_one_user_keep_each_browsers_language(portal, signed_in):
    """The same user (same principals) in a browser that chose Russian and in one that only prefers it: the
    page cache must not hand the first one's page to the second, whose account language is French."""
    ken = signed_in("ken-fp")
    form = profile_form(ken, "ken-fp")
    form["language"] = "fr"
    form.submit("save", status=303)
    prefers_russian = portal.client(HTTP_ACCEPT_LANGUAGE="ru")
    sign_in(prefers_russian, "ken-fp")
    chose_russian = portal.client(HTTP_ACCEPT_LANGUAGE="ru")
    sign_in(chose_russian, "ken-fp")  # the last commit: from here on, pages are cached
    assert page_lang(chose_russian.get("/states/?lang=ru")) == "ru"
    assert page_lang(prefers_russian.get("/states/")) == "fr"
    assert page_lang(chose_russian.get("/states/")) == "ru"  # by the cookie
    assert page_lang(prefers_russian.get("/states/")) == "fr"
    assert len(portal.registry.page_cache.entries) >= 2


def test_accounts_without_a_recorded_language_follow_the_browser(portal, signed_in):
    ken = signed_in("ken-fp")  # made by a script: only the class's default
    assert user(portal, "ken-fp")["chosen"] is None
    assert page_lang(ken.get("/states/", headers={"Accept-Language": "es"})) == "es"
    profile_form(ken, "ken-fp").submit("save", status=303)  # English, chosen this time
    assert user(portal, "ken-fp")["chosen"] == "en"
    elsewhere = portal.client(HTTP_ACCEPT_LANGUAGE="es")
    sign_in(elsewhere, "ken-fp")
    assert page_lang(elsewhere.get("/states/")) == "en"


# -- only the owner ---------------------------------------------------------------------------------------------

def test_nobody_else_opens_or_posts_to_a_profile(portal, signed_in, anon):
    portal.add_user("ken-fp")
    owner = portal.client()
    sign_in(owner, "ken-fp")
    form = profile_form(owner, "ken-fp")  # the owner may
    form["language"] = "ru"
    fields = [(k, v) for k, v in form.submit_fields("save") if k != "csrf_token"]
    for intruder in (signed_in("fra-fp", state="FRA"), signed_in("sec", function="secretariat", state=None),
                     signed_in("admin", function="admin", state=None)):
        intruder.get("/users/ken-fp/@@profile", status=403)
        own_token = csrf_from(intruder.get("/"))
        intruder.post("/users/ken-fp/@@profile", fields + [("csrf_token", own_token)], status=403)
    login = anon.get("/users/ken-fp/@@profile", status=303)
    assert "/@@login?came_from=" in login.headers["Location"]
    anon.post("/users/ken-fp/@@profile", fields, status=403)
    assert user(portal, "ken-fp")["language"] == "en"
    form.submit("save", status=303)  # the same post from the owner is saved
    assert user(portal, "ken-fp")["language"] == "ru"


# -- the form ---------------------------------------------------------------------------------------------------

def test_a_bad_email_address_is_refused_and_keeps_everything_typed(portal, signed_in):
    ken = signed_in("ken-fp")
    form = profile_form(ken, "ken-fp")
    form["language"] = "zh"
    form["notifications"] = "digest"
    form["email"] = "not-an-address"
    form["current"] = PASSWORD
    page = form.submit("save", status=200)
    assert "Write a valid e-mail address" in page.text
    again = ProfileForm(last_form(page))
    assert again["email"].value == "not-an-address"
    assert again["language"].value == "zh"
    assert again["notifications"].value == "digest"
    assert user(portal, "ken-fp")["email"] == "ken-fp@example.org"
    assert user(portal, "ken-fp")["notifications"] == "immediate"
    assert user(portal, "ken-fp")["chosen"] is None
    assert portal.mailer.outbox == []


def test_changing_the_email_address_needs_the_current_password(portal, signed_in):
    ken = signed_in("ken-fp")
    for password, message in (("", "Give your current password to change the e-mail address."),
                              ("not my password", "The current password is wrong.")):
        form = profile_form(ken, "ken-fp")
        form["email"] = "new@example.org"
        form["language"] = "es"
        form["current"] = password
        page = form.submit("save", status=200)
        assert message in page.text
        assert last_form(page)["email"].value == "new@example.org" and last_form(page)["language"].value == "es"
        assert user(portal, "ken-fp")["email"] == "ken-fp@example.org"
    assert portal.mailer.outbox == []
    form = profile_form(ken, "ken-fp")
    form["email"] = "new@example.org"
    form["current"] = PASSWORD
    form.submit("save", status=303)
    assert user(portal, "ken-fp")["email"] == "new@example.org"
    [notice] = portal.mailer.outbox  # to the previous address, which can still object
    assert notice.recipients == ["ken-fp@example.org"] and "new@example.org" in notice.body
    # Language and notifications alone need no password.
    form = profile_form(ken, "ken-fp")
    form["language"] = "ar"
    form.submit("save", status=303)
    assert user(portal, "ken-fp")["language"] == "ar"


def test_the_notification_choice_is_saved_and_each_change_recorded(portal, signed_in):
    ken = signed_in("ken-fp")
    form = profile_form(ken, "ken-fp")
    assert form["notifications"].value == "immediate"
    form["notifications"] = "digest"
    form["language"] = "fr"
    form.submit("save", status=303)
    assert user(portal, "ken-fp")["notifications"] == "digest"
    assert profile_form(ken, "ken-fp")["notifications"].value == "digest"
    history = user(portal, "ken-fp")["history"]
    assert [(e["actor"], e["from"], e["to"]) for e in history[-2:]] == [("ken-fp", "active", "active")] * 2
    assert {e["change"]["id"] for e in history[-2:]} == {"Language: ${old} → ${new}",
                                                          "Notifications: ${old} → ${new}"}
    # The secretariat reads it in the account's history; the owner does not see the history.
    sec = signed_in("sec", function="secretariat", state=None)
    page = sec.get("/users/ken-fp?lang=en")
    assert "Language: English → Français" in page.text
    assert "Notifications: A mail for each event → One mail a day" in page.text
    assert "One mail a day with everything new (daily digest)" in page.text  # the account's fields
    assert "Language: English" not in ken.get("/users/ken-fp?lang=en").text
    # Saving again unchanged records nothing.
    profile_form(ken, "ken-fp").submit("save", status=303)
    assert len(user(portal, "ken-fp")["history"]) == len(history)


# -- nomination and mails -----------------------------------------------------------------------------------------

def test_the_nomination_sets_the_language_and_the_activation_mail_is_in_it(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    form = last_form(sec.get("/users/@@nominate?lang=ru"))
    assert form["language"].value == "ru"  # the secretariat's own language first
    form = last_form(sec.get("/users/@@nominate?lang=en"))
    assert form["language"].value == "en"
    for key, value in {"login": "ken-es", "fullname": "Ana", "email": "ana@example.org", "function": "expert",
                       "state": "KEN", "language": "es"}.items():
        form[key] = value
    form.submit("nominate", status=303)
    mail = portal.mailer.outbox[-1]
    assert mail.subject == "Active su cuenta del Portal de examen"
    assert user(portal, "ken-es")["language"] == "es" and user(portal, "ken-es")["chosen"] == "es"
    # Activated, the nominee signs in from an English browser and reads the portal in Spanish.
    token = re.search(r"@@activate\?token=([\w-]+)", mail.body).group(1)
    newcomer = portal.client(HTTP_ACCEPT_LANGUAGE="en")
    page = newcomer.get(f"/@@activate?token={token}")
    form = last_form(page)
    form["password"] = form["confirm"] = "a long and unusual passphrase"
    form.submit(status=303)
    sign_in(newcomer, "ken-es", "a long and unusual passphrase")
    assert page_lang(newcomer.get("/")) == "es"


def test_mails_follow_the_users_current_language_and_write_dates_in_it(portal, signed_in):
    ken = signed_in("ken-fp")
    form = profile_form(ken, "ken-fp")
    form["language"] = "fr"
    form.submit("save", status=303)
    form = last_form(ken.get("/users/ken-fp/@@password"))
    form["current"] = PASSWORD
    form["new"] = form["new-confirm"] = "a brand new passphrase"
    form.submit("save", status=303)
    mail = portal.mailer.outbox[-1]
    assert "Le mot de passe de l'identifiant ken-fp" in mail.body
    today = datetime.now(timezone.utc).date()
    assert format_date(today, "medium", locale="fr") in mail.body
    assert today.isoformat() not in mail.body


def test_a_date_in_a_message_is_written_as_the_language_writes_dates():
    message = _("A question of the constructive dialogue awaits your answer by ${due}.",
                mapping={"due": date(2027, 3, 5)})
    assert "5 mars 2027" in translate_with(localizer("fr"), message)
    assert "March 5, 2027" in translate_with(localizer("en"), message)
    assert "2027-03-05" not in translate_with(localizer("ru"), message)

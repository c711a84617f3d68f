"""Six languages: complete catalogs, negotiation, the switcher, right-to-left Arabic, translated forms and mail."""

import copy
import re

import pytest

from babel.messages.pofile import read_po

from portal.i18n import LANGUAGES, LOCALES_DIR
from portal.scripts import catalogs

from .conftest import last_form


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return catalogs.extract(tmp_path_factory.mktemp("pot") / "portal.pot")


def test_every_message_id_is_translated_in_all_six_catalogs(template):
    assert len(template) > 100
    assert catalogs.check(template) == []


def test_completeness_check_fails_on_a_removed_translation(template):
    fr = catalogs.read_catalog(catalogs.catalog_path("fr"), "fr")
    assert catalogs.check_catalog(template, fr, "fr") == []
    some_id = next(m.id for m in template if m.id)

    missing = copy.deepcopy(fr)
    del missing[some_id]
    assert any("missing" in p for p in catalogs.check_catalog(template, missing, "fr"))

    empty = copy.deepcopy(fr)
    empty[some_id].string = ""
    assert any("empty" in p for p in catalogs.check_catalog(template, empty, "fr"))

    fuzzy = copy.deepcopy(fr)
    fuzzy[some_id].flags.add("fuzzy")
    assert any("fuzzy" in p for p in catalogs.check_catalog(template, fuzzy, "fr"))

    stale = copy.deepcopy(fr)
    stale.add("A message nobody uses any more", "Un message")
    assert any("stale" in p for p in catalogs.check_catalog(template, stale, "fr"))

    with_placeholder = next(m.id for m in template if m.id and "${" in m.id)
    broken = copy.deepcopy(fr)
    broken[with_placeholder].string = "sans variable"
    assert any("placeholders" in p for p in catalogs.check_catalog(template, broken, "fr"))


def test_copies_of_english_are_caught_in_other_scripts(template):
    ru = catalogs.read_catalog(catalogs.catalog_path("ru"), "ru")
    msgid = "Sign in"
    ru[msgid].string = msgid
    assert any("not translated" in p for p in catalogs.check_catalog(template, ru, "ru"))


def test_plural_forms_declared_per_language():
    expected = {"ar": 6, "ru": 3, "zh": 1, "fr": 2, "es": 2, "en": 2}
    for lang in LANGUAGES:
        catalog = catalogs.read_catalog(catalogs.catalog_path(lang), lang)
        assert catalog.num_plurals == expected[lang], lang


def test_plural_catalog_entries_need_every_form_and_their_placeholders(template):
    ar = catalogs.read_catalog(catalogs.catalog_path("ar"), "ar")
    plural = next(m.id for m in template if isinstance(m.id, tuple) and "${types}" in m.id[0])
    assert catalogs.check_catalog(template, ar, "ar") == []
    short = copy.deepcopy(ar)
    short[plural].string = short[plural].string[:3]
    assert any("plural forms" in p for p in catalogs.check_catalog(template, short, "ar"))
    broken = copy.deepcopy(ar)
    broken[plural].string = tuple(s.replace("${types}", "") for s in broken[plural].string)
    assert any("placeholders" in p for p in catalogs.check_catalog(template, broken, "ar"))


def _localizer(portal, lang):
    from pyramid.interfaces import ILocalizer

    return portal.registry.getUtility(ILocalizer, name=lang)


def test_plural_messages_take_each_languages_forms(portal):
    from portal.i18n import _n, translate_with

    def changed(lang, n):
        return translate_with(_localizer(portal, lang), _n("${count} field changed.", "${count} fields changed.", n))

    assert [changed("en", n) for n in (1, 2)] == ["1 field changed.", "2 fields changed."]
    assert changed("fr", 0) != changed("fr", 2) and changed("fr", 0).startswith("0 ")  # French: 0 is singular
    russian = {n: changed("ru", n) for n in (1, 3, 5, 21, 22, 25)}
    assert len({russian[1], russian[3], russian[5]}) == 3  # three forms
    assert [russian[21], russian[22], russian[25]] == [russian[1].replace("1", "21", 1),
                                                       russian[3].replace("3", "22", 1),
                                                       russian[5].replace("5", "25", 1)]
    arabic = {changed("ar", n).replace(str(n), "#") for n in (0, 1, 2, 3, 11, 100)}
    assert len(arabic) == 6  # six forms
    assert changed("zh", 1).replace("1", "#") == changed("zh", 7).replace("7", "#")  # one form
    assert "12 345" in changed("fr", 12345).replace("\u202f", " ") and "12,345" in changed("en", 12345)


def test_lists_are_joined_as_each_language_joins_them(portal):
    from portal.i18n import _n, translate_with

    def missing(lang):
        return translate_with(_localizer(portal, lang), _n("Missing column: ${columns}.", "Missing columns: ${columns}.",
                                                           3, mapping={"columns": ("iso3", "name_en", "kind")}))

    assert missing("en") == "Missing columns: iso3, name_en, and kind."
    assert "iso3, name_en et kind" in missing("fr") and "iso3, name_en y kind" in missing("es")
    assert "iso3、name_en和kind" in missing("zh") and "iso3, name_en и kind" in missing("ru")
    # Lists written inline in pages (reviewers, experts, overdue steps) use the language's separator.
    from portal.layout import _list_separator

    assert [_list_separator(lang) for lang in ("zh", "ar", "en")] == ["、", " و", ", "]


@pytest.mark.parametrize(
    "header,expected",
    [("ru", "ru"), ("zh-CN,zh;q=0.9,en;q=0.5", "zh"), ("fr-CH, fr;q=0.9", "fr"), ("de-DE", "en"), ("@@@;;;q=x", "en"), (None, "en")],
)
def test_accept_language_negotiation(anon, header, expected):
    headers = {"Accept-Language": header} if header else {}
    page = anon.get("/", headers=headers)
    assert f'<html lang="{expected}"' in re.sub(r"\s+", " ", page.text)


def test_explicit_choice_is_remembered_and_beats_the_browser(anon):
    anon.get("/?lang=es")
    page = anon.get("/states/", headers={"Accept-Language": "ru"})
    assert '<html lang="es"' in re.sub(r"\s+", " ", page.text)
    page = anon.get("/states/?lang=ar", headers={"Accept-Language": "ru"})
    assert 'lang="ar" dir="rtl"' in page.text


def test_unknown_language_falls_back_to_english(anon):
    page = anon.get("/states/KEN?lang=xx")
    assert '<html lang="en"' in re.sub(r"\s+", " ", page.text)
    assert "portal_lang=xx" not in page.headers.get("Set-Cookie", "")


def test_language_switcher_and_hreflang_on_every_page(anon):
    for path in ("/", "/states/", "/states/KEN", "/@@login"):
        page = anon.get(path)
        for lang in LANGUAGES:
            assert f'hreflang="{lang}"' in page.text
            assert f"lang={lang}" in page.text


def test_no_english_interface_text_in_other_languages(anon):
    english = ["Sign in", "Skip to content", "Status of the Convention and its Protocols", "Regional group", "Party"]
    for lang in ("ar", "zh", "fr", "ru", "es"):
        page = anon.get(f"/states/KEN?lang={lang}").text
        body = page.split("<main", 1)[1]
        for text in english:
            assert f">{text}<" not in page and f">{text}<" not in body, (lang, text)


def test_deform_and_colander_messages_in_arabic(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    form = last_form(sec.get("/users/@@nominate?lang=ar"))
    form["login"] = ""
    r = form.submit("nominate", status=200)
    assert 'lang="ar" dir="rtl"' in r.text
    assert ">Required<" not in r.text and "Required" not in r.text.split("<main", 1)[1]


def test_activation_mail_in_the_nominees_language(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    form = last_form(sec.get("/users/@@nominate"))
    for key, value in {"login": "ken-ru", "fullname": "Иван", "email": "ivan@example.org", "function": "expert",
                       "state": "KEN", "language": "ru"}.items():
        form[key] = value
    form.submit("nominate", status=303)
    mail = portal.mailer.outbox[-1]
    assert re.search("[а-яА-Я]", mail.subject)
    assert "@@activate?token=" in mail.body and re.search("[а-яА-Я]{4}", mail.body)


def test_workflow_titles_are_translated(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    portal.add_user("ken-fp")
    page = sec.get("/users/ken-fp/?lang=fr")
    assert "Deactivate" not in page.text and ">Active<" not in page.text


def test_messages_of_templates_never_ask_for_the_forms_of_a_states_name():
    """A template passes a State's name as plain text (``i18n:name="state"``): only messages built in Python get its
    forms with articles (``${the_state}``, ``${of_state}``, ``${to_state}``); in a template they would show as such."""
    wrong = []
    for lang in LANGUAGES:
        with open(LOCALES_DIR / lang / "LC_MESSAGES" / "portal.po", "rb") as f:
            for message in read_po(f, locale=lang):
                text = " ".join(message.string) if isinstance(message.string, tuple) else (message.string or "")
                if (message.id and message.locations and all(path.endswith(".pt") for path, _line in message.locations)
                        and re.search(r"\$\{(the|of|to)_state\}", text)):
                    wrong.append((lang, message.id))
    assert wrong == []

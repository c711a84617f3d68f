"""deform and colander speak all six languages: our catalogs fill what the packages lack (Arabic, plain zh,
gaps), and turn every message a form can show into a sentence (issue 16 §6: raw colander text such as
"Longer than maximum length 200" or '"de" is not one of ar, zh, en, fr, ru, es')."""

from importlib.resources import files

import html

import pytest
from babel.messages.pofile import read_po
from pyramid.i18n import TranslationString, make_localizer
from pyramid.interfaces import ITranslationDirectories

from portal.scripts import catalogs

from .conftest import last_form

DOMAINS = {"deform": files("deform") / "locale" / "deform.pot", "colander": files("colander") / "locale" / "colander.pot"}
OTHER_LANGUAGES = ("ar", "zh", "fr", "ru", "es")
# The messages of the form libraries that the portal's forms can show (the others concern programming errors).
SHOWN = {
    "colander": ["Invalid value", "String does not match expected pattern", "Invalid email address",
                 "${val} is less than minimum value ${min}", "${val} is greater than maximum value ${max}",
                 "Shorter than minimum length ${min}", "Longer than maximum length ${max}",
                 '"${val}" is not one of ${choices}', '"${val}" must not be one of ${choices}',
                 "One or more of the choices you made was not acceptable", '"${val}" is not a number', "Invalid date",
                 "Invalid time", "Required"],
    "deform": ["Incomplete date", "Incomplete time", "Fields did not match", "Password did not match confirm",
               "There was a problem with your submission", "Errors have been highlighted below",
               "There was a problem with this section"],
}
SENTENCE_END = (".", "。", "؟", "?")


@pytest.mark.parametrize("domain", sorted(DOMAINS))
@pytest.mark.parametrize("lang", ("en",) + OTHER_LANGUAGES)
def test_form_library_catalog_is_complete(domain, lang):
    with DOMAINS[domain].open("rb") as f:
        template = read_po(f)
    path = catalogs.catalog_path(lang, domain)
    assert path.exists(), f"missing {path}"
    problems = catalogs.check_catalog(template, catalogs.read_catalog(path, lang), lang, may_omit_placeholders=True)
    assert problems == []


@pytest.mark.parametrize("domain", sorted(SHOWN))
@pytest.mark.parametrize("lang", ("en",) + OTHER_LANGUAGES)
def test_every_form_message_a_user_can_meet_is_a_sentence(domain, lang):
    """A sentence that says what to do, never the list of internal choice codes."""
    catalog = catalogs.read_catalog(catalogs.catalog_path(lang, domain), lang)
    for msgid in SHOWN[domain]:
        text = catalog.get(msgid).string
        assert text != msgid and text.endswith(SENTENCE_END), (lang, msgid, text)
        assert "${choices}" not in text, (lang, msgid, text)


@pytest.mark.parametrize("lang", ("en",) + OTHER_LANGUAGES)
def test_a_form_with_bad_input_answers_in_sentences_of_the_page_language(portal, signed_in, lang):
    sec = signed_in("sec", function="secretariat", state=None)
    form = last_form(sec.get(f"/users/@@nominate?lang={lang}"))
    form["login"], form["fullname"], form["email"] = "new-fp", "x" * 201, "not an address"
    fields = [(n, "xx" if n == "language" else v) for n, v in form.submit_fields()] + [("nominate", "nominate")]
    page = sec.post("/users/@@nominate", fields, status=200).text.split("<main", 1)[1]
    localizer = make_localizer(lang, portal.registry.queryUtility(ITranslationDirectories))
    for msgid, domain, mapping in (("Longer than maximum length ${max}", "colander", {"max": 200}),
                                   ("Invalid email address", "colander", {}),
                                   ('"${val}" is not one of ${choices}', "colander", {}),
                                   ("There was a problem with your submission", "deform", {})):
        expected = localizer.translate(TranslationString(msgid, domain=domain, mapping=mapping))
        assert html.escape(expected, quote=False) in page or expected in page, (lang, expected)
    for raw in ("Longer than maximum", "Invalid email address", "is not one of", ", ".join(["ar", "zh", "en"])):
        assert raw not in page, (lang, raw)


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_form_messages_are_translated_at_run_time(portal, lang):
    from pyramid.i18n import make_localizer
    from pyramid.interfaces import ITranslationDirectories

    localizer = make_localizer(lang, portal.registry.queryUtility(ITranslationDirectories))
    required = localizer.translate(TranslationString("Required", domain="colander"))
    problem = localizer.translate(TranslationString("There was a problem with your submission", domain="deform"))
    assert required != "Required" and problem != "There was a problem with your submission"

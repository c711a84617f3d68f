"""deform and colander speak all six languages: our catalogs fill what the packages lack (Arabic, plain zh, gaps)."""

from importlib.resources import files

import pytest
from babel.messages.pofile import read_po
from pyramid.i18n import TranslationString

from portal.scripts import catalogs

DOMAINS = {"deform": files("deform") / "locale" / "deform.pot", "colander": files("colander") / "locale" / "colander.pot"}
OTHER_LANGUAGES = ("ar", "zh", "fr", "ru", "es")


@pytest.mark.parametrize("domain", sorted(DOMAINS))
@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_form_library_catalog_is_complete(domain, lang):
    with DOMAINS[domain].open("rb") as f:
        template = read_po(f)
    path = catalogs.catalog_path(lang, domain)
    assert path.exists(), f"missing {path}"
    problems = catalogs.check_catalog(template, catalogs.read_catalog(path, lang), lang)
    assert problems == []


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_form_messages_are_translated_at_run_time(portal, lang):
    from pyramid.i18n import make_localizer
    from pyramid.interfaces import ITranslationDirectories

    localizer = make_localizer(lang, portal.registry.queryUtility(ITranslationDirectories))
    required = localizer.translate(TranslationString("Required", domain="colander"))
    problem = localizer.translate(TranslationString("There was a problem with your submission", domain="deform"))
    assert required != "Required" and problem != "There was a problem with your submission"

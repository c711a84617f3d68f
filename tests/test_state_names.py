"""States named as UN terminology names them (issue 20 §3): the short names in six languages, and French,
Spanish and English phrases built from each name's article ("du Bénin", "de las Bahamas", "the Netherlands")."""

import csv
import re

import pytest

from content.reference_data import DATA_DIR, shipped_state_rows
from content.states import State
from language import _, translate_with
from language.names import StateName, bare, of_phrase, split, to_phrase, with_article
from portal.i18n import localizer

ROWS = shipped_state_rows()


def state_from(iso3):
    state = State(iso3)
    for field, value in ROWS[iso3].items():
        if field.startswith(("name_", "formal_")):
            state.set_field(field, value, "test", "test")
    return state


def say(lang, message, **mapping):
    return translate_with(localizer(lang), _(message, mapping=mapping))


@pytest.mark.parametrize("raw, lang, of, to, the", [
    ("Bénin (le)", "fr", "du Bénin", "au Bénin", "le Bénin"),
    ("Argentine (l')", "fr", "de l'Argentine", "à l'Argentine", "l'Argentine"),
    ("Bahamas (les)", "fr", "des Bahamas", "aux Bahamas", "les Bahamas"),
    ("France (la)", "fr", "de la France", "à la France", "la France"),
    ("Israël", "fr", "d'Israël", "à Israël", "Israël"),
    ("Haïti", "fr", "d'Haïti", "à Haïti", "Haïti"),
    ("Cuba", "fr", "de Cuba", "à Cuba", "Cuba"),
    ("Afganistán (el)", "es", "del Afganistán", "al Afganistán", "el Afganistán"),
    ("Argentina (la)", "es", "de la Argentina", "a la Argentina", "la Argentina"),
    ("Bahamas (las)", "es", "de las Bahamas", "a las Bahamas", "las Bahamas"),
    ("Países Bajos (los)", "es", "de los Países Bajos", "a los Países Bajos", "los Países Bajos"),
    ("Angola", "es", "de Angola", "a Angola", "Angola"),
    ("Netherlands (the)", "en", "the Netherlands", "the Netherlands", "the Netherlands"),
    ("Kenya", "en", "Kenya", "Kenya", "Kenya"),
    ("Багамские Острова", "ru", "Багамские Острова", "Багамские Острова", "Багамские Острова"),
])
def test_phrases_take_the_article_unterm_gives(raw, lang, of, to, the):
    assert (of_phrase(raw, lang), to_phrase(raw, lang), with_article(raw, lang)) == (of, to, the)


def test_markers_and_articles_stay_out_of_the_bare_name():
    assert split("Saint-Siège (le)*") == ("Saint-Siège", "le")
    assert bare("Holy See (the)") == "Holy See"
    assert bare("Côte d'Ivoire (la)") == "Côte d'Ivoire"
    # Parentheses that are not an article stay: they are part of the name.
    assert bare("Micronesia (Federated States of)") == "Micronesia (Federated States of)"


def test_the_registry_uses_the_un_short_names():
    names = {iso3: bare(row["name_en"]) for iso3, row in ROWS.items()}
    assert names["CIV"] == "Côte d'Ivoire"
    assert names["PRK"] == "Democratic People's Republic of Korea"
    assert names["RUS"] == "Russian Federation"
    assert names["GBR"] == "United Kingdom of Great Britain and Northern Ireland"
    assert bare(ROWS["BEN"]["name_fr"]) == "Bénin"
    assert ROWS["BEN"]["formal_fr"] == "la République du Bénin"
    with open(DATA_DIR / "unterm_names.csv", encoding="utf-8") as f:
        unterm = {row["iso3"]: row for row in csv.DictReader(f)}
    # Every State's six short names are UNTERM's (the European Union, not a State, has no row there).
    for iso3, row in ROWS.items():
        if iso3 == "EUE":
            continue
        for lang in ("ar", "zh", "en", "fr", "ru", "es"):
            assert row[f"name_{lang}"] == re.sub(r"\s*\*+$", "", unterm[iso3][f"short_{lang}"]), (iso3, lang)


def test_french_phrases_with_state_names_are_grammatical_for_every_state():
    contracted = {"le": "du ", "la": "de la ", "l'": "de l'", "les": "des "}
    for iso3 in ROWS:
        state = state_from(iso3)
        name, article = split(state.names["fr"])
        text = say("fr", "Review of ${state}", state=state.name_value())
        if article:
            expected = contracted[article] + name
        else:
            expected = ("d'" if re.match(r"[AEIOUYÉÈÊÎÏÔÂHaeiouyéh]", name) else "de ") + name
        assert text == "Examen " + expected, iso3
        assert not re.search(r"\b(de le|de les|à le|à les|de l' )\b|\(|\)", text.replace(name, "")), text


def test_spanish_phrases_with_state_names_are_grammatical_for_every_state():
    contracted = {"el": "del ", "la": "de la ", "los": "de los ", "las": "de las "}
    for iso3 in ROWS:
        state = state_from(iso3)
        name, article = split(state.names["es"])
        text = say("es", "Review of ${state}", state=state.name_value())
        assert text == "Examen " + contracted.get(article, "de ") + name, iso3
        assert not re.search(r"\b(de el|a el)\b", text), text


def test_a_sentence_that_begins_with_a_state_capitalizes_its_article():
    bahamas = state_from("BHS").name_value()
    assert say("en", "Review of ${state}", state=bahamas) == "Review of the Bahamas"
    assert say("fr", "Review of ${state}", state=state_from("BEN").name_value()) == "Examen du Bénin"
    text = say("fr", "${state} cannot review itself", state=state_from("BEN").name_value())
    assert text.startswith("Le Bénin "), text
    text = say("es", "${state} cannot review itself", state=state_from("ARG").name_value())
    assert text.startswith("La Argentina "), text
    assert say("ru", "Review of ${state}", state=bahamas).endswith("Багамские Острова")


def test_a_name_given_as_plain_text_still_fills_every_form():
    """Codes and names that are not in the registry have no article: the forms are still filled."""
    assert "${" not in say("fr", "Review of ${state}", state="ZZZ")
    assert say("fr", "Review of ${state}", state="ZZZ") == "Examen de ZZZ"


def test_state_names_outlive_the_transaction_and_compare_by_value():
    value = StateName({"en": "Bahamas (the)"}, "BHS")
    assert value == StateName({"en": "Bahamas (the)"}, "BHS") and str(value) == "Bahamas"
    assert value.forms("state", "fr")["of_state"] == "de Bahamas"  # no French name: the English one, with "de"


def test_the_states_page_shows_un_short_names(anon):
    page = anon.get("/states?lang=en")
    assert "Côte d'Ivoire" in page.text and "Ivory Coast" not in page.text
    assert "Democratic People's Republic of Korea" in page.text and "North Korea" not in page.text
    assert "Russian Federation" in page.text
    page = anon.get("/states/BEN?lang=fr")
    assert "Bénin" in page.text and "la République du Bénin" in page.text and "Bénin (le)" not in page.text


def test_lists_of_states_follow_the_language_collation(anon):
    """Chinese by pinyin, Arabic by its alphabet, French with É among the E: not by code point."""
    def order(lang, *codes):
        text = anon.get(f"/states?lang={lang}").text
        names = [state_from(c).name(lang) for c in codes]
        return sorted(names, key=lambda n: text.index(f">{n}<"))

    # All African States, so one group's list: code point order would put 中 (CAF) before 阿 and 安, "Eswatini"
    # before "Égypte", "Nigeria" before "Níger", and أنغولا before إثيوبيا (the hamza is not a letter of its own).
    assert order("zh", "AGO", "DZA", "CAF") == ["阿尔及利亚", "安哥拉", "中非共和国"]
    assert order("fr", "SWZ", "ERI", "EGY") == ["Égypte", "Érythrée", "Eswatini"]
    assert order("es", "NGA", "NER") == ["Níger", "Nigeria"]
    assert order("ar", "AGO", "ETH") == ["إثيوبيا", "أنغولا"]


def test_evolve_step_11_gives_old_registries_the_un_names_and_keeps_corrections(portal):
    from content.evolve import STEPS

    with portal.root() as root:
        kenya, russia = root["states"]["KEN"], root["states"]["RUS"]
        russia.names["en"] = "Russia"  # as the registry shipped before the step
        del russia.formal_names  # as the registry shipped before the step: the class's empty default
        kenya.set_field("name_fr", "Kenya (le) — corrigé", "secretariat", "form")
        STEPS[11][0](root)
        assert russia.name("en") == "Russian Federation" and russia.formal_name("en") == "the Russian Federation"
        assert russia.changes[-1]["source"].startswith("UN terminology names")
        assert kenya.names["fr"] == "Kenya (le) — corrigé"  # the secretariat's correction stays

"""Texts the secretariat and the Review Group write for readers, in six languages (issue 20 §1): entered side by
side, read in the reader's language or the original with a notice, listed in the translator's queue while a
version is missing, written out whole in ``@@json``, found by search in any version, and carried over from
single-language data by evolve step 12."""

from datetime import date

from language.multilingual import LocalizedText
from tests.conftest import last_form, localized_field, set_localized
from tests.cycle_fixtures import add_cycle

CYCLE = "/cycles/first-cycle/"


def test_a_localized_text_gives_the_readers_version_or_the_original():
    text = LocalizedText("Premier cycle", "fr", en="First cycle")
    assert text.in_language("en") == ("First cycle", "en")
    assert text.in_language("ar") == ("Premier cycle", "fr")
    assert text.missing() == ("ar", "zh", "ru", "es") and str(text) == "Premier cycle"
    assert text.update("fr", {"fr": "Premier cycle", "en": "", "ar": "الدورة الأولى"})
    assert dict(text.texts) == {"fr": "Premier cycle", "ar": "الدورة الأولى"}
    assert not text.update("fr", {"fr": "Premier cycle", "ar": "الدورة الأولى"})  # nothing changed
    assert LocalizedText().missing() == ()  # an empty text misses nothing


def test_the_secretariat_writes_each_language_side_by_side_and_readers_get_theirs(portal, secretariat, anon):
    add_cycle(secretariat)
    form = last_form(secretariat.get(CYCLE + "@@edit"))
    set_localized(form, "title", "Premier cycle d'examen", "fr")
    set_localized(form, "title", "Primer ciclo de examen", "es")
    set_localized(form, "UNTOC", "Artículos 5 y 6", "es")
    form.submit("save", status=303)
    assert "Premier cycle d'examen" in anon.get(CYCLE + "?lang=fr").text
    spanish = anon.get(CYCLE + "?lang=es").text
    assert "Primer ciclo de examen" in spanish and "Artículos 5 y 6" in spanish
    arabic = anon.get(CYCLE + "?lang=ar").text  # no Arabic version: the original, marked, with a notice
    assert '<bdi lang="en" dir="ltr">First review cycle</bdi>' in arabic
    assert 'class="untranslated"' in arabic
    assert "<h1><bdi>Primer ciclo de examen</bdi></h1>" in spanish  # its own version: no notice
    assert '<h1><bdi lang="en" dir="ltr">First review cycle</bdi> <small class="untranslated">' in arabic


def test_agenda_items_need_as_many_lines_in_every_language(portal, secretariat):
    form = last_form(secretariat.get("/group/meetings/@@add"))
    set_localized(form, "title", "Session one")
    form["year"] = str(date.today().year)
    set_localized(form, "agenda", "Opening\nAdoption of the agenda")
    set_localized(form, "agenda", "Ouverture", "fr")
    page = form.submit("save", status=200)
    assert "One line per item: the original has 2 items." in page.text
    assert localized_field(last_form(page), "agenda", "fr").value == "Ouverture"  # nothing typed is lost
    with portal.root() as root:
        assert len(root["group"]["meetings"]) == 0


def test_missing_versions_are_in_the_translators_queue_until_translated(portal, secretariat, anon):
    add_cycle(secretariat)
    queue = secretariat.get("/@@translations?language=ar").text
    assert "First review cycle" in queue and CYCLE + "@@translate" in queue
    form = last_form(secretariat.get(CYCLE + "@@translate"))
    # One form group per text of the cycle: its title, its scope (one instrument here) and its two themes.
    assert [f.value for name, f in form.field_order if name == "__start__"].count("t0:mapping") == 1
    set_localized(form, "t0", "دورة الاستعراض الأولى", "ar")
    set_localized(form, "t1", "المواد 5 و6 و8 و23", "ar")
    set_localized(form, "t2", "التجريم", "ar")
    set_localized(form, "t3", "التعاون الدولي", "ar")
    form.submit("save", status=303)
    assert "دورة الاستعراض الأولى" in anon.get(CYCLE + "?lang=ar").text
    assert CYCLE + "@@translate" not in secretariat.get("/@@translations?language=ar").text
    assert CYCLE + "@@translate" in secretariat.get("/@@translations?language=zh").text
    assert anon.get(CYCLE + "@@translate", expect_errors=True).status_int in (303, 403)


def test_json_writes_every_version_and_search_finds_any(portal, secretariat, anon):
    add_cycle(secretariat)
    with portal.root() as root:
        cycle = root["cycles"]["first-cycle"]
        cycle.title.update("en", {"en": "First review cycle", "ru": "Первый цикл обзора"})
    data = anon.get(CYCLE + "@@json").json
    assert data["title"] == {"original": "en", "texts": {"en": "First review cycle", "ru": "Первый цикл обзора"}}
    assert data["scope"]["UNTOC"]["texts"]["en"] == "Articles 5, 6, 8, 23"


def test_evolve_step_12_makes_old_texts_originals_in_their_language(portal, secretariat, signed_in):
    from content.conference import Decision
    from content.evolve import STEPS
    from content.meetings import Meeting
    from content.trainings import Course

    add_cycle(secretariat)
    with portal.root() as root:
        cycle = root["cycles"]["first-cycle"]
        cycle._title, cycle.scope["UNTOC"], cycle.themes[:] = "Old title", "Old scope", ["Old theme"]
        meeting = root["group"]["meetings"].add("1", Meeting("x", 2027, "test"))
        meeting._title, meeting.place, meeting.agenda[:] = "Old meeting", "Vienna", ["Item one"]
        decision = root["conference"].add("1", Decision("cycle", "1/1", "s", date(2026, 1, 1), "t", "x", None, "test"))
        decision.session, decision._title, decision.text = "first session", "Old decision", "Decided."
        course = root["trainings"].add("1", Course("x", date(2027, 1, 1), date(2027, 1, 2), "Dakar", "fr", "", "t"))
        course._title, course.place, course.materials = "Cours ancien", "Dakar", "Guide"
        STEPS[12][0](root)
        for value, original in ((cycle.title, "en"), (cycle.scope["UNTOC"], "en"), (cycle.themes[0], "en"),
                                (meeting.title, "en"), (meeting.place, "en"), (meeting.agenda[0], "en"),
                                (decision.session, "en"), (decision._title, "en"), (decision.text, "en"),
                                (course.title, "fr"), (course.place, "fr"), (course.materials, "fr")):
            assert isinstance(value, LocalizedText) and value.original == original, value
        assert cycle.title.text == "Old title" and course.title.text == "Cours ancien"
        STEPS[12][0](root)  # a second run changes nothing
        assert cycle.title.text == "Old title" and isinstance(cycle.title, LocalizedText)

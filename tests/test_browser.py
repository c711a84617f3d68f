"""In a real browser (Playwright driving Debian's Chromium): the home page and a published executive summary
in each of the six languages have the page's language and direction, Arabic is laid out mirrored, and no
English interface text shows on a page in another language (R25). Screenshots go to ``tests/artifacts/``.

Needs ``/usr/bin/chromium`` (``apt-get install chromium``; ``.ci/run`` installs it). Without it the tests
are skipped with that reason, unless ``PORTAL_REQUIRE_BROWSER`` is set (as in CI), where they fail.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest

from portal.i18n import LANGUAGE_NAMES, LANGUAGES, LOCALES_DIR, text_direction
from tests.cycle_fixtures import CYCLE, set_stage

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
# As recommended for a closed network: no background connections, no sandbox (CI runs as root).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps"]


def _browser_or_skip():
    if not os.path.exists(CHROMIUM):
        message = f"no Chromium at {CHROMIUM}: install Debian's chromium package to run the browser tests"
        if os.environ.get("PORTAL_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return pytest.importorskip("playwright.sync_api")


def served(portal, sur):
    """Serve the portal over HTTP on a free local port while the fixture lasts: yields ``(base URL, sur)``."""
    from waitress import create_server

    server = create_server(portal.wsgi, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}", sur
    server.close()
    thread.join(timeout=5)


@pytest.fixture
def site(portal, drawn, review_parties):
    """The portal served over HTTP on a free local port, with one final review whose executive summary is
    published in all six languages; yields ``(base URL, ISO3 of that review)``."""
    from portal.scripts.demo_reviews import translate_summary

    sur = review_parties[0]
    set_stage(portal, sur, "final")
    with portal.root() as root:
        translate_summary(root["cycles"]["first-cycle"]["reviews"][sur], "test")
    yield from served(portal, sur)


@pytest.fixture
def browser():
    sync_api = _browser_or_skip()
    playwright = sync_api.sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


def english_interface_texts(lang):
    """English message ids that the ``lang`` catalog does not render identically (translated differently,
    or not at all) and that have no placeholder: if one is a whole line of a ``lang`` page, English
    interface text leaked into it."""
    from babel.messages.pofile import read_po

    with open(LOCALES_DIR / lang / "LC_MESSAGES" / "portal.po", "rb") as f:
        catalog = read_po(f, locale=lang)
    # The language switcher names each language in itself ("English"), which is also the message id of the
    # language's name inside a sentence: those lines are meant.
    return {m.id.strip() for m in catalog if m.id and isinstance(m.id, str) and "${" not in m.id
            and m.string != m.id and len(m.id) > 3} - set(LANGUAGE_NAMES.values())


def visible_lines(page):
    return {line.strip() for line in page.inner_text("body").splitlines() if line.strip()}


def check_page(page, lang, name):
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.evaluate("document.documentElement.dir") == text_direction(lang)
    assert page.evaluate("getComputedStyle(document.body).direction") == text_direction(lang)
    # Mirrored layout: the portal's name starts the header on the reader's side (right in Arabic).
    brand = page.locator(".brand a").first.bounding_box()
    width = page.viewport_size["width"]
    assert (brand["x"] + brand["width"] / 2 > width / 2) == (lang == "ar"), (lang, brand)
    if lang != "en":
        leaked = visible_lines(page) & english_interface_texts(lang)
        assert not leaked, (lang, name, sorted(leaked))
        assert page.title() not in english_interface_texts(lang)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{lang}.png"), full_page=True)


def test_r25_home_and_a_published_summary_in_six_languages_in_a_browser(site, browser):
    from portal.scripts.demo_reviews import DEMO_SUMMARIES

    base, sur = site
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    for lang in LANGUAGES:
        page.goto(f"{base}/?lang={lang}")
        check_page(page, lang, "home")
        page.goto(f"{base}{CYCLE}reviews/{sur}/report/summary/?lang={lang}")
        check_page(page, lang, "summary")
        text = page.locator("div.text")
        assert text.get_attribute("lang") == lang and text.inner_text().strip() == DEMO_SUMMARIES[lang]
    # The choice is remembered: without a language in the address, the last one chosen stays.
    page.goto(f"{base}/")
    assert page.evaluate("document.documentElement.lang") == LANGUAGES[-1]
    page.close()


def test_r25_a_reader_without_a_choice_gets_the_browsers_language(site, browser):
    base, _sur = site
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    page.goto(f"{base}/")
    assert page.evaluate("document.documentElement.lang") == "ru"
    context.close()


# -- search (issue 18) ----------------------------------------------------------------------------------------

FRENCH_FINDING = "Les autorités coopèrent au titre de l'entraide judiciaire avec une célérité remarquable."
ARABIC_FINDING = "تتعاون السلطات في مجال تسليم المطلوبين بسرعةٍ ملحوظة."
QUESTION = "How many requests for mutual legal assistance concerned smuggling of migrants in 2025?"


@pytest.fixture
def search_site(portal, drawn, review_parties):
    """The portal over HTTP with one final review: a question of its dialogue, and two findings (French and
    Arabic) that its State published; accounts for a reviewing State's and a third State's focal points."""
    from datetime import date, timedelta

    from content.threads import Question
    from portal.scripts.demo_reviews import publish_parts
    from workflows import get_workflow

    sur, reviewing, third = review_parties
    portal.add_user("rev-fp", "focal-point", reviewing[0])
    portal.add_user("third-fp", "focal-point", third)
    set_stage(portal, sur, "dialogue")
    with portal.root() as root:
        dialogue = root["cycles"]["first-cycle"]["reviews"][sur]["dialogue"]
        question = Question("Mutual legal assistance", reviewing[0], date.today() + timedelta(days=10))
        question.post("rev-fp", reviewing[0], QUESTION)
        dialogue.add(dialogue.next_number(), question)
        get_workflow(question).initialize(question, "rev-fp")
    set_stage(portal, sur, "drafting")
    with portal.root() as root:
        report = root["cycles"]["first-cycle"]["reviews"][sur]["report"]
        for text in (FRENCH_FINDING, ARABIC_FINDING):
            report.save_finding(None, report.articles()[0][0], "good-practice", text, "test", report.current_number())
    set_stage(portal, sur, "final")
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        publish_parts(review, "test", {p.__name__ for p in review["report"]["parts"].values()
                                       if p.text in (FRENCH_FINDING, ARABIC_FINDING)})
    yield from served(portal, sur)


def search_from_header(page, words):
    page.fill("#site-search-q", words)
    page.press("#site-search-q", "Enter")
    page.wait_for_load_state()
    return page.locator("ol.hits > li")


def test_search_journeys_in_a_browser(search_site, browser):
    base, sur = search_site
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    # The public, in French: a published finding by a word of it written without its accents.
    page.goto(f"{base}/?lang=fr")
    hits = search_from_header(page, "celerite")
    assert hits.count() == 1
    assert "/report/parts/" in hits.first.locator("h2 a").get_attribute("href")
    assert hits.first.locator("mark").inner_text() == "célérité"
    check_page(page, "fr", "search")
    # In Arabic: right to left, the word found with another spelling of its teh marbuta.
    page.goto(f"{base}/?lang=ar")
    hits = search_from_header(page, "ملحوظه")
    assert hits.count() == 1 and hits.first.locator("mark").inner_text() == "ملحوظة"
    # The passage takes the direction of its own text (a finding may be in another language than the review's).
    assert hits.first.locator("p.snippet").evaluate("e => getComputedStyle(e).direction") == "rtl"
    check_page(page, "ar", "search")
    # The question of the dialogue is not public.
    page.goto(f"{base}/?lang=en")
    assert search_from_header(page, "mutual legal assistance").count() == 0
    assert "No results. Search in another language or remove a filter." in page.inner_text("main")
    page.close()
    # A reviewing State's focal point finds its own question; a third State's does not.
    for login, expected in (("rev-fp", 1), ("third-fp", 0)):
        context, page = signed_in_page(browser, base, "en", login)
        hits = search_from_header(page, "mutual legal assistance")
        titles = [hits.nth(k).locator("h2").inner_text() for k in range(hits.count())]
        assert titles.count("Mutual legal assistance") == expected, (login, titles)
        context.close()


def signed_in_page(browser, base, lang, login):
    """A new browser context in ``lang`` and its page, signed in as ``login`` through the sign-in form."""
    from tests.conftest import PASSWORD

    context = browser.new_context(locale=lang, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/@@login?lang={lang}")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()
    return context, page


@pytest.fixture
def dialogue_site(portal, clients, review_parties):
    """A review in its constructive dialogue, served; yields ``(base URL, ISO3 of the State under review)``."""
    sur = review_parties[0]
    set_stage(portal, sur, "dialogue")
    yield from served(portal, sur)


def test_the_dashboard_and_a_reviews_stages_in_french_and_arabic(dialogue_site, browser):
    """Issue 21: sign-in lands on the dashboard; the review page's stepper marks the current stage, reads from
    the right in Arabic, and names its stages in the reader's language. Screenshots: dashboard-*.png, stages-*.png."""
    base, sur = dialogue_site
    for lang, current in (("fr", "Dialogue constructif"), ("ar", "الحوار البنّاء")):
        context, page = signed_in_page(browser, base, lang, "sur-fp")
        assert page.url.endswith("/@@dashboard")  # the home of a signed-in user
        check_page(page, lang, "dashboard")
        page.goto(f"{base}{CYCLE}reviews/{sur}/")
        step = page.locator('[aria-current="step"]')
        assert step.count() == 1 and current in step.inner_text()
        stepper = step.locator("xpath=..")
        assert stepper.evaluate("e => getComputedStyle(e).direction") == text_direction(lang)
        if lang == "ar":  # the first stage sits on the right, the later ones to its left
            boxes = [stepper.locator("li").nth(k).bounding_box() for k in range(2)]
            assert boxes[0]["x"] >= boxes[1]["x"] or boxes[0]["y"] < boxes[1]["y"]
        check_page(page, lang, "stages")
        context.close()


@pytest.fixture
def drafting_site(portal, clients, review_parties):
    """A review being drafted, its checklist with a file and new information; served."""
    from portal.scripts.demo_reviews import inform_checklist

    sur = review_parties[0]
    set_stage(portal, sur, "drafting")
    with portal.root() as root:
        inform_checklist(root["cycles"]["first-cycle"]["reviews"][sur], "sur-fp")
    clients["rev-fp"]  # noqa: B018  (the reviewing State's focal point, who saves first below)
    yield from served(portal, sur)


def test_checklist_files_and_a_save_conflict_side_by_side_in_arabic(drafting_site, browser, clients):
    """Issue 21 §4, §6: the checklist shows the answer's file and the new information; a report section saved
    by someone else meanwhile comes back beside the reader's text, the saved version on the reader's side first
    (right in Arabic). Screenshots: checklist-files-ar.png, conflict-ar.png."""
    from tests.conftest import last_form

    base, sur = drafting_site
    context, page = signed_in_page(browser, base, "ar", "sec")
    page.goto(f"{base}{CYCLE}reviews/{sur}/checklist/")
    assert page.locator("ul.attachments a").first.inner_text() == "penal-code.txt"
    assert page.locator("article.new-information").count() == 1
    check_page(page, "ar", "checklist-files")
    section = f"{CYCLE}reviews/{sur}/report/@@section?key=introduction"
    page.goto(base + section)
    page.fill("textarea[name=text]", "نص الأمانة")
    form = last_form(clients["rev-fp"].get(section))
    form["text"] = "نص الدولة المستعرِضة"
    form.submit("save", status=303)
    page.click("button[name=save]")
    page.wait_for_load_state()
    table = page.locator("section.conflict table")
    assert table.count() == 1
    saved, mine = (table.locator("tbody td").nth(k) for k in range(2))
    assert saved.inner_text() == "نص الدولة المستعرِضة" and mine.inner_text() == "نص الأمانة"
    assert saved.bounding_box()["x"] > mine.bounding_box()["x"]  # right to left: the saved text first, on the right
    check_page(page, "ar", "conflict")
    context.close()

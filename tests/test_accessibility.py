"""Issue 22 §6, WCAG 2.1 AA in a real browser: axe-core (the copy axe-playwright-python ships) finds no serious
or critical violation on the main pages in the six languages and on each role's pages; an injected fault is
found (the check can fail); a keyboard-only journey signs in, opens a review, answers a checklist question and
submits the checklist, with the focus visible on the way."""

import pytest

from tests.cycle_fixtures import CYCLE, set_stage
from tests.test_browser import browser, served, signed_in_page  # noqa: F401  (browser: a fixture)

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PUBLIC = ["/", "/states/", "/states/{final}", CYCLE, CYCLE + "reviews/{final}/report/summary/", "/@@login",
          "/conference/", "/trainings/", "/group/"]
ROLES = {
    "sur-fp": ["/@@dashboard", CYCLE + "reviews/{sur}/", CYCLE + "reviews/{sur}/checklist/",
               CYCLE + "reviews/{sur}/checklist/@@answer?section={section}", "/users/sur-fp/@@inbox",
               "/users/sur-fp/@@profile"],
    "rev-fp": ["/@@dashboard", CYCLE + "reviews/{sur}/", CYCLE + "reviews/{final}/report/"],
    "sec": ["/@@dashboard", CYCLE, CYCLE + "reviews/{sur}/", "/users/", "/experts/"],
    "obs": ["/@@dashboard", "/states/"],
}


def serious(page):
    """The serious and critical WCAG 2.1 A/AA violations axe-core finds on ``page``: ``[(rule, target)]``."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    return [(v["id"], node["target"]) for v in results.response["violations"] if v["impact"] in ("serious", "critical")
            for node in v["nodes"]]


@pytest.fixture
def site(portal, clients, review_parties):
    """A review at its checklist (all but one question answered) and a final one with its summary in six
    languages; served. Yields ``(base, {"sur", "final", "section"})``."""
    from portal.scripts.demo_reviews import answer_checklist, translate_summary

    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    with portal.root() as root:
        reviews = root["cycles"]["first-cycle"]["reviews"]
        checklist = reviews[sur]["checklist"]
        answer_checklist(checklist, "test")
        last = checklist.sections()[-1]
        checklist.answers[last.questions[-1].id]["answer"] = ""  # one question left for the keyboard
        final = next(iso3 for iso3 in reviews.keys() if iso3 != sur)
    set_stage(portal, final, "final")
    with portal.root() as root:
        translate_summary(root["cycles"]["first-cycle"]["reviews"][final], "test")
    for login, kind in (("obs", "observer"),):
        assert clients[kind] is not None and login
    clients["rev-fp"]  # noqa: B018  (the accounts exist before the server starts)
    for base, _sur in served(portal, sur):
        yield base, {"sur": sur, "final": final, "section": last.key}


def test_wcag_21_aa_on_the_main_pages_in_six_languages_and_for_each_role(site, browser):  # noqa: F811
    base, names = site
    found = {}
    page = browser.new_page()
    for lang in ("ar", "zh", "en", "fr", "ru", "es"):
        for url in PUBLIC:
            address = base + url.format(**names)
            page.goto(address + ("&" if "?" in address else "?") + f"lang={lang}")
            found.update({(lang, url, rule): target for rule, target in serious(page)})
    page.close()
    for login, urls in ROLES.items():
        for lang in ("en", "ar"):
            context, page = signed_in_page(browser, base, lang, login)
            for url in urls:
                address = base + url.format(**names)
                page.goto(address + ("&" if "?" in address else "?") + f"lang={lang}")
                found.update({(login, lang, url, rule): target for rule, target in serious(page)})
            context.close()
    assert not found, found
    # The check can fail: an unlabelled field and an image without a text alternative are found.
    page = browser.new_page()
    page.goto(base + "/?lang=en")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', "
                  "'<input type=text name=x><img src=/static/none.png>')")
    assert {rule for rule, _target in serious(page)} == {"label", "image-alt"}
    page.close()


def tab_to(page, selector, limit=300):
    """Press Tab until the focused element matches ``selector``; its outline shows the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            style = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert style not in ("none", ""), (selector, style)  # the focus is visible (WCAG 2.4.7)
            return
    raise AssertionError(f"the keyboard never reaches {selector}")


def follow(page):
    """Press Enter on the focused link or button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_keyboard_only_journey_signs_in_answers_and_submits_the_checklist(site, browser, portal):  # noqa: F811
    from tests.conftest import PASSWORD

    base, names = site
    sur = names["sur"]
    page = browser.new_page()
    page.goto(base + "/@@login?lang=en")
    tab_to(page, "#login")
    page.keyboard.type("sur-fp")
    tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    follow(page)
    assert page.url.endswith("/@@dashboard")
    tab_to(page, f'a[href$="reviews/{sur}/"]')
    follow(page)
    tab_to(page, 'a[href$="/checklist/"]')
    follow(page)
    tab_to(page, f'a[href*="@@answer?section={names["section"]}"]')
    follow(page)
    last = page.locator("select").count() - 1
    for _ in range(400):  # to the last question's answer
        page.keyboard.press("Tab")
        if page.evaluate("n => document.activeElement === document.querySelectorAll('select')[n]", last):
            break
    page.keyboard.press("ArrowDown")  # "Yes"
    tab_to(page, 'button[name="save"]')
    follow(page)
    tab_to(page, "form[action$='@@submit-checklist'] button")
    follow(page)
    tab_to(page, "form[action$='@@transition'] button")
    follow(page)
    with portal.root() as root:
        assert root["cycles"]["first-cycle"]["reviews"][sur].workflow_state == "desk-review"
    page.close()

"""Executive summaries in six languages (R21, ¶35, ¶50): when a report becomes final its summary enters
translation (``draft -> translated -> published`` per language); the secretariat translates side by side
and publishes; published versions are public documents for information purposes only, and a reader of a
language not published yet gets the original with a notice; every publication is in the audit log."""

from tests.conftest import csrf_from, last_form
from tests.cycle_fixtures import CYCLE, set_stage


def summary_url(sur, lang=""):
    return f"{CYCLE}reviews/{sur}/report/summary/" + (f"{lang}/" if lang else "")


def fire(client, path, transition, status=303):
    return client.post(path + "@@transition", {"csrf_token": csrf_from(client.get("/")), "transition": transition},
                       status=status)


def translate_into(client, sur, lang, text, status=303):
    form = last_form(client.get(summary_url(sur, lang) + "@@edit"))
    form["text"] = text
    return form.submit("save", status=status)


def states(portal, sur):
    with portal.root() as root:
        group = root["cycles"]["first-cycle"]["reviews"][sur]["report"]["summary"]
        return {v.language: v.workflow_state for v in group.values()}


FRENCH = "La législation couvre la plupart des infractions (essai)."


def test_r21_the_summary_of_a_final_report_is_translated_and_published_in_six_languages(portal, clients,
                                                                                           review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "agreement")
    assert clients["secretariat"].get(summary_url(sur), expect_errors=True).status_int == 404
    set_stage(portal, sur, "final")
    assert states(portal, sur) == {"en": "translated", "ar": "draft", "zh": "draft", "fr": "draft", "ru": "draft",
                                   "es": "draft"}
    with portal.root() as root:
        original = root["cycles"]["first-cycle"]["reviews"][sur]["report"]["summary"]["en"].text
    anonymous = portal.client()
    assert anonymous.get(summary_url(sur)).status_int == 303  # nothing published: sign in first
    sec = clients["secretariat"]
    # Side by side: the original beside the translation being written, in its language and direction.
    editor = sec.get(summary_url(sur, "ar") + "@@edit")
    assert original in editor.text and 'lang="ar"' in editor.text and 'dir="rtl"' in editor.text
    translate_into(sec, sur, "fr", FRENCH)
    fire(sec, summary_url(sur, "fr"), "mark-translated")
    fire(sec, summary_url(sur, "fr"), "publish")
    fire(sec, summary_url(sur, "en"), "publish")
    assert states(portal, sur)["fr"] == states(portal, sur)["en"] == "published"
    # Read anonymously in French: the French text, marked as a document for information purposes only.
    page = anonymous.get(summary_url(sur) + "?lang=fr")
    assert FRENCH in page.text and original not in page.text and 'lang="fr"' in page.text
    assert "à titre d'information" in page.text
    assert "Traducteur" not in page.text and "Translator" in sec.get(summary_url(sur)).text  # who translates: staff only
    # In Arabic, not published yet: the original, with a notice in Arabic, on a right-to-left page.
    page = anonymous.get(summary_url(sur) + "?lang=ar")
    assert original in page.text and 'dir="rtl"' in page.text and "النص الأصلي" in page.text
    assert anonymous.get(summary_url(sur, "ar"), expect_errors=True).status_int == 303  # the draft stays closed
    # The state's public page lists the summary with its published languages; JSON lists what the caller sees.
    state_page = anonymous.get(f"/states/{sur}?lang=fr").text
    assert summary_url(sur) + "?lang=fr" in state_page and "Français" in state_page
    listing = anonymous.get(summary_url(sur) + "@@json").json
    assert sorted(item["title"] for item in listing["items"]) == ["en", "fr"]
    # Every publication is in the audit log; the version's history says who published it.
    with portal.root() as root:
        records = [r for _n, r in sorted(root["audit"].records.items())]
        assert [(r["event"], r["who"], r["parts"]) for r in records] == [("publish", "sec", ["fr"]),
                                                                         ("publish", "sec", ["en"])]
        fr = root["cycles"]["first-cycle"]["reviews"][sur]["report"]["summary"]["fr"]
        assert fr.translator == "sec" and fr.publication()[0] == "sec"
    # Withdrawal closes that language again at once, and is logged.
    fire(sec, summary_url(sur, "fr"), "withdraw")
    assert FRENCH not in anonymous.get(summary_url(sur) + "?lang=fr").text
    with portal.root() as root:
        assert root["audit"].records[3]["event"] == "unpublish"


def test_r21_only_the_secretariat_translates_and_publishes(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "final")
    translate_into(clients["secretariat"], sur, "fr", FRENCH)
    fire(clients["secretariat"], summary_url(sur, "fr"), "mark-translated")
    for kind in ("sur-fp", "sur-expert", "rev-fp", "rev-expert", "third-fp", "observer", "admin"):
        client = clients[kind]
        assert client.get(summary_url(sur, "es") + "@@edit", expect_errors=True).status_int == 403, kind
        for lang, transition in (("fr", "publish"), ("en", "publish"), ("fr", "return")):
            assert fire(client, summary_url(sur, lang), transition, status="*").status_int == 403, (kind, lang)
    # The review's parties follow the translation; nobody else sees a draft.
    for kind in ("sur-fp", "sur-expert", "rev-fp", "rev-expert"):
        assert FRENCH in clients[kind].get(summary_url(sur, "fr")).text, kind
    for kind in ("third-fp", "third-expert", "observer", "admin"):
        assert clients[kind].get(summary_url(sur, "fr"), expect_errors=True).status_int == 403, kind
        assert clients[kind].get(summary_url(sur), expect_errors=True).status_int == 403, kind
    assert states(portal, sur)["fr"] == "translated" and states(portal, sur)["en"] == "translated"


def test_r21_bad_input_is_refused_and_loses_nothing(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "final")
    sec = clients["secretariat"]
    # An empty translation is not saved; it cannot be marked translated either.
    page = translate_into(sec, sur, "ru", "   ", status=200)
    assert "This field is required." in page.text
    page = fire(sec, summary_url(sur, "ru"), "mark-translated", status="*")
    assert page.status_int == 409 and "Write the translation" in page.text
    # Two translators from one revision: the second save is refused, names the first, and keeps its text.
    first = last_form(sec.get(summary_url(sur, "es") + "@@edit"))
    second = last_form(sec.get(summary_url(sur, "es") + "@@edit"))
    first["text"] = "Primera traducción."
    first.submit("save", status=303)
    second["text"] = "Segunda traducción."
    page = second.submit("save", status=409)
    assert "Sec saved this translation" in page.text and "Segunda traducción." in page.text
    assert "Primera traducción." in page.html.select_one("section.conflict del").text
    with portal.root() as root:
        assert root["cycles"]["first-cycle"]["reviews"][sur]["report"]["summary"]["es"].text == "Primera traducción."
    # The original is the agreed text: it is not returned to draft nor edited.
    page = fire(sec, summary_url(sur, "en"), "return", status="*")
    assert page.status_int == 409 and "agreed text" in page.text
    assert sec.get(summary_url(sur, "en") + "@@edit", expect_errors=True).status_int == 403
    # A placeholder of the original (a document may hold some) must be kept: a translation without it is refused.
    with portal.root() as root:
        root["cycles"]["first-cycle"]["reviews"][sur]["report"]["summary"]["en"].text += " Contact: ${name}."
    page = translate_into(sec, sur, "ar", "نص بلا متغير", status=200)
    assert "${name}" in page.text and "Keep the placeholder" in page.text and "نص بلا متغير" in page.text
    translate_into(sec, sur, "ar", "للاتصال: ${name}.")
    # An unknown language, a form without its token.
    assert sec.get(summary_url(sur, "xx"), expect_errors=True).status_int == 404
    assert sec.post(summary_url(sur, "zh") + "@@edit", {"save": "1", "revision": "0", "text": "伪造"},
                    expect_errors=True).status_int == 400
    assert states(portal, sur) == {"en": "translated", "ar": "draft", "zh": "draft", "fr": "draft", "ru": "draft",
                                   "es": "draft"}
    with portal.root() as root:
        assert root["cycles"]["first-cycle"]["reviews"][sur]["report"]["summary"]["ar"].text == "للاتصال: ${name}."


def test_r21_the_translators_queue_shows_per_language_what_awaits_work(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "final")
    sec = clients["secretariat"]
    translate_into(sec, sur, "fr", FRENCH)
    fire(sec, summary_url(sur, "fr"), "mark-translated")
    queue = sec.get("/@@translations")
    assert queue.text.count(summary_url(sur)) >= 6  # the original to publish, French to review, four to translate
    french = sec.get("/@@translations?language=fr").text
    assert summary_url(sur, "fr") in french and summary_url(sur, "ru") + "@@edit" not in french
    assert summary_url(sur, "ru") + "@@edit" in sec.get("/@@translations?language=ru").text
    # A translator takes a language on; the queue and the version say who; taking it again gives it back.
    form = [f for f in sec.get("/@@translations?language=ru").forms.values() if "assign" in (f.action or "")][0]
    form.submit(status=303)
    with portal.root() as root:
        assert root["cycles"]["first-cycle"]["reviews"][sur]["report"]["summary"]["ru"].assignee == "sec"
    assert "Taken on by" in sec.get(summary_url(sur, "ru")).text and "Give it back" in sec.get("/@@translations").text
    # Only the secretariat has the queue; an unknown language shows all of them.
    for kind in ("sur-fp", "rev-fp", "third-fp", "observer", "admin"):
        assert clients[kind].get("/@@translations", expect_errors=True).status_int == 403, kind
        assert clients[kind].post(summary_url(sur, "es") + "@@assign", {"csrf_token": "x"},
                                  expect_errors=True).status_int in (400, 403), kind
    assert portal.client().get("/@@translations").status_int == 303
    assert sec.get("/@@translations?language=xx").text.count("@@edit") == 4

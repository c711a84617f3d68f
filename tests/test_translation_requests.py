"""Translations of a review's working documents (R25, ToR ¶48, ¶49): the review is conducted in the language
its State chose; the secretariat asks for the checklist answers or a report draft in another working
language and delivers the translated file; the State under review may ask for a further language,
recorded as such; who sees what follows the review's stage; bad requests change nothing."""

from tests.conftest import csrf_from
from tests.cycle_fixtures import CYCLE, set_stage


def folder(sur):
    return f"{CYCLE}reviews/{sur}/translation-requests/"


def ask(client, sur, document="report", language="fr", other="", text="Needed for the reviewers.", status=303):
    return client.post(folder(sur) + "@@new", {"csrf_token": csrf_from(client.get("/")), "document": document,
                                               "language": language, "other_language": other, "text": text},
                       status=status)


def requests_of(portal, sur):
    with portal.root() as root:
        items = root["cycles"]["first-cycle"]["reviews"][sur]["translation-requests"]
        return [(r.document, r.language, r.further, r.workflow_state, r.requested_for) for r in items.ordered()]


def test_r25_the_secretariat_has_a_report_draft_translated_and_a_state_asks_for_a_further_language(
        portal, clients, review_parties):
    sur, reviewing, third = review_parties
    set_stage(portal, sur, "agreement")  # a draft of the report exists
    sec = clients["secretariat"]
    page = sec.get(folder(sur))
    assert "English" in page.text and "ToR ¶48" in page.text  # the review's working language, chosen by its State
    path = ask(sec, sur).location.replace("http://localhost", "")
    ask(clients["sur-fp"], sur, document="checklist", language="other", other="Kiswahili")
    assert requests_of(portal, sur) == [("report", "fr", False, "requested", None),
                                        ("checklist", "Kiswahili", True, "requested", sur)]
    assert "Further language (ToR ¶49)" in sec.get(folder(sur)).text
    # Delivered only with the translated file: the button alone is refused, with a message.
    token = csrf_from(sec.get(path))
    refused = sec.post(path + "@@transition", {"csrf_token": token, "transition": "deliver"}, status=409)
    assert "Attach the translated document" in refused.text
    sec.post(path + "@@reply", {"csrf_token": token, "text": "Here it is."},
             upload_files=[("files", "projet.txt", "Projet de rapport.".encode())], status=303)
    before = len(portal.mailer.outbox)
    sec.post(path + "@@transition", {"csrf_token": token, "transition": "deliver"}, status=303)
    assert requests_of(portal, sur)[0][3] == "delivered"
    assert len(portal.mailer.outbox) > before  # the parties are told; the mail quotes nothing of the review
    assert all("Projet" not in m.body for m in portal.mailer.outbox)
    # All parties read it and download the file; a third state sees nothing.
    for kind in ("sur-fp", "sur-expert", "rev-fp", "rev-expert"):
        assert "projet.txt" in clients[kind].get(path).text, kind
    for kind in ("third-fp", "observer", "admin"):
        assert clients[kind].get(path, expect_errors=True).status_int == 403, kind
        assert clients[kind].get(folder(sur), expect_errors=True).status_int == 403, kind
    # Only the secretariat and the State under review's focal point ask; only the secretariat delivers.
    for kind in ("sur-expert", "rev-fp", "rev-expert", "third-fp"):
        assert ask(clients[kind], sur, language="es", status="*").status_int == 403, kind
    second = f"{folder(sur)}2/"
    assert clients["sur-fp"].post(second + "@@transition", {"csrf_token": csrf_from(clients["sur-fp"].get("/")),
                                                            "transition": "deliver"}, status="*").status_int == 403


def test_r25_bad_requests_for_translation_change_nothing(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "dialogue")
    sec = clients["secretariat"]
    assert "no draft of the report" in ask(sec, sur, document="report", status=400).text
    assert "conducted in this language already" in ask(sec, sur, document="checklist", language="en",
                                                       status=400).text
    assert "Name the language" in ask(sec, sur, document="checklist", language="other", status=400).text
    ask(sec, sur, document="checklist", language="zh")
    page = ask(sec, sur, document="checklist", language="zh", text="Again.", status=400)
    assert "already been requested" in page.text and "Again." in page.text  # what was typed stays
    assert ask(sec, sur, document="minutes", status=400)
    assert ask(sec, sur, document="checklist", language="xx", status=400)
    assert sec.post(folder(sur) + "@@new", {"document": "checklist", "language": "ar"}, status=400)  # no token
    assert requests_of(portal, sur) == [("checklist", "zh", False, "requested", None)]


def test_r18_reviewing_states_do_not_read_translations_of_a_checklist_still_being_answered(portal, clients,
                                                                                          review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    path = ask(clients["secretariat"], sur, document="checklist", language="fr").location.replace(
        "http://localhost", "")
    assert clients["sur-fp"].get(path).status_int == 200
    for kind in ("rev-fp", "rev-expert"):
        assert clients[kind].get(path, expect_errors=True).status_int == 403, kind
    set_stage(portal, sur, "desk-review")
    assert clients["rev-fp"].get(path).status_int == 200

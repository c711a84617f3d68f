"""The self-assessment checklist (R13): definitions as data, only the state's instruments, drafts with
progress, submission that locks it, reopening, what reviewers see before and after, bad input and
concurrent edits."""

import pytest

from content.checklists import load_definition, parse_definition
from tests.conftest import csrf_from, last_form
from tests.cycle_fixtures import CYCLE, set_stage


def checklist_url(sur):
    return f"{CYCLE}reviews/{sur}/checklist/"


def open_section(client, sur, key):
    return last_form(client.get(checklist_url(sur) + "@@answer", params={"section": key}))


def fill(form, answer="yes", legislation="Penal Code, art. 1"):
    """Answer every question of a section form (deform names each question's fields alike, in order)."""
    for k, _field in enumerate(form.fields.get("answer", [])):
        form.set("answer", answer, index=k)
        form.set("legislation", legislation, index=k)
    return form


def test_r13_shipped_definition_covers_the_convention_criminalization_articles_and_each_protocol():
    definition = load_definition("criminalization")
    keys = [s.key for s in definition.sections]
    assert keys[:4] == ["untoc-5", "untoc-6", "untoc-8", "untoc-23"]
    assert {"tip-5", "som-6", "fir-5"} <= set(keys)
    assert all(len(s.questions) >= 2 for s in definition.sections)


@pytest.mark.parametrize("text, message", [
    ('[[sections]]\ninstrument = "XYZ"\narticle = "1"\ntitle = "t"\n[[sections.questions]]\nid = "a"\ntext = "q"\n',
     "unknown instrument 'XYZ'"),
    ('[[sections]]\ninstrument = "TIP"\narticle = "5"\ntitle = "t"\n[[sections.questions]]\nid = "a"\ntext = "q"\n'
     '[[sections.questions]]\nid = "a"\ntext = "r"\n', "question id 'a' is used twice"),
    ('[[sections]]\ninstrument = "TIP"\narticle = "5"\ntitle = "t"\n', "at least one question"),
    ('title = "empty"\n', "at least one section"),
])
def test_r13_a_bad_definition_is_refused_with_its_reason(text, message):
    with pytest.raises(ValueError, match=message):
        parse_definition("bad", text)


def test_r13_only_the_instruments_the_state_is_party_to_appear(portal, drawn):
    with portal.root() as root:
        reviews = root["cycles"]["first-cycle"]["reviews"]
        states = root["states"]
        for review in reviews.values():
            checklist = review["checklist"]
            instruments = {s.instrument for s in checklist.sections()}
            assert instruments == set(review.reviewers)
            party_to = {code for code in ("UNTOC", "TIP", "SOM", "FIR") if states[review.state].is_party(code)}
            assert instruments == party_to, review.state


def test_r13_draft_progress_submission_lock_and_reopening(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    fp, expert, sec = clients["sur-fp"], clients["sur-expert"], clients["secretariat"]
    with portal.root() as root:
        checklist = root["cycles"]["first-cycle"]["reviews"][sur]["checklist"]
        keys = [s.key for s in checklist.sections()]
        total = sum(len(s.questions) for s in checklist.sections())
    # An expert of the state under review saves part of a section as a draft.
    form = open_section(expert, sur, "untoc-5")
    form.set("answer", "yes-in-part", index=0)
    form.set("legislation", "Criminal Code, art. 213", index=0)
    form.submit("save", status=303)
    page = fp.get(checklist_url(sur))
    assert "Criminal Code, art. 213" in page.text and "Answered: 1 of 4" in page.text
    # Submission is refused while questions are open, and says how many.
    token = csrf_from(page)
    page = fp.post(f"{CYCLE}reviews/{sur}/@@transition", {"csrf_token": token, "transition": "submit-checklist"},
                   status=409)
    assert f"Questions of the checklist still without an answer: {total - 1}." in page.text
    for key in keys:
        fill(open_section(fp, sur, key)).submit("save", status=303)
    page = fp.get(checklist_url(sur))
    assert f"Answered: {total} of {total}" not in page.text  # per section, not in total
    page = [f for f in page.forms.values() if f.action.endswith("@@submit-checklist")][0].submit()  # confirm it
    form = [f for f in page.forms.values() if f.action.endswith("@@transition")][0]
    form.submit(status=303)
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        assert review.workflow_state == "desk-review" and review.workflow_history[-1]["actor"] == "sur-fp"
        assert review["checklist"].answers["untoc-5-1a-i"]["answer"] == "yes"
    # Locked: nobody edits a submitted checklist.
    for client in (fp, expert, sec):
        client.get(checklist_url(sur) + "@@answer", params={"section": "untoc-5"}, status=403)
    # The secretariat reopens it; the answers are still there and can be changed.
    page = sec.get(f"{CYCLE}reviews/{sur}/")
    [f for f in page.forms.values() if f.action.endswith("@@transition")
     and f["transition"].value == "reopen-checklist"][0].submit(status=303)
    form = open_section(fp, sur, "untoc-5")
    assert form.get("legislation", index=0).value == "Penal Code, art. 1"


def test_r13_reviewers_see_progress_only_until_submission(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    fill(open_section(clients["sur-fp"], sur, "untoc-5"), legislation="Secret draft wording").submit("save", status=303)
    for kind in ("rev-fp", "rev-expert"):
        page = clients[kind].get(checklist_url(sur))
        assert "Answered: 4 of 4" in page.text and "Secret draft wording" not in page.text
        clients[kind].get(checklist_url(sur) + "@@json", status=403)
        clients[kind].get(checklist_url(sur) + "@@answer", params={"section": "untoc-5"}, status=403)
    for kind in ("third-fp", "third-expert", "observer", "admin"):
        clients[kind].get(checklist_url(sur), status=403)
        clients[kind].get(checklist_url(sur) + "@@json", status=403)
    portal.client().get(checklist_url(sur), status=303)
    set_stage(portal, sur, "desk-review")
    for kind in ("rev-fp", "rev-expert", "secretariat"):
        assert "Secret draft wording" in clients[kind].get(checklist_url(sur)).text
        assert clients[kind].get(checklist_url(sur) + "@@json").json["answers"]["untoc-5-1a-i"]["answer"] == "yes"


def test_r13_checklist_closed_before_the_checklist_stage(portal, clients, review_parties):
    sur = review_parties[0]
    clients["sur-fp"].get(checklist_url(sur) + "@@answer", params={"section": "untoc-5"}, status=403)
    clients["rev-fp"].get(checklist_url(sur), status=403)
    assert "Answered: 0 of 4" in clients["sur-fp"].get(checklist_url(sur)).text


def test_r13_bad_answers_are_refused_and_nothing_is_saved(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    fp = clients["sur-fp"]
    form = open_section(fp, sur, "untoc-5")
    form.set("legislation", "Kept as typed", index=1)
    fields = [(n, "maybe" if n == "answer" else v) for n, v in form.submit_fields()] + [("save", "save")]
    page = fp.post(checklist_url(sur) + "@@answer?section=untoc-5", fields, status=200)
    assert "Choose one of the options offered." in page.text and "Kept as typed" in page.text
    form = open_section(fp, sur, "untoc-5")
    form.set("challenges", "x" * 10_001, index=0)
    page = form.submit("save", status=200)
    assert "write at most 10000 characters" in page.text
    with portal.root() as root:
        checklist = root["cycles"]["first-cycle"]["reviews"][sur]["checklist"]
        assert dict(checklist.answers) == {} and checklist.version("untoc-5") == 0
    fp.get(checklist_url(sur) + "@@answer", params={"section": "untoc-99"}, status=404)


def test_r13_concurrent_edits_are_detected_not_overwritten(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    mine = open_section(clients["sur-fp"], sur, "untoc-5")
    theirs = open_section(clients["sur-expert"], sur, "untoc-5")
    fill(theirs, legislation="Expert's wording").submit("save", status=303)
    page = fill(mine, legislation="Focal point's wording").submit("save", status=409)
    assert "Sur-X saved this section after you opened it" in page.text
    compared = page.html.select_one("section.conflict")  # issue 21 §4: theirs beside mine, by name
    assert "Saved by Sur-X" in compared.text and compared.select_one("del").text.endswith("Expert's wording")
    assert compared.select_one("ins").text.endswith("Focal point's wording")
    assert "Focal point's wording" in page.text  # nothing typed is lost
    with portal.root() as root:
        checklist = root["cycles"]["first-cycle"]["reviews"][sur]["checklist"]
        assert checklist.answers["untoc-5-1a-i"]["legislation"] == "Expert's wording"
    # Saving again, knowingly, is accepted.
    last_form(page).submit("save", status=303)
    with portal.root() as root:
        checklist = root["cycles"]["first-cycle"]["reviews"][sur]["checklist"]
        assert checklist.answers["untoc-5-1a-i"]["legislation"] == "Focal point's wording"
        assert checklist.version("untoc-5") == 2


def test_r13_checklist_in_arabic_is_right_to_left_with_translated_labels(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    page = clients["sur-fp"].get(checklist_url(sur) + "@@answer", params={"section": "untoc-5", "lang": "ar"})
    assert 'dir="rtl"' in page.text and "التشريعات" in page.text


def test_r13_follow_up_asks_about_the_previous_reports_observations(portal, clients, review_parties):
    """¶41: from the second cycle on, the checklist lists the observations and technical assistance needs of
    the state's previous final report and asks for progress; they must be answered before submission."""
    from content.cycles import new_cycle
    from content.reviews import sync_reviews
    from portal.scripts.demo_reviews import bring_to_stage

    sur, reviewing, _third = review_parties
    set_stage(portal, sur, "final")
    with portal.root() as root:
        previous = [f for f in root["cycles"]["first-cycle"]["reviews"][sur]["report"].findings()
                    if f["kind"] in ("observation", "ta-need")]
        assert previous
        second = root["cycles"].add("second-cycle", new_cycle("Second review cycle", 2032, 2036))
        second.assignments[2032] = ({"under_review": sur, "instrument": "UNTOC", "reviewers": list(reviewing[:2])},)
        sync_reviews(second, 2032, "test")
        review = second["reviews"][sur]
        checklist = review["checklist"]
        follow_up = checklist.section("follow-up")
        assert [q.text for q in follow_up.questions] == [f["text"] for f in previous]
        assert [s.key for s in checklist.article_sections()] == [a[0] for a in review["report"].articles()]
        bring_to_stage(review, "checklist", "test")
    path = "/cycles/second-cycle/reviews/" + sur + "/"
    page = clients["sur-fp"].get(path + "checklist/")
    assert "Follow-up of the previous review" in page.text and previous[0]["text"] in page.text
    form = last_form(clients["sur-fp"].get(path + "checklist/@@answer", params={"section": "follow-up"}))
    assert "answer" not in form.fields  # ¶41: progress and assistance, not yes / no (tests/test_follow_up.py)
    for k, _field in enumerate(form.fields["progress"]):
        form.set("progress", "partial", index=k)
    form.submit("save", status=303)
    with portal.root() as root:
        checklist = root["cycles"]["second-cycle"]["reviews"][sur]["checklist"]
        assert not [q for q in checklist.section("follow-up").questions if not checklist.answered(q)]
    # A state never reviewed before has no follow-up section.
    with portal.root() as root:
        assert root["cycles"]["first-cycle"]["reviews"][sur]["checklist"].section("follow-up") is None

"""The follow-up of the previous review (ToR ¶41): per observation and technical assistance need of the State's
previous report, the progress made (none, partial, full) with a description, and the assistance received (from
whom, when, with what effect); the answers reach the secretariat's assistance tracker and, counted, the annex of
the Conference's assessment (¶42-¶45) without naming any State (R22)."""

import pytest

from content.conference import record_decision
from content.cycles import new_cycle
from content.reviews import sync_reviews
from portal.scripts.demo_reviews import bring_to_stage
from tests.conftest import last_form
from tests.cycle_fixtures import set_stage

SECOND = "/cycles/second-cycle/reviews/"


def second_review(portal, review_parties):
    """The State under review's final report of the first cycle, and its review of a second cycle, at its
    checklist; returns the previous report's observations and needs."""
    sur, reviewing, _third = review_parties
    set_stage(portal, sur, "final")
    with portal.root() as root:
        previous = [f for f in root["cycles"]["first-cycle"]["reviews"][sur]["report"].findings()
                    if f["kind"] in ("observation", "ta-need")]
        second = root["cycles"].add("second-cycle", new_cycle("Second review cycle", 2032, 2036))
        second.assignments[2032] = ({"under_review": sur, "instrument": "UNTOC", "reviewers": list(reviewing[:2])},)
        sync_reviews(second, 2032, "test")
        second["reviews"][sur].language = "en"
        bring_to_stage(second["reviews"][sur], "checklist", "test")
    return previous


def follow_up_form(client, sur):
    return last_form(client.get(SECOND + sur + "/checklist/@@answer", params={"section": "follow-up"}))


@pytest.mark.storages("file", "relstorage")  # production runs on PostgreSQL
def test_tor41_follow_up_asks_progress_and_assistance_received_per_observation(portal, clients, review_parties):
    sur = review_parties[0]
    previous = second_review(portal, review_parties)
    kinds = {f["kind"] for f in previous}
    assert kinds == {"observation", "ta-need"}
    fp = clients["sur-fp"]
    form = follow_up_form(fp, sur)
    # One set of fields per observation or need: progress, description, assistance, provider, period, effect.
    for name in ("progress", "description", "assistance", "provider", "period", "effect"):
        assert len(form.fields[name]) == len(previous), name
    assert "answer" not in form.fields and "legislation" not in form.fields
    assert [o[0] for o in form.fields["progress"][0].options] == ["", "full", "partial", "none"]
    # A value outside the lists is refused with a message, nothing is saved and the texts typed stay.
    form.fields["progress"][0].force_value("finished")
    form.set("description", "Kept description", index=0)
    page = form.submit("save", status=200)
    assert "Kept description" in page.text and "error" in page.text
    with portal.root() as root:
        assert not root["cycles"]["second-cycle"]["reviews"][sur]["checklist"].saved.get("follow-up")
    form = follow_up_form(fp, sur)
    for k, finding in enumerate(previous):
        form.set("progress", ("partial", "full", "none")[k % 3], index=k)
        form.set("description", f"Progress on {finding['id']}", index=k)
        if finding["kind"] == "ta-need":
            form.set("assistance", "received", index=k)
            form.set("provider", "UNODC regional office", index=k)
            form.set("period", "2029-2030", index=k)
            form.set("effect", "Forty prosecutors trained", index=k)
    form.submit("save", status=303)
    with portal.root() as root:
        checklist = root["cycles"]["second-cycle"]["reviews"][sur]["checklist"]
        assert not checklist.unanswered() or all(not q.id.startswith("follow-up") for q in checklist.unanswered())
        need = next(f for f in previous if f["kind"] == "ta-need")
        stored = dict(checklist.answers[f"follow-up-first-cycle-{need['id']}"])
    assert stored["assistance"] == "received" and stored["provider"] == "UNODC regional office"
    assert stored["period"] == "2029-2030" and stored["effect"] == "Forty prosecutors trained"
    # Every representation shows it: the page, @@json.
    page = fp.get(SECOND + sur + "/checklist/")
    assert "Partly addressed" in page.text and "Technical assistance received: Received" in page.text
    assert "Forty prosecutors trained" in page.text and "Effect of the assistance" in page.text
    answers = fp.get(SECOND + sur + "/checklist/@@json").json["answers"]
    assert answers[f"follow-up-first-cycle-{need['id']}"]["provider"] == "UNODC regional office"


def test_tor41_follow_up_answers_reach_the_assistance_tracker_and_the_assessment_annex(portal, clients,
                                                                                      review_parties):
    sur = review_parties[0]
    previous = second_review(portal, review_parties)
    need = next(f for f in previous if f["kind"] == "ta-need")
    with portal.root() as root:
        review = root["cycles"]["second-cycle"]["reviews"][sur]
        checklist = review["checklist"]
        checklist.save_section("follow-up", {
            f"follow-up-first-cycle-{f['id']}": {
                "progress": "full" if f is need else "none", "description": "Done",
                "assistance": "partly-received" if f is need else "not-requested",
                "provider": "Council of Europe" if f is need else "", "period": "2031", "effect": "New law adopted"}
            for f in previous}, "test", checklist.version("follow-up"))
    # The secretariat's tracker shows the State's answer beside the need of the first cycle.
    page = clients["secretariat"].get("/technical-assistance/")
    assert "Fully addressed" in page.text and "Partly received" in page.text and "Council of Europe" in page.text
    # The annex counts only submitted checklists: a draft is the State's own until it submits.
    with portal.root() as root:
        second = root["cycles"]["second-cycle"]
        decision = record_decision(root["conference"], "assessment", "10/1", "tenth session", None,
                                   "Assessment", "Assessed.", second, (), "test")
        assert decision.annex["follow_up"]["states"] == 0
        bring_to_stage(second["reviews"][sur], "desk-review", "test")
        decision = record_decision(root["conference"], "assessment", "10/2", "tenth session", None,
                                   "Assessment", "Assessed.", second, (), "test")
        annex = decision.annex["follow_up"]
        number = decision.__name__
    assert annex["states"] == 1
    # The secretariat sees the same counts on its tracker while the cycle runs, before any assessment.
    page = clients["secretariat"].get("/technical-assistance/")
    section = page.html.select_one("section.follow-up")
    assert "Follow-up reported in Second review cycle" in " ".join(section.get_text().split())
    assert "Fully addressed" in section.get_text() and "Partly received" in section.get_text()
    assert annex["progress"] == {"full": 1, "partial": 0, "none": len(previous) - 1}
    assert annex["assistance"]["partly-received"] == 1 and annex["assistance"]["not-requested"] == len(previous) - 1
    page = portal.client().get(f"/conference/{number}/")  # the decision and its annex are public
    assert "Follow-up of the previous cycle" in page.text and "Fully addressed" in page.text
    assert sur not in page.text  # totals only: no State is named (R22)


def test_tor41_evolve_turns_old_follow_up_answers_into_progress(portal, review_parties):
    """Evolve step 13: a follow-up answered as yes / in part / no before issue 23 keeps its texts and its degree."""
    from content.evolve import STEPS

    sur = review_parties[0]
    previous = second_review(portal, review_parties)
    with portal.root() as root:
        checklist = root["cycles"]["second-cycle"]["reviews"][sur]["checklist"]
        old = f"follow-up-first-cycle-{previous[0]['id']}"
        checklist.answers[old] = {"answer": "yes-in-part", "legislation": "Act of 2030", "cases": "",
                                  "challenges": "", "assistance": "A workshop was held."}
        STEPS[13][0](root)
        answer = dict(checklist.answers[old])
        assert checklist.answered(next(q for q in checklist.section("follow-up").questions if q.id == old))
    assert answer["progress"] == "partial"
    assert answer["description"] == "Act of 2030\n\nA workshop was held." and answer["assistance"] == ""

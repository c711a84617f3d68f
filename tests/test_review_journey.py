"""A whole country review with the demo accounts (issue 4, acceptance): language and team, checklist
answered and submitted, comments, questions asked and answered with attachments, a visit agreed and held,
the report drafted, agreed by every party (after an edit cleared the first agreements) and final."""

import re

import pytest

from portal.scripts.demo import DEMO_PASSWORD, build_demo, build_demo_cycle, build_demo_experts
from tests.conftest import csrf_from, last_form, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def demo(portal):
    with portal.root() as root:
        build_demo(root)
        build_demo_experts(root)
        build_demo_cycle(root)
        reviews = root["cycles"]["first-cycle"]["reviews"]
        # A review the demo left scheduled, without a working language, with three parties ("all three").
        review = next(r for r in reviews.values()
                      if r.workflow_state == "scheduled" and r.language is None and len(r.parties()) == 3)
        return review.state, review.reviewing_states()


def client_for(portal, login):
    client = portal.client()
    sign_in(client, login, password=DEMO_PASSWORD)
    return client


def fire(client, path, transition, status=303):
    page = client.get(path)
    return client.post(path + "@@transition", {"csrf_token": csrf_from(page), "transition": transition},
                       status=status)


def review_state(portal, sur):
    with portal.root() as root:
        return root["cycles"]["first-cycle"]["reviews"][sur].workflow_state


def test_whole_review_journey_with_the_demo_accounts(portal, demo):
    sur, (rev1, rev2) = demo
    path = f"/cycles/first-cycle/reviews/{sur}/"
    sec = client_for(portal, "secretariat")
    sur_fp = client_for(portal, f"{sur.lower()}-fp")
    rev1_fp = client_for(portal, f"{rev1.lower()}-fp")
    rev2_fp = client_for(portal, f"{rev2.lower()}-fp")
    third = next(code for code in ("KEN", "FRA", "MEX", "BRA", "IND") if code not in (sur, rev1, rev2))
    third_fp = client_for(portal, f"{third.lower()}-fp")

    # Scheduled: the state under review chooses the working language and names its focal point (R25, ¶17).
    form = last_form(sur_fp.get(path + "@@language"))
    form["language"] = "fr"
    form.submit("save", status=303)
    form = last_form(sur_fp.get(path + "@@team"))
    form["focal_point"] = f"{sur.lower()}-fp"
    form.submit("save", status=303)
    fire(sec, path, "open-checklist")

    # Checklist (R13): a reviewer cannot edit it; the focal point answers every section and submits.
    checklist = sur_fp.get(path + "checklist/")
    links = sorted(set(re.findall(r'checklist/@@answer\?section=([\w-]+)', checklist.text)))
    assert links
    rev1_fp.get(path + f"checklist/@@answer?section={links[0]}", status=403)
    for key in links:
        form = last_form(sur_fp.get(path + f"checklist/@@answer?section={key}"))
        for k, _field in enumerate(form.fields.get("answer", ())):
            form.set("answer", "yes-in-part", index=k)
            form.set("legislation", "Penal Code, art. 12", index=k)
        for k, _field in enumerate(form.fields.get("progress", ())):  # the follow-up of the pilot review (¶41)
            form.set("progress", "partial", index=k)
        form.submit("save", status=303)
    fire(sur_fp, path, "submit-checklist")
    assert review_state(portal, sur) == "desk-review"

    # Desk review (R14): a reviewer comments on an answer; the state under review cannot comment.
    page = rev1_fp.get(path + "checklist/")
    question_id = re.search(r'name="question" value="([^"]+)"', page.text).group(1)
    rev1_fp.post(path + "checklist/@@comment", {"csrf_token": csrf_from(page), "question": question_id,
                                                "text": "Please cite the case law."}, status=303)
    assert "Please cite the case law." in sur_fp.get(path + "checklist/").text
    sur_fp.post(path + "checklist/@@comment", {"csrf_token": csrf_from(page), "question": question_id,
                                               "text": "Rewritten."}, status=403)
    fire(sec, path, "start-dialogue")

    # Dialogue (¶23): a question with an attachment; the answer with another; mails to each side.
    portal.mailer.outbox.clear()
    page = rev1_fp.get(path + "dialogue/")
    ask = last_form(page)
    ask["title"] = "Statistics"
    ask["text"] = "How many convictions in 2025?"
    ask["files"] = [("table.pdf", PDF)]
    question = ask.submit(status=303).follow()
    assert "How many convictions in 2025?" in question.text
    assert any(f"{sur.lower()}-fp" in m.recipients[0] for m in portal.mailer.outbox)
    assert all("How many convictions" not in m.body for m in portal.mailer.outbox)  # no confidential text by mail
    download = sur_fp.get(path + "dialogue/1/file-1")
    assert download.body == PDF and download.headers["Content-Disposition"].startswith("attachment")
    answer = last_form(sur_fp.get(path + "dialogue/1/"))
    answer["text"] = "Fourteen convictions."
    answer["files"] = [("figures.txt", "2024: 11\n2025: 14\n".encode())]
    assert answer.action.endswith("@@answer")
    answer.submit(status=303)
    with portal.root() as root:
        assert root["cycles"]["first-cycle"]["reviews"][sur]["dialogue"]["1"].workflow_state == "answered"
    assert any(m.recipients == [f"{rev1.lower()}-fp@demo.invalid"] for m in portal.mailer.outbox)

    # Visit (R15): proposed by a reviewer, agreed by the state under review, then held with minutes.
    form = last_form(rev1_fp.get(path + "@@propose-visit"))
    form["kind"] = "country-visit"
    form.set("date", "2027-09-06", index=0)  # deform names both date fields "date": first day, last day
    form.set("date", "2027-09-08", index=1)
    form["place"] = "Capital"
    form.submit("save", status=303)
    fire(sec, path + "visit/", "record-held", status=409)  # not before the state under review agrees
    fire(sur_fp, path + "visit/", "agree")
    form = last_form(sec.get(path + "visit/@@minutes"))
    form["minutes"] = "Met the prosecution service."
    form.submit("save", status=303)
    fire(sec, path + "visit/", "record-held")

    # Drafting (R16): reviewers draft sections and findings; the state under review comments, cannot edit.
    fire(sec, path, "start-drafting")
    for client, key, text in ((rev1_fp, "introduction", "Introduction text."), (rev2_fp, "summary", "Summary.")):
        form = last_form(client.get(path + f"report/@@section?key={key}"))
        form["text"] = text
        form.submit("save", status=303)
    form = last_form(rev1_fp.get(path + "report/@@finding"))
    form["kind"] = "good-practice"
    form["text"] = "A specialised prosecution unit."
    form.submit("save", status=303)
    sur_fp.get(path + "report/@@section?key=introduction", status=403)
    page = sur_fp.get(path + "report/")
    sur_fp.post(path + "report/@@comment", {"csrf_token": csrf_from(page), "section": "summary",
                                            "text": "Please mention the 2026 reform."}, status=303)
    portal.mailer.outbox.clear()
    fire(sec, path, "seek-agreement")
    assert sorted(m.recipients[0] for m in portal.mailer.outbox) == sorted(
        f"{s.lower()}-fp@demo.invalid" for s in (sur, rev1, rev2))

    # Agreement (R16): two agree; an edit clears them; a stale agreement is refused; all three agree: final.
    def agree(client, version):
        page = client.get(path + "report/")
        return client.post(path + "report/@@agree", {"csrf_token": csrf_from(page), "version": str(version)},
                           status=303)

    with portal.root() as root:
        version = root["cycles"]["first-cycle"]["reviews"][sur]["report"].current_number()
    agree(rev1_fp, version)
    agree(sur_fp, version)
    form = last_form(rev2_fp.get(path + "report/@@section?key=summary"))
    form["text"] = "Summary, with the 2026 reform."
    form.submit("save", status=303)
    agree(rev2_fp, version)  # the version it read is stale now
    assert review_state(portal, sur) == "agreement"
    for client in (rev1_fp, rev2_fp):
        agree(client, version + 1)
    assert review_state(portal, sur) == "agreement"
    agree(sur_fp, version + 1)
    assert review_state(portal, sur) == "final"

    # Final: read-only for everyone; a third state reads nothing of it.
    rev1_fp.get(path + "report/@@section?key=introduction", status=403)
    assert "Summary, with the 2026 reform." in sur_fp.get(path + "report/").text
    for view in ("", "checklist/", "dialogue/", "dialogue/1/", "dialogue/1/file-1", "visit/", "report/",
                 "report/@@versions", "report/@@json"):
        third_fp.get(path + view, status=403)


def test_r15_new_details_of_an_agreed_visit_need_the_agreement_again(portal, demo):
    sur, (rev1, _rev2) = demo
    path = f"/cycles/first-cycle/reviews/{sur}/"
    from portal.scripts.demo_reviews import agree_visit, bring_to_stage

    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        bring_to_stage(review, "dialogue", "test")
        agree_visit(review, "test")
    rev1_fp = client_for(portal, f"{rev1.lower()}-fp")
    fire(rev1_fp, path + "visit/", "revise", status=409)  # nothing changed: no button, no move
    form = last_form(rev1_fp.get(path + "visit/@@edit"))
    form.submit("save", status=303)  # saved unchanged: still agreed
    with portal.root() as root:
        assert root["cycles"]["first-cycle"]["reviews"][sur]["visit"].workflow_state == "agreed"
    portal.mailer.outbox.clear()
    form = last_form(rev1_fp.get(path + "visit/@@edit"))
    form["place"] = "Another city"
    form.submit("save", status=303)
    with portal.root() as root:
        visit = root["cycles"]["first-cycle"]["reviews"][sur]["visit"]
        assert (visit.workflow_state, visit.place) == ("proposed", "Another city")
    assert [m.recipients for m in portal.mailer.outbox] == [[f"{sur.lower()}-fp@demo.invalid"]]
    fire(client_for(portal, "secretariat"), path + "visit/", "record-held", status=409)
    fire(client_for(portal, f"{sur.lower()}-fp"), path + "visit/", "agree")

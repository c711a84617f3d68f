"""Issue 21 §6: files attached to checklist answers (the dialogue's rules: types, size, number; read by whoever
reads the answers, nobody else) and new information given after submission (ToR ¶13), which reaches the
reviewing States without changing the submitted answers."""

from content.attachments import MAX_FILES
from tests.conftest import csrf_from
from tests.cycle_fixtures import CYCLE, set_stage

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(sur):
    return f"{CYCLE}reviews/{sur}/checklist/"


def first_question(portal, sur):
    with portal.root() as root:
        return root["cycles"]["first-cycle"]["reviews"][sur]["checklist"].sections()[0].questions[0].id


def post(client, sur, view, question, files=(), status=303, **fields):
    page = client.get(url(sur))
    return client.post(url(sur) + view, {"csrf_token": csrf_from(page), "question": question, **fields},
                       upload_files=[("files", name, data) for name, data in files], status=status)


def found(client, word):
    return [r for r in client.get("/@@search", {"q": word, "format": "json"}).json["results"]]


def stored(portal, sur, question):
    with portal.root() as root:
        checklist = root["cycles"]["first-cycle"]["reviews"][sur]["checklist"]
        return [a.filename for a in checklist.attachments(question)]


def test_files_on_checklist_answers_follow_the_dialogues_rules_and_the_checklists_readers(portal, clients,
                                                                                          review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    question = first_question(portal, sur)
    fp = clients["sur-fp"]
    post(fp, sur, "@@attach", question, [("penal-code.pdf", PDF)])
    assert stored(portal, sur, question) == ["penal-code.pdf"]
    # Bad files are refused with the reason, beside the question, and nothing of the upload is kept.
    page = post(fp, sur, "@@attach", question, [("law.pdf", PDF), ("virus.exe", b"MZ...")], status=400)
    assert "Files of the type of “virus.exe” cannot be attached" in page.text
    assert page.html.select_one(f"#problem-{question}") is not None
    page = post(fp, sur, "@@attach", question, [(f"law-{k}.pdf", PDF) for k in range(MAX_FILES)], status=400)
    assert f"At most {MAX_FILES} files per answer." in page.text
    assert "Choose a file to attach." in post(fp, sur, "@@attach", question, status=400).text
    assert stored(portal, sur, question) == ["penal-code.pdf"]
    # The file is read as the answers are: the State under review now, the reviewing States after submission.
    assert clients["sur-expert"].get(url(sur) + "files/1").body == PDF
    for kind in ("rev-fp", "rev-expert", "third-fp", "observer"):
        clients[kind].get(url(sur) + "files/1", status=403)
    assert "@@login" in portal.client().get(url(sur) + "files/1", status=303).location  # the public: sign in first
    post(clients["rev-fp"], sur, "@@attach", question, [("x.pdf", PDF)], status=403)
    # Removed while the checklist is open: its name is not reused by the next file.
    post(fp, sur, "@@detach", question, file="1")
    post(fp, sur, "@@attach", question, [("penal-code-2026.pdf", PDF), ("notes.txt", "Zanzibarite 9913".encode())])
    assert stored(portal, sur, question) == ["penal-code-2026.pdf", "notes.txt"]
    # Search finds a file's text for those who may read it, and for nobody else.
    assert found(clients["sur-expert"], "Zanzibarite") and not found(clients["rev-fp"], "Zanzibarite")
    fp.get(url(sur) + "files/1", status=404)
    set_stage(portal, sur, "desk-review")
    assert clients["rev-fp"].get(url(sur) + "files/2").body == PDF
    assert found(clients["rev-fp"], "Zanzibarite") and not found(clients["third-fp"], "Zanzibarite")
    assert "penal-code-2026.pdf" in clients["rev-fp"].get(url(sur)).text
    post(fp, sur, "@@detach", question, file="2", status=403)  # submitted: the answers and their files stay
    third = clients["third-fp"]
    third.get(url(sur) + "files/2", status=403)


def test_tor13_new_information_after_submission_reaches_the_reviewing_states(portal, clients, review_parties):
    sur = review_parties[0]
    question = first_question(portal, sur)
    fp = clients["sur-fp"]
    set_stage(portal, sur, "checklist")
    post(fp, sur, "@@new-information", question, text="Too early.", status=403)  # still open: answer it instead
    set_stage(portal, sur, "desk-review")
    with portal.root() as root:
        answer = dict(root["cycles"]["first-cycle"]["reviews"][sur]["checklist"].answers.get(question) or {})
    portal.mailer.outbox.clear()
    page = post(fp, sur, "@@new-information", question, text="   ", status=400)
    assert "Write the new information or attach a file." in page.text
    page = post(fp, sur, "@@new-information", question, [("bad.exe", b"MZ")], text="Kept 4471.", status=400)
    assert "cannot be attached" in page.text and "Kept 4471." in page.text  # what was typed comes back
    assert portal.mailer.outbox == []
    post(fp, sur, "@@new-information", question, [("amendment.pdf", PDF)], text="A law of 2027 amends it. 4471")
    with portal.root() as root:
        checklist = root["cycles"]["first-cycle"]["reviews"][sur]["checklist"]
        assert dict(checklist.answers.get(question) or {}) == answer  # the submitted answer is unchanged
        (entry,) = checklist.information(question)
        assert (entry["who"], entry["state"], entry["text"]) == ("sur-fp", sur, "A law of 2027 amends it. 4471")
        reviewing = {u.email for u in root["users"].values() if u.active and (
            u.function == "secretariat" or (u.function == "focal-point" and u.state in checklist.review.reviewing_states()))}
    page = clients["rev-fp"].get(url(sur))
    assert "A law of 2027 amends it. 4471" in page.text and "amendment.pdf" in page.text
    assert {r for m in portal.mailer.outbox for r in m.recipients} == reviewing
    assert all("4471" not in m.body for m in portal.mailer.outbox)
    post(clients["rev-fp"], sur, "@@new-information", question, text="Not ours to give.", status=403)
    set_stage(portal, sur, "agreement")
    post(fp, sur, "@@new-information", question, text="Too late.", status=403)

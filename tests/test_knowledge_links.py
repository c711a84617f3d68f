"""Knowledge links (ToR ¶3(c), ¶7): legislation and cases cited as structured references in checklist answers and
report findings (title, article, date, link, file), the previous cycle's answers offered to copy and update, and
the collection of good practices that States published, by article and through the portal's search."""

from io import BytesIO

from docx import Document as Word

from content.cycles import new_cycle
from content.reviews import sync_reviews
from portal.scripts.demo_reviews import bring_to_stage, draft_report, publish_parts
from tests.conftest import csrf_from, last_form
from tests.cycle_fixtures import CYCLE, set_stage

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LAW = "Organized Crime Prevention Act QZXLAW"


def checklist_url(sur, cycle=CYCLE):
    return f"{cycle}reviews/{sur}/checklist/"


def cite(client, where, status=303, files=(), **fields):
    page = client.get(where + "@@cite", params={k: v for k, v in fields.items() if k in ("question", "id")})
    return client.post(where + "@@cite", {"csrf_token": csrf_from(page), **fields},
                       upload_files=[("files", name, data) for name, data in files], status=status)


def test_tor3c_answers_cite_legislation_and_cases_as_structured_references(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    with portal.root() as root:
        question = root["cycles"]["first-cycle"]["reviews"][sur]["checklist"].sections()[0].questions[0].id
    fp, url = clients["sur-fp"], checklist_url(sur)
    # Bad input: refused with the reason, nothing kept, what was typed shown again.
    page = cite(fp, url, 400, question=question, kind="legislation", title=LAW, url="ftp://example.org/law")
    assert "The link must be a web address" in page.text and LAW in page.text
    page = cite(fp, url, 400, question=question, kind="legislation", title=LAW, day="01/06/2019")
    assert "Write the date as YYYY-MM-DD." in page.text
    page = cite(fp, url, 400, question=question, kind="statute", title=LAW)
    assert "Choose whether it is legislation or a case." in page.text
    page = cite(fp, url, 400, question=question, kind="case", title=" ")
    assert "Give the title of the law or the name of the case." in page.text
    page = cite(fp, url, 400, question=question, kind="legislation", title=LAW, files=[("law.exe", b"MZ")])
    assert "cannot be attached" in page.text and LAW in page.text
    with portal.root() as root:
        assert root["cycles"]["first-cycle"]["reviews"][sur]["checklist"].references(question) == []
    cite(fp, url, question=question, kind="legislation", title=LAW, article="5", day="2019-06-01",
         url="https://sherloc.unodc.org/", files=[("act.pdf", PDF)])
    cite(fp, url, question=question, kind="case", title="Prosecutor v. X QZXCASE", day="2021-03-15")
    with portal.root() as root:
        references = root["cycles"]["first-cycle"]["reviews"][sur]["checklist"].references(question)
    assert [(r["kind"], r["title"], r["article"], r["date"], r["url"], bool(r["file"])) for r in references] == [
        ("legislation", LAW, "5", "2019-06-01", "https://sherloc.unodc.org/", True),
        ("case", "Prosecutor v. X QZXCASE", "", "2021-03-15", "", False)]
    page = fp.get(url)
    assert LAW in page.text and 'href="https://sherloc.unodc.org/"' in page.text and "act.pdf" in page.text
    assert fp.get(url + "@@json").json["references"][question][1]["title"] == "Prosecutor v. X QZXCASE"
    # The checklist's Word download cites them too (the file stays in the portal).
    text = word_text(fp.get(url + "@@docx"))
    assert LAW in text and "https://sherloc.unodc.org/" in text and "2019-06-01" in text
    # Only those who answer cite; the reviewing States read the citations once the checklist is submitted.
    for kind in ("rev-fp", "rev-expert", "third-fp", "secretariat"):
        clients[kind].get(url + "@@cite", params={"question": question}, status=403)
    assert LAW not in clients["rev-fp"].get(url).text
    bring_to_stage_of(portal, sur, "desk-review")
    assert LAW in clients["rev-fp"].get(url).text and LAW in clients["rev-expert"].get(url + "@@json").text
    fp.get(url + "@@cite", params={"question": question}, status=403)  # submitted: the answers stay as they are
    for kind in ("third-fp", "observer"):
        assert LAW not in clients[kind].get(url, expect_errors=True).text
    # Found by the parties' search, by nobody else's.
    assert any(r for r in clients["rev-fp"].get("/@@search", {"q": "QZXLAW", "format": "json"}).json["results"])
    assert not clients["third-fp"].get("/@@search", {"q": "QZXLAW", "format": "json"}).json["results"]


def word_text(response):
    """The paragraphs of a Word download, one text."""
    return "\n".join(p.text for p in Word(BytesIO(response.body)).paragraphs)


def bring_to_stage_of(portal, sur, stage):
    with portal.root() as root:
        bring_to_stage(root["cycles"]["first-cycle"]["reviews"][sur], stage, "test")


def test_tor3c_findings_cite_references_that_reach_the_published_part(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "drafting")
    report_url = f"{CYCLE}reviews/{sur}/report/"
    with portal.root() as root:
        draft_report(root["cycles"]["first-cycle"]["reviews"][sur], "test")
        report = root["cycles"]["first-cycle"]["reviews"][sur]["report"]
        finding = next(f for f in report.findings() if f["kind"] == "good-practice")
        base = report.current_number()
    rev = clients["rev-fp"]
    page = cite(rev, report_url, 400, id=finding["id"], base=str(base), kind="legislation", title=LAW,
                url="javascript:alert(1)")
    assert "The link must be a web address" in page.text and LAW in page.text
    cite(rev, report_url, id=finding["id"], base=str(base), kind="legislation", title=LAW, article="12",
         url="https://sherloc.unodc.org/", files=[("act.pdf", PDF)])
    # A citation is an edit: a new version (R16); one based on an older version of the finding is refused.
    with portal.root() as root:
        report = root["cycles"]["first-cycle"]["reviews"][sur]["report"]
        assert report.current_number() == base + 1
        assert [r["title"] for r in report.current().finding(finding["id"])["references"]][-1] == LAW
        report.save_finding(finding["id"], finding["article"], "good-practice", "Changed meanwhile", "test",
                            report.current_number())
    page = cite(rev, report_url, 409, id=finding["id"], base=str(base + 1), kind="case", title="Late case")
    assert "Late case" in page.text
    # Editing the finding's text keeps its citations.
    assert LAW in rev.get(report_url).text
    assert LAW in word_text(rev.get(report_url + "@@docx"))  # the draft as Word, for the parties
    clients["sur-fp"].get(report_url + "@@cite", params={"id": finding["id"]}, status=403)
    # Final and published: the public reads the citation and its link, not the file, which stays with the parties.
    set_stage(portal, sur, "final")
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        publish_parts(review, "test", names=[f"finding-{finding['id']}"])
    part_url = report_url + f"parts/finding-{finding['id']}/"
    public = portal.client().get(part_url)
    assert LAW in public.text and 'href="https://sherloc.unodc.org/"' in public.text and "act.pdf" not in public.text
    assert portal.client().get(part_url + "@@json").json["references"][-1]["title"] == LAW
    assert "act.pdf" in clients["sur-expert"].get(part_url).text


def test_tor41_a_new_checklist_offers_the_previous_answers_to_copy_and_update(portal, clients, review_parties):
    sur, reviewing, _third = review_parties
    set_stage(portal, sur, "final")
    with portal.root() as root:
        first = root["cycles"]["first-cycle"]["reviews"][sur]["checklist"]
        section = first.article_sections()[0]
        previous = {q.id: dict(first.answers[q.id]) for q in section.questions}
        second = root["cycles"].add("second-cycle", new_cycle("Second review cycle", 2032, 2036))
        second.assignments[2032] = ({"under_review": sur, "instrument": "UNTOC", "reviewers": list(reviewing[:2])},)
        sync_reviews(second, 2032, "test")
        second["reviews"][sur].language = "en"
        bring_to_stage(second["reviews"][sur], "checklist", "test")
    url = checklist_url(sur, "/cycles/second-cycle/")
    fp = clients["sur-fp"]
    page = fp.get(url + "@@answer", params={"section": section.key})
    assert "Fill in this section with the answers given in" in page.text
    page = fp.get(url + "@@answer", params={"section": section.key, "copy": "previous"})
    assert "are filled in below: check and update them" in page.text
    form = last_form(page)
    assert form.get("answer", index=0).value == previous[section.questions[0].id]["answer"]
    assert form.get("legislation", index=0).value == previous[section.questions[0].id]["legislation"]
    with portal.root() as root:  # offered, not saved
        assert not root["cycles"]["second-cycle"]["reviews"][sur]["checklist"].answers
    form.set("legislation", "Updated: Criminal Code as amended in 2031", index=0)
    form.submit("save", status=303)
    with portal.root() as root:
        answers = root["cycles"]["second-cycle"]["reviews"][sur]["checklist"].answers
        assert answers[section.questions[0].id]["legislation"] == "Updated: Criminal Code as amended in 2031"
        assert answers[section.questions[-1].id]["answer"] == previous[section.questions[-1].id]["answer"]
    # A State with no earlier review is offered nothing; the reviewing States never reach the form.
    clients["rev-fp"].get(url + "@@answer", params={"section": section.key, "copy": "previous"}, status=403)


def test_tor7_good_practices_published_by_states_are_collected_by_article_and_searchable(portal, clients,
                                                                                         review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "final")
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        parts = review["report"]["parts"]
        good = next(p for p in parts.values() if p.finding_kind == "good-practice")
        other = next(p for p in parts.values() if p.finding_kind == "challenge")
        good.text, other.text = "Joint investigation teams QZXGOOD", "A challenge QZXCHALLENGE"
        article = next(a for a in review["report"].articles() if a[0] == good.article)
    anon = portal.client()
    assert "QZXGOOD" not in anon.get("/@@good-practices").text  # not published yet
    with portal.root() as root:
        publish_parts(root["cycles"]["first-cycle"]["reviews"][sur], "test", names=[good.__name__, other.__name__])
    page = anon.get("/@@good-practices")
    assert "QZXGOOD" in page.text and "QZXCHALLENGE" not in page.text
    assert "QZXGOOD" in anon.get("/@@good-practices", params={"instrument": article[1], "article": article[2]}).text
    assert "QZXGOOD" not in anon.get("/@@good-practices", params={"article": "999"}).text
    assert "QZXGOOD" not in anon.get("/@@good-practices", params={"instrument": "FIR" if article[1] != "FIR"
                                                                  else "TIP"}).text
    # The portal's search finds it by kind and article, for the public too.
    results = anon.get("/@@search", {"q": "QZXGOOD", "kind": "good-practice", "article": article[2],
                                     "format": "json"}).json["results"]
    assert len(results) == 1
    assert not anon.get("/@@search", {"q": "QZXCHALLENGE", "kind": "good-practice", "format": "json"}).json["results"]
    assert '/@@search?kind=good-practice' in page.text


def test_tor7_open_data_names_the_published_good_practices(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "final")
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        good = next(p for p in review["report"]["parts"].values() if p.finding_kind == "good-practice")
        publish_parts(review, "test", names=[good.__name__])
    documents = portal.client().get("/api/v1/documents").json["documents"]
    assert [(d["part"], d["finding_kind"]) for d in documents if d["state"] == sur and d["part"]] == \
        [(good.__name__, "good-practice")]

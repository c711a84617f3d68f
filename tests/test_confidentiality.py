"""What never leaks (R18, ¶30, ¶36): confidential text of a country review, marked with unique words in every
kind of place (checklist answers and comments, dialogue, assistance, visit, report sections and findings,
file names), is looked for in every page, listing, JSON answer, history and error page that anyone outside
the review can reach from the portal's links, and in every mail sent; it appears nowhere until the State
under review publishes a part, and then only that part."""

import re
from io import BytesIO

from tests.cycle_fixtures import CYCLE, set_stage

MARKERS = {"answer": "SECRETANSWERqz", "comment": "SECRETCOMMENTqz", "question": "SECRETQUESTIONqz",
           "message": "SECRETMESSAGEqz", "assistance": "SECRETASSISTqz", "visit": "SECRETVISITqz",
           "section": "SECRETSECTIONqz", "finding": "SECRETFINDINGqz", "file": "SECRETFILEqz"}
OUTSIDERS = ("anonymous", "third-fp", "third-expert", "observer", "admin")
HREF = re.compile(r'href="([^"#]+)')
LOC = re.compile(r"<loc>([^<]+)</loc>")
# The open data API (docs/api.md), as JSON and CSV.
OPEN_DATA = [f"/api/v1/{table}{suffix}" for table in ("states", "cycles", "cycles/first-cycle/reviews", "documents")
             for suffix in ("", ".csv")]


def text_of(response):
    """The text a reader gets: a page's or a JSON answer's as it is; a PDF's and a Word file's as extracted."""
    if response.status_int == 200 and response.content_type == "application/pdf":
        from pypdf import PdfReader
        return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.body)).pages)
    if response.status_int == 200 and "wordprocessingml" in (response.content_type or ""):
        from docx import Document
        return "\n".join(p.text for p in Document(BytesIO(response.body)).paragraphs)
    return response.text


def mark_everything(portal, sur):
    """Write a marker into each kind of confidential place of ``sur``'s review (drafting stage)."""
    from content.threads import AssistanceRequest, Question
    from portal.scripts.demo_reviews import agree_visit
    from workflows import get_workflow

    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        checklist = review["checklist"]
        first = checklist.sections()[0].questions[0]
        checklist.answers[first.id]["legislation"] = MARKERS["answer"]
        checklist.comments.add(first.id, "test", review.reviewing_states()[0], MARKERS["comment"])
        dialogue = review["dialogue"]
        question = dialogue.add(dialogue.next_number(), Question(MARKERS["question"], review.reviewing_states()[0],
                                                                 review["dialogue"].values()[0].due))
        get_workflow(question).initialize(question, "test")
        question.post("test", review.reviewing_states()[0], MARKERS["message"],
                      files=[(MARKERS["file"] + ".txt", b"plain text")])
        assistance = review["assistance"]
        thread = assistance.add(assistance.next_number(), AssistanceRequest(MARKERS["assistance"]))
        get_workflow(thread).initialize(thread, "test")
        thread.post("test", sur, MARKERS["assistance"] + " text")
        agree_visit(review, "test")
        review["visit"].place = MARKERS["visit"]
        report = review["report"]
        report.save_section("introduction", MARKERS["section"], "test", report.current_number())
        article = report.articles()[0][0]
        report.save_finding(None, article, "challenge", MARKERS["finding"], "test", report.current_number())


def crawl(client, starts, limit=120):
    """Every page reachable from ``starts`` through links inside the review's cycle, the states and the
    dashboard (each also as ``@@json``): ``{path: body}``, whatever the status."""
    seen, queue, bodies = set(), list(starts), {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path, expect_errors=True)
        bodies[path] = text_of(response)
        if response.status_int != 200 or not ("html" in (response.content_type or "") or path == "/sitemap.xml"):
            continue
        for href in HREF.findall(response.text) + LOC.findall(response.text):
            href = href.replace("http://localhost", "").replace("&amp;", "&")
            if href.startswith(("/cycles/", "/states/", "/@@dashboard")) and "@@logout" not in href:
                queue.append(href)
                if not href.endswith("@@json") and "?" not in href and "@@" not in href:
                    queue.append(href.rstrip("/") + "/@@json")
    return bodies


def leaks(bodies, allowed=()):
    return sorted({(path, kind) for path, body in bodies.items() for kind, marker in MARKERS.items()
                   if marker in body and kind not in allowed})


def review_paths(sur):
    base = f"{CYCLE}reviews/{sur}/"
    return [base + p for p in ("", "checklist/", "dialogue/", "dialogue/1/", "dialogue/3/", "assistance/",
                               "assistance/1/", "visit/", "report/", "report/@@versions", "report/@@history",
                               "report/parts/", "report/summary/", "access-requests/", "dialogue/3/@@history",
                               "dialogue/404/", "report/parts/finding-f9/",
                               # the downloads (issue 22): PDF and Word of the report, a part, the checklist
                               "report/@@pdf", "report/@@docx", "checklist/@@docx", "report/parts/finding-f1/@@pdf",
                               "report/parts/introduction/@@pdf")]


def test_r18_confidential_text_reaches_nobody_outside_the_review(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "drafting")
    mark_everything(portal, sur)
    starts = ["/", "/@@dashboard", f"/states/{sur}", CYCLE, f"{CYCLE}reviews/", "/sitemap.xml", "/@@summaries"] \
        + OPEN_DATA + review_paths(sur)
    # The review's own parties do see the marked text: the markers are where the test thinks.
    inside = crawl(clients["sur-fp"], review_paths(sur), limit=40)
    assert {kind for _path, kind in leaks(inside)} >= {"answer", "comment", "question", "message", "assistance",
                                                       "visit", "section", "finding", "file"}
    # ... in the downloads too (read back from the PDF and the Word files).
    assert {kind for path, kind in leaks(inside) if "@@pdf" in path or "@@docx" in path} >= {"answer", "section",
                                                                                           "finding"}
    for stage in ("drafting", "final"):
        set_stage(portal, sur, stage)
        for kind in OUTSIDERS:
            client = clients[kind] if kind != "anonymous" else portal.client()
            bodies = crawl(client, starts)
            assert len(bodies) > 20, kind
            assert leaks(bodies) == [], (stage, kind)
    # Mails about the review went out (questions, agreement, final report): none quotes its text.
    mails = [m.body + m.subject for m in portal.mailer.outbox]
    assert not [kind for kind, marker in MARKERS.items() for body in mails if marker in body]


def publish_marked_finding(portal, sur, before_publishing=lambda root: None):
    """Mark every confidential place of ``sur``'s review, make it final, and publish the marked finding only
    (``before_publishing(root)`` runs first, in the same transaction); returns that part's name."""
    from portal.scripts.demo_reviews import publish_parts

    set_stage(portal, sur, "drafting")
    mark_everything(portal, sur)
    set_stage(portal, sur, "final")
    with portal.root() as root:
        before_publishing(root)
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        marked = [p.__name__ for p in review["report"]["parts"].values() if p.text == MARKERS["finding"]]
        publish_parts(review, "test", names=set(marked))
    return marked[0]


def test_r19_publishing_one_finding_opens_that_finding_only(portal, clients, review_parties):
    sur = review_parties[0]
    publish_marked_finding(portal, sur)
    starts = ["/", f"/states/{sur}", CYCLE, "/sitemap.xml", "/@@summaries"] + OPEN_DATA + review_paths(sur)
    for kind in ("anonymous", "third-fp"):
        client = clients[kind] if kind != "anonymous" else portal.client()
        bodies = crawl(client, starts)
        assert leaks(bodies, allowed={"finding"}) == [], kind
        assert any(MARKERS["finding"] in body for body in bodies.values()), kind

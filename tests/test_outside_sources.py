"""Information from international and regional organizations in a review (issue 23 §1, ToR ¶26(c), ¶30): the
reviewing States and the secretariat add sources (an organization, a document or a link), the State under review
comments on each, and nobody outside the review sees them, not even a State granted access to the final report."""

import re
from datetime import date, timedelta

import pytest

from tests.conftest import csrf_from
from tests.cycle_fixtures import CYCLE, STAGES, set_stage

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SUR = frozenset({"sur-fp", "sur-expert"})
REV = frozenset({"rev-fp", "rev-expert"})
SEC = frozenset({"secretariat"})
PARTIES = SUR | REV | SEC
OUTSIDERS = ("third-fp", "third-expert", "observer", "admin")
LOGINS = {"sur-fp": "sur-fp", "sur-expert": "sur-x", "rev-fp": "rev-fp", "rev-expert": "rev-x", "secretariat": "sec"}


def url(sur, rest=""):
    return f"{CYCLE}reviews/{sur}/sources/{rest}"


def token(client):
    return csrf_from(client.get("/"))


def add(client, sur, status=303, files=(), **fields):
    values = {"organization": "Council of Europe – GRETA", "member": "true", "title": "Evaluation report",
              "date": "2025-06-30", "link": "https://www.coe.int/en/web/anti-human-trafficking",
              "note": "Victims identified in the last three years.", **fields}
    return client.post(url(sur, "@@add"), {"csrf_token": token(client), **values},
                       upload_files=[("document", name, data) for name, data in files], status=status)


def comment(client, sur, number, text, status=303):
    return client.post(url(sur, f"{number}/@@comment"), {"csrf_token": token(client), "text": text}, status=status)


def stored(portal, sur):
    with portal.root() as root:
        folder = root["cycles"]["first-cycle"]["reviews"][sur]["sources"]
        return [(s.organization, s.title, s.link, s.document.filename if s.document is not None else None,
                 s.added_by, s.added_by_state, tuple(s.articles), [c["text"] for c in s.comments])
                for s in folder.ordered()]


def inbox_links(portal, login):
    with portal.root() as root:
        inbox = getattr(root["users"][login], "inbox", None)
        return [e["link"] for e in (inbox.entries if inbox is not None else ())]


def found(client, word):
    return [r for r in client.get("/@@search", {"q": word, "format": "json"}).json["results"]]


def add_directly(portal, sur, actor="test", state=None, document=("report.txt", b"Quokkalite 4471 figures")):
    with portal.root() as root:
        folder = root["cycles"]["first-cycle"]["reviews"][sur]["sources"]
        source = folder.add_source(actor, state, {"organization": "African Union", "title": "Continental report",
                                                  "date": date(2025, 1, 31), "link": "https://au.int/",
                                                  "articles": [], "note": "Quokkalite"}, document)
        return source.__name__


def test_tor26c_reviewing_experts_add_information_from_international_organizations(portal, clients, review_parties):
    sur, reviewing, _third = review_parties
    set_stage(portal, sur, "desk-review")
    # A reviewing State's expert: the list, its form, a source with a link and the articles it concerns.
    page = clients["rev-expert"].get(url(sur))
    assert "Add information from an organization" in page.text and "Nothing here yet." in page.text
    with portal.root() as root:
        article = root["cycles"]["first-cycle"]["reviews"][sur]["checklist"].sections()[0].key
    response = add(clients["rev-expert"], sur, articles=article)
    assert response.location.endswith(url(sur, "1/"))
    entry = clients["rev-expert"].get(response.location)
    assert "Council of Europe – GRETA" in entry.text and "Evaluation report" in entry.text
    assert 'href="https://www.coe.int/en/web/anti-human-trafficking" rel="noopener noreferrer nofollow"' in entry.text
    # The reviewing State's focal point adds one with a document and no link; the secretariat adds one too.
    add(clients["rev-fp"], sur, link="", organization="Organization of American States", title="Annual report",
        files=[("annual-report.pdf", PDF)])
    add(clients["secretariat"], sur, organization="FATF-style regional body", title="Mutual evaluation", date="")
    rows = stored(portal, sur)
    assert [r[:6] for r in rows] == [
        ("Council of Europe – GRETA", "Evaluation report", "https://www.coe.int/en/web/anti-human-trafficking", None,
         "rev-x", reviewing[0]),
        ("Organization of American States", "Annual report", "", "annual-report.pdf", "rev-fp", reviewing[0]),
        ("FATF-style regional body", "Mutual evaluation", "https://www.coe.int/en/web/anti-human-trafficking", None,
         "sec", None)]
    assert rows[0][6] == (article,) and rows[1][6] == ()
    assert clients["sur-fp"].get(url(sur, "2/document")).body == PDF
    # Who added it, when, the date of the document: on the page and in @@json.
    data = clients["sur-expert"].get(url(sur, "1/@@json")).json
    assert data["organization"] == "Council of Europe – GRETA" and data["date"] == "2025-06-30"
    assert data["added_by"] == "rev-x" and data["added_by_state"] == reviewing[0] and data["articles"] == [article]
    assert clients["sur-expert"].get(url(sur, "2/@@json")).json["document"].endswith(url(sur, "2/document/"))
    listing = clients["sur-fp"].get(url(sur, "@@json")).json
    assert [i["title"] for i in listing["items"]] == ["Evaluation report", "Annual report", "Mutual evaluation"]
    # The State under review is told of each (never of its own), and does not add sources itself.
    assert sum(link.endswith(url(sur, "1/")) for link in inbox_links(portal, "sur-fp")) == 1
    assert "Add information from an organization" not in clients["sur-fp"].get(url(sur)).text
    add(clients["sur-fp"], sur, status=403)
    add(clients["sur-expert"], sur, status=403)
    assert len(stored(portal, sur)) == 3
    # The review's page links to the sources for its parties.
    assert url(sur) in clients["sur-expert"].get(f"{CYCLE}reviews/{sur}/").text


def test_tor26c_the_secretariat_gathers_sources_before_the_state_under_review_sees_them(portal, clients,
                                                                                      review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    add(clients["secretariat"], sur, note="Wombatique figures")
    assert found(clients["secretariat"], "Wombatique") and not found(clients["sur-fp"], "Wombatique")
    add(clients["rev-fp"], sur, status=403)  # the reviewing States begin with the desk review
    for kind in ("sur-fp", "sur-expert", "rev-fp", "rev-expert"):
        clients[kind].get(url(sur), status=403)
        clients[kind].get(url(sur, "1/"), status=403)
    assert not any("/sources/" in link for link in inbox_links(portal, "sur-fp"))  # nothing it may not read yet
    set_stage(portal, sur, "desk-review")  # the transition re-indexes the source with the stage's readers
    assert "Evaluation report" in clients["sur-fp"].get(url(sur)).text
    assert found(clients["sur-fp"], "Wombatique") and found(clients["rev-expert"], "Wombatique")
    assert not found(clients["third-fp"], "Wombatique")
    add(clients["rev-fp"], sur)


def test_tor26c_state_under_review_comments_on_each_source(portal, clients, review_parties):
    sur, reviewing, _third = review_parties
    set_stage(portal, sur, "desk-review")
    add(clients["rev-expert"], sur)
    add(clients["secretariat"], sur, title="Second report")
    portal.mailer.outbox.clear()
    response = comment(clients["sur-expert"], sur, 1, "These figures predate the 2025 amendments.")
    assert response.location.endswith(url(sur, "1/#comments"))
    page = clients["rev-fp"].get(url(sur, "1/"))
    assert "These figures predate the 2025 amendments." in page.text and "sur-x" in page.text
    assert "Your comment on this source" not in page.text  # the reviewing States read the comments
    comment(clients["sur-fp"], sur, 2, "We shall send the newer statistics.")
    assert [r[7] for r in stored(portal, sur)] == [["These figures predate the 2025 amendments."],
                                                   ["We shall send the newer statistics."]]
    assert clients["rev-expert"].get(url(sur, "1/@@json")).json["comments"][0]["state"] == sur
    # Who added the source, the reviewing States and the secretariat are told; the mail quotes no comment.
    assert any(link.endswith(url(sur, "1/")) for link in inbox_links(portal, "rev-x"))
    assert any(link.endswith(url(sur, "1/")) for link in inbox_links(portal, "rev-fp"))
    assert any(link.endswith(url(sur, "2/")) for link in inbox_links(portal, "sec"))
    assert not any("newer statistics" in str(m.body) for m in portal.mailer.outbox)
    # Only the State under review comments, and not with an empty text.
    for kind in ("rev-fp", "rev-expert", "secretariat"):
        comment(clients[kind], sur, 1, "Not ours to write.", status=403)
    page = comment(clients["sur-fp"], sur, 1, "   ", status=400)
    assert "Write your comment." in page.text
    # During the agreement its focal point alone comments, as on the report; once final, nobody.
    set_stage(portal, sur, "agreement")
    comment(clients["sur-expert"], sur, 1, "Late.", status=403)
    comment(clients["sur-fp"], sur, 1, "A last remark before we agree.")
    set_stage(portal, sur, "final")
    for kind in PARTIES:
        comment(clients[kind], sur, 1, "Too late.", status=403)
    assert len(stored(portal, sur)[0][7]) == 2


def test_tor26c_bad_input_is_refused_with_a_message_and_keeps_what_was_typed(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "dialogue")
    client = clients["rev-fp"]
    cases = [
        ({"link": "javascript:alert(1)"}, (), "beginning with https:// or http://"),
        ({"link": "ftp://example.org/report.pdf"}, (), "beginning with https:// or http://"),
        ({"link": "www.coe.int report"}, (), "beginning with https:// or http://"),
        ({"link": ""}, (), "Give a link to the document, or attach it."),
        ({"link": ""}, [("virus.exe", b"MZ...")], "Files of the type of “virus.exe” cannot be attached"),
        ({"link": ""}, [("fake.pdf", b"not a pdf")], "is not the kind of file its name says"),
        ({"organization": "  "}, (), "This field is required."),
        ({"member": ""}, (), "only if the State under review is a member of it (ToR ¶26(c))"),
        ({"date": (date.today() + timedelta(days=3)).isoformat()}, (), "cannot be in the future"),
        ({"articles": "no-such-article"}, (), "Choose only among the options offered."),
    ]
    for fields, files, message in cases:
        page = add(client, sur, status=400, files=files, title="Kept title ✓", note="Kept note about victims", **fields)
        assert message in page.text, fields
        assert 'value="Kept title ✓"' in page.text and "Kept note about victims</textarea>" in page.text, fields
        assert "Nothing was added. Your text is kept above; choose the file again." in page.text
        assert page.html.select('[role="alert"]'), fields
    assert stored(portal, sur) == []
    # The errors are in the reader's language (catalog messages shared with the dialogue's form).
    page = client.post(url(sur, "@@add") + "?lang=fr", {"csrf_token": token(client), "organization": " ",
                                                         "title": "Gardé", "link": "https://au.int/"},
                       upload_files=[("document", "virus.exe", b"MZ...")], status=400)
    assert "Ce champ est obligatoire." in page.text and "ne peuvent pas être joints" in page.text
    assert 'value="Gardé"' in page.text
    # The typed text fields are marked with the review's working language (R25).
    with portal.root() as root:
        lang = root["cycles"]["first-cycle"]["reviews"][sur].language
    page = add(client, sur, status=400, member="")
    assert re.search(rf'<input id="title"[^>]* lang="{lang}"', page.text)
    assert re.search(rf'<textarea id="note"[^>]* lang="{lang}"', page.text)


PAGES = ("", "@@json", "1/", "1/@@json", "1/document")


def _visible(stage):
    return SUR | REV | SEC if stage not in ("scheduled", "checklist") else SEC


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.storages("file", "relstorage")  # production runs on PostgreSQL
def test_tor30_sources_visible_to_the_parties_only(portal, clients, review_parties, stage):
    """Principal kind × stage: the list, a source, its document and their @@json, for the review's parties only;
    never for a third State, an observer, the administrator or the public, nor for a State granted access to
    the final report (R20 grants the report only)."""
    sur, reviewing, third = review_parties
    set_stage(portal, sur, stage)
    add_directly(portal, sur)
    if stage == "final":  # the third State is granted access to the report and accepted the undertaking (R20)
        from portal.scripts.demo_reviews import demo_access_requests

        with portal.root() as root:
            review = root["cycles"]["first-cycle"]["reviews"][sur]
            others = sorted(s for s in root["states"].keys() if s not in review.parties() and s != third)
            demo_access_requests(review, [others[0], third], "test")
            assert review["access-requests"]["2"].workflow_state == "granted"
        clients["third-fp"].get(f"{CYCLE}reviews/{sur}/report/", status=200)
    allowed = _visible(stage)
    failures = []
    for path in PAGES:
        for kind in sorted(PARTIES) + list(OUTSIDERS):
            got = clients[kind].get(url(sur, path), expect_errors=True)
            expected = 200 if kind in allowed else 403
            if got.status_int != expected:
                failures.append((stage, path, kind, got.status_int, expected))
            elif got.status_int == 403 and (b"Quokkalite" in got.body or b"Continental report" in got.body):
                failures.append((stage, path, kind, "403 page shows confidential content"))
        anonymous = portal.client().get(url(sur, path), expect_errors=True)
        expected = 403 if path.endswith("@@json") else 303
        if anonymous.status_int != expected or (expected == 303 and "/@@login" not in anonymous.location):
            failures.append((stage, path, "anonymous", anonymous.status_int, expected))
    assert failures == []
    # Search finds a source and its file's words for the same readers, and for nobody else.
    for kind in sorted(PARTIES) + list(OUTSIDERS):
        kinds = {r["kind"] for r in found(clients[kind], "Quokkalite")}
        assert kinds == ({"outside-source", "attachment"} if kind in allowed else set()), (kind, kinds)
    assert found(portal.client(), "Quokkalite") == []


def test_tor26c_sources_are_read_only_once_the_review_is_final(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "drafting")
    add(clients["rev-fp"], sur)
    set_stage(portal, sur, "final")
    for kind in PARTIES:
        page = clients[kind].get(url(sur))
        assert "Evaluation report" in page.text and "Add information from an organization" not in page.text
        assert "Your comment on this source" not in clients[kind].get(url(sur, "1/")).text
        add(clients[kind], sur, status=403)
    assert len(stored(portal, sur)) == 1


def test_tor26c_the_demo_shows_sources_with_a_link_a_document_and_a_comment(portal, review_parties):
    from portal.scripts.demo_reviews import add_outside_sources

    sur = review_parties[0]
    set_stage(portal, sur, "dialogue")
    with portal.root() as root:
        add_outside_sources(root["cycles"]["first-cycle"]["reviews"][sur], "portal-demo")
        add_outside_sources(root["cycles"]["first-cycle"]["reviews"][sur], "portal-demo")  # once only
    rows = stored(portal, sur)
    assert len(rows) == 2 and rows[0][2].startswith("https://") and rows[1][3] == "mutual-evaluation-summary.txt"
    assert rows[0][5] is not None and rows[1][5] is None and len(rows[0][7]) == 1


def test_tor26c_a_source_added_by_mistake_is_taken_off_with_a_record_unless_commented(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "desk-review")
    add(clients["rev-expert"], sur, title="Wrong report Zyxwquartz", files=[("wrong.txt", b"Zyxwquartz figures")])
    add(clients["rev-expert"], sur, title="Right report")
    assert found(clients["rev-fp"], "Zyxwquartz")
    comment(clients["sur-fp"], sur, 2, "Useful.")
    # Those who may add sources may take one off; the State under review, third States and the public may not.
    for kind in ("sur-fp", "sur-expert", "third-fp", "observer"):
        clients[kind].post(url(sur, "1/@@remove"), {"csrf_token": token(clients[kind]), "reason": "x"}, status=403)
    page = clients["rev-fp"].get(url(sur, "1/"))
    assert "Take this source off the review" in page.text
    clients["rev-fp"].post(url(sur, "1/@@remove"), {"csrf_token": token(clients["rev-fp"]),
                                                   "reason": "Added by mistake"}, status=303)
    assert [s[1] for s in stored(portal, sur)] == ["Right report"]
    clients["rev-fp"].get(url(sur, "1/"), status=404)
    clients["sur-fp"].get(url(sur, "1/document"), status=404)  # its document leaves with it
    assert not found(clients["rev-fp"], "Zyxwquartz")  # and the search index
    page = clients["sur-fp"].get(url(sur))
    assert "Sources taken off the review" in page.text and "Wrong report Zyxwquartz" in page.text
    assert "Added by mistake" in page.text
    # A source the State under review has commented on stays, with its comments.
    assert "Take this source off the review" not in clients["secretariat"].get(url(sur, "2/")).text
    page = clients["secretariat"].post(url(sur, "2/@@remove"), {"csrf_token": token(clients["secretariat"]),
                                                                "reason": "No longer relevant"}, status=409)
    assert "has commented on this source" in page.text
    assert [s[1] for s in stored(portal, sur)] == ["Right report"]
    # Nothing is taken off once the review is final.
    set_stage(portal, sur, "final")
    clients["secretariat"].post(url(sur, "2/@@remove"), {"csrf_token": token(clients["secretariat"])}, status=403)

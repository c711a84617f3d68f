"""Search (issue 18, docs/search.md): one search for everyone, filtered by the same role maps as the pages;
six-language analysis; an index that follows every change (and equals a rebuild); access tokens that agree
with the ACL for every document and reader; a grant or revocation that re-indexes no document; and never a
confidential word, count or facet for a reader outside the review (with R18, R19, R20)."""

import statistics
import time
from datetime import date, timedelta

import pytest
from pyramid.authorization import ACLHelper, Authenticated, Everyone

from language.analysis import highlight, terms
from tests.conftest import csrf_from, last_form
from tests.cycle_fixtures import CYCLE, set_stage
from tests.test_confidentiality import MARKERS, mark_everything, publish_marked_finding


def search(client, query="", **filters):
    client = client
    return client.get("/@@search", {"q": query, "format": "json", **filters}).json


def found_paths(client, query, **filters):
    return [r["url"].replace("http://localhost", "") for r in search(client, query, **filters)["results"]]


def ask(client, path, title, text):
    due = (date.today() + timedelta(days=10)).isoformat()
    client.post(path + "dialogue/@@ask", {"csrf_token": csrf_from(client.get("/")), "title": title, "text": text,
                                          "due": due}, status=303)


def publish(owner, review, names):
    """The State under review publishes exactly the parts ``names`` of its final report (R19)."""
    page = owner.get(review + "report/@@publish")
    form = last_form(page)
    for field in form.fields.get("part", []):
        field.checked = field._value in names
    confirm = form.submit("review", status=200)
    last_form(confirm).submit("confirm", status=303)


def fire(client, path, transition, status=303):
    page = client.get("/")
    return client.post(path + "@@transition", {"csrf_token": csrf_from(page), "transition": transition,
                                               "comment": ""}, status=status)


# -- text analysis ------------------------------------------------------------------------------------------

def test_analysis_folds_case_accents_and_arabic_spellings():
    assert terms("CRIMINALITÉ organisée") == terms("criminalite ORGANISEE") == ["criminalite", "organisee"]
    assert terms("Niño España") == ["nino", "espana"]
    # Russian: case folded, ё read as е, й kept (a letter of its own).
    assert terms("ЁЛКА Йошкар") == terms("елка йошкар") == ["елка", "йошкар"]
    assert terms("мой") != terms("мои")
    # Arabic: hamza and madda on alef, alef maksura, teh marbuta, diacritics and tatweel.
    assert terms("الإتِّجار بالأشـــخاص إلى مكافحة") == terms("الاتجار بالاشخاص الي مكافحه")
    assert terms("آمنة") == terms("امنه")
    # French elision: the whole word and the word after the apostrophe.
    assert terms("l’entraide") == ["lentraide", "entraide"]


def test_analysis_cuts_chinese_into_pairs_of_characters():
    assert terms("洗钱罪", query=True) == ["洗钱", "钱罪"]
    assert set(terms("打击洗钱罪")) >= {"洗钱", "钱罪", "洗", "罪"}
    assert terms("法", query=True) == ["法"]
    # Mixed scripts in one text.
    assert terms("UNTOC 公约 art. 5") == ["untoc", "公", "约", "公约", "art", "5"]


def test_highlight_marks_the_matched_word_as_written():
    segments = highlight("Le Protocole relatif au trafic illicite de migrants par terre, air et mer", "MIGRANTS")
    assert ("migrants", True) in segments
    segments = highlight("مكافحة الاتِّجار بالأشخاص", "الاتجار")
    assert [text for text, marked in segments if marked] == ["الاتِّجار"]
    assert [t for t, m in highlight("打击跨国有组织犯罪公约", "犯罪") if m] == ["犯罪"]
    assert [t for t, m in highlight("肯尼亚共和国", "肯尼亚") if m] == ["肯尼亚"]  # overlapping pairs, one mark


# -- journeys -----------------------------------------------------------------------------------------------

def _final_review_with_findings(portal, sur, texts):
    """Bring ``sur``'s review to its final stage with findings of ``texts``; returns their part names."""
    set_stage(portal, sur, "drafting")
    with portal.root() as root:
        report = root["cycles"]["first-cycle"]["reviews"][sur]["report"]
        article = report.articles()[0][0]
        for text in texts:
            report.save_finding(None, article, "good-practice", text, "test", report.current_number())
    set_stage(portal, sur, "final")
    with portal.root() as root:
        parts = root["cycles"]["first-cycle"]["reviews"][sur]["report"]["parts"]
        return [p.__name__ for p in parts.values() if p.text in texts]


FRENCH = "Les autorités coopèrent au titre de l’entraide judiciaire avec célérité remarquable."
ARABIC = "تتعاون السلطات في مجال تسليم المطلوبين بسرعةٍ ملحوظة."


def test_the_public_finds_a_published_finding_by_a_word_of_it_in_french_and_arabic(portal, clients, review_parties):
    sur = review_parties[0]
    names = _final_review_with_findings(portal, sur, [FRENCH, ARABIC])
    anon = portal.client()
    assert search(anon, "celerite")["total"] == 0  # confidential until published (R19)
    publish(clients["sur-fp"], f"{CYCLE}reviews/{sur}/", names)
    part = f"{CYCLE}reviews/{sur}/report/parts/"
    # French, without its accents and in capitals; the same word with an elided article.
    for query in ("CELERITE", "célérité", "l'entraide judiciaire", "Entraide"):
        paths = found_paths(anon, query)
        assert len(paths) == 1 and paths[0].startswith(part), query
    # Arabic, written with other spellings of alef and teh marbuta and with diacritics.
    for query in ("المطلوبين", "ملحوظه", "تَسليم"):
        paths = found_paths(anon, query)
        assert len(paths) == 1 and paths[0].startswith(part), query
    result = search(anon, "المطلوبين")["results"][0]
    assert result["kind"] == "good-practice" and "المطلوبين" in result["highlights"]  # a good practice (¶3(c))
    # Where it lives: the cycle, and the State of the review (public, R22), though not the review's page.
    with portal.root() as root:
        assert root["states"][sur].name("en") in result["where"]
    assert result["title"].startswith("Good practice")
    # The page, in Arabic: right to left, the passage marked.
    page = anon.get("/@@search", {"q": "المطلوبين", "lang": "ar"})
    assert 'dir="rtl"' in page.text and "<mark>المطلوبين</mark>" in page.text
    # Facets count what was found; a filter narrows it.
    found = search(anon, "autorites")
    assert found["facets"]["kind"] == {"good-practice": 1} and found["facets"]["state"] == {sur: 1}
    assert search(anon, "autorites", kind="meeting")["total"] == 0


def test_a_focal_point_finds_its_own_dialogue_question_and_a_third_state_does_not(portal, clients, review_parties):
    sur, reviewing, third = review_parties
    set_stage(portal, sur, "dialogue")
    ask(clients["rev-fp"], f"{CYCLE}reviews/{sur}/", "Mutual legal assistance",
        "How many requests for mutual legal assistance concerned smuggling of migrants in 2025?")
    for kind in ("rev-fp", "rev-expert", "sur-fp", "sur-expert", "secretariat"):
        found = search(clients[kind], "mutual legal assistance")
        assert any(r["kind"] == "question" for r in found["results"]), kind
        assert "Mutual legal assistance" in [r["title"] for r in found["results"]], kind
    for kind in ("third-fp", "third-expert", "observer", "admin"):
        found = search(clients[kind], "mutual legal assistance smuggling")
        assert found["total"] == 0 and found["facets"] == {}, kind
    assert search(portal.client(), "smuggling 2025")["total"] == 0


def test_the_page_has_a_search_box_everywhere_and_an_empty_state_that_helps(portal, clients):
    anon = portal.client()
    for path in ("/", "/states/", "/@@login"):
        assert 'action="http://localhost/@@search"' in anon.get(path).text
    page = anon.get("/@@search", {"q": "zzqxnothing"})
    assert "No results. Search in another language or remove a filter." in page.text
    page = anon.get("/@@search", {"q": "zzqxnothing", "lang": "fr"})
    assert "Aucun résultat" in page.text
    # A State's page is found by its name in any of the six languages.
    for name in ("Kenya", "Кения", "肯尼亚", "كينيا", "República de Kenya"):
        assert "/states/KEN/" in found_paths(anon, name), name
    # Bad input is ignored, never an error.
    assert anon.get("/@@search", {"q": "x" * 5000, "start": "abc", "sort": "nonsense"}).status_int == 200
    assert search(anon, "", state="KEN")["total"] >= 1


# -- never a leak ----------------------------------------------------------------------------------------

def _other_reviewer(portal, sur, parties):
    """A State reviewing another review of the first year, and no party of ``sur``'s."""
    with portal.root() as root:
        reviews = root["cycles"]["first-cycle"]["reviews"]
        for review in reviews.values():
            for state in review.reviewing_states():
                if review.state != sur and state not in parties:
                    return state
    raise AssertionError("no other reviewer")


def _leaks(client, markers):
    """Every way a marker could show through a search by ``client``: results, totals, facets, page text."""
    found = []
    for kind, marker in markers.items():
        data = search(client, marker)
        if data["total"] or data["results"] or data["facets"]:
            found.append(kind)
        page = client.get("/@@search", {"q": marker}).text
        # The query is echoed in its box and in the links to the page in other languages, nowhere else.
        echoed = page.count(f'value="{marker}"') + page.count(f"q={marker}")
        if "No results." not in page or page.count(marker) != echoed:
            found.append(kind + " (page)")
    return found


def test_r18_search_never_shows_a_confidential_word_to_anyone_outside_the_review(
        portal, clients, review_parties, signed_in, monkeypatch):
    from content import catalog as catalog_module
    from content.catalog import rebuild_index

    sur, reviewing, third = review_parties
    other = signed_in("other-rev-fp", "focal-point", _other_reviewer(portal, sur, {sur, *reviewing}))
    set_stage(portal, sur, "drafting")
    mark_everything(portal, sur)  # writes into the objects directly, so the index is rebuilt after it
    with portal.root() as root:
        rebuild_index(root)
    outsiders = {kind: clients[kind] for kind in ("third-fp", "third-expert", "observer", "admin")}
    outsiders.update({"anonymous": portal.client(), "reviewer of another review": other})
    # The parties do find each marker: the markers are in the index.
    inside = [k for k, m in MARKERS.items() if search(clients["sur-fp"], m)["total"] == 0]
    assert inside == [], inside
    for stage in ("drafting", "final"):
        set_stage(portal, sur, stage)
        for who, client in outsiders.items():
            assert _leaks(client, MARKERS) == [], (stage, who)
    # A former grantee, after revocation, finds nothing either (and found the final report while granted).
    requests = f"{CYCLE}reviews/{sur}/access-requests/"
    form = last_form(clients["third-fp"].get(requests + "@@new"))
    form["reason"], form["scope"] = "A reform of our own law.", "whole"
    path = form.submit("save").location.replace("http://localhost", "")
    fire(clients["sur-fp"], path, "grant")
    fire(clients["third-fp"], path, "accept")
    assert search(clients["third-fp"], MARKERS["section"])["total"] >= 1
    assert search(clients["third-expert"], MARKERS["finding"])["total"] >= 1
    assert search(clients["third-fp"], MARKERS["comment"])["total"] == 0  # comments are the drafts' (R16)
    fire(clients["sur-fp"], path, "revoke")
    for who in ("third-fp", "third-expert"):
        assert _leaks(clients[who], MARKERS) == [], who
    # The test can fail: with every document opened to all, the same checks find the markers.
    monkeypatch.setattr(catalog_module, "document_tokens", lambda resource, permission: frozenset({Everyone}))
    with portal.root() as root:
        rebuild_index(root)
    assert set(_leaks(portal.client(), MARKERS)) >= set(MARKERS)


def test_r19_after_publication_of_one_part_the_public_finds_exactly_that_part(portal, clients, review_parties):
    from content.catalog import rebuild_index
    from workflows import get_workflow

    sur = review_parties[0]
    # The markers are written into the objects directly: the index is rebuilt before the publication.
    marked = publish_marked_finding(portal, sur, before_publishing=rebuild_index)
    anon = portal.client()
    assert found_paths(anon, MARKERS["finding"]) == [f"{CYCLE}reviews/{sur}/report/parts/{marked}/"]
    assert _leaks(anon, {k: m for k, m in MARKERS.items() if k != "finding"}) == []
    # Withdrawal takes it out of the public's results on the next request.
    with portal.root() as root:
        part = root["cycles"]["first-cycle"]["reviews"][sur]["report"]["parts"][marked]
        get_workflow(part).fire(part, None, "unpublish", check_permission=False, actor="test")
    assert search(anon, MARKERS["finding"])["total"] == 0


def test_no_timing_difference_between_a_confidential_word_and_an_unknown_one(portal, clients, review_parties):
    """The query takes the same steps for a word found only in documents the reader may not find as for a
    word nobody wrote; measured on the catalog itself (the HTTP stack's noise is larger than any gap)."""
    sur = review_parties[0]
    set_stage(portal, sur, "drafting")
    mark_everything(portal, sur)
    from content.catalog import rebuild_index

    with portal.root() as root:
        rebuild_index(root)
        catalog = root.catalog
        principals = [Everyone]
        times = {"confidential": [], "unknown": []}
        for _round in range(300):
            for kind, word in (("confidential", MARKERS["answer"]), ("unknown", "NEVERWRITTENqz")):
                began = time.perf_counter()
                catalog.search(word, principals)
                times[kind].append(time.perf_counter() - began)
        medians = {kind: statistics.median(values) for kind, values in times.items()}
    # Far below what a network could show (a page takes milliseconds); reading the hidden documents would not be.
    assert abs(medians["confidential"] - medians["unknown"]) < max(0.0002, 0.5 * max(medians.values())), medians


# -- the index follows every change, and its tokens agree with the ACLs ---------------------------------------

def _snapshot(catalog):
    return {entry.key: (entry.text, entry.permission, entry.when, tuple(sorted(entry.facets.items())),
                        tuple(sorted(entry.tokens))) for entry in catalog.entries.values()}


def _roles(catalog):
    return {principal: set(tokens) for principal, tokens in catalog.roles.items()}


def test_the_index_kept_by_events_equals_a_rebuild_after_a_review_through_the_web(portal, clients, review_parties):
    """Everything the review journey's steps change reaches the index through the events; a full rebuild
    then finds nothing to add, change or remove."""
    from content.catalog import SearchCatalog

    sur, reviewing, third = review_parties
    set_stage(portal, sur, "dialogue")
    base = f"{CYCLE}reviews/{sur}/"
    ask(clients["rev-fp"], base, "A question", "What about article 5?")
    set_stage(portal, sur, "final")
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        first = next(iter(review["report"]["parts"].keys()))
    publish(clients["sur-fp"], base, [first])
    fire(clients["secretariat"], base + "report/summary/en/", "publish")
    with portal.root() as root:
        kept, roles = _snapshot(root.catalog), _roles(root.catalog)
        fresh = SearchCatalog()
        fresh.index_subtree(root)
        assert len(kept) > 100
        rebuilt = _snapshot(fresh)
        differing = {key: (kept.get(key), rebuilt.get(key)) for key in set(kept) | set(rebuilt)
                     if kept.get(key) != rebuilt.get(key)}
        for key, (a, b) in sorted(differing.items())[:3]:
            print(key, "\n  ", a, "\n  ", b)
        assert differing == {}
        assert roles == _roles(fresh)


def test_tokens_agree_with_the_acl_for_every_document_and_reader(portal, clients, review_parties):
    """The reader finds a document exactly when the ACL gives it the document's permission."""
    from pyramid.traversal import find_resource

    sur = review_parties[0]
    users = ("sur-fp", "sur-x", "rev-fp", "rev-x", "third-fp", "third-x", "obs", "adm", "sec")
    for stage in ("checklist", "dialogue", "agreement", "final"):
        set_stage(portal, sur, stage)
        with portal.root() as root:
            catalog = root.catalog
            readers = {"anonymous": [Everyone]}
            readers.update({login: [Everyone, Authenticated, *root["users"][login].principals()] for login in users})
            checked = 0
            for entry in catalog.entries.values():
                resource = find_resource(root, entry.path)
                for who, principals in readers.items():
                    by_acl = bool(ACLHelper().permits(resource, principals, entry.permission))
                    by_tokens = bool(catalog.reader_tokens(principals) & entry.tokens)
                    assert by_acl == by_tokens, (stage, entry.key, who)
                    checked += 1
            assert checked > 1000


def test_r20_a_grant_and_its_revocation_change_the_record_of_roles_and_no_document(portal, clients, review_parties):
    sur, reviewing, third = review_parties
    set_stage(portal, sur, "final")
    with portal.root() as root:
        before = _snapshot(root.catalog)
    requests = f"{CYCLE}reviews/{sur}/access-requests/"
    form = last_form(clients["third-fp"].get(requests + "@@new"))
    form["reason"], form["scope"] = "A reform of our own law.", "whole"
    path = form.submit("save").location.replace("http://localhost", "")
    fire(clients["sur-fp"], path, "grant")
    with portal.root() as root:
        filed = _snapshot(root.catalog)
    fire(clients["third-fp"], path, "accept")
    with portal.root() as root:
        assert _snapshot(root.catalog) == filed  # the grant: no document re-indexed
        assert f"Grantee@{CYCLE}reviews/{sur}/report" in root.catalog.roles[f"state:{third}:expert"]
    fire(clients["sur-fp"], path, "revoke")
    with portal.root() as root:
        after = _snapshot(root.catalog)
        # the grant's token is gone (the State may hold other roles, e.g. as a reviewer elsewhere)
        assert f"Grantee@{CYCLE}reviews/{sur}/report" not in root.catalog.roles.get(f"state:{third}:expert", ())
    # Only the request itself (new, then moved through its workflow) differs from before.
    changed = {key for key in set(before) | set(after) if before.get(key) != after.get(key)}
    assert changed == {path.rstrip("/")}


@pytest.mark.storages("file", "relstorage")
def test_portal_reindex_rebuilds_the_same_index(portal, review_parties, tmp_path):
    from content.catalog import SearchCatalog, rebuild_index

    sur = review_parties[0]
    set_stage(portal, sur, "agreement")
    with portal.root() as root:
        kept = _snapshot(root.catalog)
        root.catalog = SearchCatalog()  # lost
    with portal.root() as root:
        assert rebuild_index(root) == len(kept)
        assert _snapshot(root.catalog) == kept


# -- the words of changed texts may wait for the text indexer; what is found never does -----------------------

def test_a_stale_document_is_found_by_its_own_text_until_its_words_are_indexed():
    from content.catalog import SearchCatalog
    from content.search_documents import Document

    public = frozenset({Everyone})
    catalog = SearchCatalog()
    catalog.store("/a", "/a", Document("decision", "Smuggling of migrants by sea"), public)
    catalog.store("/b", "/b", Document("decision", "Trafficking in persons"), public, defer=True)
    catalog.store("/c", "/c", Document("decision", "Secret smuggling plan"), frozenset({"group:secretariat"}),
                  defer=True)
    assert len(catalog.stale) == 2

    def found(query, principals=(Everyone,)):
        return sorted(entry.key for entry, _score in catalog.search(query, list(principals))[1])

    assert found("trafficking persons") == ["/b"]  # read from its own text
    assert found("smuggling") == ["/a"]  # the secretariat's stale document is not even read for the public
    assert found("smuggling", (Everyone, "group:secretariat")) == ["/a", "/c"]
    # A changed text waits too: the old words no longer find it, the new ones do.
    catalog.store("/a", "/a", Document("decision", "Firearms and their parts"), public, defer=True)
    assert found("smuggling") == [] and found("firearms") == ["/a"]
    # A removal waits only for its words: the document itself is gone at once.
    docid = catalog.docids["/b"]
    catalog.unindex_subtree("/b", defer=True)
    assert found("trafficking") == [] and docid in catalog.stale
    assert len(catalog.stale) == 3 and catalog.drain(limit=2) == 2 and catalog.drain() == 1 and not catalog.stale
    assert found("firearms") == ["/a"] and found("smuggling") == [] and found("trafficking") == []
    assert found("smuggling", (Everyone, "group:secretariat")) == ["/c"]
    assert docid not in catalog.text._docwords


def test_with_deferred_text_indexing_a_save_is_found_at_once_and_indexed_after_the_commit(
        portal, clients, review_parties, monkeypatch):
    """The deployed setting (``search.defer_text``): the request leaves the words to the process's text
    indexer; the question is found at once all the same, and once indexed the index equals a rebuild."""
    from ZODB.POSException import ConflictError

    from content.catalog import SearchCatalog
    from portal.search_index import TextIndexer

    sur = review_parties[0]
    set_stage(portal, sur, "dialogue")
    indexer = portal.registry.text_indexer = TextIndexer(portal.db, interval=3600)
    try:
        indexer.wake.clear()
        ask(clients["rev-fp"], f"{CYCLE}reviews/{sur}/", "Deferred words", "Is confiscation of proceeds possible?")
        assert indexer.wake.is_set()  # the commit asked for the words to be indexed
        with portal.root() as root:
            assert len(root.catalog.stale) >= 1
        assert any(r["kind"] == "question" for r in search(clients["sur-fp"], "confiscation")["results"])
        assert search(clients["third-fp"], "confiscation")["total"] == 0
        # A conflict with another process's indexer (here: the first attempt's) is tried again.
        real_drain, attempts = SearchCatalog.drain, []

        def conflicting_drain(catalog, limit=50):
            attempts.append(limit)
            if len(attempts) == 1:
                raise ConflictError()
            return real_drain(catalog, limit)

        monkeypatch.setattr(SearchCatalog, "drain", conflicting_drain)
        assert indexer.drain() >= 1 and len(attempts) >= 2
        monkeypatch.setattr(SearchCatalog, "drain", real_drain)
        with portal.root() as root:
            assert not root.catalog.stale
            fresh = SearchCatalog()
            fresh.index_subtree(root)
            assert _snapshot(root.catalog) == _snapshot(fresh)
        assert any(r["kind"] == "question" for r in search(clients["sur-fp"], "confiscation")["results"])
        # Started, the thread does the same by itself after a commit.
        indexer.start()
        ask(clients["rev-fp"], f"{CYCLE}reviews/{sur}/", "More deferred words", "And forfeiture of instruments?")
        for _attempt in range(100):
            with portal.root() as root:
                if not root.catalog.stale:
                    break
            time.sleep(0.05)
        with portal.root() as root:
            assert not root.catalog.stale
        assert search(clients["sur-fp"], "forfeiture")["total"] == 1
    finally:
        indexer.stop()
        del portal.registry.text_indexer


def _pdf_with(text):
    """A one-page PDF showing ``text`` in Helvetica (written by hand: offsets and all)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>", None,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    stream = b"BT /F1 12 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET"
    objects[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def _docx_with(text):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml",
                         '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                         f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p><w:p><w:r><w:t>next</w:t></w:r></w:p>"
                         "</w:body></w:document>")
    return buffer.getvalue()


def test_the_text_of_attached_files_is_found_by_the_review_s_parties_only(portal, clients, review_parties):
    from content.file_text import file_text

    assert "Confiscation" in file_text("law.pdf", _pdf_with("Confiscation of proceeds"))
    assert file_text("law.docx", _docx_with("Forfeiture")).split() == ["Forfeiture", "next"]
    assert file_text("law.pdf", b"%PDF-1.4 broken") == "" and file_text("photo.png", b"\x89PNG") == ""
    sur = review_parties[0]
    set_stage(portal, sur, "dialogue")
    path = f"{CYCLE}reviews/{sur}/dialogue/"
    client = clients["rev-fp"]
    due = (date.today() + timedelta(days=10)).isoformat()
    client.post(path + "@@ask", {"csrf_token": csrf_from(client.get("/")), "title": "Laws", "text": "See attached.",
                                 "due": due},
                upload_files=[("files", "penal-code.pdf", _pdf_with("Article 12 on extradition")),
                              ("files", "decree.docx", _docx_with("Decree on witness protection"))], status=303)
    for query, name in (("extradition", "penal-code.pdf"), ("witness protection", "decree.docx"),
                        ("penal code", "penal-code.pdf")):
        results = search(clients["sur-fp"], query)["results"]
        assert [r["title"] for r in results if r["kind"] == "attachment"] == [name], query
        assert search(clients["third-fp"], query)["total"] == 0
        assert search(portal.client(), query)["total"] == 0


def test_results_come_in_pages_and_in_the_order_asked(portal):
    anon = portal.client()
    first = search(anon, "", kind="state")
    assert first["total"] > 190 and len(first["results"]) == 20 and "start=20" in first["next"]
    second = search(anon, "", kind="state", start="20")
    assert not {r["url"] for r in first["results"]} & {r["url"] for r in second["results"]}
    page = anon.get("/@@search", {"kind": "state"})
    assert 'rel="next"' in page.text and "Results: " in page.text

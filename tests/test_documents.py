"""Issue 22 §1: documents out in the layout of a UN document. A published executive summary downloads as PDF
and Word in the six languages: the text read back from the PDF (``pdftotext``, Debian's
poppler-utils) and from the Word file is the page's text, under the masthead each language prints; pages are
rendered to PNG (``tests/artifacts/summary-*.png``) to be looked at. Downloads have the page's permissions,
and a grantee's read of a report is recorded."""

import os
import re
import shutil
import subprocess
import unicodedata
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document as Word

from tests.conftest import csrf_from
from tests.cycle_fixtures import CYCLE, set_stage

ARTIFACTS = Path(__file__).parent / "artifacts"
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _skip_or_fail(message):
    if os.environ.get("PORTAL_REQUIRE_BROWSER"):  # CI installs what these tests need (.ci/run)
        pytest.fail(message)
    pytest.skip(message)


def _tool(name):
    if shutil.which(name) is None:
        _skip_or_fail(f"no {name}: install Debian's poppler-utils to read PDF files back")
    try:
        import weasyprint  # noqa: F401  (loads Pango)
    except (ImportError, OSError) as exc:
        _skip_or_fail(f"WeasyPrint cannot typeset PDF here ({exc}): install Debian's libpango-1.0-0")


LAM_ALEF = re.compile("ل([اأإآ])")
HARAKAT = re.compile("[ً-ٰٟ]")
PUNCTUATION = "،؛؟.,;:()«»\"'"


def words(text, lang, page=False):
    """The words of ``text`` as a reader compares them: Unicode presentation forms folded (NFKC), bidi controls,
    Arabic vowel marks and the punctuation around words dropped. Poppler writes the two letters of an Arabic
    lam-alef ligature in reverse order, so the page's side (``page``) is given that order too."""
    text = BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", text))
    if lang == "ar":
        text = HARAKAT.sub("", text)
        if page:
            text = LAM_ALEF.sub(lambda m: m.group(1) + "ل", text)
    return [w.strip(PUNCTUATION) for w in text.split() if w.strip(PUNCTUATION)]


def pdf_text(body, tmp_path):
    path = tmp_path / "document.pdf"
    path.write_bytes(body)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def published(portal, clients, review_parties):
    """A final review whose executive summary is published in the six languages."""
    from portal.scripts.demo_reviews import translate_summary

    sur = review_parties[0]
    set_stage(portal, sur, "final")
    with portal.root() as root:
        translate_summary(root["cycles"]["first-cycle"]["reviews"][sur], "test")
    return sur


@pytest.mark.parametrize("lang, distribution, original", [
    ("ar", "Distr.: General", "Original: English"),
    ("zh", "Distr.: General", "Original: English"),
    ("fr", "Distr. générale", "Original : anglais"),
    ("en", "Distr.: General", "Original: English"),
    ("ru", "Distr.: General", "Original: English"),
    ("es", "Distr. general", "Original: inglés"),
])
def test_a_published_summary_as_pdf_and_word_reads_back_as_the_page(portal, clients, published, lang,
                                                                     distribution, original, tmp_path):
    _tool("pdftotext")
    url = f"{CYCLE}reviews/{published}/report/summary/{lang}/"
    page = portal.client().get(url + f"?lang={lang}")
    body = page.html.select_one("div.text").get_text()
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    # The page's heading names the version's language after the title, "(French)"; the document's title does not.
    links = {a["href"].rsplit("@@", 1)[-1] for a in page.html.select("p.downloads a")}
    assert links == {"pdf", "docx"}  # the page offers what its reader may download
    heading = re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", page.html.select_one("h1").get_text().strip())
    assert paragraphs and heading

    pdf = portal.client().get(url + "@@pdf")
    assert pdf.content_type == "application/pdf" and pdf.body.startswith(b"%PDF-")
    assert pdf.headers["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    text = pdf_text(pdf.body, tmp_path)
    found = words(text, lang)
    for paragraph in paragraphs:  # every word of the page's text, in the PDF's text
        if lang == "zh":  # no spaces between words, and lines break anywhere: the characters, in order
            assert "".join(words(paragraph, lang)) in "".join(found), paragraph
            continue
        missing = [w for w in words(paragraph, lang, page=True) if w not in found]
        assert not missing, (lang, missing)
    if lang in ("fr", "en", "ru", "es"):  # left to right, the words also come in the page's order
        joined = " ".join(found)
        assert " ".join(words(" ".join(paragraphs), lang)) in joined, lang
    for line in (distribution, original):
        assert line in text, (lang, line)
    assert re.search(r"\b1\s*/\s*1\b", text)  # page numbers
    if lang == "zh":
        assert "".join(words(heading, lang)) in "".join(found)
    else:
        assert all(w in found for w in words(heading, lang, page=True)), lang

    # The pages, to be looked at.
    ARTIFACTS.mkdir(exist_ok=True)
    (tmp_path / "d.pdf").write_bytes(pdf.body)
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", str(tmp_path / "d.pdf"),
                    str(ARTIFACTS / f"summary-{lang}")], check=True)

    # Word: the same paragraphs, right to left in Arabic, an East Asian font in Chinese.
    word = Word(BytesIO(clients["secretariat"].get(url + "@@docx").body))
    lines = [p.text for p in word.paragraphs]
    assert distribution in lines and original in lines
    for paragraph in paragraphs:
        assert paragraph in lines, (lang, paragraph)
    body_paragraph = word.paragraphs[lines.index(paragraphs[0])]
    xml = body_paragraph._p.xml
    assert ('<w:bidi/>' in xml and '<w:rtl/>' in xml) == (lang == "ar")
    assert ('w:eastAsia="Noto Sans CJK SC"' in xml) == (lang == "zh")
    assert f'w:val="{lang}"' in xml


def test_downloads_have_the_pages_permissions_and_a_grantees_read_is_recorded(portal, clients, review_parties):
    sur = review_parties[0]
    path = f"{CYCLE}reviews/{sur}/"
    set_stage(portal, sur, "checklist")
    clients["sur-fp"].get(path + "checklist/@@docx")
    clients["rev-fp"].get(path + "checklist/@@docx", status=403)  # not before the checklist is submitted
    set_stage(portal, sur, "drafting")
    offered = {a["href"].rsplit("@@", 1)[-1] for a in clients["sur-fp"].get(path + "report/").html.select("p.downloads a")}
    assert offered == {"pdf", "docx"}
    draft = Word(BytesIO(clients["sur-fp"].get(path + "report/@@docx").body))
    assert "Distr.: Restricted" in [p.text for p in draft.paragraphs]
    clients["rev-fp"].get(path + "report/@@docx")
    clients["third-fp"].get(path + "report/@@docx", status=403)
    assert "@@login" in portal.client().get(path + "report/@@docx", status=303).location
    set_stage(portal, sur, "final")
    clients["third-fp"].get(path + "report/@@pdf", status=403)
    # Access granted and undertaking accepted: the third State's read of the PDF is recorded like a page's.
    from tests.test_access_requests import file, fire
    access = file(clients["third-fp"], sur).location.replace("http://localhost", "")
    fire(clients["sur-fp"], access, "grant")
    fire(clients["third-fp"], access, "accept")
    with portal.root() as root:
        before = len(root["audit"])
    response = clients["third-fp"].get(path + "report/@@pdf", status="*")
    assert response.status_int in (200, 503)
    with portal.root() as root:
        reads = [r for _n, r in sorted(root["audit"].records.items())][before:]
        assert [(r["event"], r["who"]) for r in reads] == [("read", "third-fp")]
    clients["third-fp"].get(path + "report/@@docx", status=403)  # drafts' Word: the parties only


def test_without_pdf_support_the_reader_is_told_and_offered_word(portal, clients, published, monkeypatch):
    from portal.documents import pdf

    def unavailable(request, doc):
        raise pdf.PdfUnavailable("no Pango")

    monkeypatch.setattr("portal.views.downloads.render_pdf", unavailable)
    page = portal.client().get(f"{CYCLE}reviews/{published}/report/summary/fr/@@pdf?lang=fr", status=503)
    assert "télécharger la version Word" in page.text or "Word" in page.text
    assert csrf_from is not None


def test_a_states_published_parts_download_as_one_pdf_and_nothing_else(portal, clients, review_parties, tmp_path):
    _tool("pdftotext")
    from portal.scripts.demo_reviews import publish_parts

    sur = review_parties[0]
    set_stage(portal, sur, "final")
    anon = portal.client()
    anon.get(f"/states/{sur}/@@published-report?cycle=first-cycle", status=404)  # nothing published yet
    with portal.root() as root:
        review = root["cycles"]["first-cycle"]["reviews"][sur]
        publish_parts(review, "test", names={"summary"})
        parts = review["report"]["parts"]
        published = parts["summary"].text
        hidden = [p.text for p in parts.values() if not p.published and p.text and p.text != published]
    assert "@@published-report?cycle=first-cycle" in anon.get(f"/states/{sur}?lang=en").text
    pdf = anon.get(f"/states/{sur}/@@published-report?cycle=first-cycle")
    text = " ".join(pdf_text(pdf.body, tmp_path).split())
    assert " ".join(published.split()) in text
    assert any(mark in text for mark in ("Distr.: General", "Distr. générale", "Distr. general"))
    assert hidden and not [t for t in hidden if " ".join(t.split()) in text]
    anon.get(f"/states/{sur}/@@published-report?cycle=nothing", status=404)

"""The text of an attached file, for search: plain text, Word (.docx), OpenDocument (.odt) and PDF; other
files (spreadsheets, images, old Office formats) give their name only. Never fails: a file that cannot be
read gives no text."""

import re
import zipfile
from io import BytesIO
from xml.etree import ElementTree

MAX_CHARS = 200_000
MAX_PDF_PAGES = 100
_XML_PARTS = {"docx": "word/document.xml", "odt": "content.xml"}
_PARAGRAPH_END = re.compile(r"</(?:w:p|text:p|text:h)>")


def _xml_text(data, part):
    with zipfile.ZipFile(BytesIO(data)) as archive:
        xml = archive.read(part).decode("utf-8", "replace")
    # A paragraph's end becomes a line break, so that words of two paragraphs are not glued together.
    xml = _PARAGRAPH_END.sub(lambda m: m.group() + "\n", xml)
    return "".join(ElementTree.fromstring(xml.encode("utf-8")).itertext())


def _pdf_text(data):
    from pypdf import PdfReader  # imported only when a PDF is attached: it is the slowest import here

    reader = PdfReader(BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES])


def file_text(filename, data):
    """The searchable text of ``data``, a file called ``filename`` (at most ``MAX_CHARS`` characters)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    try:
        if extension == "txt":
            text = data.decode("utf-8", "replace")
        elif extension in _XML_PARTS:
            text = _xml_text(data, _XML_PARTS[extension])
        elif extension == "pdf":
            text = _pdf_text(data)
        else:
            return ""
    except Exception:  # noqa: BLE001 - a damaged or hostile file gives no text; the upload itself was checked
        return ""
    return text[:MAX_CHARS]

"""A ``Document`` as Word (.docx, python-docx), for parties clearing a draft and for translators: the same
masthead and sections as the PDF, right-to-left paragraphs and runs in Arabic, an East Asian font in Chinese,
page numbers in the footer."""

from io import BytesIO

from docx import Document as Word
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from language import text_direction

FONTS = {"ar": "Noto Naskh Arabic", "zh": "Noto Sans CJK SC"}
LATIN = "Times New Roman"


def _language_of_run(run, lang):
    """Mark ``run`` as written in ``lang``: its language, right-to-left and complex-script font for Arabic,
    East Asian font for Chinese (Word picks glyphs by these, not by the text alone)."""
    properties = run._r.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:cs"), FONTS["ar"] if lang == "ar" else LATIN)
    fonts.set(qn("w:eastAsia"), FONTS["zh"] if lang == "zh" else LATIN)
    if text_direction(lang) == "rtl":  # the schema's order: rtl before lang
        properties.append(OxmlElement("w:rtl"))
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), lang)
    if lang == "ar":
        language.set(qn("w:bidi"), lang)
    if lang == "zh":
        language.set(qn("w:eastAsia"), lang)
    properties.append(language)


def _paragraph(document, text, lang, style=None, bold=False, align=None, size=None):
    paragraph = document.add_paragraph(style=style)
    if text_direction(lang) == "rtl":
        paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    _language_of_run(run, lang)
    return paragraph


def _page_numbers(section, label, lang):
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _language_of_run(paragraph.add_run(f"{label} " if label else ""), lang)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def render_docx(doc):
    """The .docx bytes of ``doc``."""
    word = Word()
    lang = doc.language
    end = WD_ALIGN_PARAGRAPH.LEFT if doc.direction == "rtl" else WD_ALIGN_PARAGRAPH.RIGHT
    word.core_properties.title = doc.title
    word.core_properties.language = lang
    section = word.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = end
    _language_of_run(header.add_run(doc.symbol), doc.masthead_language)
    _page_numbers(section, doc.labels.get("page", ""), lang)
    _paragraph(word, doc.labels.get("org", ""), lang, bold=True, size=14)
    _paragraph(word, doc.symbol, doc.masthead_language, bold=True, align=end, size=14)
    for line in (doc.distribution_label, doc.date, doc.version, doc.original):
        if not line:
            continue
        _paragraph(word, line, doc.masthead_language, align=end, bold=line == doc.distribution_label)
    _paragraph(word, doc.title, lang, style="Title")
    if doc.subtitle:
        _paragraph(word, doc.subtitle, lang)
    if doc.notice:
        _paragraph(word, doc.notice, lang).runs[0].italic = True
    for part in doc.sections:
        part_lang = part.language or lang
        if part.heading:
            _paragraph(word, part.heading, part_lang, style="Heading 1")
        for text in part.paragraphs:
            _paragraph(word, text, part_lang)
    out = BytesIO()
    word.save(out)
    return out.getvalue()

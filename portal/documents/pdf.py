"""A ``Document`` as PDF: an HTML page in the UN document's layout (portal/templates/documents/document.pt)
typeset by WeasyPrint, with fonts from Debian's packages (Arabic shaped by HarfBuzz, Chinese in a CJK font)."""

from pyramid.renderers import render

from language import text_direction

# The body's fonts per script; the sections written in another language pick theirs by their ``lang``.
FONTS = {
    "ar": '"Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", sans-serif',
    "zh": '"Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", sans-serif',
}
LATIN = '"Noto Serif", "DejaVu Serif", "Liberation Serif", serif'


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are missing on this machine."""


def html_of(request, doc):
    return render("portal:templates/documents/document.pt",
                  {"doc": doc, "fonts": FONTS.get(doc.language, LATIN), "direction": text_direction}, request=request)


def render_pdf(request, doc):
    """The PDF bytes of ``doc``; ``PdfUnavailable`` when the machine cannot typeset PDF."""
    try:
        from weasyprint import HTML  # Pango is loaded on import: a machine without it still serves the rest
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(str(exc)) from exc
    return HTML(string=html_of(request, doc), base_url=request.application_url).write_pdf()

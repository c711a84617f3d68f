"""Downloads of documents as PDF and Word (issue 22 §1), with the permission of the page they come from: a
language version of a summary or thematic report, a Conference decision, a report (its draft in Word for the
parties), a part of a final report, a checklist's answers. A grantee's read of a report is recorded (R20)."""

from urllib.parse import quote

from pyramid.httpexceptions import HTTPNotFound, HTTPServiceUnavailable
from pyramid.response import Response
from pyramid.view import view_config

from content.checklists import Checklist
from content.conference import Decision
from content.publication import ReportPart
from content.report import Report
from content.states import State
from content.translations import Translation
from portal.access_audit import read_under_grant
from portal.documents.docx import render_docx
from portal.documents.pdf import PdfUnavailable, render_pdf
from portal.documents.sources import (checklist_document, decision_document, part_document,
                                      published_report_document, report_document, translation_document)
from portal.i18n import LANGUAGES, _, translate
from portal.views.publication import published_parts
from portal.views.translations import FOR_INFORMATION
from workflows import permissions as P

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(request, body, content_type, filename):
    response = Response(body=body, content_type=content_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    request.environ["portal.no_page_cache"] = True
    return response


def pdf_response(request, doc):
    try:
        body = render_pdf(request, doc)
    except PdfUnavailable:
        raise HTTPServiceUnavailable(translate(request, _(
            "PDF documents cannot be made on this server now; download the Word version or try again later."))) from None
    return _file(request, body, PDF, f"{doc.filename}.pdf")


def docx_response(request, doc):
    return _file(request, render_docx(doc), DOCX, f"{doc.filename}.docx")


@view_config(context=Translation, name="pdf", permission=P.VIEW)
def translation_pdf(context, request):
    return pdf_response(request, translation_document(request, context, FOR_INFORMATION))


@view_config(context=Translation, name="docx", permission=P.VIEW)
def translation_docx(context, request):
    """For the translation services, the secretariat and the parties, who work in Word."""
    return docx_response(request, translation_document(request, context, FOR_INFORMATION))


def _decision_language(request):
    lang = request.params.get("language", request.locale_name)
    return lang if lang in LANGUAGES else request.locale_name


@view_config(context=Decision, name="pdf", permission=P.VIEW)
def decision_pdf(context, request):
    return pdf_response(request, decision_document(request, context, _decision_language(request)))


@view_config(context=Decision, name="docx", permission=P.VIEW)
def decision_docx(context, request):
    return docx_response(request, decision_document(request, context, _decision_language(request)))


@view_config(context=Report, name="pdf", permission=P.VIEW)
def report_pdf(context, request):
    read_under_grant(request, context)
    return pdf_response(request, report_document(request, context))


@view_config(context=Report, name="docx", permission=P.VIEW_DRAFTS)
def report_docx(context, request):
    """The current draft in Word, for a capital to circulate to its ministries before agreeing (R16)."""
    return docx_response(request, report_document(request, context))


@view_config(context=ReportPart, name="pdf", permission=P.VIEW)
def part_pdf(context, request):
    read_under_grant(request, context)
    return pdf_response(request, part_document(request, context))


@view_config(context=Checklist, name="docx", permission=P.VIEW)
def checklist_docx(context, request):
    return docx_response(request, checklist_document(request, context))


@view_config(context=State, name="published-report", permission=P.VIEW)
def published_report_pdf(context, request):
    """A State's report of one cycle (``?cycle=``) as far as it is published, as one PDF: the parts the reader
    may read (R19), as the State's page lists them."""
    wanted = request.params.get("cycle", "")
    found = next(((review, shown) for cycle, review, shown in published_parts(request, context)
                  if cycle.__name__ == wanted), None)
    if found is None:
        raise HTTPNotFound(translate(request, _("No part of this report is published.")))
    review, shown = found
    return pdf_response(request, published_report_document(request, review, [part for part, _t, _p in shown]))

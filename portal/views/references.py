"""Citing legislation and cases (ToR ¶3(c), ¶7): one page per checklist answer or report finding that lists its
citations and takes a new one (title, article, date, link, file); bad input keeps what was typed."""

from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config

from content.attachments import UploadRejected
from content.checklists import Checklist
from content.references import KINDS, ReferenceProblem
from content.report import Report, ReportConflict
from portal.i18n import _, text_direction, translate
from portal.views import flash, redirect
from portal.views.checklists import questions_language, section_of
from portal.views.helpers import shown_references
from portal.views.report import base_version, conflict_message
from portal.views.threads import upload_help, uploaded_files
from workflows import permissions as P

FIELDS = ("kind", "title", "article", "day", "url")


def typed(request):
    """The citation's fields as posted (``make_reference``'s arguments; kept when the citation is refused)."""
    return {name: request.POST.get(name, "") for name in FIELDS}


def _page(request, context, subject, subject_lang, references, action, hidden, values=None, error=None):
    return {"page_title": translate(request, _("Cite legislation or a case")), "subject": subject,
            "subject_lang": subject_lang, "subject_dir": text_direction(subject_lang), "references": shown_references(request, references, context), "kinds": KINDS,
            "action": action, "hidden": hidden, "values": values or {"kind": "legislation"}, "error": error,
            "upload_help": upload_help(request), "back": request.resource_url(context)}


def _refused(request, page, message, status=400):
    request.response.status_int = status
    page["error"] = message if isinstance(message, str) else translate(request, message)
    return page


@view_config(context=Checklist, name="cite", renderer="portal:templates/cite.pt", permission=P.EDIT_CHECKLIST)
def cite_in_answer(context, request):
    """The citations of one answer of the checklist, and a new one, while the State under review answers."""
    question = request.params.get("question", "")
    section = section_of(request, context, question)
    lang = questions_language(request, context.__parent__)
    text = next(q.text_in(lang) for q in section.questions if q.id == question)
    page = _page(request, context, text, lang, context.references(question),
                 request.resource_url(context, "@@cite"), {"question": question})
    if request.method != "POST":
        return page
    page["values"] = fields = typed(request)
    try:
        context.cite(question, fields, uploaded_files(request), request.authenticated_userid)
    except (ReferenceProblem, UploadRejected) as problem:
        return _refused(request, page, problem.message)
    flash(request, _("The citation has been added."))
    return redirect(request.resource_url(context, "@@cite", query={"question": question}))


@view_config(context=Checklist, name="uncite", request_method="POST", permission=P.EDIT_CHECKLIST)
def uncite_in_answer(context, request):
    question = request.POST.get("question", "")
    section_of(request, context, question)
    try:
        context.uncite(question, int(request.POST.get("index", "-1")))
    except (KeyError, ValueError):
        raise HTTPNotFound(translate(request, _("This answer has no such citation."))) from None
    flash(request, _("The citation has been removed."))
    return redirect(request.resource_url(context, "@@cite", query={"question": question}))


def _finding(request, context):
    fid = request.params.get("id", "")
    current = context.current()
    finding = current.finding(fid) if current is not None else None
    if finding is None:
        raise HTTPNotFound(translate(request, _("This report has no such finding.")))
    return fid, finding


@view_config(context=Report, name="cite", renderer="portal:templates/cite.pt", permission=P.EDIT_REPORT)
def cite_in_finding(context, request):
    """The citations of one finding, and a new one: each change is a new version of the report (R16)."""
    fid, finding = _finding(request, context)
    lang = getattr(context.review, "language", None) or request.locale_name
    page = _page(request, context, finding["text"], lang, finding.get("references", ()),
                 request.resource_url(context, "@@cite"), {"id": fid, "base": context.current_number()})
    if request.method != "POST":
        return page
    page["values"] = fields = typed(request)
    try:
        version = context.cite(fid, fields, uploaded_files(request), request.authenticated_userid, base_version(request))
    except (ReferenceProblem, UploadRejected) as problem:
        return _refused(request, page, problem.message)
    except ReportConflict as conflict:
        return _refused(request, page, conflict_message(request, conflict), 409)
    flash(request, _("Saved as version ${version}.", mapping={"version": version.number}))
    return redirect(request.resource_url(context, "@@cite", query={"id": fid}))


@view_config(context=Report, name="uncite", request_method="POST", permission=P.EDIT_REPORT)
def uncite_in_finding(context, request):
    fid, _finding_ = _finding(request, context)
    try:
        version = context.uncite(fid, int(request.POST.get("index", "-1")), request.authenticated_userid,
                                 base_version(request))
    except (KeyError, ValueError):
        raise HTTPNotFound(translate(request, _("This finding has no such citation."))) from None
    except ReportConflict as conflict:
        flash(request, conflict_message(request, conflict))
        return redirect(request.resource_url(context, "@@cite", query={"id": fid}))
    flash(request, _("Saved as version ${version}.", mapping={"version": version.number}))
    return redirect(request.resource_url(context, "@@cite", query={"id": fid}))

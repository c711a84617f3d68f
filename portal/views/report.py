"""The country review report (¶25, ¶32, ¶33, R16): drafting section by section and findings, versions
with comparison and restore, comments, and each party's agreement to one version; final when all agree."""

import colander
import deform
from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound
from pyramid.view import view_config

from content.report import (KINDS, MAX_FINDING, MAX_SECTION, Report, ReportConflict,
                            StaleAgreement)
from portal.forms import CSRFSchema, button, make_form
from portal.access_audit import read_under_grant
from portal.i18n import _, translate
from portal.views import flash, redirect, user_state
from portal.views.comments import add_comment
from portal.report_titles import article_titles, part_title, section_titles
from portal.views.conflicts import conflict as show_conflict, person_name
from portal.views.helpers import shared_notice, shown_references, state_name, state_value
from workflows import get_workflow
from workflows import permissions as P
from workflows.definitions.country_review import report_agreed

def base_version(request):
    try:
        return int(request.params.get("base", ""))
    except ValueError:
        raise HTTPBadRequest(translate(request, _("The form is incomplete; open it again."))) from None


@view_config(context=Report, renderer="portal:templates/report.pt", permission=P.VIEW)
def report_view(context, request):
    review = context.review
    current = context.current()
    titles = section_titles(request, context)
    articles = article_titles(request, context)
    own = user_state(request)
    parties = [{"state": s, "name": state_name(request, s), "agreed": context.agreed(s),
                "agreement": context.agreements.get(s)} for s in review.parties()]
    shared_with = read_under_grant(request, context)
    return {
        "shared_with": shared_with, "shared_notice": shared_notice(request, shared_with),
        "can_see_drafts": request.has_permission(P.VIEW_DRAFTS, context),
        "page_title": translate(request, _("Report on the review of ${state}",
                                           mapping={"state": state_value(request, review.state)})),
        "review": review, "current": current, "number": context.current_number(),
        "sections": [{"key": k, "title": t, "text": context.text(k), "comments": context.comments.on(k)}
                     for k, t in titles.items()],
        "findings": [{**f, "article_title": articles.get(f["article"], f["article"]), "kind_title": KINDS[f["kind"]],
                      "references": shown_references(request, f.get("references", ()), context)}
                     for f in context.findings()],
        "parties": parties,
        "can_edit": request.has_permission(P.EDIT_REPORT, context),
        "can_comment": request.has_permission(P.COMMENT_REPORT, context),
        "can_agree": request.has_permission(P.AGREE_REPORT, context) and own in review.parties()
        and current is not None,
        "own_agreed": context.agreed(own) if own else False,
        "locked": context.locked,
        "can_publish": request.has_permission(P.PUBLISH_REPORT, context),
        "parts": _parts(request, context),
        "state_names": {s: state_name(request, s) for s in review.parties()},
    }


def _parts(request, report):
    """``[(part, title)]`` of a final report, for the publication panel."""
    parts = report.get("parts")
    return [(p, part_title(request, p, report)) for p in parts.ordered()] if parts is not None else []


class SectionSchema(CSRFSchema):
    base = colander.SchemaNode(colander.Integer(), widget=deform.widget.HiddenWidget(), title="")
    text = colander.SchemaNode(colander.String(), title=_("Text"), missing="",
                               validator=colander.Length(max=MAX_SECTION), widget=deform.widget.TextAreaWidget(rows=18))


def conflict_message(request, conflict):
    current = conflict.current
    return translate(request, _("${who} saved version ${version} of the report after you opened it, changing what "
                                "you edited. Your text below is not saved yet: compare it with the saved one, "
                                "then save again.", mapping={"who": person_name(request, current.who if current else ""),
                                                            "version": current.number if current else 0}))


def versioned_form(context, request, form, page, save, anchor, appstruct, compare=None):
    """Show ``form``; on save, validate it and call ``save(data)`` (a new version, or None when nothing
    changed). A conflict shows the form again with what was typed, based on the current version, and
    ``compare(data)`` (``[(label, saved text, typed text)]``) beside it."""
    if "save" not in request.POST:
        return {**page, "form": form.render(appstruct)}
    try:
        data = form.validate(request.POST.items())
    except deform.ValidationFailure as failure:
        return {**page, "form": failure.render()}
    try:
        version = save(data)
    except ReportConflict as conflict:
        request.response.status_int = 409
        who = conflict.current.who if conflict.current else ""
        return {**page, "form": form.render({**data, "base": context.current_number()}),
                "error": conflict_message(request, conflict),
                "conflict": show_conflict(request, who, compare(data) if compare else [])}
    flash(request, _("Saved as version ${version}.", mapping={"version": version.number}) if version
          else _("Nothing changed."))
    return redirect(request.resource_url(context) + f"#{anchor}")


@view_config(context=Report, name="section", renderer="portal:templates/form.pt", permission=P.EDIT_REPORT)
def edit_section(context, request):
    key = request.params.get("key", "")
    titles = section_titles(request, context)
    if key not in titles:
        raise HTTPNotFound(translate(request, _("This report has no such section.")))
    form = make_form(SectionSchema, request, buttons=[button("save", _("Save"))])
    form.action = request.resource_url(context, "@@section", query={"key": key})
    page = {"page_title": titles[key], "intro": translate(request, _(
        "Every save makes a new version of the report; earlier versions can be compared and restored. A save clears "
        "the agreements given so far."))}
    return versioned_form(
        context, request, form, page,
        lambda data: context.save_section(key, data["text"], request.authenticated_userid, data["base"]),
        key, {"base": context.current_number(), "text": context.text(key)},
        lambda data: [(titles[key], context.text(key), data["text"])])


@colander.deferred
def _article_widget(node, kw):
    return deform.widget.SelectWidget(values=list(article_titles(kw["request"], kw["report"]).items()))


@colander.deferred
def _article_validator(node, kw):
    return colander.OneOf(list(article_titles(kw["request"], kw["report"])))


class FindingSchema(CSRFSchema):
    base = colander.SchemaNode(colander.Integer(), widget=deform.widget.HiddenWidget(), title="")
    article = colander.SchemaNode(colander.String(), title=_("Article"), widget=_article_widget,
                                  validator=_article_validator)
    kind = colander.SchemaNode(colander.String(), title=_("Kind of finding"), validator=colander.OneOf(list(KINDS)),
                               widget=deform.widget.SelectWidget(values=list(KINDS.items())))
    text = colander.SchemaNode(colander.String(), title=_("Finding"), validator=colander.Length(min=1, max=MAX_FINDING),
                               widget=deform.widget.TextAreaWidget(rows=5))


@view_config(context=Report, name="finding", renderer="portal:templates/form.pt", permission=P.EDIT_REPORT)
def edit_finding(context, request):
    """Add a finding, or change one (``?id=``): tagged with an article and a kind (R16)."""
    fid = request.params.get("id") or None
    current = context.current()
    existing = current.finding(fid) if (fid and current) else None
    if fid and existing is None:
        raise HTTPNotFound(translate(request, _("This report has no such finding.")))
    form = make_form(FindingSchema, request, buttons=[button("save", _("Save"))], report=context)
    form.action = request.resource_url(context, "@@finding", query={"id": fid} if fid else None)
    page = {"page_title": translate(request, _("Change a finding") if fid else _("Add a finding"))}
    appstruct = {"base": context.current_number()}
    if existing:
        appstruct.update({k: existing[k] for k in ("article", "kind", "text")})
    return versioned_form(
        context, request, form, page,
        lambda data: context.save_finding(fid, data["article"], data["kind"], data["text"],
                                          request.authenticated_userid, data["base"]),
        "findings", appstruct,
        lambda data: [(translate(request, _("Finding")), (context.current().finding(fid) or {}).get("text", ""),
                       data["text"])])


@view_config(context=Report, name="remove-finding", request_method="POST", permission=P.EDIT_REPORT)
def remove_finding(context, request):
    try:
        version = context.remove_finding(request.POST.get("id", ""), request.authenticated_userid, base_version(request))
    except KeyError:
        raise HTTPNotFound(translate(request, _("This report has no such finding."))) from None
    except ReportConflict as conflict:
        flash(request, conflict_message(request, conflict), "error")
        return redirect(request.resource_url(context) + "#findings")
    flash(request, _("Saved as version ${version}.", mapping={"version": version.number}))
    return redirect(request.resource_url(context) + "#findings")


@view_config(context=Report, name="versions", renderer="portal:templates/report_versions.pt",
             permission=P.VIEW_DRAFTS)
def versions(context, request):
    titles = section_titles(request, context)
    rows = []
    for number in reversed(list(context.versions.keys())):
        v = context.versions[number]
        note = v.note or {}
        if "section" in note:
            what = titles.get(note["section"], note["section"])
        elif "restored" in note:
            what = translate(request, _("Version ${version} restored", mapping={"version": note["restored"]}))
        else:
            what = translate(request, _("Findings"))
        rows.append({"version": v, "what": what})
    return {"page_title": translate(request, _("Versions of the report")), "review": context.review, "rows": rows,
            "number": context.current_number(), "can_edit": request.has_permission(P.EDIT_REPORT, context)}


def _version_param(request, context, name, default):
    try:
        number = int(request.params.get(name, default))
    except ValueError:
        number = -1
    if number < 0 or number > context.current_number():
        raise HTTPNotFound(translate(request, _("This report has no such version.")))
    return number


@view_config(context=Report, name="diff", renderer="portal:templates/report_diff.pt", permission=P.VIEW_DRAFTS)
def diff(context, request):
    b = _version_param(request, context, "b", context.current_number())
    a = _version_param(request, context, "a", max(0, b - 1))
    sections, findings = context.diff(a, b)
    titles = section_titles(request, context)
    articles = article_titles(request, context)
    return {"page_title": translate(request, _("Changes from version ${a} to version ${b}", mapping={"a": a, "b": b})),
            "review": context.review, "sections": [(titles.get(k, k), lines) for k, lines in sections],
            "findings": [(op, {**f, "article_title": articles.get(f["article"], f["article"]),
                               "kind_title": KINDS[f["kind"]]}) for op, f in findings]}


@view_config(context=Report, name="restore", request_method="POST", permission=P.EDIT_REPORT)
def restore(context, request):
    number = _version_param(request, context, "version", -1)
    try:
        version = context.restore(number, request.authenticated_userid, base_version(request))
    except KeyError:
        raise HTTPNotFound(translate(request, _("This report has no such version."))) from None
    except ReportConflict as conflict:
        flash(request, conflict_message(request, conflict), "error")
        return redirect(request.resource_url(context, "@@versions"))
    flash(request, _("Version ${old} restored as version ${version}.", mapping={"old": number, "version": version.number}))
    return redirect(request.resource_url(context))


@view_config(context=Report, name="comment", request_method="POST", permission=P.COMMENT_REPORT)
def comment(context, request):
    key = request.POST.get("section", "")
    if key not in context.section_keys():
        raise HTTPNotFound(translate(request, _("This report has no such section.")))
    return add_comment(request, context, key, request.resource_url(context) + f"#{key}")


@view_config(context=Report, name="agree", request_method="POST", permission=P.AGREE_REPORT)
def agree(context, request):
    """The reader's state agrees to the version it read (R16); the last agreement makes the report final."""
    review = context.review
    own = user_state(request)
    if own not in review.parties():
        raise HTTPNotFound()
    try:
        context.agree(own, _version_param(request, context, "version", -1), request.authenticated_userid)
    except StaleAgreement:
        flash(request, _("The report has changed since you read it: read the current version, then agree to it."),
              "error")
        return redirect(request.resource_url(context))
    if report_agreed(review, request) is None:
        get_workflow(review).fire(review, request, "finalize", check_permission=False,
                                  comment=f"version {context.current_number()}")  # mail: portal/subscribers.py
        flash(request, _("All States have agreed: the report is final."))
    else:
        flash(request, _("Your State's agreement to version ${version} is recorded.",
                         mapping={"version": context.current_number()}))
    return redirect(request.resource_url(context))


@view_config(context=Report, name="withdraw-agreement", request_method="POST", permission=P.AGREE_REPORT)
def withdraw_agreement(context, request):
    context.withdraw_agreement(user_state(request), request.authenticated_userid)
    flash(request, _("Your State's agreement is withdrawn."))
    return redirect(request.resource_url(context))

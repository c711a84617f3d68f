"""Information from international and regional organizations in a review (ToR ¶26(c), ¶30): the list and its
form for the reviewing States and the secretariat, and each source's page, where the State under review comments."""

from datetime import date

import colander
from pyramid.view import view_config

from content.attachments import UploadRejected, check_upload
from content.outside_sources import (MAX_COMMENT, MAX_LINK, MAX_NOTE, MAX_ORGANIZATION, MAX_TITLE, BadLink,
                                     OutsideSource, OutsideSources, SourceCommented, check_link)
from language import text_direction
from portal.i18n import _, _n, translate
from portal.notices import tell
from portal.views import flash, redirect, user_state
from portal.views.helpers import section_title, state_name, state_value
from portal.views.threads import text_node, upload_help, uploaded_files, validate
from workflows import permissions as P
from workflows.registry import get_role_maps
from workflows import roles as R

FIELDS = ("organization", "title", "date", "link", "note")


def _sections(request, review):
    """``[(key, title)]`` of the checklist's articles (a source may concern some of them)."""
    checklist = review.get("checklist")
    return [(s.key, section_title(request, s)) for s in checklist.sections() if s.instrument] \
        if checklist is not None else []


def _link(node, value):
    try:
        check_link(value)
    except BadLink as bad:
        raise colander.Invalid(node, bad.message) from None


def _not_future(node, value):
    if value > date.today():
        raise colander.Invalid(node, _("The date of the document cannot be in the future."))


def _member(node, value):
    if not value:
        raise colander.Invalid(node, _("The reviewing States may consider information of an organization only if "
                                       "the State under review is a member of it (ToR ¶26(c))."))


def source_schema(sections):
    schema = colander.SchemaNode(colander.Mapping())
    schema.add(text_node("organization", _("Organization"), MAX_ORGANIZATION))
    schema.add(text_node("title", _("Title of the document"), MAX_TITLE))
    schema.add(colander.SchemaNode(colander.Date(), name="date", missing=None, validator=_not_future))
    schema.add(text_node("link", _("Link"), MAX_LINK, required=False))
    schema.get("link").validator = colander.All(schema.get("link").validator, _link)
    schema.add(colander.SchemaNode(colander.Set(), name="articles", missing=(),
                                   validator=colander.ContainsOnly([k for k, _t in sections])))
    schema.add(text_node("note", _("Why it is relevant"), MAX_NOTE, required=False))
    schema.add(colander.SchemaNode(colander.Boolean(), name="member", missing=False, validator=_member))
    return schema


def _writing(request, review):
    """``(lang, dir)`` of what the parties write in the review: its working language (R25)."""
    lang = getattr(review, "language", None) or request.locale_name
    return lang, text_direction(lang)


def _page(context, request, **extra):
    review = context.review
    lang, direction = _writing(request, review)
    rows = [{"source": s, "added_by": _added_by(request, s), "comments": len(s.comments)} for s in context.ordered()]
    return {"page_title": translate(request, _("Information from international and regional organizations: review "
                                               "of ${state}", mapping={"state": state_value(request, review.state)})),
            "review": review, "rows": rows, "can_add": request.has_permission(P.ADD_SOURCE, context),
            "sections": _sections(request, review), "upload_help": _upload_help(request), "values": {},
            "errors": {}, "write_lang": lang, "write_dir": direction,
            "removals": [{**r, "by": state_name(request, r["state"]) if r["state"] else translate(request, _("Secretariat"))}
                         for r in context.removals()], **extra}


def _upload_help(request):
    return translate(request, _("One file; ${help}", mapping={"help": upload_help(request)}))


def _added_by(request, source):
    return state_name(request, source.added_by_state) if source.added_by_state else translate(request, _("Secretariat"))


@view_config(context=OutsideSources, renderer="portal:templates/outside_sources.pt", permission=P.VIEW)
def sources_view(context, request):
    request.environ["portal.no_page_cache"] = True
    return _page(context, request)


def _sur_reads(folder):
    """Whether the State under review reads the sources in the review's current stage (its focal point's role map)."""
    stage = getattr(folder.review, "workflow_state", None)
    return P.VIEW in get_role_maps(folder.part_roles).get(stage, {}).get(R.REVIEWED_FOCAL_POINT, ())


@view_config(context=OutsideSources, name="add", request_method="POST",
             renderer="portal:templates/outside_sources.pt", permission=P.ADD_SOURCE)
def add(context, request):
    """A new source; every problem is said beside its field, and what was typed is kept (the file is chosen again)."""
    request.environ["portal.no_page_cache"] = True
    sections = _sections(request, context.review)
    # Stripped first: a field of spaces is then missing, and says so in the reader's language.
    fields = {k: request.POST.get(k, "").strip() for k in FIELDS}
    fields["articles"] = request.POST.getall("articles")
    fields["member"] = "true" if request.POST.get("member") else "false"
    values, errors = validate(request, source_schema(sections), fields)
    if values is not None:  # in the checklist's order
        values["articles"] = [k for k, _t in sections if k in values["articles"]]
    files = uploaded_files(request, "document")
    document = None
    if len(files) > 1:
        errors["document"] = translate(request, _n("At most ${count} file per source.", "At most ${count} files per source.", 1))
    elif files:
        try:
            check_upload(*files[0])
            document = files[0]
        except UploadRejected as rejected:
            errors["document"] = translate(request, rejected.message)
    if values is not None and not values["link"] and not files and "document" not in errors:
        errors["document"] = translate(request, _("Give a link to the document, or attach it."))
    if errors:
        request.response.status_int = 400
        return _page(context, request, values=fields, errors=errors)
    source = context.add_source(request.authenticated_userid, user_state(request), values, document)
    if _sur_reads(context):  # the State under review is told when it may read the source, not before
        tell(request, "source/added", source)
    flash(request, _("The source has been added to the review."))
    return redirect(request.resource_url(source))


def _source_page(context, request, **extra):
    review = context.review
    lang, direction = _writing(request, review)
    sections = dict(_sections(request, review))
    return {"page_title": context.title, "review": review, "source": context,
            "added_by": _added_by(request, context), "articles": [sections.get(k, k) for k in context.articles],
            "comments": [{"from": state_name(request, c["state"]) if c["state"] else translate(request, _("Secretariat")),
                          "who": c["who"], "when": c["when"], "text": c["text"]} for c in context.comments],
            "can_comment": request.has_permission(P.COMMENT_SOURCE, context), "text": "", "error": None,
            "can_remove": request.has_permission(P.ADD_SOURCE, context) and not context.comments,
            "write_lang": lang, "write_dir": direction, **extra}


@view_config(context=OutsideSource, renderer="portal:templates/outside_source.pt", permission=P.VIEW)
def source_view(context, request):
    request.environ["portal.no_page_cache"] = True
    return _source_page(context, request)


@view_config(context=OutsideSource, name="comment", request_method="POST",
             renderer="portal:templates/outside_source.pt", permission=P.COMMENT_SOURCE)
def comment(context, request):
    """The State under review's comment on a source; the reviewing States and the secretariat are told."""
    request.environ["portal.no_page_cache"] = True
    text = request.POST.get("text", "")
    error = None
    if not text.strip():
        error = _("Write your comment.")
    elif len(text) > MAX_COMMENT:
        error = _n("The comment is longer than ${count} character.", "The comment is longer than ${count} characters.",
                   MAX_COMMENT)
    if error is not None:
        request.response.status_int = 400
        return _source_page(context, request, text=text, error=translate(request, error))
    context.comment(request.authenticated_userid, user_state(request), text)
    tell(request, "source/comment", context)
    flash(request, _("Your comment has been added."))
    return redirect(request.resource_url(context) + "#comments")


@view_config(context=OutsideSource, name="remove", request_method="POST",
             renderer="portal:templates/outside_source.pt", permission=P.ADD_SOURCE)
def remove(context, request):
    """Those who may add sources take one off the review (added by mistake), saying why; the list keeps a record of
    it. Not once the State under review has commented on it."""
    request.environ["portal.no_page_cache"] = True
    folder = context.__parent__
    try:
        folder.remove_source(context.__name__, request.authenticated_userid, user_state(request),
                             request.POST.get("reason", ""))
    except SourceCommented:
        request.response.status_int = 409
        return _source_page(context, request, error=translate(request, _(
            "The State under review has commented on this source: it stays in the review, with its comments.")))
    flash(request, _("The source has been taken off the review; the list keeps a record of it."))
    return redirect(request.resource_url(folder))

"""Documents in six languages (ToR ¶35, ¶50, R21): the reader's page of a translation group (the
requested language, else the original with a notice), each language version with its workflow, and
the secretariat's side-by-side editor of original and translation."""

import colander
import deform
from pyramid.view import view_config

from content.events import modified
from content.review_parts import review_of
from content.root import PortalRoot
from content.translations import MAX_TEXT, TranslationConflict, TranslationGroup, Translation, placeholders
from portal.forms import CSRFSchema, button
from portal.i18n import LANGUAGE_NAMES, LANGUAGE_TITLES, _, _n, text_direction, translate
from portal.views import flash, redirect
from portal.views.conflicts import conflict as show_conflict, person_name
from portal.views.helpers import review_line, state_value
from portal.views.helpers import workflow_info
from portal.views.localized import queue_section
from workflows import get_workflow
from workflows import permissions as P

FOR_INFORMATION = _("Document of the Implementation Review Group, for information purposes only (ToR ¶35).")


def document_context(request, group):
    """What every page of a group says about the document it belongs to: for an executive summary, the
    review's state, year and cycle."""
    review = review_of(group)
    if review is None:
        return {"review": None, "state_name": None, "review_line": None, "cycle": None}
    return {"review": review, "state_name": state_value(request, review.state), "review_line": review_line(request, review),
            "cycle": review.__parent__.__parent__}


def summary_title(request, group):
    info = document_context(request, group)
    if info["review"] is None:
        return translate(request, group.title)
    return translate(request, _("Executive summary of the review of ${state}", mapping={"state": info["state_name"]}))


def version_rows(request, group):
    """The language versions the reader may open, with their state for those who may follow the work."""
    rows = []
    for version in group.in_order():
        if not request.has_permission(P.VIEW, version):
            continue
        state = get_workflow(version).state_of(version)
        rows.append({"version": version, "language": LANGUAGE_NAMES[version.language], "state": state.title,
                     "follow": request.has_permission(P.VIEW_HISTORY, version)})
    return rows


@view_config(context=TranslationGroup, renderer="portal:templates/translation_group.pt", permission=P.VIEW)
def group_view(context, request):
    lang = request.locale_name
    shown, fallback = context.for_reader(lang)
    if shown is not None and not request.has_permission(P.VIEW, shown):
        shown, fallback = None, False
    return {"page_title": summary_title(request, context), **document_context(request, context),
            "shown": shown, "fallback": fallback, "wanted": translate(request, LANGUAGE_TITLES[lang]),
            "original_name": translate(request, LANGUAGE_TITLES[context.original_language]),
            "rows": version_rows(request, context), "for_information": FOR_INFORMATION,
            "publication": shown.publication() if shown is not None else None, "direction": text_direction}


@view_config(context=Translation, renderer="portal:templates/translation.pt", permission=P.VIEW)
def version_view(context, request):
    group = context.__parent__
    history = list(reversed(context.workflow_history or [])) if request.has_permission(P.VIEW_HISTORY, context) else None
    return {"page_title": translate(request, _("${document} (${language})", mapping={
                "document": summary_title(request, group), "language": LANGUAGE_TITLES[context.language]})),
            **document_context(request, group), "group": group, "direction": text_direction,
            "original": group.original, "workflow": workflow_info(context, request), "history": history,
            "can_edit": request.has_permission(P.TRANSLATE, context), "for_information": FOR_INFORMATION,
            "assignee": context.assignee, "me": request.authenticated_userid,
            "publication": context.publication() if context.published else None,
            "language_name": LANGUAGE_NAMES[context.language]}


@colander.deferred
def _text_widget(node, kw):
    lang = kw["language"]
    return deform.widget.TextAreaWidget(rows=20, attributes={"lang": lang, "dir": text_direction(lang)})


@colander.deferred
def _text_validator(node, kw):
    """Not empty, not too long, and every placeholder of the original (``${name}``) kept as it is."""
    wanted = placeholders(kw["original"])

    def validate(node, value):
        colander.Length(min=1, max=MAX_TEXT)(node, value)
        missing = sorted(wanted - placeholders(value))
        if missing:
            raise colander.Invalid(node, _n(
                "Keep the placeholder of the original as it is: ${names} is missing.",
                "Keep the placeholders of the original as they are: ${names} are missing.",
                len(missing), mapping={"names": tuple(missing)}))

    return validate


class TranslationSchema(CSRFSchema):
    revision = colander.SchemaNode(colander.Int(), widget=deform.widget.HiddenWidget(), title="")
    text = colander.SchemaNode(colander.String(), title=_("Translation"), widget=_text_widget,
                               validator=_text_validator)


@view_config(context=Translation, name="edit", renderer="portal:templates/translation_edit.pt", permission=P.TRANSLATE)
def edit(context, request):
    """Side by side: the original (read-only) and the translation being written; a save based on an older
    revision than the stored one is refused, naming who saved, and the typed text comes back."""
    group = context.__parent__
    original = None if context.is_original else group.original  # the secretariat's own original: no model
    schema = TranslationSchema().bind(request=request, language=context.language,
                                      original=original.text if original is not None else "")
    form = deform.Form(schema, buttons=[button("save", _("Save"))])
    language = {"language": LANGUAGE_TITLES[context.language]}
    title = (_("Edit the original (${language})", mapping=language) if context.is_original
             else _("Translate into ${language}", mapping=language))
    page = {"page_title": translate(request, title),
            "original": original, "original_name": translate(request, LANGUAGE_TITLES[group.original_language]),
            "direction": text_direction, "error": None}
    if "save" not in request.POST:
        return {**page, "form": form.render({"revision": context.revision, "text": context.text})}
    try:
        data = form.validate(request.POST.items())
    except deform.ValidationFailure as failure:
        return {**page, "form": failure.render()}
    try:
        context.save(data["text"], request.authenticated_userid, data["revision"])
    except TranslationConflict as conflict:
        request.response.status_int = 409
        return {**page, "form": form.render({**data, "revision": context.revision}),
                "error": translate(request, _("${who} saved this translation after you opened it. Your text below is "
                                              "not saved yet: compare it with theirs, then save again.",
                                              mapping={"who": person_name(request, conflict.current.translator)})),
                "conflict": show_conflict(request, conflict.current.translator,
                                          [(translate(request, title), conflict.current.text, data["text"])])}
    flash(request, _("Saved."))
    return redirect(request.resource_url(context))


def published_summaries(request, state):
    """``[(cycle, review, group, [(lang, name)])]``: ``state``'s executive summaries published in at least one language."""
    rows = []
    for cycle in sorted(request.root["cycles"].values(), key=lambda c: -c.first_year):
        review = cycle["reviews"].get(state.iso3) if "reviews" in cycle else None
        group = review["report"].get("summary") if review is not None else None
        if group is None:
            continue
        languages = [(v.language, LANGUAGE_NAMES[v.language]) for v in group.in_order()
                     if v.published and request.has_permission(P.VIEW, v)]
        if languages:
            rows.append((cycle, review, group, languages))
    return rows


def document_groups(root):
    """Every document kept in six languages: the thematic reports and their addenda, newest first (R23),
    then the executive summaries of final reports, newest cycle first (R21)."""
    thematic = root["group"]["thematic"]
    for name in sorted(thematic.keys(), key=lambda n: -int(n) if n.isdigit() else 0):
        yield from thematic[name].documents()
    for cycle in sorted(root["cycles"].values(), key=lambda c: (-c.first_year, c.__name__)):
        for review in (cycle["reviews"].values() if "reviews" in cycle else ()):
            group = review["report"].get("summary") if review.workflow_state == "final" else None
            if group is not None:
                yield group


QUEUE_STATES = {"draft": _("To translate"), "translated": _("To review and publish")}


def awaiting_work(request, group):
    """The language versions of ``group`` not published yet that the reader may translate or publish."""
    return [v for v in group.in_order() if v.workflow_state in QUEUE_STATES and (
        request.has_permission(P.TRANSLATE, v) or request.has_permission(P.PUBLISH_TRANSLATION, v))]


@view_config(context=PortalRoot, name="translations", renderer="portal:templates/translations_queue.pt",
             permission=P.TRANSLATE)
def queue(context, request):
    """The translator's queue: per language, what awaits translation (drafts) and what awaits review and
    publication (translated), with who took it on; ``?language=xx`` shows one language."""
    request.environ["portal.no_page_cache"] = True
    wanted = request.params.get("language")
    wanted = wanted if wanted in LANGUAGE_NAMES else None
    counts = {lang: {state: 0 for state in QUEUE_STATES} for lang in LANGUAGE_NAMES}
    rows = []
    for group in document_groups(context):
        for version in awaiting_work(request, group):
            counts[version.language][version.workflow_state] += 1
            if wanted in (None, version.language):
                rows.append({"version": version, "group": group, "title": summary_title(request, group),
                             "language": LANGUAGE_NAMES[version.language], "state": version.workflow_state})
    return {"page_title": translate(request, _("Translator's queue")), "rows": rows, "counts": counts,
            "wanted": wanted, "language_names": LANGUAGE_NAMES, "queue_states": QUEUE_STATES,
            "me": request.authenticated_userid, **queue_section(request, wanted)}


@view_config(context=Translation, name="assign", request_method="POST", permission=P.TRANSLATE)
def assign(context, request):
    """The translator takes this language version on (or gives it back): the queue shows who works on what."""
    me = request.authenticated_userid
    context.assignee = None if context.assignee == me else me
    modified(context, "assignee")
    flash(request, _("You have taken this translation on.") if context.assignee else _("You have given this translation back."))
    if request.params.get("came_from") == "queue":
        return redirect(request.resource_url(request.root, "@@translations", query={"language": context.language}))
    return redirect(request.resource_url(context))

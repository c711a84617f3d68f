"""Meetings of the Implementation Review Group (ToR ¶38-40, R24): the list, recording and correcting a
meeting (the secretariat), its page (agenda, documents, participants, observers, recommendations) and the
recommendations and conclusions it adopts."""

from datetime import date

import colander
import deform
from pyramid.traversal import resource_path_tuple
from pyramid.view import view_config

from content.base import existing
from content.base import now
from content.events import modified
from content.meetings import MAX_TEXT, RECOMMENDATION_KINDS, Meeting, Recommendation, venue
from content.root import MeetingsFolder
from language.multilingual import LocalizedText
from portal.forms import (CSRFSchema, button, form_page, localized_appstruct, localized_from, localized_lines_appstruct,
                          localized_lines_from, localized_node, make_form)
from portal.i18n import _, translate
from portal.views import flash, redirect
from portal.views.helpers import alphabetical
from portal.views.translations import document_groups, summary_title
from portal.views.helpers import workflow_info
from portal.notices import tell
from workflows import permissions as P


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def document_choices(request):
    """``[(path, title)]``: the documents the secretariat may put before the Group, the thematic reports and
    addenda and the executive summaries published in at least one language."""
    choices = []
    for group in document_groups(request.root):
        if group.__parent__.type_name == "ThematicReport" or group.published_languages():
            choices.append(("/".join(resource_path_tuple(group)), summary_title(request, group)))
    return choices


@colander.deferred
def _states_widget(node, kw):
    request = kw["request"]
    parties = [s.iso3 for s in request.root["states"].values() if s.is_party("UNTOC")]
    return deform.widget.SelectWidget(values=alphabetical(request, parties), multiple=True, size=10)


@colander.deferred
def _states_validator(node, kw):
    states = kw["request"].root["states"]

    def validate(node, value):
        if not all(code in states for code in value):
            raise colander.Invalid(node, _("Choose States of the list."))
    return validate


@colander.deferred
def _documents_widget(node, kw):
    return deform.widget.SelectWidget(values=document_choices(kw["request"]), multiple=True, size=8)


@colander.deferred
def _documents_validator(node, kw):
    known = {path for path, _title in document_choices(kw["request"])}

    def validate(node, value):
        if not set(value) <= known:
            raise colander.Invalid(node, _("Choose documents of the list."))
    return validate


class MeetingSchema(CSRFSchema):
    title = localized_node("title", _("Title"), max_length=300,
                           description=_("For example: Implementation Review Group, third session."))
    year = colander.SchemaNode(colander.Int(), title=_("Year"), validator=colander.Range(2000, 2100))
    start = colander.SchemaNode(colander.Date(), title=_("First day"), missing=None,
                                widget=deform.widget.DateInputWidget(),
                                description=_("Needed once the year has passed; a future meeting may have no dates yet."))
    end = colander.SchemaNode(colander.Date(), title=_("Last day"), missing=None, widget=deform.widget.DateInputWidget())
    place = localized_node("place", _("Place"), max_length=300)
    agenda = localized_node("agenda", _("Agenda"), lines=True, rows=6, max_length=MAX_TEXT, required=False,
                            description=_("One item per line, in the same order in every language."))
    participants = colander.SchemaNode(colander.Set(), title=_("States taking part"), missing=(),
                                       widget=_states_widget, validator=_states_validator)
    observers = colander.SchemaNode(colander.String(), title=_("Admitted observers"), missing="",
                                    validator=colander.Length(max=MAX_TEXT), widget=deform.widget.TextAreaWidget(rows=3),
                                    description=_("One per line (ToR ¶38)."))
    documents = colander.SchemaNode(colander.Set(), title=_("Documents before the Group"), missing=(),
                                    widget=_documents_widget, validator=_documents_validator)

    def validator(self, node, value):
        start, end = value["start"], value["end"]
        if start is None and value["year"] < date.today().year:
            raise colander.Invalid(node["start"], _("A meeting in a past year needs its dates."))
        if start is not None and start.year != value["year"]:
            raise colander.Invalid(node["start"], _("The first day must fall in the meeting's year."))
        if end is not None and start is None:
            raise colander.Invalid(node["start"], _("Give the first day too."))
        if end is not None and end < start:
            raise colander.Invalid(node["end"], _("The last day cannot be before the first day."))


def _save(meeting, data):
    meeting.update(localized_from(data["title"], meeting.title), data["year"], data["start"], data["end"],
                   localized_from(data["place"], meeting.place), localized_lines_from(data.get("agenda", {})), sorted(data["participants"]), _lines(data["observers"]),
                   sorted(tuple(p.split("/")) for p in data["documents"]))


@view_config(context=MeetingsFolder, renderer="portal:templates/meetings.pt", permission=P.VIEW)
def meetings(context, request):
    return {"page_title": translate(request, _("Meetings of the Implementation Review Group")),
            "meetings": sorted(context.values(), key=lambda m: (m.year, m.start or date.max, m.__name__), reverse=True),
            "can_add": request.has_permission(P.EDIT, context)}


@view_config(context=MeetingsFolder, name="add", renderer="portal:templates/form.pt", permission=P.EDIT)
def add(context, request):
    form = make_form(MeetingSchema, request, buttons=[button("save", _("Save"))])

    def save(data):
        meeting = context.add(context.next_number(), Meeting(localized_from(data["title"]), data["year"],
                                                             request.authenticated_userid))
        _save(meeting, data)
        tell(request, "meeting/added", meeting, mapping={"title": meeting.title})
        flash(request, _("The meeting is recorded."))
        return redirect(request.resource_url(meeting))

    return form_page(request, form, translate(request, _("Record a meeting of the Group")), save,
                     appstruct={"place": localized_appstruct(venue()), "year": date.today().year})


@view_config(context=Meeting, name="edit", renderer="portal:templates/form.pt", permission=P.EDIT)
def edit(context, request):
    form = make_form(MeetingSchema, request, buttons=[button("save", _("Save"))])

    def save(data):
        _save(context, data)
        flash(request, _("Saved."))
        return redirect(request.resource_url(context))

    appstruct = {"title": localized_appstruct(context.title), "year": context.year, "place": localized_appstruct(context.place),
                 "agenda": localized_lines_appstruct(context.agenda), "participants": set(context.participants),
                 "observers": "\n".join(context.observers), "documents": {"/".join(p) for p in context.documents}}
    appstruct.update({k: v for k, v in (("start", context.start), ("end", context.end)) if v is not None})
    return form_page(request, form, translate(request, _("Edit the meeting")), save, appstruct=appstruct)


def _documents(request, meeting):
    """The meeting's documents the reader may open, with the languages they are published in."""
    return [(doc, summary_title(request, doc), list(doc.published_languages()))
            for doc in existing(request.root, meeting.documents) if request.has_permission(P.VIEW, doc)]


def _page(context, request, error=None):
    return {"page_title": translate(request, context.title), "documents": _documents(request, context),
            "participants": alphabetical(request, context.participants),
            "recommendations": [r for r in context.recommendations() if request.has_permission(P.VIEW, r)],
            "kinds": RECOMMENDATION_KINDS, "can_edit": request.has_permission(P.EDIT, context), "error": error}


@view_config(context=Meeting, renderer="portal:templates/meeting.pt", permission=P.VIEW)
def meeting_view(context, request):
    return _page(context, request)


@view_config(context=Meeting, name="recommend", request_method="POST", renderer="portal:templates/meeting.pt",
             permission=P.EDIT)
def recommend(context, request):
    """Record a draft recommendation or conclusion of the Group; an empty or unknown one is refused."""
    kind = request.POST.get("kind", "")
    text = request.POST.get("text", "").strip()
    if kind not in RECOMMENDATION_KINDS or not text or len(text) > MAX_TEXT:
        request.response.status_int = 400
        return _page(context, request, translate(request, _("Write the text of the recommendation or conclusion "
                                                            "(at most 5,000 characters) and choose its kind.")))
    context.add_recommendation(kind, LocalizedText(text, request.locale_name), request.authenticated_userid)
    flash(request, _("Recorded as under discussion. Mark it adopted once the Group adopts it."))
    return redirect(request.resource_url(context))


class RecommendationSchema(CSRFSchema):
    kind = colander.SchemaNode(colander.String(), title=_("Kind"), validator=colander.OneOf(list(RECOMMENDATION_KINDS)),
                               widget=deform.widget.SelectWidget(values=list(RECOMMENDATION_KINDS.items())))
    text = localized_node("text", _("Text"), textarea=True, rows=6, max_length=MAX_TEXT)


def _recommendation_title(request, item):
    return translate(request, _("${kind} ${number} of ${meeting}", mapping={
        "kind": RECOMMENDATION_KINDS[item.kind], "number": item.number, "meeting": item.meeting.title}))


@view_config(context=Recommendation, name="edit", renderer="portal:templates/form.pt", permission=P.EDIT)
def edit_recommendation(context, request):
    """Correct a recommendation or conclusion while it is under discussion (EDIT exists in that state only)."""
    form = make_form(RecommendationSchema, request, buttons=[button("save", _("Save"))])

    def save(data):
        context.kind, context.text = data["kind"], localized_from(data["text"], context.text)
        context.edited = (request.authenticated_userid, now())
        modified(context, "text")
        flash(request, _("Saved."))
        return redirect(request.resource_url(context))

    return form_page(request, form, _recommendation_title(request, context), save,
                     appstruct={"kind": context.kind, "text": localized_appstruct(context.text)})


@view_config(context=Recommendation, renderer="portal:templates/recommendation.pt", permission=P.VIEW)
def recommendation_view(context, request):
    meeting = context.meeting
    history = list(reversed(context.workflow_history or [])) if request.has_permission(P.VIEW_HISTORY, context) else None
    return {"page_title": _recommendation_title(request, context), "meeting": meeting, "history": history,
            "can_edit": request.has_permission(P.EDIT, context), "workflow": workflow_info(context, request),
            "approval": getattr(context, "approved_by", None)}

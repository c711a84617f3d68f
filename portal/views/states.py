"""The states registry pages: the list, one state's record, the secretariat's corrections and CSV imports."""


import colander
import deform
from pyramid.view import view_config

from content import reference_data
from content.states import (
    CONSENT_TYPES,
    INSTRUMENT_SHORT,
    INSTRUMENTS,
    KINDS,
    LEGAL_SYSTEMS,
    PARTICIPATION_FIELDS,
    REGIONAL_GROUPS,
    STATUSES,
    State,
    StatesFolder,
)
from portal.forms import CSRFSchema, button
from portal.i18n import LANGUAGE_NAMES, LANGUAGE_TITLES, LANGUAGES, _, _n, text_direction, translate
from portal.views import flash, redirect
from portal.views.helpers import sort_key
from workflows import permissions as P
from portal.views.access_requests import request_links
from portal.views.publication import published_parts
from portal.views.translations import FOR_INFORMATION, published_summaries
from portal.views.country_profile import review_rows

DATE_RE = r"^(\d{4}-\d{2}-\d{2})?$"


def _choices(mapping, empty=False):
    values = [(k, v) for k, v in mapping.items()]
    return ([("", "—")] if empty else []) + values


def _date_node(title):
    return colander.SchemaNode(
        colander.String(), title=title, missing="",
        validator=colander.Regex(DATE_RE, msg=_("Write the date as YYYY-MM-DD, for example 2003-09-29.")),
        widget=deform.widget.TextInputWidget(attributes={"placeholder": "YYYY-MM-DD", "dir": "ltr"}),
    )


class ParticipationSchema(colander.Schema):
    status = colander.SchemaNode(colander.String(), title=_("Status", context="treaty"), widget=deform.widget.SelectWidget(values=_choices(STATUSES)),
                                 validator=colander.OneOf(list(STATUSES)))
    signature_date = _date_node(_("Signature"))
    consent_date = _date_node(_("Consent to be bound"))
    consent_type = colander.SchemaNode(colander.String(), title=_("Type of consent"), missing="",
                                       widget=deform.widget.SelectWidget(values=_choices(CONSENT_TYPES, empty=True)),
                                       validator=colander.OneOf([""] + list(CONSENT_TYPES)))


def state_schema():
    """The edit form: names in the six languages, group, legal system, and each instrument's status."""
    schema = CSRFSchema()
    for lang in LANGUAGES:
        schema.add(colander.SchemaNode(
            colander.String(), name=f"name_{lang}", title=_("Name in ${language}", mapping={"language": LANGUAGE_TITLES[lang]}),
            validator=colander.Length(min=1, max=reference_data.MAX_NAME_LENGTH), missing="" if lang != "en" else colander.required,
            description=_("The short name as UN terminology writes it, with its article in parentheses: “Bénin (le)”."),
            widget=deform.widget.TextInputWidget(attributes={"lang": lang, "dir": text_direction(lang)}),
        ))
    for lang in LANGUAGES:
        schema.add(colander.SchemaNode(
            colander.String(), name=f"formal_{lang}", missing="",
            title=_("Formal name in ${language}", mapping={"language": LANGUAGE_TITLES[lang]}),
            validator=colander.Length(max=reference_data.MAX_NAME_LENGTH),
            widget=deform.widget.TextInputWidget(attributes={"lang": lang, "dir": text_direction(lang)}),
        ))
    schema.add(colander.SchemaNode(colander.String(), name="iso2", title=_("Two-letter code"), missing="",
                                   validator=colander.Regex(r"^([A-Z]{2})?$", msg=_("Two capital letters, or empty."))))
    schema.add(colander.SchemaNode(colander.Boolean(), name="un_member", title=_("Member of the United Nations"), missing=False))
    schema.add(colander.SchemaNode(colander.String(), name="kind", title=_("Kind", context="entity"), widget=deform.widget.SelectWidget(values=_choices(KINDS)),
                                   validator=colander.OneOf(list(KINDS))))
    schema.add(colander.SchemaNode(colander.String(), name="regional_group", title=_("Regional group"), missing="",
                                   widget=deform.widget.SelectWidget(values=_choices(REGIONAL_GROUPS, empty=True)),
                                   validator=colander.OneOf([""] + list(REGIONAL_GROUPS))))
    schema.add(colander.SchemaNode(colander.String(), name="legal_system", title=_("Legal system"), missing="",
                                   widget=deform.widget.SelectWidget(values=_choices(LEGAL_SYSTEMS, empty=True)),
                                   validator=colander.OneOf([""] + list(LEGAL_SYSTEMS))))
    # The shipped details are the World Factbook's English (content/data/SOURCES.md); they are kept in English.
    schema.add(colander.SchemaNode(colander.String(), name="legal_system_detail", title=_("Legal system, details"), missing="",
                                   description=_("In English, as the source of the shipped data writes it."),
                                   widget=deform.widget.TextAreaWidget(rows=3, attributes={"lang": "en", "dir": "ltr"}),
                                   validator=colander.Length(max=reference_data.MAX_DETAIL_LENGTH)))
    for code in INSTRUMENTS:
        schema.add(ParticipationSchema(name=code, title=INSTRUMENT_SHORT[code]))
    return schema


def state_appstruct(state):
    data = {field: state.get_field(field) for field in [f"{kind}_{lang}" for kind in ("name", "formal") for lang in LANGUAGES]}
    data.update({f: state.get_field(f) for f in ("iso2", "un_member", "kind", "regional_group", "legal_system", "legal_system_detail")})
    for code in INSTRUMENTS:
        data[code] = {p: state.get_field(f"{code}_{p}") for p in PARTICIPATION_FIELDS}
    return data


def flatten(appstruct):
    flat = {}
    for key, value in appstruct.items():
        if key == "csrf_token":
            continue
        if key in INSTRUMENTS:
            flat.update({f"{key}_{p}": v for p, v in value.items()})
        else:
            flat[key] = value
    return flat


@view_config(context=StatesFolder, renderer="portal:templates/states.pt", permission=P.VIEW)
def states_list(context, request):
    """The States by regional group, alphabetically (R22); filtered by a part of the name (in the page's
    language or any other, or the code), a group, and being party to an instrument (issue 22 §4)."""
    lang = request.locale_name
    words = " ".join(request.params.get("q", "").split())[:100]
    chosen_group = request.params.get("group", "")
    instrument = request.params.get("instrument", "")
    chosen_group = chosen_group if chosen_group in REGIONAL_GROUPS else ""
    instrument = instrument if instrument in INSTRUMENTS else ""

    def wanted(state):
        names = [state.iso3, *(state.name(code) for code in LANGUAGES)]
        return ((not words or any(words.casefold() in name.casefold() for name in names))
                and (not instrument or state.is_party(instrument)))

    groups = context.by_group()
    ordered = []
    key_of = sort_key(request)
    for key in list(REGIONAL_GROUPS) + [""]:
        if chosen_group and key != chosen_group:
            continue
        members = sorted((s for s in groups.get(key, []) if wanted(s)), key=lambda s: key_of(s.name(lang)))
        if members:
            title = REGIONAL_GROUPS.get(key, _("Not in a regional group"))
            ordered.append((translate(request, title), members))
    return {
        "page_title": translate(request, context.title),
        "groups": ordered,
        "shown": sum(len(members) for _title, members in ordered),
        "filters": {"q": words, "group": chosen_group, "instrument": instrument},
        "filtered": bool(words or chosen_group or instrument),
        "group_titles": REGIONAL_GROUPS,
        "instruments": INSTRUMENTS,
        "instrument_short": INSTRUMENT_SHORT,
        "statuses": STATUSES,
        "can_edit": request.has_permission(P.EDIT_STATES, context),
    }


@view_config(context=State, renderer="portal:templates/state.pt", permission=P.VIEW)
def state_view(context, request):
    # Imported here: those modules import this one (sort_key) through portal.views.cycles.

    return {
        "page_title": context.name(request.locale_name),
        "languages": LANGUAGES,
        "language_names": LANGUAGE_NAMES, "layout_dir": text_direction,
        "instruments": INSTRUMENTS,
        "instrument_short": INSTRUMENT_SHORT,
        "statuses": STATUSES,
        "consent_types": CONSENT_TYPES,
        "group_title": REGIONAL_GROUPS.get(context.regional_group, _("Not in a regional group")),
        "legal_title": LEGAL_SYSTEMS.get(context.legal_system, _("Not classified")),
        "kind_title": KINDS.get(context.kind, context.kind),
        "can_edit": request.has_permission(P.EDIT_STATES, context),
        "changes": list(reversed(context.changes)) if request.has_permission(P.VIEW_HISTORY, context) else None,
        "published": published_parts(request, context),
        "summaries": published_summaries(request, context),
        "for_information": FOR_INFORMATION,
        "access_links": request_links(request, context),
        "reviews": review_rows(request, context),
    }


@view_config(context=State, name="edit", renderer="portal:templates/form.pt", permission=P.EDIT_STATES)
def state_edit(context, request):
    schema = state_schema().bind(request=request)
    form = deform.Form(schema, buttons=[button("save", _("Save"))])
    title = translate(request, _("Correct the record of ${name}", mapping={"name": context.name(request.locale_name)}))
    if "save" in request.POST:
        try:
            appstruct = form.validate(request.POST.items())
        except deform.ValidationFailure as failure:
            return {"page_title": title, "form": failure.render()}
        changed = [c for field, value in flatten(appstruct).items()
                   if (c := context.set_field(field, value, request.authenticated_userid, "form")) is not None]
        flash(request, _n("${count} field changed.", "${count} fields changed.", len(changed)))
        return redirect(request.resource_url(context))
    return {"page_title": title, "form": form.render(state_appstruct(context))}


@view_config(context=StatesFolder, name="import", renderer="portal:templates/import.pt", permission=P.EDIT_STATES)
def states_import(context, request):
    page_title = translate(request, _("Import a correction of the states registry (CSV)"))
    errors, changes = [], None
    if request.method == "POST":
        upload = request.POST.get("file")
        if upload is None or not hasattr(upload, "file"):
            errors = [_("Choose a CSV file to import.")]
        else:
            data = upload.file.read(reference_data.MAX_IMPORT_BYTES + 1)
            source = "import:" + (upload.filename or "upload.csv")[:100]
            result = reference_data.import_bytes(context, data, request.authenticated_userid, source)
            errors = result.errors[:50]
            if not errors:
                changes = result.changes
                flash(request, _n("Import done: ${count} field changed.", "Import done: ${count} fields changed.",
                                    len(changes)))
        if errors:
            request.response.status_int = 400
    return {
        "page_title": page_title,
        "errors": [translate(request, e) for e in errors],
        "changes": changes,
    }

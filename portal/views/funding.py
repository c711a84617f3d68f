"""Voluntary contributions (ToR ¶49, ¶51-¶55): the secretariat's list, forms for pledges, contributions and
expenditures, each record's page, the report per cycle and per donor (HTML, CSV, JSON) and a donor State's own list.
Who sees what is the ACL's alone (content/funding.py): every view declares its permission."""

import csv
import io

import colander
import deform
from pyramid.response import Response
from pyramid.view import view_config

from content.funding import (CURRENCIES, FIGURES, KINDS, PURPOSES, Expenditure, FundingError, FundingFolder,
                             FundingRecord, add_expenditure, add_record, check_expenditure, check_record,
                             edit_expenditure, edit_record, plain, target)
from content.funding_totals import review_costs, select, totals
from portal.forms import CSRFSchema, button, make_form
from portal.i18n import _, format_money, translate
from portal.views import flash, redirect
from portal.views.helpers import alphabetical, review_line, sort_key, state_name, title_in
from workflows import permissions as P

FIELD_TITLES = {
    "donor_state": _("Donor State"), "donor_name": _("Other donor"), "amount": _("Amount"),
    "currency": _("Currency"), "date": _("Date"), "purpose": _("Purpose"), "earmark": _("Earmarked for"),
    "pledge": _("Fulfils pledge"), "note": _("Note"), "contribution": _("Charged to contribution"),
    "paid_for": _("Paid for"), "paid_for_text": _("Paid for (other)"), "description": _("Description"),
}
FIGURE_TITLES = {"pledged": _("Pledged"), "received": _("Received"), "spent": _("Spent"),
                 "balance": _("Unspent balance")}


def money(request, amount, currency):
    """An amount with its currency in the page language (``25 000,00 €``); amounts are never added across
    currencies, so each is shown with its own."""
    return format_money(amount, currency, request.locale_name or "en")


def donor_label(request, iso3, name):
    return state_name(request, iso3) if iso3 else name


def key_label(request, key):
    """What an earmark or "paid for" key names, in the page language ("" for none)."""
    resource = target(request.root, key)
    if resource is None:
        return key or ""
    kind = key.partition(":")[0]
    if kind == "cycle":
        return title_in(request, resource)
    if kind == "review":
        return review_line(request, resource)
    return translate(request, _("Training course: ${title}", mapping={"title": title_in(request, resource)}))


def _cycles(request):
    return sorted(request.root["cycles"].values(), key=lambda c: (c.first_year, c.__name__))


def key_choices(request, kinds):
    """``[(key, label)]`` of the cycles, country reviews and courses (of ``kinds``) a record may name."""
    choices = [("", "—")]
    by_name = sort_key(request)
    for cycle in _cycles(request):
        if "cycle" in kinds:
            choices.append((f"cycle:{cycle.__name__}", title_in(request, cycle)))
        reviews = cycle.get("reviews")
        if "review" in kinds and reviews is not None:
            rows = [(f"review:{cycle.__name__}/{r.state}", review_line(request, r)) for r in reviews.values()]
            choices += sorted(rows, key=lambda row: by_name(row[1]))
    if "course" in kinds and "trainings" in request.root:
        courses = sorted(request.root["trainings"].values(), key=lambda c: (c.start, c.__name__))
        choices += [(f"course:{c.__name__}", key_label(request, f"course:{c.__name__}")) for c in courses]
    return choices


def record_line(request, record):
    """"Contribution 3: Norway, 250 000,00 €" for lists and choices."""
    return translate(request, _("${title}: ${donor}, ${amount}", mapping={
        "title": translate(request, record.title), "donor": donor_label(request, record.donor_state, record.donor_name),
        "amount": money(request, record.amount, record.currency)}))


# -- forms --------------------------------------------------------------------------------------------------------

def _select(values):
    return deform.widget.SelectWidget(values=values)


@colander.deferred
def _states_widget(node, kw):
    request = kw["request"]
    return _select([("", "—")] + alphabetical(request, list(request.root["states"].keys())))


@colander.deferred
def _currency_widget(node, kw):
    return _select([(c, c) for c in CURRENCIES])


@colander.deferred
def _purpose_widget(node, kw):
    return _select([(k, translate(kw["request"], v)) for k, v in PURPOSES.items()])


@colander.deferred
def _earmark_widget(node, kw):
    return _select(key_choices(kw["request"], ("cycle", "review", "course")))


@colander.deferred
def _paid_for_widget(node, kw):
    return _select(key_choices(kw["request"], ("review", "course")))


@colander.deferred
def _pledge_widget(node, kw):
    request = kw["request"]
    return _select([("", "—")] + [(r.__name__, record_line(request, r)) for r in kw["folder"].records("pledge")])


@colander.deferred
def _contribution_widget(node, kw):
    request, folder = kw["request"], kw["folder"]
    return _select([("", "—")] + [(r.__name__, translate(request, _("${record} (unspent: ${balance})", mapping={
        "record": record_line(request, r), "balance": money(request, folder.balance(r), r.currency)})))
        for r in folder.records("contribution")])


def _text(title, widget=None, description=None):
    return colander.SchemaNode(colander.String(), title=title, missing="", widget=widget, description=description)


def _checked(node, check):
    """Run a content check (content/funding.py) on a form's values; its FundingError becomes its field's error."""
    try:
        return check()
    except FundingError as error:
        field = error.field if error.field in node else "amount"
        exc = colander.Invalid(node)
        exc.add(colander.Invalid(node[field], error.message), node.children.index(node[field]))
        raise exc


def _values(data):
    """A form's data as the content's checks take it (the date widget's field is ``day``)."""
    return {**data, "date": data.get("day")}


class _Money(CSRFSchema):
    """What every funding form shares; the hidden revision answers a change made meanwhile with 409."""

    revision = colander.SchemaNode(colander.Integer(), widget=deform.widget.HiddenWidget(), title="", missing=0)
    amount = colander.SchemaNode(colander.String(), title=FIELD_TITLES["amount"],
                                 description=_("For example: 25000.50 (a point before the decimals)."))
    currency = colander.SchemaNode(colander.String(), title=FIELD_TITLES["currency"], widget=_currency_widget)
    day = colander.SchemaNode(colander.Date(), title=FIELD_TITLES["date"], widget=deform.widget.DateInputWidget())
    purpose = colander.SchemaNode(colander.String(), title=FIELD_TITLES["purpose"], widget=_purpose_widget)


class PledgeSchema(_Money):
    kind = "pledge"
    donor_state = _text(FIELD_TITLES["donor_state"], _states_widget)
    donor_name = _text(FIELD_TITLES["donor_name"], description=_(
        "Only for a donor that is not a State, such as an organization or a foundation."))
    earmark = _text(FIELD_TITLES["earmark"], _earmark_widget, _(
        "A cycle, a country review or a training course; none for a contribution to the mechanism as a whole."))
    note = _text(FIELD_TITLES["note"], deform.widget.TextAreaWidget(rows=3))

    def validator(self, node, value):
        request = self.bindings["request"]
        _checked(node, lambda: check_record(request.root, self.bindings["folder"], self.kind, _values(value),
                                            self.bindings.get("current")))


class ContributionSchema(PledgeSchema):
    kind = "contribution"
    pledge = _text(FIELD_TITLES["pledge"], _pledge_widget)


class ExpenditureSchema(_Money):
    contribution = colander.SchemaNode(colander.String(), title=FIELD_TITLES["contribution"], missing="",
                                       widget=_contribution_widget)
    paid_for = _text(FIELD_TITLES["paid_for"], _paid_for_widget, _("The country review or the training course it paid "
                                                                   "for, if any."))
    paid_for_text = _text(FIELD_TITLES["paid_for_text"], description=_(
        "Anything else, such as: interpretation into Portuguese for the country visit."))
    description = _text(FIELD_TITLES["description"], deform.widget.TextAreaWidget(rows=3))

    def validator(self, node, value):
        request = self.bindings["request"]
        _checked(node, lambda: check_expenditure(request.root, self.bindings["folder"], _values(value),
                                                 self.bindings.get("current")))


SCHEMAS = {"pledge": PledgeSchema, "contribution": ContributionSchema}


def _form_page(request, schema, folder, title, save, appstruct, current=None, intro=None):
    """Show the form; on save, validate (content checks included) and ``save(data)``. A record changed by someone
    else since the form was opened answers 409 with what was typed, to check and save again."""
    form = make_form(schema, request, buttons=[button("save", _("Save"))], folder=folder, current=current)
    page = {"page_title": title, "intro": intro}
    if "save" not in request.POST:
        return {**page, "form": form.render(appstruct)}
    try:
        data = form.validate(request.POST.items())
    except deform.ValidationFailure as failure:
        return {**page, "form": failure.render()}
    if current is not None and data["revision"] != current.revision():
        request.response.status_int = 409
        who = current.history[-1]["who"] if current.history else ""
        return {**page, "form": form.render({**data, "revision": current.revision()}),
                "error": translate(request, _("${who} changed this record after you opened it. What you typed is "
                                              "below, not saved yet: check it against the record, then save again.",
                                              mapping={"who": who}))}
    return save(_values(data))


# -- the secretariat's list and forms -------------------------------------------------------------------------------

def _row(request, entry):
    """A line of a list: the donor (another donor's name in the language of its record: ``donor_lang``), what it
    is earmarked for or paid for (in the page's language), and free text in the record's (``text``)."""
    if isinstance(entry, FundingRecord):
        donor_of, what, text = entry, key_label(request, entry.earmark), ""
    else:
        donor_of = entry.__parent__.contribution(entry.contribution)
        what, text = key_label(request, entry.paid_for), entry.paid_for_text
    donor = donor_label(request, donor_of.donor_state, donor_of.donor_name) if donor_of is not None else ""
    other = donor_of is not None and not donor_of.donor_state
    return {"entry": entry, "donor": donor, "donor_lang": donor_of.written_in if other else None,
            "amount": money(request, entry.amount, entry.currency), "purpose": PURPOSES[entry.purpose],
            "what": what, "text": text}


@view_config(context=FundingFolder, renderer="portal:templates/funding.pt", permission=P.VIEW)
def funding_list(context, request):
    request.environ["portal.no_page_cache"] = True
    return {"page_title": translate(request, context.title),
            "pledges": [_row(request, r) for r in context.records("pledge")],
            "contributions": [_row(request, r) for r in context.records("contribution")],
            "expenditures": [_row(request, e) for e in context.expenditures()],
            "can_edit": request.has_permission(P.MANAGE_FUNDING, context)}


def _add(context, request, kind):
    titles = {"pledge": _("Record a pledge"), "contribution": _("Record a contribution"),
              "expenditure": _("Record an expenditure")}

    def save(data):
        if kind == "expenditure":
            entry = add_expenditure(request.root, context, data, request.authenticated_userid, request.locale_name)
        else:
            entry = add_record(request.root, context, kind, data, request.authenticated_userid, request.locale_name)
        flash(request, _("Recorded."))
        return redirect(request.resource_url(entry))

    appstruct = {"currency": "USD", "purpose": "general", "revision": 0}
    if kind == "expenditure":
        contribution = context.contribution(request.GET.get("contribution"))
        if contribution is not None:
            appstruct.update(contribution=contribution.__name__, currency=contribution.currency,
                             purpose=contribution.purpose)
    schema = ExpenditureSchema if kind == "expenditure" else SCHEMAS[kind]
    return _form_page(request, schema, context, translate(request, titles[kind]), save, appstruct,
                      intro=translate(request, _("Amounts are kept in the currency given and never added across "
                                                 "currencies. Only the secretariat sees them; a donor State's focal "
                                                 "point reads its own records.")))


@view_config(context=FundingFolder, name="add-pledge", renderer="portal:templates/form.pt",
             permission=P.MANAGE_FUNDING)
def add_pledge(context, request):
    return _add(context, request, "pledge")


@view_config(context=FundingFolder, name="add-contribution", renderer="portal:templates/form.pt",
             permission=P.MANAGE_FUNDING)
def add_contribution(context, request):
    return _add(context, request, "contribution")


@view_config(context=FundingFolder, name="add-expenditure", renderer="portal:templates/form.pt",
             permission=P.MANAGE_FUNDING)
def add_expenditure_view(context, request):
    return _add(context, request, "expenditure")


def _appstruct(entry):
    values = {k: ("" if v is None else v) for k, v in entry.field_values().items()}
    return {**values, "day": entry.date, "revision": entry.revision()}


def _edit_page(context, request, schema, edit):
    """Change a record or an expenditure with ``edit`` (its content check and change, ``content/funding.py``)."""
    def save(data):
        changed = edit(request.root, context, data, request.authenticated_userid)
        flash(request, _("Saved.") if changed else _("Nothing changed."))
        return redirect(request.resource_url(context))

    return _form_page(request, schema, context.__parent__, translate(request, context.title), save,
                      _appstruct(context), current=context)


@view_config(context=FundingRecord, name="edit", renderer="portal:templates/form.pt", permission=P.MANAGE_FUNDING)
def edit_record_view(context, request):
    return _edit_page(context, request, SCHEMAS[context.kind], edit_record)


@view_config(context=Expenditure, name="edit", renderer="portal:templates/form.pt", permission=P.MANAGE_FUNDING)
def edit_expenditure_view(context, request):
    return _edit_page(context, request, ExpenditureSchema, edit_expenditure)


# -- a record's page ----------------------------------------------------------------------------------------------

def _history(request, entry):
    rows = []
    for h in reversed(entry.history):
        changes = [(FIELD_TITLES.get(f, f), old, new) for f, (old, new) in sorted(h["changes"].items())]
        rows.append({"who": h["who"], "when": h["when"], "changes": changes})
    return rows


def _link(request, key):
    """``(label, url or None)`` of an earmark or "paid for": a link only where the reader may open it."""
    resource = target(request.root, key)
    url = request.resource_url(resource) if resource is not None and request.has_permission(P.VIEW, resource) else None
    return key_label(request, key), url


@view_config(context=FundingRecord, renderer="portal:templates/funding_record.pt", permission=P.VIEW)
def record_view(context, request):
    request.environ["portal.no_page_cache"] = True
    folder = context.__parent__
    page = {"page_title": translate(request, context.title), "kind": KINDS[context.kind],
            "donor": donor_label(request, context.donor_state, context.donor_name),
            "donor_lang": None if context.donor_state else context.written_in,
            "amount": money(request, context.amount, context.currency), "purpose": PURPOSES[context.purpose],
            "earmark": _link(request, context.earmark) if context.earmark else None,
            "history": _history(request, context), "can_edit": request.has_permission(P.MANAGE_FUNDING, context),
            "pledge": None, "expenditures": [], "fulfilled_by": [], "figures": []}
    if context.kind == "contribution":
        pledge = folder.pledge(context.pledge)
        if pledge is not None and request.has_permission(P.VIEW, pledge):
            page["pledge"] = (record_line(request, pledge), request.resource_url(pledge))
        page["expenditures"] = [_row(request, e) for e in folder.charged_to(context) if request.has_permission(P.VIEW, e)]
        page["figures"] = [(_("Spent"), money(request, folder.spent(context), context.currency)),
                           (_("Unspent balance"), money(request, folder.balance(context), context.currency))]
    else:
        paid = [r for r in folder.records("contribution") if r.pledge == context.__name__]
        page["fulfilled_by"] = [(record_line(request, r), request.resource_url(r)) for r in paid
                                if request.has_permission(P.VIEW, r)]
        received = sum((r.amount for r in paid), context.amount * 0)
        page["figures"] = [(_("Received against this pledge"), money(request, received, context.currency)),
                           (_("Still to be received"), money(request, max(context.amount - received, received * 0),
                                                             context.currency))]
    return page


@view_config(context=Expenditure, renderer="portal:templates/funding_record.pt", permission=P.VIEW)
def expenditure_view(context, request):
    request.environ["portal.no_page_cache"] = True
    contribution = context.__parent__.contribution(context.contribution)
    charged = None
    if contribution is not None and request.has_permission(P.VIEW, contribution):
        charged = (record_line(request, contribution), request.resource_url(contribution))
    return {"page_title": translate(request, context.title), "kind": Expenditure.type_title, "donor": None,
            "donor_lang": None,
            "amount": money(request, context.amount, context.currency), "purpose": PURPOSES[context.purpose],
            "earmark": None, "paid_for": _link(request, context.paid_for) if context.paid_for else None,
            "charged": charged, "history": _history(request, context),
            "can_edit": request.has_permission(P.MANAGE_FUNDING, context),
            "pledge": None, "expenditures": [], "fulfilled_by": [], "figures": []}


# -- a donor State's own records --------------------------------------------------------------------------------------

@view_config(context=FundingFolder, name="mine", renderer="portal:templates/funding_mine.pt",
             permission=P.VIEW_OWN_FUNDING)
def mine(context, request):
    """The records the reader may open (a donor State's focal point: its own), with the expenditures charged."""
    request.environ["portal.no_page_cache"] = True
    rows = []
    for record in context.records():
        if request.has_permission(P.VIEW, record):
            spent = [_row(request, e) for e in context.charged_to(record) if request.has_permission(P.VIEW, e)]
            rows.append({**_row(request, record), "expenditures": spent})
    return {"page_title": translate(request, _("Our voluntary contributions")), "rows": rows}


# -- the report per cycle and per donor -------------------------------------------------------------------------------

def _figures(request, per_currency):
    """``[(currency, {figure: text})]`` of Decimal figures, in currency order."""
    return [(c, {f: plain(v[f], c) for f in FIGURES}) for c, v in sorted(per_currency.items())]


def report_data(request, folder):
    """The report's figures for ``?cycle=`` and ``?donor=`` (each optional), as plain text amounts."""
    root = request.root
    cycle = request.GET.get("cycle") or None
    donor = request.GET.get("donor") or None
    if cycle is not None and cycle not in root["cycles"]:
        cycle = None
    records, expenditures = select(root, folder, cycle=cycle, donor=donor)
    found = totals(folder, records, expenditures)
    donors, languages = {}, {r.donor_key(): r.written_in for r in folder.records()}
    for r in records:
        donors.setdefault(r.donor_key(), (r.donor_state, r.donor_name))
    contribution_donor = {r.__name__: r.donor_key() for r in folder.records("contribution")}
    for e in expenditures:
        record = folder.contribution(e.contribution)
        donors.setdefault(contribution_donor.get(e.contribution), (record.donor_state, record.donor_name))
    by_name = sort_key(request)
    donor_rows = []
    for key, (iso3, name) in sorted(donors.items(), key=lambda kv: by_name(donor_label(request, *kv[1]))):
        mine_r = [r for r in records if r.donor_key() == key]
        mine_e = [e for e in expenditures if contribution_donor.get(e.contribution) == key]
        for currency, figures in _figures(request, totals(folder, mine_r, mine_e)["currencies"]):
            donor_rows.append({"donor": key, "name": donor_label(request, iso3, name), "currency": currency, **figures,
                               "name_lang": None if iso3 else languages.get(key, "en")})
    costs = []
    for key, per in sorted(review_costs(folder, expenditures).items(), key=lambda kv: by_name(key_label(request, kv[0]))):
        for currency, amount in sorted(per.items()):
            costs.append({"review": key, "title": key_label(request, key), "currency": currency, "cost": plain(amount, currency)})
    return {
        "cycle": cycle, "donor": donor,
        "currencies": [{"currency": c, **f} for c, f in _figures(request, found["currencies"])],
        "purposes": [{"purpose": p, "title": translate(request, PURPOSES[p]), "currency": c, **f}
                     for p in PURPOSES for c, f in _figures(request, found["purposes"].get(p, {}))],
        "donors": donor_rows, "review_costs": costs,
    }


def _donor_choices(request, folder):
    """``[(key, name, language of the name or None)]`` of every donor, in alphabetical order."""
    seen = {}
    for r in folder.records():
        seen.setdefault(r.donor_key(), (donor_label(request, r.donor_state, r.donor_name),
                                        None if r.donor_state else r.written_in))
    by_name = sort_key(request)
    return sorted(((k, name, lang) for k, (name, lang) in seen.items()), key=lambda row: by_name(row[1]))


@view_config(context=FundingFolder, name="report", renderer="portal:templates/funding_report.pt", permission=P.VIEW)
def report(context, request):
    request.environ["portal.no_page_cache"] = True
    data = report_data(request, context)
    query = {k: v for k, v in (("cycle", data["cycle"]), ("donor", data["donor"])) if v}
    return {"page_title": translate(request, _("Voluntary contributions: report")), "data": data,
            "cycles": [(c.__name__, title_in(request, c)) for c in _cycles(request)],
            "donor_choices": _donor_choices(request, context), "figure_titles": FIGURE_TITLES,
            "show": lambda amount, currency: money(request, amount, currency),
            "csv_url": request.resource_url(context, "@@report.csv", query=query),
            "json_url": request.resource_url(context, "@@report.json", query=query)}


@view_config(context=FundingFolder, name="report.json", renderer="json", permission=P.VIEW)
def report_json(context, request):
    request.environ["portal.no_page_cache"] = True
    return report_data(request, context)


def _cell(value):
    """A CSV cell that a spreadsheet will not run as a formula."""
    value = str(value if value is not None else "")
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@view_config(context=FundingFolder, name="report.csv", permission=P.VIEW)
def report_csv(context, request):
    """The report as CSV (UTF-8 with BOM for spreadsheets): one line per figure set, per currency."""
    data = report_data(request, context)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "name", "currency", *FIGURES])
    for row in data["currencies"]:
        writer.writerow([_cell(v) for v in ("total", "", "", row["currency"], *(row[f] for f in FIGURES))])
    for row in data["purposes"]:
        writer.writerow([_cell(v) for v in ("purpose", row["purpose"], row["title"], row["currency"],
                                             *(row[f] for f in FIGURES))])
    for row in data["donors"]:
        writer.writerow([_cell(v) for v in ("donor", row["donor"], row["name"], row["currency"],
                                             *(row[f] for f in FIGURES))])
    for row in data["review_costs"]:
        writer.writerow([_cell(v) for v in ("review-cost", row["review"], row["title"], row["currency"],
                                             "", "", row["cost"], "")])
    response = Response(body=("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv", charset="utf-8")
    response.content_disposition = 'attachment; filename="voluntary-contributions.csv"'
    response.cache_control = "private, no-store"
    return response

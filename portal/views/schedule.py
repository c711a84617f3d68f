"""The schedule of a country review (ToR ¶24, docs/schedule.md): ``@@schedule`` shows the dates in force, the
proposal awaiting agreement and every proposal and agreement; the secretariat and the State under review's focal
point propose and agree there, the reviewing States' focal points comment."""

import colander
import deform
from pyramid.view import view_config

from content.events import modified
from content.milestones import MILESTONES, SECRETARIAT, STAGE_CHAIN, StaleProposal, agree, agreement, comment_on
from content.milestones import current_proposal, dates_of, history, pending_proposal, propose, status, timeline
from content.reviews import CountryReview
from portal.forms import CSRFSchema, button, make_form
from portal.i18n import _, translate
from portal.notices import tell
from portal.views import flash, redirect, user_state
from portal.views.conflicts import person_name
from portal.views.helpers import state_name, state_value
from portal.views.reviews import STATUS_TITLES
from workflows import permissions as P

MAX_COMMENT = 2000
STATUS_NOTES = {
    "proposed": _("Proposed, not yet agreed: the secretariat's proposal applies until the State under review "
                  "agrees to it, or to other dates."),
    "agreed": _("Agreed with the State under review: the review's deadlines follow these dates."),
    "renegotiating": _("Agreed with the State under review; new dates are proposed and apply only once agreed."),
    "closed": _("The review is final: its schedule is kept as a record."),
}


def _comment_node(required):
    return colander.SchemaNode(
        colander.String(), name="comment", title=_("Comment") if not required else _("Why these dates"),
        missing=colander.required if required else "", missing_msg=_("Say why you propose these dates."),
        validator=colander.All(colander.Length(max=MAX_COMMENT), _not_blank) if required
        else colander.Length(max=MAX_COMMENT),
        widget=deform.widget.TextAreaWidget(rows=3))


def _not_blank(node, value):
    if not value.strip():
        raise colander.Invalid(node, _("Say why you propose these dates."))


class ProposeSchema(CSRFSchema):
    """A full set of dates, one per stage, and why; ``base``: the proposal the proposer saw."""

    base = colander.SchemaNode(colander.Integer(), widget=deform.widget.HiddenWidget(), title="")

    def after_bind(self, node, kw):
        for key, (title, _days) in MILESTONES.items():
            node.add(colander.SchemaNode(colander.Date(), name=key, title=title,
                                         widget=deform.widget.DateInputWidget()))
        node.add(_comment_node(required=True))

    def validator(self, node, value):
        if value["review"] < max(v for k, v in value.items() if k in MILESTONES and k != "review"):
            raise colander.Invalid(node["review"], _("The review cannot be completed before its other milestones."))
        for previous, key in zip(STAGE_CHAIN, STAGE_CHAIN[1:]):
            if value[key] < value[previous]:
                raise colander.Invalid(node[key], _("${milestone} cannot fall due before ${previous}.", mapping={
                    "milestone": MILESTONES[key][0], "previous": MILESTONES[previous][0]}))
        current = current_proposal(self.bindings["review"])
        if current is not None and dates_of(current) == {k: value[k] for k in MILESTONES}:
            raise colander.Invalid(node, _("These are the dates proposed now: agree to them, or change at least one "
                                           "date."))


class AgreeSchema(CSRFSchema):
    proposal = colander.SchemaNode(colander.Integer(), widget=deform.widget.HiddenWidget(), title="")

    def after_bind(self, node, kw):
        node.add(_comment_node(required=False))


class CommentSchema(CSRFSchema):
    text = colander.SchemaNode(colander.String(), title=_("Comment on the schedule"),
                               validator=colander.Length(min=1, max=MAX_COMMENT, min_err=_("Write a comment.")),
                               widget=deform.widget.TextAreaWidget(rows=3))


def _forms(context, request):
    """The forms the reader may use, by name."""
    forms = {}
    for name, schema, permission, view, title in (
            ("propose", ProposeSchema, P.PROPOSE_SCHEDULE, "@@propose-schedule", _("Propose these dates")),
            ("agree", AgreeSchema, P.AGREE_SCHEDULE, "@@agree-schedule", _("Agree to the proposed dates")),
            ("comment", CommentSchema, P.COMMENT_SCHEDULE, "@@comment-schedule", _("Send the comment"))):
        if request.has_permission(permission, context):
            form = make_form(schema, request, buttons=[button(name, title)], review=context)
            form.formid, form.action = f"schedule-{name}", request.resource_url(context, view)
            forms[name] = form
    return forms


def _appstructs(context):
    current, pending = current_proposal(context), pending_proposal(context)
    dates = dates_of(current) if current is not None else dict(getattr(context, "milestones", None) or {})
    return {"propose": {**dates, "base": current["number"] if current else 0},
            "agree": {"proposal": pending["number"]} if pending else {}, "comment": {}}


def side_title(request, side):
    """Who a history entry speaks for: the secretariat, or a State by name."""
    return translate(request, _("Secretariat")) if side == SECRETARIAT else state_name(request, side)


def _side(context, request):
    """The side the reader proposes or agrees for: the State under review's focal point, else the secretariat
    (only these two hold the permissions)."""
    return context.state if user_state(request) == context.state else SECRETARIAT


def _history_rows(request, review):
    rows, before = [], {}
    for entry in history(review):
        row = {"entry": entry, "who": person_name(request, entry["who"]), "side": side_title(request, entry["side"]),
               "dates": []}
        if entry["kind"] == "proposal":
            dates = dates_of(entry)
            row["dates"] = [(title, dates.get(key), bool(before) and before.get(key) != dates.get(key))
                            for key, (title, _days) in MILESTONES.items() if key in dates]
            before = dates
        rows.append(row)
    return rows


def _page(context, request, forms, rendered=None, error=None):
    """The schedule page: ``rendered`` (form name -> HTML) replaces a form's blank rendering."""
    appstructs = _appstructs(context)
    pending, agreed = pending_proposal(context), agreement(context)
    in_force = {key: (due, state) for key, _title, due, state in timeline(context)}
    proposed = dates_of(pending) if pending is not None else {}
    rows = [{"title": title, "due": in_force.get(key, (None, None))[0], "status": in_force.get(key, (None, None))[1],
             "proposed": proposed.get(key) if proposed.get(key) != in_force.get(key, (None, None))[0] else None}
            for key, (title, _days) in MILESTONES.items()]
    html = {name: (rendered or {}).get(name) or (form.render(appstructs[name]) if name != "agree" or pending
                                                 else None)
            for name, form in forms.items()}
    return {
        "page_title": translate(request, _("Schedule of the review of ${state}",
                                           mapping={"state": state_value(request, context.state)})),
        "review": context, "rows": rows, "status": status(context), "status_note": STATUS_NOTES[status(context)],
        "status_titles": STATUS_TITLES, "pending": pending, "agreed": agreed,
        "pending_by": (person_name(request, pending["who"]), side_title(request, pending["side"])) if pending else None,
        "agreed_by": (person_name(request, agreed["who"]), side_title(request, agreed["side"])) if agreed else None,
        "history": _history_rows(request, context), "forms": html, "error": error,
    }


@view_config(context=CountryReview, name="schedule", renderer="portal:templates/schedule.pt", permission=P.VIEW)
def schedule(context, request):
    """¶24: the schedule, its proposal awaiting agreement and its history, for everyone taking part."""
    request.environ["portal.no_page_cache"] = True  # overdue flags depend on today's date
    return _page(context, request, _forms(context, request))


def _submit(context, request, name, act):
    """Validate form ``name`` and ``act(data)``; a proposal replaced meanwhile answers 409 with the page, the
    typed values kept."""
    request.environ["portal.no_page_cache"] = True
    forms = _forms(context, request)
    if name not in request.POST:
        return _page(context, request, forms)
    try:
        data = forms[name].validate(request.POST.items())
    except deform.ValidationFailure as failure:
        return _page(context, request, forms, {name: failure.render()})
    try:
        act(data)
    except StaleProposal as stale:
        request.response.status_int = 409
        current = stale.current
        message = _("${who} made a new proposal (number ${number}) after you opened this page, replacing the one "
                    "you saw. Nothing was recorded: read it below, then agree to it or propose other dates.",
                    mapping={"who": person_name(request, current["who"] if current else ""),
                             "number": current["number"] if current else 0})
        forms, pending = _forms(context, request), pending_proposal(context)  # what the reader may do now
        kept = {**data, "base": current["number"] if current else 0, "proposal": pending["number"] if pending else 0}
        rendered = {name: forms[name].render(kept)} if name in forms and (name != "agree" or pending) else {}
        return _page(context, request, forms, rendered, translate(request, message))
    modified(context, "schedule")
    return redirect(request.resource_url(context, "@@schedule"))


@view_config(context=CountryReview, name="propose-schedule", renderer="portal:templates/schedule.pt",
             permission=P.PROPOSE_SCHEDULE)
def propose_schedule(context, request):
    """The secretariat, or the State under review's focal point, proposes a full set of dates, saying why."""
    side = _side(context, request)

    def act(data):
        propose(context, {k: data[k] for k in MILESTONES}, request.authenticated_userid, side, data["comment"],
                base=data["base"])
        tell(request, "schedule/proposed", context, from_state=side != SECRETARIAT)
        flash(request, _("Your proposal is recorded; the other side is asked to agree to it."))

    return _submit(context, request, "propose", act)


@view_config(context=CountryReview, name="agree-schedule", renderer="portal:templates/schedule.pt",
             permission=P.AGREE_SCHEDULE)
def agree_schedule(context, request):
    """The other side agrees to the proposal awaiting agreement: its dates become the review's deadlines."""

    def act(data):
        agree(context, data["proposal"], request.authenticated_userid, _side(context, request), data["comment"])
        tell(request, "schedule/agreed", context)
        flash(request, _("The schedule is agreed."))

    return _submit(context, request, "agree", act)


@view_config(context=CountryReview, name="comment-schedule", renderer="portal:templates/schedule.pt",
             permission=P.COMMENT_SCHEDULE)
def comment_schedule(context, request):
    """A reviewing State's focal point comments on the schedule (consultation); it agrees to nothing."""

    def act(data):
        comment_on(context, request.authenticated_userid, user_state(request), data["text"])
        flash(request, _("Your comment is recorded."))

    return _submit(context, request, "comment", act)

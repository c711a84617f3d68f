"""The governmental expert list (ToR ¶21, ¶21bis, R17): focal points nominate their state's experts
up to the number the cycle sets; the secretariat sees everyone and circulates the list (CSV export)."""

import csv
import io

import colander
import deform
from pyramid.response import Response
from pyramid.view import view_config

from content.experts import (ACCOUNT_STATUS, CHANGES, PROFILE, Expert, account_login, account_status, active_experts,
                             experts_limit, next_expert_name)
from content.root import ExpertsFolder
from portal.forms import CSRFSchema, button, form_page, make_form
from portal.i18n import _, _n, translate
from portal.views import flash, redirect, user_state
from portal.views.helpers import alphabetical, sort_key, state_name, state_value
from portal.views.users import register_account
from portal.notices import tell
from workflows import permissions as P


@colander.deferred
def _state_widget(node, kw):
    request = kw["request"]
    codes = [code for code, state in request.root["states"].items() if state.is_party()]
    return deform.widget.SelectWidget(values=[("", "—")] + [(c, f"{n} ({c})") for c, n in alphabetical(request, codes)])


@colander.deferred
def _state_validator(node, kw):
    return colander.OneOf([code for code, state in kw["request"].root["states"].items() if state.is_party()])


class ProfileSchema(CSRFSchema):
    name = colander.SchemaNode(colander.String(), title=_("Full name"), validator=colander.Length(min=2, max=200))
    email = colander.SchemaNode(colander.String(), title=_("E-mail address"), missing="",
                                validator=colander.All(colander.Email(), colander.Length(max=254)))
    background = colander.SchemaNode(colander.String(), title=PROFILE["background"], missing="",
                                     validator=colander.Length(max=4000), widget=deform.widget.TextAreaWidget(rows=3))
    position = colander.SchemaNode(colander.String(), title=PROFILE["position"], missing="",
                                   validator=colander.Length(max=500))
    offices = colander.SchemaNode(colander.String(), title=PROFILE["offices"], missing="",
                                  validator=colander.Length(max=4000), widget=deform.widget.TextAreaWidget(rows=3))
    activities = colander.SchemaNode(colander.String(), title=PROFILE["activities"], missing="",
                                     validator=colander.Length(max=4000), widget=deform.widget.TextAreaWidget(rows=3))
    expertise = colander.SchemaNode(colander.String(), title=PROFILE["expertise"], missing="",
                                    validator=colander.Length(max=4000), widget=deform.widget.TextAreaWidget(rows=2))
    languages = colander.SchemaNode(colander.String(), title=PROFILE["languages"], missing="",
                                    validator=colander.Length(max=500))

    def after_bind(self, node, kw):
        """A profile being corrected is shown marked with the language it was written in."""
        expert = kw.get("expert")
        if expert is not None:
            for key in PROFILE:  # a new widget each time: the schema's own are shared by every form
                widget = getattr(node[key], "widget", None) or deform.widget.TextInputWidget()
                node[key].widget = type(widget)(**{**vars(widget), "attributes": {"lang": expert.language}})


# Whether the nomination makes the expert an account: by default when an e-mail address is given.
ACCOUNT_CHOICES = (("auto", _("Yes, if an e-mail address is given")), ("yes", _("Yes")), ("no", _("No")))


class NominationSchema(ProfileSchema):
    account = colander.SchemaNode(
        colander.String(), title=_("Create an account for this expert"), oid="account",  # the radios' name
        widget=deform.widget.RadioChoiceWidget(values=ACCOUNT_CHOICES), validator=colander.OneOf(dict(ACCOUNT_CHOICES)),
        default="auto", missing="auto",
        description=_("An account needs an e-mail address: the expert receives there a link, valid 10 days, to "
                      "choose a password, and then signs in as a governmental expert of the State."))

    def after_bind(self, node, kw):
        account = node["account"]  # right after the address it needs
        del node["account"]
        node.insert(node.children.index(node["email"]) + 1, account)
        if kw["state"] is None:  # the secretariat names the state
            state = colander.SchemaNode(colander.String(), name="state", title=_("State"),
                                        widget=_state_widget, validator=_state_validator)
            node.add_before("name", state.bind(**kw))

    def validator(self, node, value):
        request = self.bindings["request"]
        if value.get("account") == "yes" and not value.get("email", "").strip():
            raise colander.Invalid(node["email"], _("An account needs an e-mail address: give the expert's address, "
                                                    "or choose not to create an account."))
        state = self.bindings["state"] or value.get("state")
        limit = experts_limit(request.root)
        if state and len(active_experts(request.root["experts"], state)) >= limit:
            raise colander.Invalid(node, _n("${state} already has ${count} governmental expert on the list, the "
                                            "number the review cycle sets (ToR ¶21). Withdraw one first.",
                                            "${state} already has ${count} governmental experts on the list, the "
                                            "number the review cycle sets (ToR ¶21). Withdraw one first.",
                                            limit, mapping={"state": state_value(request, state)}))


def _profile(data):
    return {key: data[key].strip() for key in PROFILE}


@view_config(context=ExpertsFolder, renderer="portal:templates/experts.pt", permission=P.VIEW)
def experts_list(context, request):
    """Experts the reader may see, by state in alphabetical order, then by name (R22: never ranked)."""
    visible = [e for e in context.values() if request.has_permission(P.VIEW, e)]
    rows = []
    by_name = sort_key(request)
    for code, name in alphabetical(request, {e.state for e in visible}):
        experts = sorted((e for e in visible if e.state == code), key=lambda e: by_name(e.name))
        rows.append({"state": name, "experts": experts, "active": sum(1 for e in experts if e.active)})
    return {
        "page_title": translate(request, context.title),
        "rows": rows,
        "limit": experts_limit(request.root),
        "limit_note": _n("Up to ${count} governmental expert per State (ToR ¶21). States are listed alphabetically.",
                         "Up to ${count} governmental experts per State (ToR ¶21). States are listed alphabetically.",
                         experts_limit(request.root)),
        "can_nominate": request.has_permission(P.NOMINATE_EXPERT, context),
        "can_export": request.has_permission(P.EXPORT_EXPERTS, context),
        "profile_titles": PROFILE,
        "trained": trained(request.root),
        "accounts": {e.__name__: ACCOUNT_STATUS.get(account_status(e, request.root["users"])) for e in visible},
    }


def trained(root):
    """``{expert name: [course, ...]}``: the training courses each expert attended (¶31), earliest first."""
    attended = {}
    for course in sorted(root["trainings"].values(), key=lambda c: c.start):
        for name in course.attended:
            attended.setdefault(name, []).append(course)
    return attended


@view_config(context=ExpertsFolder, name="add", renderer="portal:templates/form.pt", permission=P.NOMINATE_EXPERT)
def nominate(context, request):
    state = None if request.has_permission(P.EXPORT_EXPERTS, context) else user_state(request)
    form = make_form(NominationSchema, request, buttons=[button("save", _("Save"))], state=state)

    def save(data):
        code = state or data["state"]
        expert = context.add(next_expert_name(context, code),
                             Expert(code, data["name"].strip(), data["email"].strip(), _profile(data),
                                    request.authenticated_userid, request.locale_name))
        tell(request, "expert/nominated", expert)
        flash(request, _("${name} is on the list of governmental experts.", mapping={"name": expert.name}))
        if expert.email and data["account"] != "no":
            user = register_account(request, request.root["users"], account_login(request.root["users"], code, expert.name),
                                    expert.name, expert.email, "expert", code, _nominators_language(request))
            expert.login = user.login
            flash(request, _("An account has been made for ${name} with the login name ${login}; the activation link "
                             "has been sent to ${email}.", mapping={"name": expert.name, "login": user.login,
                                                                    "email": user.email}))
        return redirect(request.resource_url(expert))

    intro = _n("Up to ${count} governmental expert per State (ToR ¶21); the list is circulated to States parties "
               "before the drawing of reviewing States.",
               "Up to ${count} governmental experts per State (ToR ¶21); the list is circulated to States parties "
               "before the drawing of reviewing States.", experts_limit(request.root))
    return form_page(request, form, translate(request, _("Nominate a governmental expert")), save,
                     intro=translate(request, intro))


def _nominators_language(request):
    """The language of the nominating person's account (their mails'), else the one their pages are in."""
    return getattr(request.identity, "chosen_language", None) or request.locale_name


@view_config(context=Expert, renderer="portal:templates/expert.pt", permission=P.VIEW)
def expert_view(context, request):
    users = request.root["users"]
    account = users.get(context.login) if context.login else None
    return {
        "page_title": context.name,
        "state_name": state_name(request, context.state),
        "profile_titles": PROFILE,
        "changes": CHANGES,
        "can_edit": request.has_permission(P.EDIT, context),
        "account_status": ACCOUNT_STATUS.get(account_status(context, users)),
        "account_url": request.resource_url(account) if account is not None and request.has_permission(P.VIEW, account)
        else None,
    }


@view_config(context=Expert, name="edit", renderer="portal:templates/form.pt", permission=P.EDIT)
def edit_expert(context, request):
    form = make_form(ProfileSchema, request, buttons=[button("save", _("Save"))], expert=context)

    def save(data):  # corrected in the language it was written in
        context.update(data["name"].strip(), data["email"].strip(), _profile(data), request.authenticated_userid)
        flash(request, _("Saved."))
        return redirect(request.resource_url(context))

    appstruct = {"name": context.name, "email": context.email, **{k: context.profile.get(k, "") for k in PROFILE}}
    return form_page(request, form, context.name, save, appstruct=appstruct)


@view_config(context=Expert, name="withdraw", request_method="POST", permission=P.EDIT)
def withdraw_expert(context, request):
    context.withdraw(request.authenticated_userid)
    flash(request, _("${name} is no longer on the list of governmental experts.", mapping={"name": context.name}))
    return redirect(request.resource_url(context.__parent__))


def _cell(value):
    """A CSV cell that a spreadsheet will not run as a formula."""
    value = str(value or "")
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@view_config(context=ExpertsFolder, name="export", permission=P.EXPORT_EXPERTS)
def export(context, request):
    """The list to circulate (¶21bis): active experts, by state and name, as CSV (UTF-8 with BOM for spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["iso3", "state", "name", "email", *PROFILE])
    experts = [e for e in context.values() if e.active]
    names = dict(alphabetical(request, {e.state for e in experts}))
    order = {code: k for k, code in enumerate(names)}
    by_name = sort_key(request)
    for e in sorted(experts, key=lambda e: (order[e.state], by_name(e.name))):
        writer.writerow([_cell(v) for v in (e.state, names[e.state], e.name, e.email,
                                            *(e.profile.get(k, "") for k in PROFILE))])
    response = Response(body=("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv", charset="utf-8")
    response.content_disposition = 'attachment; filename="governmental-experts.csv"'
    response.cache_control = "private, no-store"
    return response

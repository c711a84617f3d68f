"""Accounts: the secretariat nominates people for a state and function; the list and each person's page."""

import colander
import deform
from pyramid.view import view_config

from content.users import FUNCTIONS, LOGIN_PATTERN, NOTIFICATIONS, STATE_FUNCTIONS, STAFF_FUNCTIONS, User, UsersFolder
from portal.forms import CSRFSchema, button, language_select, make_form
from portal.i18n import LANGUAGE_TITLES, LANGUAGES, _, translate
from portal.notifications import send_activation
from portal.views import flash, redirect
from portal.views.home import visible_page
from portal.views.helpers import sort_key
from portal.views.helpers import workflow_info
from workflows import get_workflow
from workflows import permissions as P


@colander.deferred
def _function_widget(node, kw):
    request, users = kw["request"], kw["users"]
    staff_allowed = request.has_permission(P.MANAGE_STAFF, users)
    values = [(k, v) for k, v in FUNCTIONS.items() if k not in STAFF_FUNCTIONS or staff_allowed]
    return deform.widget.SelectWidget(values=values)


@colander.deferred
def _function_validator(node, kw):
    request, users = kw["request"], kw["users"]
    staff_allowed = request.has_permission(P.MANAGE_STAFF, users)
    return colander.OneOf([k for k in FUNCTIONS if k not in STAFF_FUNCTIONS or staff_allowed])


@colander.deferred
def _state_widget(node, kw):
    states = kw["request"].root["states"]
    lang = kw["request"].locale_name
    values = [("", "—")] + sorted(((s.iso3, f"{s.name(lang)} ({s.iso3})") for s in states.values()), key=lambda v: sort_key(kw["request"])(v[1]))
    return deform.widget.SelectWidget(values=values)


@colander.deferred
def _state_validator(node, kw):
    return colander.OneOf([""] + list(kw["request"].root["states"].keys()))


@colander.deferred
def _login_validator(node, kw):
    users = kw["users"]

    def validate(node, value):
        if not LOGIN_PATTERN.match(value):
            raise colander.Invalid(node, _("Use 2 to 40 lowercase letters, digits, dots, hyphens or underscores."))
        if value in users:
            raise colander.Invalid(node, _("This login name is already taken."))

    return validate


@colander.deferred
def _interface_language(node, kw):
    """The nominee's language is first the one the secretariat is using."""
    return kw["request"].locale_name


class NominationSchema(CSRFSchema):
    login = colander.SchemaNode(colander.String(), title=_("Login name"), validator=_login_validator)
    fullname = colander.SchemaNode(colander.String(), title=_("Full name"), validator=colander.Length(min=2, max=200))
    email = colander.SchemaNode(colander.String(), title=_("E-mail address"), validator=colander.All(colander.Email(), colander.Length(max=254)))
    function = colander.SchemaNode(colander.String(), title=_("Function"), widget=_function_widget, validator=_function_validator)
    state = colander.SchemaNode(
        colander.String(), title=_("State"), widget=_state_widget, validator=_state_validator, missing="",
        description=_("Required for focal points and governmental experts."),
    )
    language = colander.SchemaNode(
        colander.String(), title=_("Language of correspondence"),
        widget=language_select(),
        validator=colander.OneOf(LANGUAGES), default=_interface_language,
        description=_("The person's mails, and the portal's pages once signed in, are in this language; the person "
                      "can change it in their profile."),
    )

    def validator(self, node, value):
        if value["function"] in STATE_FUNCTIONS and not value["state"]:
            raise colander.Invalid(node["state"], _("Choose the State that nominated this person."))


@view_config(context=UsersFolder, renderer="portal:templates/users.pt", permission=P.VIEW)
def users_list(context, request):
    children, start, next_start, previous = visible_page(context, request)
    return {
        "page_title": translate(request, context.title),
        "users": children,
        "functions": FUNCTIONS,
        "next_start": next_start,
        "previous_start": previous,
        "can_nominate": request.has_permission(P.NOMINATE, context),
    }


def register_account(request, users, login, fullname, email, function, state, language):
    """Register a nominated person's account in ``users``: inactive (``nominated``) until they choose a password
    with the single-use link mailed to them in ``language``. The secretariat's nomination and a governmental
    expert's nomination to the list (portal/views/experts.py) both register accounts through here."""
    user = User(login, fullname, email, function, state=state)
    user.language = language
    users.add(user.login, user)
    get_workflow(user).initialize(user, actor=request.authenticated_userid, comment="nominated")
    send_activation(request, user, users.issue_activation(user))
    return user


@view_config(context=UsersFolder, name="nominate", renderer="portal:templates/form.pt", permission=P.NOMINATE)
def nominate(context, request):
    form = make_form(NominationSchema, request, buttons=[button("nominate", _("Register and send activation link"))], users=context)
    page_title = translate(request, _("Register a nominated person"))
    intro = translate(request, _("The person receives an e-mail with a link, valid 10 days, to choose a password."))
    if "nominate" in request.POST:
        try:
            data = form.validate(request.POST.items())
        except deform.ValidationFailure as failure:
            return {"page_title": page_title, "intro": intro, "form": failure.render()}
        user = register_account(request, context, data["login"], data["fullname"], data["email"], data["function"],
                                data["state"] or None, data["language"])
        flash(request, _("${name} has been registered; the activation link has been sent to ${email}.",
                         mapping={"name": user.fullname, "email": user.email}))
        return redirect(request.resource_url(user))
    return {"page_title": page_title, "intro": intro, "form": form.render()}


@view_config(context=User, renderer="portal:templates/user.pt", permission=P.VIEW)
def user_view(context, request):
    return {
        "page_title": context.title,
        "functions": FUNCTIONS,
        "language_name": translate(request, LANGUAGE_TITLES.get(context.language, LANGUAGE_TITLES["en"])),
        "notifications": NOTIFICATIONS.get(context.notifications, context.notifications),
        "workflow": workflow_info(context, request),
        "can_resend": context.workflow_state == "nominated" and request.has_permission(P.MANAGE_USERS, context),
        "can_edit_profile": request.has_permission(P.EDIT_PROFILE, context),
        "history": list(reversed(context.workflow_history or [])) if request.has_permission(P.VIEW_HISTORY, context) else None,
    }


@view_config(context=User, name="resend-activation", request_method="POST", permission=P.MANAGE_USERS)
def resend_activation(context, request):
    if context.workflow_state != "nominated":
        flash(request, _("Only a nominated account that is not yet active can receive an activation link."))
        return redirect(request.resource_url(context))
    token = context.__parent__.issue_activation(context)
    send_activation(request, context, token)
    flash(request, _("A new activation link has been sent to ${email}; earlier links no longer work.", mapping={"email": context.email}))
    return redirect(request.resource_url(context))

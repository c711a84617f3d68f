"""Signing in and out, with throttling of failed attempts, and changing one's password."""

import colander
import deform
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.security import forget, remember
from pyramid.view import view_config

from content import login_throttle
from content.root import PortalRoot
from content.users import MAX_PASSWORD_LENGTH, User, password_problem, verify_unknown_login
from portal.forms import CSRFSchema, button, make_form
from portal.i18n import _, translate
from portal.security import SESSION_ID
from portal.views import flash, redirect, safe_came_from
from workflows import permissions as P


@view_config(context=PortalRoot, name="login", renderer="portal:templates/login.pt", permission=NO_PERMISSION_REQUIRED)
def login(context, request):
    came_from = safe_came_from(request, request.params.get("came_from"))
    error = None
    login_name = ""
    if request.method == "POST":
        login_name = request.POST.get("login", "").strip().lower()[:100]
        password = request.POST.get("password", "")[: MAX_PASSWORD_LENGTH + 1]
        address = request.client_addr or ""
        wait = max(
            login_throttle.locked_for(context, "login", login_name), login_throttle.locked_for(context, "ip", address)
        )
        if wait:
            request.response.status_int = 429
            request.response.headers["Retry-After"] = str(wait)
            error = _("Too many failed sign-in attempts. Try again in ${minutes} minutes.", mapping={"minutes": wait // 60 + 1})
        else:
            user = context["users"].get(login_name)
            ok = user.check_password(password) if user is not None else verify_unknown_login(password)
            if ok and user.active:
                login_throttle.clear(context, "login", login_name)
                remember(request, user.login)
                return redirect(came_from)
            # One answer for a wrong password and for an account that is not active, whatever the password:
            # telling them apart would confirm a deactivated account's password to whoever tries it.
            login_throttle.record_failure(context, "login", login_name)
            login_throttle.record_failure(context, "ip", address)
            error = _("The login name or password is wrong, or the account is not active.")
    request.response.cache_control = "no-store"
    return {
        "page_title": translate(request, _("Sign in")),
        "error": translate(request, error) if error else None,
        "came_from": came_from,
        "login_name": login_name,
    }


@view_config(context=PortalRoot, name="logout", request_method="POST", permission=NO_PERMISSION_REQUIRED)
def logout(context, request):
    forget(request)
    return redirect(request.application_url + "/")


class PasswordSchema(CSRFSchema):
    current = colander.SchemaNode(
        colander.String(), title=_("Current password"), widget=deform.widget.PasswordWidget(),
        validator=colander.Length(max=MAX_PASSWORD_LENGTH),
    )
    new = colander.SchemaNode(
        colander.String(), title=_("New password"),
        description=_("At least 12 characters. A passphrase of several words is easy to remember and hard to guess."),
        widget=deform.widget.CheckedPasswordWidget(), validator=colander.Length(max=MAX_PASSWORD_LENGTH),
    )


@view_config(context=User, name="password", renderer="portal:templates/form.pt", permission=P.CHANGE_PASSWORD)
def change_password(context, request):
    form = make_form(PasswordSchema, request, buttons=[button("save", _("Change password"))])
    if "save" in request.POST:
        try:
            data = form.validate(request.POST.items())
        except deform.ValidationFailure as failure:
            return {"page_title": translate(request, _("Change password")), "form": failure.render()}
        problem = None if context.check_password(data["current"]) else _("The current password is wrong.")
        problem = problem or password_problem(data["new"])
        if problem is None:
            context.set_password(data["new"])
            context.end_all_sessions(keep=request.session.get(SESSION_ID))
            flash(request, _("Your password has been changed. Your other sessions have been signed out."))
            return redirect(request.application_url + "/")
        return {"page_title": translate(request, _("Change password")), "form": form.render(), "error": translate(request, problem)}
    return {"page_title": translate(request, _("Change password")), "form": form.render()}

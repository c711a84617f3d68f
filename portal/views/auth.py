"""Signing in and out, with limits on attempts and device cookies, and changing one's password."""

import colander
import deform
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.security import forget, remember
from pyramid.view import view_config

from content.root import PortalRoot
from content.users import MAX_PASSWORD_LENGTH, User, password_problem, verify_unknown_login
from portal import attempts, device_cookies
from portal.forms import CSRFSchema, button, make_form
from portal.i18n import _, _n, translate
from portal.notifications import send_password_changed
from portal.security import SESSION_ID
from portal.views import flash, redirect, safe_came_from
from workflows import permissions as P


@view_config(context=PortalRoot, name="login", renderer="portal:templates/login.pt", permission=NO_PERMISSION_REQUIRED)
def login(context, request):
    """Every attempt is counted before the password is checked (``portal/attempts.py``): per login for
    browsers that never signed in to it, per device cookie for those that did (so a stranger's failures do
    not lock the owner out), and per client address for browsers without one."""
    # Without a ``came_from`` a signed-in user lands on its dashboard; an unsafe one still goes to the home page.
    came_from = request.params.get("came_from")
    came_from = safe_came_from(request, came_from) if came_from else None
    error = None
    login_name = ""
    if request.method == "POST":
        login_name = request.POST.get("login", "").strip().lower()[:100]
        password = request.POST.get("password", "")[: MAX_PASSWORD_LENGTH + 1]
        nonce = device_cookies.device_nonce(request, login_name)
        keys = [("device", nonce)] if nonce else [("login", login_name), ("ip", request.client_addr or "")]
        reservation = attempts.reserve(request, keys)
        if reservation.wait:
            minutes = attempts.refused_minutes(request, reservation)
            error = _n("Too many failed sign-in attempts. Try again in ${count} minute, from a browser in which "
                       "you have signed in before, or choose a new password with a link sent by e-mail.",
                       "Too many failed sign-in attempts. Try again in ${count} minutes, from a browser in which "
                       "you have signed in before, or choose a new password with a link sent by e-mail.", minutes)
        else:
            user = context["users"].get(login_name)
            ok = user.check_password(password) if user is not None else verify_unknown_login(password)
            if ok and user.active:
                attempts.settle(request, reservation, succeeded=True)
                remember(request, user.login)
                response = redirect(came_from or request.resource_url(context, "@@dashboard"))
                device_cookies.issue(request, response, user.login)
                return response
            # One answer for a wrong password and for an account that is not active, whatever the password:
            # telling them apart would confirm a deactivated account's password to whoever tries it.
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
        problem = problem or password_problem(data["new"], context)
        if problem is None:
            context.set_password(data["new"])
            context.end_all_sessions(keep=request.session.get(SESSION_ID))
            send_password_changed(request, context)
            flash(request, _("Your password has been changed. Your other sessions have been signed out."))
            return redirect(request.application_url + "/")
        return {"page_title": translate(request, _("Change password")), "form": form.render(), "error": translate(request, problem)}
    return {"page_title": translate(request, _("Change password")), "form": form.render()}

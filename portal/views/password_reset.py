"""Password reset by mail (ASVS V6.4): ask for a link by login or e-mail address, then choose a new
password with it; one answer whether an account exists or not, links single use and valid one hour."""

from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from content.root import PortalRoot
from portal import attempts, device_cookies
from portal.i18n import _, _n, translate
from portal.notifications import send_password_changed, send_password_reset
from portal.views import flash, redirect
from portal.views.helpers import password_by_link


@view_config(context=PortalRoot, name="forgot", renderer="portal:templates/forgot.pt", permission=NO_PERMISSION_REQUIRED)
def forgot(context, request):
    """The same answer, and the same work, for an existing account, a missing one and a deactivated one;
    at most three mails an hour go to one account, and one address may ask ten times an hour."""
    request.response.cache_control = "no-store"
    page = {"page_title": translate(request, _("Forgotten password")), "answered": False, "error": None}
    if request.method != "POST":
        return page
    who = request.POST.get("who", "").strip().lower()[:254]
    from_address = attempts.reserve(request, [("reset-ip", request.client_addr or "")])
    if from_address.wait:
        minutes = attempts.refused_minutes(request, from_address)
        page["error"] = translate(request, _n("Too many requests from your address. Try again in ${count} minute.",
                                              "Too many requests from your address. Try again in ${count} minutes.",
                                              minutes))
        return page
    users = context["users"]
    found = users.find_by_login_or_email(who)
    for user in found or [None]:
        # A missing account costs the same reservation as an existing one, so timing tells nothing.
        per_account = attempts.reserve(request, [("reset", user.login if user is not None else who)])
        if user is not None and not per_account.wait:
            send_password_reset(request, user, users.issue_reset(user))
    page["answered"] = True
    return page


@view_config(context=PortalRoot, name="reset", renderer="portal:templates/reset.pt", permission=NO_PERMISSION_REQUIRED)
def reset(context, request):
    """The token is the capability, as for activation (``password_by_link``); using it ends every session of
    the account and gives this browser a device cookie, so that a lock strangers put on the login does not
    hold it back."""

    def chosen(user, password):
        user.set_password(password)
        context["users"].drop_reset(user)
        user.end_all_sessions()
        send_password_changed(request, user)
        flash(request, _("Your new password is set. Sign in with it."))
        response = redirect(request.resource_url(context, "@@login"))
        device_cookies.issue(request, response, user.login)
        return response

    invalid = (_("Link not valid"),
               _("This link to choose a new password is not valid: it has already been used, has expired (links are "
                 "valid one hour) or was copied incompletely. Ask for a new one from the sign-in page."))
    return password_by_link(context, request, "reset", invalid, _("Choose a new password"), chosen)

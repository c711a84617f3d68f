"""The activation link: a nominated person chooses a password, which activates the account (single use, 10 days)."""

from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from content.root import PortalRoot
from content.users import MAX_PASSWORD_LENGTH, password_problem
from portal.i18n import _, translate
from portal.views import flash, redirect
from portal.views.errors import error_response
from workflows import get_workflow


@view_config(context=PortalRoot, name="activate", renderer="portal:templates/activate.pt", permission=NO_PERMISSION_REQUIRED)
def activate(context, request):
    """The token is the capability: only a valid, unused, unexpired token reaches the form or activates."""
    token = request.params.get("token", "")[:200]
    users = context["users"]
    user = users.find_by_token(token)
    if user is None:
        return error_response(
            request, 400, _("Activation link not valid"),
            _("This activation link is not valid: it has already been used, has expired (links are valid 10 days) "
              "or was copied incompletely. Ask the secretariat for a new link."),
        )
    request.response.cache_control = "no-store"
    error = None
    if request.method == "POST":
        password = request.POST.get("password", "")[: MAX_PASSWORD_LENGTH + 1]
        confirm = request.POST.get("confirm", "")[: MAX_PASSWORD_LENGTH + 1]
        error = password_problem(password, user) or (None if password == confirm else _("The two passwords differ."))
        if error is None:
            user.set_password(password)
            users.drop_activation(user)
            get_workflow(user).fire(user, request, "activate", check_permission=False, actor="activation-link")
            flash(request, _("Your account is active. Sign in with your login name and new password."))
            return redirect(request.resource_url(context, "@@login"))
    return {
        "page_title": translate(request, _("Activate your account")),
        "user": user,
        "token": token,
        "error": translate(request, error) if error else None,
    }

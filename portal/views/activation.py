"""The activation link: a nominated person chooses a password, which activates the account (single use, 10 days)."""

from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from content.root import PortalRoot
from portal.i18n import _
from portal.views import flash, redirect
from portal.views.helpers import password_by_link
from workflows import get_workflow


@view_config(context=PortalRoot, name="activate", renderer="portal:templates/activate.pt", permission=NO_PERMISSION_REQUIRED)
def activate(context, request):
    """Only a valid, unused, unexpired token reaches the form or activates (``password_by_link``)."""

    def chosen(user, password):
        user.set_password(password)
        context["users"].drop_activation(user)
        get_workflow(user).fire(user, request, "activate", check_permission=False, actor="activation-link")
        flash(request, _("Your account is active. Sign in with your login name and new password."))
        return redirect(request.resource_url(context, "@@login"))

    invalid = (_("Activation link not valid"),
               _("This activation link is not valid: it has already been used, has expired (links are valid 10 days) "
                 "or was copied incompletely. Ask the secretariat for a new link."))
    return password_by_link(context, request, "activation", invalid, _("Activate your account"), chosen)

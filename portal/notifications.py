"""Mails the portal sends, written once: the activation link for a nominated person."""

from portal.i18n import _
from portal.mail import send


def send_activation(request, user, token):
    """Mail ``user`` the single-use link that lets them choose a password (valid 10 days)."""
    link = request.resource_url(request.root, "@@activate", query={"token": token})
    body = _(
        "Dear ${name},\n\nYou have been registered in the Review Portal of the mechanism for the review of "
        "implementation of the United Nations Convention against Transnational Organized Crime and the Protocols "
        "thereto, as ${function}.\n\nYour login name is: ${login}\n\nTo activate your account, choose a password "
        "at this address within 10 days. The link works once:\n${link}\n\nIf you were not expecting this message, "
        "please inform the secretariat.",
        mapping={"name": user.fullname, "function": _function_title(user), "login": user.login, "link": link},
    )
    return send(request, user.email, user.language, _("Activate your Review Portal account"), body)


def _function_title(user):
    from content.users import FUNCTIONS

    return FUNCTIONS.get(user.function, user.function)


def reissue_activation(user, request):
    """After ``reactivate``: a fresh activation link goes to the person (the old password no longer opens the account)."""
    user.password_hash = None
    token = user.__parent__.issue_activation(user)
    send_activation(request, user, token)

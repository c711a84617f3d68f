"""Mails the portal sends about accounts: the activation link, the password-reset link, a changed password, a
changed e-mail address. Each goes out in the user's language at the time (``User.language``), dates in it as
that language writes them."""

from datetime import datetime, timezone

from portal.i18n import _
from portal.mail import send
from content.users import FUNCTIONS


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
    return FUNCTIONS.get(user.function, user.function)


def send_password_reset(request, user, token):
    """Mail ``user`` the single-use link that lets them choose a new password (valid one hour)."""
    link = request.resource_url(request.root, "@@reset", query={"token": token})
    body = _(
        "Dear ${name},\n\nSomeone, probably you, asked to choose a new password for the login name ${login} in "
        "the Review Portal.\n\nTo choose it, open this address within one hour. The link works once:\n${link}\n\n"
        "If you did not ask for it, ignore this message: your password stays as it is.",
        mapping={"name": user.fullname, "login": user.login, "link": link},
    )
    return send(request, user.email, user.language, _("Choose a new password for the Review Portal"), body)


def send_password_changed(request, user):
    """Tell ``user`` their password was changed (ASVS V6.3.7), so that a change they did not make is noticed."""
    body = _(
        "Dear ${name},\n\nThe password for the login name ${login} in the Review Portal was changed on ${when} "
        "(UTC). Every other session of this account has been signed out.\n\nIf you did not change it, inform the "
        "secretariat at once.",
        mapping={"name": user.fullname, "login": user.login, "when": datetime.now(timezone.utc)},
    )
    return send(request, user.email, user.language, _("Your Review Portal password was changed"), body)


def send_email_changed(request, user, old_email):
    """Tell the previous address that the account's address changed (mails and password-reset links now go to
    the new one), so that a change the owner did not make is noticed."""
    body = _(
        "Dear ${name},\n\nThe e-mail address of the login name ${login} in the Review Portal was changed on ${when} "
        "(UTC) to ${email}. The portal's mails, and links to choose a new password, now go to that address.\n\n"
        "If you did not change it, inform the secretariat at once.",
        mapping={"name": user.fullname, "login": user.login, "email": user.email, "when": datetime.now(timezone.utc)},
    )
    return send(request, old_email, user.language, _("Your Review Portal e-mail address was changed"), body)

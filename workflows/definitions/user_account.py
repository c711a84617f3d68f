"""Account workflow: nominated -> active -> deactivated (-> nominated again with a fresh activation link)."""

from language import _
from workflows import Workflow
from workflows import permissions as P
from workflows import roles as R

_STAFF = {P.VIEW, P.VIEW_HISTORY, P.MANAGE_USERS}


def has_password(user, request):
    """Guard of ``activate``: the nominee must have chosen a password."""
    if not user.password_hash:
        return _("A password must be set before the account can be activated.")
    return None


def may_deactivate(user, request):
    """Guard of ``deactivate``: not oneself, and staff accounts only by holders of manage-staff."""
    if request is not None and request.authenticated_userid == user.login:
        return _("You cannot deactivate your own account.")
    if user.function in ("secretariat", "admin") and not request.has_permission(P.MANAGE_STAFF, user):
        return _("Only an administrator can deactivate a staff account.")
    return None


USER_ACCOUNT = Workflow.from_data(
    {
        "name": "user-account",
        "title": _("Account"),
        "initial": "nominated",
        "states": {
            "nominated": {
                "title": _("Nominated"),
                "roles": {R.SECRETARIAT: _STAFF, R.ADMINISTRATOR: _STAFF | {P.MANAGE_STAFF}},
                "inherit": False,
            },
            "active": {
                "title": _("Active"),
                "roles": {
                    R.OWNER: {P.VIEW, P.CHANGE_PASSWORD, P.EDIT_PROFILE},
                    R.SECRETARIAT: _STAFF,
                    R.ADMINISTRATOR: _STAFF | {P.MANAGE_STAFF},
                },
                "inherit": False,
            },
            "deactivated": {
                "title": _("Deactivated"),
                "roles": {R.SECRETARIAT: _STAFF, R.ADMINISTRATOR: _STAFF | {P.MANAGE_STAFF}},
                "inherit": False,
            },
        },
        "transitions": [
            {
                "name": "activate",
                "title": _("Activate"),
                "from": ["nominated"],
                "to": "active",
                "permission": P.ADMINISTER,
                "guard": has_password,
                "style": "primary",
            },
            {
                "name": "deactivate",
                "title": _("Deactivate"),
                "from": ["nominated", "active"],
                "to": "deactivated",
                "permission": P.MANAGE_USERS,
                "guard": may_deactivate,
                "style": "danger",
            },
            {
                "name": "reactivate",
                "title": _("Reactivate (send a new activation link)"),
                "from": ["deactivated"],
                "to": "nominated",
                "permission": P.MANAGE_USERS,
            },
        ],
    }
)

"""Governmental experts at ``/experts/<id>`` (ToR ¶21, ¶21bis, R17): nominated by their state's focal
point, with background, current position, offices held, activities and areas of expertise."""

import re
import unicodedata

from persistent.list import PersistentList

from content.events import modified
from content.base import Resource, without_bidi_controls
from content.base import decision, now
from language import _
from workflows import permissions as P
from workflows import roles as R

DEFAULT_EXPERTS_PER_STATE = 15
# The profile's text fields, in the order shown and exported (¶21bis).
PROFILE = {
    "background": _("Background"),
    "position": _("Current position"),
    "offices": _("Offices held"),
    "activities": _("Activities"),
    "expertise": _("Areas of expertise"),
    "languages": _("Working languages"),
}

CHANGES = {"nominated": _("Nominated", context="expert list"), "updated": _("Updated"),
           "withdrawn": _("Withdrawn", context="expert list")}

# The expert's account (``Expert.login``), by the state of its workflow (workflows/definitions/user_account.py);
# None: no account was made.
ACCOUNT_STATUS = {
    None: _("Not invited"),
    "nominated": _("Invited, awaiting activation"),
    "active": _("Active"),
    "deactivated": _("Deactivated"),
}


class Expert(Resource):
    """One governmental expert on the list. The nominating state's focal points edit the entry; the
    secretariat sees and edits all; nobody else sees it."""

    type_name = "Expert"
    holds_local_roles = True
    type_title = _("Governmental expert")
    acl_inherit = False
    role_permissions = {
        R.NOMINATING_STATE: {P.VIEW, P.EDIT},
        R.SECRETARIAT: {P.VIEW, P.EDIT, P.VIEW_HISTORY},
        R.ADMINISTRATOR: {P.VIEW},
    }

    language = "en"  # the language its profile is written in
    login = None  # the expert's account in ``/users``, when one was made at the nomination

    def __init__(self, state, name, email, profile, actor, language="en"):
        self.state = state
        self.name = without_bidi_controls(name)
        self.email = email
        self.profile = dict(profile)
        self.language = language
        self.active = True
        self.changes = PersistentList([decision(actor, change="nominated")])
        self.nominated_at = now()
        self.grant_local_role(f"state:{state}:focal-point", R.NOMINATING_STATE)

    @property
    def title(self):
        return self.name

    def update(self, name, email, profile, actor, language=None):
        self.name, self.email, self.profile = without_bidi_controls(name), email, dict(profile)
        self.language = language or self.language
        self.changes.append(decision(actor, change="updated"))
        modified(self, "details")

    def withdraw(self, actor):
        self.active = False
        self.changes.append(decision(actor, change="withdrawn"))
        modified(self, "withdrawn")

    def json_fields(self, request):
        return {"state": self.state, "name": self.name, "email": self.email, "active": self.active,
                **{k: self.profile.get(k, "") for k in PROFILE}}


def experts_limit(root):
    """R17: the number of experts a state may have on the list: the largest number set by a cycle
    that is not closed (the Conference decides it per cycle), else the default."""
    limits = [c.experts_per_state for c in root["cycles"].values() if c.workflow_state != "closed"]
    return max(limits) if limits else DEFAULT_EXPERTS_PER_STATE


def active_experts(folder, state):
    return [e for e in folder.values() if e.state == state and e.active]


def account_status(expert, users):
    """The state of ``expert``'s account (a key of ``ACCOUNT_STATUS``): None when it has none."""
    user = users.get(expert.login) if expert.login else None
    return user.workflow_state if user is not None else None


def account_login(users, state, name):
    """A free login for an expert of ``state`` called ``name``: ``ken-amina-odhiambo``, then
    ``ken-amina-odhiambo-2``, ... (letters without their accents; ``ken-expert`` for a name in another script)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    base = f"{state.lower()}-{re.sub(r'[^a-z0-9]+', '-', ascii_name).strip('-') or 'expert'}"
    n = 1
    while True:
        suffix = f"-{n}" if n > 1 else ""
        login = base[:40 - len(suffix)].rstrip("-") + suffix
        if login not in users:  # lowercase letters, digits and hyphens: content.users.LOGIN_PATTERN
            return login
        n += 1


def next_expert_name(folder, state):
    """``<iso3>-<n>``: the next free identifier for an expert of ``state``."""
    n = 1
    while f"{state.lower()}-{n}" in folder:
        n += 1
    return f"{state.lower()}-{n}"

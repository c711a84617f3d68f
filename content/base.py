"""Behaviour every resource shares: location, local roles, a workflow state, and the computed ACL; the
time stamps and decision records many of them keep."""

from datetime import datetime, timezone
from urllib.parse import urlsplit

from persistent import Persistent
from persistent.mapping import PersistentMapping

from content.events import LocalRolesChanged, notify
from workflows.registry import get_workflow
from workflows.roles import acl_from_rolemap


# Bidirectional embedding, override and isolate controls: in a name they can make text read as something
# else ("file", U+202E, "fdp.exe" shows as "fileexe.pdf"). Names keep the ordinary marks (LRM, RLM) Arabic needs.
MAX_WEB_ADDRESS = 2000
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def without_bidi_controls(text):
    """``text`` without bidirectional embedding, override and isolate characters."""
    return text.translate(BIDI_CONTROLS) if isinstance(text, str) else text


def is_web_address(text):
    """Whether ``text`` is an ``http``/``https`` address with a host, without spaces or control characters (a link a
    party gives: to a document of an organization, a legislation or case-law database)."""
    parts = urlsplit(text) if text and len(text) <= MAX_WEB_ADDRESS else None
    return bool(parts is not None and parts.scheme.lower() in ("http", "https") and parts.hostname
                and not any(c.isspace() or ord(c) < 32 for c in text))


def now():
    return datetime.now(timezone.utc)


def decision(actor, **fields):
    """A recorded decision or event: who, when, and its fields (kept in the cycle's log)."""
    return PersistentMapping({"who": actor, "when": now(), **fields})


class ACLComputationError(RuntimeError):
    """Raised instead of AttributeError while computing ``__acl__``.

    Pyramid's ACL helper treats an AttributeError from ``__acl__`` as "no ACL here" and silently
    falls back to the parent's ACL; a bug in ACL code must fail loudly instead.
    """


class Resource(Persistent):
    """A located persistent object whose ACL is computed from its workflow state and local roles.

    Subclasses set ``type_name``, a translatable ``type_title``, and, when no workflow governs
    them, ``role_permissions`` (role -> permissions) and ``acl_inherit``.
    """

    type_name = "Resource"
    type_title = None
    role_permissions = {}
    acl_inherit = True
    __name__ = None
    __parent__ = None
    __local_roles__ = None
    workflow_state = None
    workflow_history = None
    # True for the classes whose objects hold local roles (a review, a report, a request...): the search
    # index names these places in its access tokens (content/search_access.py); elsewhere granting fails.
    holds_local_roles = False

    def rolemap(self):
        """``(role -> permissions, inherit)`` that apply to this object now: its workflow state's, else its
        class's. The ACL and the search index's access tokens are both made from it."""
        workflow = get_workflow(self)
        if workflow is not None:
            return workflow.rolemap(self)
        return self.role_permissions, self.acl_inherit

    @property
    def __acl__(self):
        try:
            rolemap, inherit = self.rolemap()
            return acl_from_rolemap(self, rolemap, inherit)
        except AttributeError as exc:
            raise ACLComputationError(f"computing the ACL of {self!r} failed: {exc}") from exc

    @property
    def title(self):
        return self.__name__ or ""

    # -- local roles ----------------------------------------------------------------------

    def local_roles(self):
        """``{principal: frozenset(roles)}`` held on this object itself."""
        return dict(self.__local_roles__ or {})

    def grant_local_role(self, principal, role):
        """Give ``principal`` the local ``role`` here (and so on everything below)."""
        if not self.holds_local_roles:
            raise TypeError(f"{type(self).__name__} does not hold local roles (set holds_local_roles)")
        if self.__local_roles__ is None:
            self.__local_roles__ = PersistentMapping()
        self.__local_roles__[principal] = frozenset(self.__local_roles__.get(principal, frozenset()) | {role})
        notify(LocalRolesChanged(self))

    def revoke_local_role(self, principal, role):
        """Take the local ``role`` back from ``principal`` here."""
        if not self.__local_roles__ or principal not in self.__local_roles__:
            return
        remaining = self.__local_roles__[principal] - {role}
        if remaining:
            self.__local_roles__[principal] = remaining
        else:
            del self.__local_roles__[principal]
        notify(LocalRolesChanged(self))

    def json_fields(self, request):
        """Extra fields for ``@@json`` (subclasses add theirs)."""
        return {}


def existing(root, paths):
    """The resources at ``paths`` (tuples of names from the root) that still exist, in order."""
    from pyramid.traversal import find_resource

    found = []
    for path in paths:
        try:
            found.append(find_resource(root, "/".join(path)))
        except KeyError:
            continue
    return found

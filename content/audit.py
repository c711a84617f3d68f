"""The audit log at ``/audit`` (R19, R20): one record per event (who, for which state, what, on which
object, when), appended and never changed; the portal has no way to edit or delete a record."""

from BTrees.IOBTree import IOBTree
from BTrees.Length import Length
from persistent.mapping import PersistentMapping

from content.base import Resource
from content.base import now
from language import _
from workflows import permissions as P
from workflows import roles as R

EVENTS = {
    "publish": _("Published"),
    "unpublish": _("Withdrawn from publication"),
    "request": _("Access requested"),
    "grant": _("Access granted"),
    "refuse": _("Access refused"),
    "accept": _("Confidentiality undertaking accepted"),
    "withdraw": _("Request withdrawn"),
    "revoke": _("Access revoked"),
    "read": _("Read under a grant"),
}


class AuditLog(Resource):
    """Records numbered from 1 in the order they were written; only the secretariat reads the whole log."""

    type_name = "AuditLog"
    type_title = _("Audit log")
    acl_inherit = False
    role_permissions = {R.SECRETARIAT: {P.VIEW, P.VIEW_AUDIT}}

    def __init__(self):
        self.records = IOBTree()
        self._count = Length()

    @property
    def title(self):
        return self.type_title

    def write(self, event, actor, state, path, **details):
        """Append one record; returns its number."""
        if event not in EVENTS:
            raise ValueError(f"unknown audit event {event!r}")
        number = self._count() + 1
        self.records[number] = PersistentMapping({"event": event, "who": actor, "state": state, "path": path,
                                                  "when": now(), **details})
        self._count.change(1)
        return number

    def __len__(self):
        return self._count()

    def latest(self, start=0, size=50, path_prefix=None):
        """Records newest first, optionally only those about ``path_prefix`` and below; reading stops as
        soon as the page is full, so the first pages cost the same however long the log grows."""
        rows = []
        for number in range(self._count(), 0, -1):
            record = self.records[number]
            if path_prefix is None or record["path"].startswith(path_prefix):
                rows.append((number, record))
                if len(rows) == start + size:
                    break
        return rows[start:]


def audit_log(resource):
    """The portal's audit log, from any resource."""
    node = resource
    while node.__parent__ is not None:
        node = node.__parent__
    return node["audit"]

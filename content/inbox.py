"""A person's notifications in the portal (``/users/<login>/@@inbox``): what the portal told them, newest
first, read or not, and whether a daily digest has carried it yet; kept as data, translated when shown."""

from persistent import Persistent
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from content.base import now
from language import from_data, to_data

KEPT = 200  # the newest notifications kept per person


class Inbox(Persistent):
    """A person's notifications, newest first (at most ``KEPT``)."""

    def __init__(self):
        self.entries = PersistentList()

    def add(self, subject, what, link, mailed):
        """Record a notification; ``mailed``: it went out by mail at once (else the next digest carries it)."""
        self.entries.insert(0, PersistentMapping(subject=to_data(subject), what=to_data(what), link=link,
                                                 when=now(), read=False, mailed=mailed))
        del self.entries[KEPT:]

    def unread(self):
        return sum(1 for entry in self.entries if not entry["read"])

    def mark_read(self):
        for entry in self.entries:
            if not entry["read"]:
                entry["read"] = True

    def for_digest(self):
        """The notifications no mail has carried yet, oldest first; marked as carried."""
        waiting = [entry for entry in reversed(self.entries) if not entry["mailed"]]
        for entry in waiting:
            entry["mailed"] = True
        return [(from_data(e["subject"]), from_data(e["what"]), e["link"]) for e in waiting]


def inbox_of(user):
    """``user``'s inbox, made on first use (older accounts have none)."""
    if getattr(user, "inbox", None) is None:
        user.inbox = Inbox()
    return user.inbox

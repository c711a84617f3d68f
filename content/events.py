"""Events about resources, sent through the registry: a resource added to or removed from a folder, or
changed by one of the methods that change it (subscribers: the audit log now, the search index next;
see ``portal/subscribers.py``)."""

from dataclasses import dataclass

from pyramid.threadlocal import get_current_registry


@dataclass(frozen=True)
class ObjectAdded:
    """``object`` was stored in ``folder`` (it is located: ``__parent__`` and ``__name__`` are set)."""

    object: object
    folder: object


@dataclass(frozen=True)
class ObjectRemoved:
    """``object`` was taken out of ``folder`` under ``name``."""

    object: object
    folder: object
    name: str


@dataclass(frozen=True)
class ObjectModified:
    """``object`` changed; ``what`` names the part (a field, a section's key, ``details``, ``text``...)."""

    object: object
    what: str = ""


@dataclass(frozen=True)
class LocalRolesChanged:
    """A local role was granted or revoked on ``object`` (which holds local roles)."""

    object: object


def modified(resource, what=""):
    """Tell the subscribers that ``resource`` changed (called by the methods that change a resource)."""
    notify(ObjectModified(resource, what))


def notify(event):
    """Send ``event`` through the current registry (the application's in a request or a script)."""
    get_current_registry().notify(event)

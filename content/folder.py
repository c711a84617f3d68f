"""BTree-backed folders: a folder of 10 000 items costs what a folder of 10 does; listing is ordered and paged."""

from itertools import islice

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree

from content.base import Resource
from content.events import ObjectAdded, ObjectRemoved, notify


class Folder(Resource):
    """A container of named resources, kept in key order in an OOBTree with a conflict-free length."""

    type_name = "Folder"
    # True for a list whose entries belong to different States or people, of which a reader may see some
    # and not others (experts, accounts, requests): a name missing there then gets the answer a hidden
    # entry gets, so that nobody can count or probe the entries hidden from them.
    hides_entries = False

    def __init__(self):
        self.data = OOBTree()
        self._count = Length()

    def __getitem__(self, name):
        return self.data[name]

    def get(self, name, default=None):
        return self.data.get(name, default)

    def __contains__(self, name):
        return name in self.data

    def __len__(self):
        return self._count()

    def __bool__(self):
        return True

    def keys(self):
        return self.data.keys()

    def values(self):
        return self.data.values()

    def items(self):
        return self.data.items()

    def page(self, start=0, size=50):
        """``(total, [(name, child), ...])`` for the slice [start, start + size) in key order."""
        start = max(0, int(start))
        size = max(1, min(int(size), 1000))
        return len(self), list(islice(self.data.items(), start, start + size))

    def next_number(self):
        """The name for the next item of a folder numbered 1, 2, 3 ... (one more than the highest number)."""
        return str(max((int(k) for k in self.keys() if k.isdigit()), default=0) + 1)

    def check_name(self, name):
        """Raise ValueError unless ``name`` can be used for a new child."""
        if not isinstance(name, str) or not name:
            raise ValueError("name must be a non-empty string")
        if name.startswith(("@", "_", ".")) or "/" in name or len(name) > 100:
            raise ValueError(f"name not allowed: {name!r}")
        if name in self.data:
            raise KeyError(name)

    def add(self, name, resource):
        """Store ``resource`` under ``name`` and locate it here; returns it."""
        self.check_name(name)
        resource.__name__ = name
        resource.__parent__ = self
        self.data[name] = resource
        self._count.change(1)
        notify(ObjectAdded(resource, self))
        return resource

    def remove(self, name):
        """Remove and return the child ``name``."""
        resource = self.data.pop(name)
        self._count.change(-1)
        resource.__parent__ = None
        notify(ObjectRemoved(resource, self, name))
        return resource

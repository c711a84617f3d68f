"""A small thread-safe LRU map shared by the page caches; entries carry their own freshness test."""

import threading
from collections import OrderedDict


class LRUCache:
    """At most ``max_entries`` entries; ``get`` drops an entry that ``fresh(entry)`` rejects."""

    def __init__(self, max_entries, max_body=512 * 1024):
        self.max_entries = max_entries
        self.max_body = max_body
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, fresh):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if not fresh(entry):
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)

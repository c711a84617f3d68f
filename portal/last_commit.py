"""The database's last commit as every process sees it: the key that retires the page caches.

``DB.lastTransaction()`` is exact for a storage that only this process writes (FileStorage, memory),
but on RelStorage it does not move for commits made through other connections, and a ZEO client learns
of other clients' commits asynchronously. So for those storages the last commit is asked of the
database server itself (RelStorage: the newest transaction id in PostgreSQL; ZEO: a round trip after
which the server's invalidations have arrived). Concurrent requests share one such question, but a
request only ever uses an answer to a question asked after it arrived, so it never gets a value older
than a commit acknowledged before it came in.
"""

import threading

from ZODB.utils import p64


def last_commit_clock(db):
    """A function returning the id (8 bytes) of the newest transaction committed by any process."""
    storage = db.storage
    if _is_relstorage(storage):
        return FreshAnswer(RelStoragePoll(storage))
    if _is_zeo(storage):
        return FreshAnswer(ZEOPoll(storage))
    return db.lastTransaction


def _is_relstorage(storage):
    try:
        from relstorage.storage import RelStorage
    except ImportError:
        return False
    return isinstance(storage, RelStorage)


def _is_zeo(storage):
    from ZEO.ClientStorage import ClientStorage

    return isinstance(storage, ClientStorage)


class RelStoragePoll:
    """Reads the newest transaction id from the database, on a connection of its own."""

    def __init__(self, storage):
        self.adapter = storage._adapter
        self.connection = None

    def __call__(self):
        for attempt in (1, 2):
            try:
                if self.connection is None:
                    self.connection = self.adapter.connmanager.open(read_only=True)
                conn, cursor = self.connection
                tid = self.adapter.txncontrol.get_tid(cursor)
                conn.rollback()  # the next question sees commits made since
                return p64(tid or 0)
            except self.adapter.driver.close_exceptions:
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.connection is not None:
            self.adapter.connmanager.close(*self.connection)
            self.connection = None


class ZEOPoll:
    """A round trip to the ZEO server: its invalidations, sent before the answer, have been applied."""

    def __init__(self, storage):
        self.storage = storage

    def __call__(self):
        self.storage.ping()
        return self.storage.lastTransaction()


class FreshAnswer:
    """Shares one question to the database among the requests that arrive while it is asked.

    A request needs the answer of a question *started after it arrived*: one asked earlier may have
    been answered before a commit that was acknowledged before the request came in. Polls are
    numbered; a request waits for the poll numbered one more than the last one started when it
    arrived, asking it itself when no poll is running. Answers never go backwards (transaction ids
    only grow; a pack in a history-free database could lower the newest id still stored).
    """

    def __init__(self, poll):
        self.poll = poll
        self.condition = threading.Condition()
        self.started = 0  # number of the last poll started
        self.finished = 0  # number of the last poll answered
        self.running = False
        self.newest = b"\0" * 8

    def __call__(self):
        with self.condition:
            needed = self.started + 1
            while self.finished < needed:
                if self.running:
                    self.condition.wait()
                    continue
                self.started += 1
                number = self.started
                self.running = True
                self.condition.release()
                try:
                    tid = self.poll()
                finally:
                    self.condition.acquire()
                    self.running = False
                    self.condition.notify_all()
                self.finished = number
                self.newest = max(self.newest, tid)
            return self.newest

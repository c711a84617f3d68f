"""Counted attempts (sign-ins, password-reset mails) per key, in records that merge concurrent writes.

Each attempt is written down before it is made (``portal/attempts.py`` does so in a transaction of its
own), so concurrent attempts never overwrite each other and a limit holds exactly: an attempt may go on
only if, once it is recorded, no more than the limit are counted.
"""

import secrets
from itertools import islice

from persistent import Persistent

WINDOW_SECONDS = 15 * 60
# kind of key -> (attempts allowed, window in seconds)
LIMITS = {
    "login": (5, WINDOW_SECONDS),    # sign-ins to one login from browsers it was never used in
    "device": (5, WINDOW_SECONDS),   # sign-ins from one browser holding a device cookie for that login
    "ip": (20, WINDOW_SECONDS),      # failed sign-ins from one client address
    "reset": (3, 3600),              # reset mails to one account
    "reset-ip": (10, 3600),          # reset requests from one client address
}
KEPT_SECONDS = max(window for _limit, window in LIMITS.values())


def key(kind, value):
    return f"{kind}:{(value or '').lower()[:100]}"


class AttemptLog(Persistent):
    """The attempts under one key: (time, id) pairs, the ids taken back (a success that should not count)
    and the time before which everything was forgiven (a success that clears the slate)."""

    def __init__(self):
        self.entries = ()
        self.withdrawn = frozenset()
        self.cleared = 0.0

    def add(self, now):
        """Record an attempt at ``now``; returns its id. Entries older than any window are dropped."""
        ident = secrets.token_hex(8)
        kept = tuple(e for e in self.entries if e[0] > now - KEPT_SECONDS)
        self.entries = kept + ((now, ident),)
        self.withdrawn = frozenset(i for i in self.withdrawn if i in {e[1] for e in kept})
        return ident

    def withdraw(self, ident):
        self.withdrawn = self.withdrawn | {ident}

    def clear(self, until):
        self.cleared = max(self.cleared, until)

    def counted(self, now, window, excluding=None):
        """Times of the attempts that count at ``now`` in a window of ``window`` seconds, oldest first
        (leaving out the attempt ``excluding``)."""
        start = max(now - window, self.cleared)
        return [t for t, ident in self.entries if t > start and ident not in self.withdrawn and ident != excluding]

    def _p_resolveConflict(self, old, committed, new):
        """Two transactions wrote at once: keep every attempt of both, every withdrawal, the later clearing."""
        entries = tuple(sorted(set(committed.get("entries", ())) | set(new.get("entries", ()))))
        return {
            "entries": entries,
            "withdrawn": frozenset(committed.get("withdrawn", ())) | frozenset(new.get("withdrawn", ())),
            "cleared": max(committed.get("cleared", 0.0), new.get("cleared", 0.0)),
        }


def prune(logs, after, now, most=20):
    """Forget up to ``most`` logs following the key ``after`` (in key order) whose attempts are all older
    than any window, so that the logins and addresses ever tried do not pile up; returns how many."""
    stale = [name for name, log in islice(logs.items(after), most)
             if not log.entries or log.entries[-1][0] <= now - KEPT_SECONDS]
    for name in stale:
        del logs[name]
    return len(stale)


def wait_seconds(log, kind, now, excluding=None):
    """Seconds until ``log`` allows another attempt of ``kind``, or 0 when it allows one now (not counting
    the attempt ``excluding``: was there room for it?)."""
    limit, window = LIMITS[kind]
    counted = log.counted(now, window, excluding) if log is not None else []
    if len(counted) < limit:
        return 0
    return int(counted[-limit] + window - now) + 1

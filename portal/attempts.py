"""Limits on attempts (sign-ins, reset mails): each attempt is recorded and committed in a transaction of
its own before it is made, then counted with everything committed by then (``content/attempts.py``)."""

import time
from dataclasses import dataclass, field

import transaction
from pyramid_zodbconn import get_connection
from transaction.interfaces import TransientError

from content.attempts import AttemptLog, key, prune, wait_seconds
from portal.storage import ROOT_KEY

TRIES = 10


@dataclass
class Reservation:
    """The outcome of ``reserve``: ``wait`` > 0 when refused; ``ids`` of the recorded attempts otherwise."""

    keys: list
    now: float
    wait: int = 0
    ids: dict = field(default_factory=dict)


def refused_minutes(request, reservation):
    """Answer a refused attempt with 429 and ``Retry-After``; returns the whole minutes to wait, for the
    message that says so."""
    request.response.status_int = 429
    request.response.headers["Retry-After"] = str(reservation.wait)
    return reservation.wait // 60 + 1


def in_own_transaction(request, change, read=None):
    """Run ``change(root)`` in a transaction of its own on a connection of its own and commit it, trying
    again when it collides with another; then ``read(root)`` what is committed now, and return both."""
    db = get_connection(request).db()
    manager = transaction.TransactionManager(explicit=True)
    connection = db.open(transaction_manager=manager)
    try:
        for attempt in range(TRIES):
            manager.begin()
            try:
                changed = change(connection.root()[ROOT_KEY])
                manager.commit()
                break
            except TransientError:
                manager.abort()
                if attempt == TRIES - 1:
                    raise
        read_now = None
        if read is not None:
            manager.begin()
            try:
                read_now = read(connection.root()[ROOT_KEY])
            finally:
                manager.abort()
        return changed, read_now
    finally:
        connection.close()


def reserve(request, keys, now=None):
    """Record one attempt under each ``(kind, value)`` of ``keys`` unless one of them is at its limit.

    The attempt may go on only if, counting everything committed once it is recorded, no key is over its
    limit; concurrent attempts are counted by all, so no more than the limit ever go on."""
    now = now or time.time()
    names = [(kind, key(kind, value)) for kind, value in keys]
    logs = request.root.attempts
    wait = max(wait_seconds(logs.get(name), kind, now) for kind, name in names)
    if wait:
        return Reservation(keys=names, now=now, wait=wait)

    ids = {}

    def record(root):
        ids.clear()  # a retried transaction records afresh
        for _kind, name in names:
            if name not in root.attempts:
                root.attempts[name] = AttemptLog()
            ids[name] = root.attempts[name].add(now)
        prune(root.attempts, names[0][1], now)  # a few stale neighbours go with every attempt

    def over(root):
        # This attempt is among those counted: it may go on if fewer than the limit were counted besides it.
        return max(wait_seconds(root.attempts[name], kind, now, excluding=ids[name]) for kind, name in names)

    _nothing, wait = in_own_transaction(request, record, over)
    return Reservation(keys=names, now=now, wait=wait, ids=dict(ids))


def settle(request, reservation, succeeded, forgive=("login", "device")):
    """After a successful attempt: keys of a kind in ``forgive`` are cleared, others take the attempt back."""
    if not succeeded or not reservation.ids:
        return

    def change(root):
        for kind, name in reservation.keys:
            log = root.attempts.get(name)
            if log is None:
                continue
            if kind in forgive:
                log.clear(reservation.now)
            else:
                log.withdraw(reservation.ids[name])

    in_own_transaction(request, change)


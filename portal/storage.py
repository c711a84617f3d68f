"""The ZODB side of the app: the root factory, creating and evolving the tree at startup, var/ folders."""

import time
from contextlib import contextmanager

import transaction
from pyramid.threadlocal import manager
from pyramid_zodbconn import get_connection
from transaction.interfaces import TransientError

from content.evolve import evolve
from content.root import PortalRoot
from portal.databases import address_of

ROOT_KEY = "portal"


def root_factory(request):
    """The portal root of this request's ZODB connection (opened with the request's transaction manager)."""
    return get_connection(request).root()[ROOT_KEY]


def portal_root(request):
    """The portal root for code that may run before traversal (security policy, scripts)."""
    root = getattr(request, "root", None)
    return root if root is not None else root_factory(request)


def ensure_storage_dirs(uri):
    """Create the folders a ``file://`` URI needs (Data.fs's folder and the blob folder)."""
    if not uri.startswith("file://"):
        return
    address = address_of(uri)
    for folder in (address.data_fs.parent, address.blob_dir):
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)


def bootstrap_root(zodb_root):
    """Create the portal root if missing and apply pending evolve steps; returns the generations applied."""

    if ROOT_KEY not in zodb_root:
        zodb_root[ROOT_KEY] = PortalRoot()
    return evolve(zodb_root[ROOT_KEY])


@contextmanager
def zodb_root(db, registry=None):
    """Yield the ZODB root of a new connection in its own transaction, committed when the block succeeds.
    With ``registry`` (the application's), it is current meanwhile, as in a script, so that the events of
    what the block does (transitions, additions) reach the portal's subscribers."""
    tm = transaction.TransactionManager(explicit=True)
    conn = db.open(transaction_manager=tm)
    if registry is not None:
        manager.push({"registry": registry, "request": None})
    try:
        with tm:
            yield conn.root()
    finally:
        conn.close()
        if registry is not None:
            manager.pop()


def open_database(registry, attempts=5):
    """At startup: make sure the database holds an up-to-date portal tree. Processes that start together
    on a new (or older) database race to build (or evolve) it: the losers' commits conflict, and they try
    again, finding the work done."""
    for attempt in range(1, attempts + 1):
        try:
            with zodb_root(registry._zodb_databases[""], registry) as root:
                bootstrap_root(root)
            return
        except TransientError:
            if attempt == attempts:
                raise
            time.sleep(0.2 * attempt)

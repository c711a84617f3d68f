"""Keeps the search index (``content/catalog.py``) current through the events of every change, whatever made
it (a view, ``@@transition``, a script): an added or removed resource, a modified one, a workflow transition,
a local role granted or revoked. A grant or a revocation updates the record of local roles only; a
transition re-indexes the resource and what lies below it, whose role maps may follow its state.

With ``search.defer_text = true`` a request leaves the costly part, the words of changed texts, to this
process's ``TextIndexer`` thread, which indexes them right after the commit (and every few seconds those left
by other processes); meanwhile the query reads those documents' own text (docs/search.md §2)."""

import contextlib
import logging
import threading
import time
import weakref

import transaction
from pyramid.settings import asbool
from pyramid.threadlocal import get_current_registry, get_current_request
from pyramid.traversal import find_root, resource_path
from transaction.interfaces import NoTransaction
from ZODB.POSException import ConflictError

from content.catalog import SearchCatalog
from content.events import LocalRolesChanged, ObjectAdded, ObjectModified, ObjectRemoved
from portal.storage import ROOT_KEY
from workflows.engine import AfterTransition

log = logging.getLogger(__name__)


def includeme(config):
    config.add_subscriber(added, ObjectAdded)
    config.add_subscriber(removed, ObjectRemoved)
    config.add_subscriber(changed, ObjectModified)
    config.add_subscriber(roles_changed, LocalRolesChanged)
    config.add_subscriber(transitioned, AfterTransition)


def catalog_of(resource):
    """The portal's search catalog, or None when ``resource`` is not in a portal that has one yet."""
    catalog = getattr(find_root(resource), "catalog", None)
    return catalog if isinstance(catalog, SearchCatalog) else None


_HOOKED = weakref.WeakSet()  # transactions whose commit wakes the text indexer


def deferring():
    """Whether this change's words wait for the text indexer: in a request of a process that runs one. The
    first deferral of a transaction asks the indexer to run once it commits."""
    request = get_current_request()
    indexer = getattr(get_current_registry(), "text_indexer", None)
    tm = getattr(request, "tm", None)
    if indexer is None or tm is None:
        return False
    current = tm.get()
    if current not in _HOOKED:
        _HOOKED.add(current)
        current.addAfterCommitHook(lambda committed: committed and indexer.wake.set())
    return True


def added(event):
    catalog = catalog_of(event.folder)
    if catalog is not None:
        catalog.index_subtree(event.object, deferring())


def removed(event):
    catalog = catalog_of(event.folder)
    if catalog is not None:
        catalog.unindex_subtree(resource_path(event.folder).rstrip("/") + "/" + event.name, deferring())


def changed(event):
    """A changed resource; for one whose fields its parts' documents repeat (a review's working language),
    everything below it too."""
    resource = event.object
    catalog = catalog_of(resource)
    if catalog is None:
        return
    if getattr(resource, "search_facets_below", False):
        catalog.index_subtree(resource, deferring())
    else:
        catalog.index(resource, deferring())


def roles_changed(event):
    catalog = catalog_of(event.object)
    if catalog is not None:
        catalog.record_roles(event.object)


def transitioned(event):
    """The resource and all below it; and its parent's subtree when the parent's role map follows its
    children's states (a document in six languages opens to the public with its first published language)."""
    resource = event.object
    catalog = catalog_of(resource)
    if catalog is None:
        return
    parent = getattr(resource, "__parent__", None)
    target = parent if getattr(parent, "rolemap_follows_children", False) else resource
    catalog.index_subtree(target, deferring())


class TextIndexer:
    """A daemon thread of one portal process: indexes the words of stale documents in transactions of its
    own, ``batch`` documents each, when woken after a commit and every ``interval`` seconds."""

    def __init__(self, db, interval=5.0, batch=50):
        self.db, self.interval, self.batch = db, interval, batch
        self.wake = threading.Event()
        self.stopped = False
        self.thread = threading.Thread(target=self._run, name="search-text-indexer", daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopped = True
        self.wake.set()
        if self.thread.ident is not None:
            self.thread.join(timeout=30)

    def _run(self):
        while not self.stopped:
            self.wake.wait(self.interval)
            self.wake.clear()
            if self.stopped:
                return
            try:
                self.drain()
            except Exception:  # noqa: BLE001 - keep serving; the next wake tries again, the query is exact anyway
                log.exception("indexing the words of changed documents failed")

    def drain(self):
        """Index every stale document's words; returns how many were done."""
        tm = transaction.TransactionManager(explicit=True)
        connection = self.db.open(transaction_manager=tm)
        done, conflicts = 0, 0
        try:
            while True:
                try:
                    with tm:
                        catalog = getattr(connection.root().get(ROOT_KEY), "catalog", None)
                        batch = catalog.drain(self.batch) if isinstance(catalog, SearchCatalog) else 0
                except ConflictError:  # another process indexed (or changed) the same documents: read again
                    with contextlib.suppress(NoTransaction):
                        tm.abort()  # a commit that failed leaves its transaction open
                    conflicts += 1
                    if conflicts > 5:
                        return done
                    time.sleep(0.05 * conflicts)
                    continue
                done += batch
                if batch < self.batch:
                    return done
        finally:
            connection.close()
        return done


def start_text_indexer(registry):
    """Start this process's text indexer when the settings ask for deferred text indexing."""
    settings = registry.settings
    if not asbool(settings.get("search.defer_text", False)):
        return None
    registry.text_indexer = TextIndexer(registry._zodb_databases[""],
                                        float(settings.get("search.drain_interval", 5))).start()
    return registry.text_indexer

"""The secretariat's "run the drawing of lots" outside the request's transaction (issue 19 §4).

The request only marks the record as running and commits (a short transaction). Once that commit
succeeds, a thread of this process runs the engine with no database connection at all, then stores
the outcome, reveals the seed and applies the result in one transaction of its own, retried on
conflicts. Meanwhile the record's page says the draw is running and refreshes itself. With the
setting ``draws.wait = true`` (the test suite) the request waits for the thread before answering.
"""

import logging
import threading
import time

from pyramid.settings import asbool
from pyramid.traversal import find_resource, resource_path
from ZODB.POSException import ConflictError

from portal import draw_service
from portal.storage import ROOT_KEY, zodb_root

log = logging.getLogger(__name__)
ATTEMPTS = 5  # commits of the outcome tried before giving up (the record then turns stale and may be run again)


def run_in_background(record, actor, request):
    """Start ``record``'s draw for ``actor``: refused at once if it has run or is running; the engine starts when
    the request's transaction has committed the "running" mark."""
    job = draw_service.start_draw(record, actor)
    path = resource_path(record)
    registry = request.registry
    wait = asbool(registry.settings.get("draws.wait", False))

    def launch(committed):
        if not committed:  # the mark was not stored (a conflict: the retried request decides again)
            return
        worker = threading.Thread(target=work, args=(registry, path, actor, job), name=f"draw {path}", daemon=True)
        worker.start()
        if wait:
            worker.join()

    request.tm.get().addAfterCommitHook(launch)


def work(registry, path, actor, job):
    """The thread: compute, then commit the outcome to the record at ``path`` (a new connection)."""
    outcome = draw_service.compute(job)
    db = registry._zodb_databases[""]
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with zodb_root(db, registry) as root:
                draw_service.finish_draw(find_resource(root[ROOT_KEY], path), actor, outcome)
            return True
        except ConflictError:
            time.sleep(0.1 * attempt)
    log.error("the outcome of the draw %s could not be stored after %d attempts", path, ATTEMPTS)
    return False

"""``/@@health``: a cheap answer for the load balancer: database reachable, app version, time of the last commit.

Public and never cached; it shows nothing but the portal's version and when the database last changed.
"""

import logging
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version

from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config
from ZODB.TimeStamp import TimeStamp

from content.root import PortalRoot

log = logging.getLogger(__name__)


def app_version():
    try:
        return version("review-portal")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "unknown"


@view_config(context=PortalRoot, name="health", renderer="json", permission=NO_PERMISSION_REQUIRED, request_method=("GET", "HEAD"))
def health(context, request):
    """200 with the figures when the database answers (traversal has just loaded the root through it and
    the last commit is asked of the database server); 503 when it does not."""
    request.response.cache_control = "no-store"
    request.environ["portal.no_page_cache"] = True
    try:
        tid = request.registry.last_commit()
        generation = context.generation
    except Exception:  # noqa: BLE001  (any failure of the database makes this process unhealthy)
        log.exception("health check: the database did not answer")
        request.response.status_int = 503
        return {"status": "unavailable", "version": app_version()}
    last = datetime.fromtimestamp(TimeStamp(tid).timeTime(), timezone.utc) if tid != b"\0" * 8 else None
    return {
        "status": "ok",
        "version": app_version(),
        "generation": generation,
        "last_commit": last.isoformat(timespec="seconds") if last else None,
    }

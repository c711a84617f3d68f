"""Test-only views for the storage tests, included with ``pyramid.includes = tests.conflict_views``.

``@@test-increment`` provokes a real ZODB write conflict on its first attempt: while the request's own
transaction is open, a second connection of the same database changes the same object and commits.
``@@test-fail`` changes the root and then fails. ``CALLS`` records every run as ``(view, retry attempt)``.
"""

from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED

from content.root import PortalRoot
from portal.storage import ROOT_KEY, zodb_root

CALLS = []


class PlannedFailure(Exception):
    """Raised by ``@@test-fail``; rendered as a 500 page by the exception view below."""


def _attempt(request):
    return request.environ.get("retry.attempt")


def concurrent_increment(registry):
    """Increment ``test_counter`` on the portal root through a separate connection and commit."""
    with zodb_root(registry._zodb_databases[""]) as zroot:
        root = zroot[ROOT_KEY]
        root.test_counter = getattr(root, "test_counter", 0) + 1


def increment(context, request):
    attempt = _attempt(request)
    CALLS.append(("increment", attempt))
    context.test_counter = getattr(context, "test_counter", 0) + 1
    if attempt == 0:
        # Another writer commits a change to the same object while this transaction is open:
        # this request's commit must then fail with a ConflictError.
        concurrent_increment(request.registry)
    return Response(f"counter={context.test_counter} attempt={attempt}")


def fail(context, request):
    CALLS.append(("fail", _attempt(request)))
    context.test_marker = request.params.get("marker", "x")
    if request.params.get("unhandled"):
        raise RuntimeError("unhandled failure after changing the root")
    raise PlannedFailure("planned failure after changing the root")


def touch_user(context, request):
    """Signed-in write: marks the caller's own user object, and conflicts on the first attempt."""
    attempt = _attempt(request)
    CALLS.append(("touch-user", attempt))
    user = request.identity
    user.test_touches = getattr(user, "test_touches", 0) + 1
    context.test_counter = getattr(context, "test_counter", 0) + 1
    if attempt == 0:
        concurrent_increment(request.registry)
    return Response(f"touches={user.test_touches}")


def return_error(context, request):
    CALLS.append(("return-error", _attempt(request)))
    context.test_marker = request.params.get("marker", "x")
    return Response("refused", status=400)


def planned_failure_view(exc, request):
    return Response("planned failure", status=500)


def includeme(config):
    options = dict(context=PortalRoot, request_method="POST", permission=NO_PERMISSION_REQUIRED, require_csrf=False)
    config.add_view(increment, name="test-increment", **options)
    config.add_view(fail, name="test-fail", **options)
    config.add_view(return_error, name="test-return-error", **options)
    config.add_view(touch_user, name="test-touch-user", **options)
    config.add_exception_view(planned_failure_view, context=PlannedFailure)

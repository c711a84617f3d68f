"""One page template compiles at a time in a process.

Chameleon compiles a template on its first use, building a Python syntax tree. CPython 3.11 can fail when
two threads do that at once ("SystemError: AST constructor recursion depth mismatch", CPython gh-106905),
which is what the first requests of a freshly started process do; the page then fails with a 500. Compiling
happens once per template and process, so a lock around it costs nothing afterwards.
"""

import threading

from chameleon.template import BaseTemplate

_LOCK = threading.RLock()


def install():
    """Wrap Chameleon's compile step in a process-wide lock (once; later calls do nothing)."""
    if getattr(BaseTemplate._cook, "portal_locked", False):
        return
    cook = BaseTemplate._cook

    def locked_cook(self, *args, **kwargs):
        with _LOCK:
            return cook(self, *args, **kwargs)

    locked_cook.portal_locked = True
    BaseTemplate._cook = locked_cook

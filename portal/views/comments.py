"""Adding a comment to an item of a review part (a checklist answer, a report section): the checks and
messages both share. Comments are kept as written (``content.review_parts.Comments``)."""

from portal.i18n import _, _n
from portal.views import flash, redirect, user_state

MAX_COMMENT = 5_000


def add_comment(request, part, key, back):
    """Add the posted ``text`` to the comments of ``part`` (a checklist, a report) on ``key`` as the reader's
    state; redirect to ``back``."""
    text = request.POST.get("text", "").strip()
    if not text or len(text) > MAX_COMMENT:
        flash(request, _n("A comment needs a text of at most ${count} character.",
                          "A comment needs a text of at most ${count} characters.", MAX_COMMENT), "error")
    else:
        part.comment(key, request.authenticated_userid, user_state(request), text)
        flash(request, _("Your comment has been added."))
    return redirect(back)

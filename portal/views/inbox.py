"""A person's notifications in the portal (``/users/<login>/@@inbox``, the owner's only): newest first, the
unread ones marked, with a button that marks them all read; the header shows how many are unread."""

from pyramid.view import view_config

from content.inbox import inbox_of
from content.users import User
from language import from_data
from portal.i18n import _, translate
from portal.views import flash, redirect
from workflows import permissions as P


@view_config(context=User, name="inbox", renderer="portal:templates/inbox.pt", permission=P.EDIT_PROFILE,
             request_method=("GET", "HEAD"))
def inbox(context, request):
    request.environ["portal.no_page_cache"] = True
    kept = getattr(context, "inbox", None)  # none made here: a GET writes nothing
    entries = kept.entries if kept is not None else []
    return {"page_title": translate(request, _("My notifications")),
            "entries": [{"subject": translate(request, from_data(e["subject"])),
                         "what": translate(request, from_data(e["what"])), "link": e["link"], "when": e["when"],
                         "read": e["read"]} for e in entries]}


@view_config(context=User, name="inbox", request_method="POST", permission=P.EDIT_PROFILE)
def mark_read(context, request):
    inbox_of(context).mark_read()
    flash(request, _("Every notification is marked as read."))
    return redirect(request.resource_url(context, "@@inbox"))

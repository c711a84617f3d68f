"""What the dialogue and the assistance threads share: reading uploaded files, posting a message with
its checks and translated errors, the thread page, and downloading an attachment (¶16, ¶22-¶23)."""

from datetime import date
from urllib.parse import quote

import colander
from pyramid.response import Response
from pyramid.view import view_config

from content.attachments import MAX_BYTES, MAX_FILES, TYPES, Attachment, UploadRejected
from content.threads import MAX_MESSAGE
from portal.i18n import _, _n, translate
from portal.views import user_state
from portal.views.helpers import state_name
from portal.views.helpers import workflow_info
from workflows import get_workflow
from workflows import permissions as P

SECRETARIAT = _("Secretariat")


def uploaded_files(request, field="files"):
    """``[(filename, bytes)]`` of the files sent in ``field``; reads at most one byte over the limit."""
    files = []
    for value in request.POST.getall(field):
        filename = getattr(value, "filename", None)
        if filename:
            files.append((filename, value.file.read(MAX_BYTES + 1)))
    return files


def text_node(name, title, maximum, required=True):
    """A text field; a required one made only of spaces counts as empty."""
    length = colander.Length(min=1 if required else 0, max=maximum, min_err=_("This field is required."))
    return colander.SchemaNode(colander.String(), name=name, title=title, validator=length,
                               missing=colander.required if required else "",
                               missing_msg=_("This field is required."), preparer=lambda v: v.strip() if isinstance(v, str) else v)


def validate(request, schema, fields):
    """``(values, errors)``: ``fields`` checked against the colander ``schema``; errors translated per field."""
    try:
        return schema.deserialize(fields), {}
    except colander.Invalid as invalid:
        return None, invalid.asdict(translate=lambda message: translate(request, message))  # each, before joining


def post_message(request, thread, state, text, files):
    """Post to ``thread`` as the signed-in user for ``state``; a list of translated errors, empty when posted."""
    if not text.strip() and not files:
        return [translate(request, _("Write a message or attach a file."))]
    if len(text) > MAX_MESSAGE:
        return [translate(request, _n("The message is longer than ${count} character.", "The message is longer than ${count} characters.",
                                         MAX_MESSAGE))]
    try:
        thread.post(request.authenticated_userid, state, text, files)
    except UploadRejected as rejected:
        return [translate(request, rejected.message)]
    return []


def poster_state(request):
    """The state a message is posted for: the user's own, or None for the secretariat."""
    return user_state(request)


def message_rows(request, thread):
    rows = []
    for m in thread.messages:
        rows.append({"who": m["who"], "from": state_name(request, m["state"]) if m["state"] else
                     translate(request, SECRETARIAT), "when": m["when"], "text": m["text"],
                     "files": [thread[n] for n in m["attachments"] if n in thread]})
    return rows


def reply_forms(request, thread, candidates):
    """The reply forms the reader may use: ``candidates`` are ``(permission, view, heading, button)``."""
    return [{"action": request.resource_url(thread, view), "heading": heading, "button": button}
            for permission, view, heading, button in candidates if request.has_permission(permission, thread)]


def thread_page(request, thread, asked_by, reply, open_, **extra):
    """What ``thread.pt`` needs for ``thread``: ``reply`` is ``(permission, heading, button)``, a reply form
    offered while ``open_``."""
    permission, heading, button = reply
    return {"page_title": translate(request, thread.title), "review": thread.review, "asked_by": asked_by,
            "messages": message_rows(request, thread),
            "forms": reply_forms(request, thread, [(permission, "@@reply", heading, button)]) if open_ else [],
            "upload_help": upload_help(request), "text": "", "errors": [],
            "workflow": workflow_info(thread, request),
            "state_title": get_workflow(thread).state_of(thread).title, **extra}


def upload_help(request):
    return translate(request, _n("Up to ${count} file of at most ${max} MB; accepted types: ${types}.",
                                 "Up to ${count} files of at most ${max} MB each; accepted types: ${types}.",
                                 MAX_FILES, mapping={"max": MAX_BYTES // (1024 * 1024), "types": tuple(sorted(t.upper() for t in TYPES))}))


def is_overdue(question, today=None):
    return question.workflow_state == "open" and question.due < (today or date.today())




@view_config(context=Attachment, permission=P.VIEW)
def download(context, request):
    """The file itself, always as a download, never sniffed or cached by a shared cache."""
    response = Response(body=context.read(), content_type=context.content_type.split(";")[0],
                        charset="utf-8" if context.content_type.startswith("text/") else None)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(context.filename)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    request.environ["portal.no_page_cache"] = True
    return response

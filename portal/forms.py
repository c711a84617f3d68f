"""Deform set-up (translated widgets and messages) and the schema pieces every form shares."""

from importlib.resources import files

import colander
import deform
from pyramid.i18n import get_localizer
from pyramid.settings import asbool
from pyramid.threadlocal import get_current_request



def _translator(term):
    request = get_current_request()
    if request is None:
        return term.interpolate() if hasattr(term, "interpolate") else term
    return get_localizer(request).translate(term)


def includeme(config):
    """Render deform widgets with its own templates and our translator (so colander and deform messages follow
    the reader). Template files are checked for changes only where page templates are (``reload_templates``):
    otherwise every widget of every form costs a file-system call."""
    reload_templates = asbool(config.get_settings().get("pyramid.reload_templates", False))
    deform.Form.set_zpt_renderer((str(files("deform") / "templates"),), translator=_translator, auto_reload=reload_templates)


@colander.deferred
def _csrf_default(node, kw):
    return kw["request"].session.get_csrf_token()


class CSRFSchema(colander.Schema):
    """Base schema of every form: the hidden CSRF token that Pyramid checks on each POST."""

    csrf_token = colander.SchemaNode(colander.String(), widget=deform.widget.HiddenWidget(), default=_csrf_default, title="")


def make_form(schema_class, request, buttons, **kw):
    """A deform form for a schema bound to the request, with translated buttons."""
    schema = schema_class().bind(request=request, **kw)
    return deform.Form(schema, buttons=buttons)


def button(name, title):
    return deform.Button(name=name, title=title)



def form_page(request, form, page_title, on_success, intro=None, appstruct=None, submit="save"):
    """The usual form view: show ``form``; on a POST with ``submit``, validate it and return
    ``on_success(data)`` (a response), or show it again with its errors, losing nothing typed."""
    page = {"page_title": page_title, "intro": intro}
    if submit in request.POST:
        try:
            data = form.validate(request.POST.items())
        except deform.ValidationFailure as failure:
            return {**page, "form": failure.render()}
        return on_success(data)
    return {**page, "form": form.render(appstruct) if appstruct is not None else form.render()}

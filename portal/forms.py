"""Deform set-up (translated widgets and messages) and the schema pieces every form shares."""

import copy
from importlib.resources import files

import colander
import deform
from pyramid.i18n import get_localizer
from pyramid.settings import asbool
from pyramid.threadlocal import get_current_request

from language import LANGUAGE_NAMES, LANGUAGE_TITLES, LANGUAGES, _, _n, text_direction, translate_with
from language.multilingual import LocalizedText
from content.review_parts import review_of



def _translator(term):
    request = get_current_request()
    if request is None:
        return term.interpolate() if hasattr(term, "interpolate") else term
    return translate_with(get_localizer(request), term)  # messages inside a message's mapping too


def includeme(config):
    """Render deform widgets with its own templates and our translator (so colander and deform messages follow
    the reader). Template files are checked for changes only where page templates are (``reload_templates``):
    otherwise every widget of every form costs a file-system call."""
    reload_templates = asbool(config.get_settings().get("pyramid.reload_templates", False))
    deform.Form.set_zpt_renderer((str(files("portal") / "templates" / "deform"), str(files("deform") / "templates")),
                                 translator=_translator, auto_reload=reload_templates)


@colander.deferred
def _csrf_default(node, kw):
    return kw["request"].session.get_csrf_token()


class CSRFSchema(colander.Schema):
    """Base schema of every form: the hidden CSRF token that Pyramid checks on each POST."""

    csrf_token = colander.SchemaNode(colander.String(), widget=deform.widget.HiddenWidget(), default=_csrf_default, title="")


def make_form(schema_class, request, buttons, **kw):
    """A deform form for a schema bound to the request, with translated buttons. Inside a country review, the
    free-text fields are marked as written in its working language (R25): what they hold is the review's."""
    schema = schema_class().bind(request=request, **kw)
    review = review_of(getattr(request, "context", None))
    if getattr(review, "language", None) in LANGUAGES:
        mark_language(schema, review.language)
    return deform.Form(schema, buttons=buttons)


def mark_language(schema, lang):
    """Give the text fields of ``schema`` (not dates, choices or hidden fields) ``lang`` and its direction,
    unless a field says its own language already (a text in six languages)."""
    for node in schema.children:
        mark_language(node, lang)
        widget = getattr(node, "widget", None)
        if widget is None and isinstance(node.typ, colander.String):  # deform's default for a string
            widget = deform.widget.TextInputWidget()
        if type(widget) in (deform.widget.TextAreaWidget, deform.widget.TextInputWidget) and \
                "lang" not in (getattr(widget, "attributes", None) or {}):
            widget = copy.copy(widget)  # a schema class's widget is shared by every form made from it
            widget.attributes = {**(getattr(widget, "attributes", None) or {}), "lang": lang,
                                 "dir": text_direction(lang)}
            node.widget = widget


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


# -- texts in six languages (language/multilingual.py): one field per language, side by side ---------------

def localized_node(name, title, description=None, textarea=False, rows=3, max_length=5000, required=True,
                   lines=False):
    """A form group for a ``LocalizedText``: the original language and one field per language, side by side.
    The original's text is required (when ``required``); ``lines``: one item per line (an agenda), and every
    language that is given has as many items as the original."""
    widget = deform.widget.MappingWidget(template="localized_mapping")
    node = colander.SchemaNode(colander.Mapping(), name=name, title=title, description=description, widget=widget,
                               missing=colander.drop if not required else colander.required)
    node.add(colander.SchemaNode(colander.String(), name="original", title=_("Original language"),
                                 widget=language_select(),
                                 validator=colander.OneOf(LANGUAGES), missing="en", default=_page_language))
    for lang in LANGUAGES:
        attributes = {"lang": lang, "dir": text_direction(lang)}
        field_widget = (deform.widget.TextAreaWidget(rows=rows, attributes=attributes) if textarea or lines
                        else deform.widget.TextInputWidget(attributes=attributes))
        node.add(colander.SchemaNode(colander.String(), name=lang, title=LANGUAGE_TITLES[lang], missing="",
                                     widget=field_widget, validator=colander.Length(max=max_length)))
    node.validator = _localized_validator(required, lines)
    return node


@colander.deferred
def _page_language(node, kw):
    """A new text's original language: the language the page is in (the writer's)."""
    request = kw.get("request")
    return request.locale_name if request is not None and request.locale_name in LANGUAGES else "en"


def language_select(empty=False):
    """A select of the six languages by their own names, each option marked with its language."""
    return deform.widget.SelectWidget(values=[("", "—")] * empty + [(lang, LANGUAGE_NAMES[lang]) for lang in LANGUAGES],
                                      template="select_language")


def _localized_validator(required, lines):
    def validate(node, value):
        original = value.get("original") or "en"
        if required and not (value.get(original) or "").strip():
            raise colander.Invalid(node[original], _("Give the text in its original language."))
        if lines:
            count = len(split_lines(value.get(original)))
            for lang in LANGUAGES:
                given = len(split_lines(value.get(lang)))
                if given and given != count:
                    raise colander.Invalid(node[lang], _n("One line per item: the original has ${count} item.",
                                                          "One line per item: the original has ${count} items.", count))
    return validate


def split_lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def localized_appstruct(value):
    """What a ``localized_node`` shows for a ``LocalizedText`` (or a plain text, or nothing)."""
    text = LocalizedText.of(value) if value is not None else LocalizedText()
    return {"original": text.original, **{lang: text.texts.get(lang, "") for lang in LANGUAGES}}


def localized_lines_appstruct(items):
    """What a ``localized_node(lines=True)`` shows for a list of ``LocalizedText`` (an agenda)."""
    items = [LocalizedText.of(item) for item in items]
    original = items[0].original if items else "en"
    return {"original": original,
            **{lang: "\n".join(item.texts.get(lang, "") for item in items) if any(i.texts.get(lang) for i in items) else ""
               for lang in LANGUAGES}}


def localized_from(data, current=None):
    """A ``LocalizedText`` from a ``localized_node``'s data: ``current`` updated in place when given."""
    text = current if isinstance(current, LocalizedText) else LocalizedText()
    text.update(data.get("original") or "en", {lang: data.get(lang, "") for lang in LANGUAGES})
    return text


def localized_lines_from(data):
    """The items of a ``localized_node(lines=True)``: a ``LocalizedText`` per line of the original."""
    original = data.get("original") or "en"
    columns = {lang: split_lines(data.get(lang)) for lang in LANGUAGES}
    return [LocalizedText(columns[original][k], original,
                          **{lang: columns[lang][k] for lang in LANGUAGES if lang != original and len(columns[lang]) > k})
            for k in range(len(columns[original]))]

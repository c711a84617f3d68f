"""Translating the texts that the secretariat and the Group write for readers (cycles, decisions, meetings,
recommendations, courses): ``<resource>/@@translate`` shows every text of a resource with its six languages
side by side; the translator's queue lists what each language still misses."""

from pyramid.view import view_config

from content.events import modified
from content.localized import Localized, localized_resources
from language import LANGUAGE_NAMES, LANGUAGES
from portal.forms import CSRFSchema, button, form_page, localized_appstruct, localized_from, localized_node, make_form
from portal.i18n import _, translate
from portal.views import flash, redirect
from workflows import permissions as P


def missing_rows(request, lang=None):
    """``[(resource, [label, ...], [language, ...])]``: the resources whose texts miss a version (in ``lang``
    when given) and that the reader may translate."""
    rows = []
    for resource in localized_resources(request.root):
        missing = {}
        for label, text in resource.localized_texts():
            for wanted in text.missing():
                if lang in (None, wanted):
                    missing.setdefault(wanted, []).append(label)
        if missing and request.has_permission(P.TRANSLATE, resource):
            labels = list(dict.fromkeys(label for labels in missing.values() for label in labels))
            rows.append((resource, labels, [w for w in LANGUAGES if w in missing]))
    return rows


def missing_counts(request):
    """``{language: how many resources miss a version in it}``."""
    counts = dict.fromkeys(LANGUAGES, 0)
    for _resource, _labels, languages in missing_rows(request):
        for lang in languages:
            counts[lang] += 1
    return counts


@view_config(context=Localized, name="translate", renderer="portal:templates/form.pt", permission=P.TRANSLATE)
def translate_texts(context, request):
    """Every text of the resource in its six languages, side by side; the secretariat fills or corrects them."""
    texts = context.localized_texts()
    schema = CSRFSchema()
    for k, (label, text) in enumerate(texts):
        schema.add(localized_node(f"t{k}", label, textarea=len(text.text) > 120 or "\n" in text.text,
                                  rows=max(2, min(12, len(text.text) // 90 + 1)), max_length=20000))
    form = make_form(lambda: schema, request, buttons=[button("save", _("Save"))])

    def save(data):
        for k, (_label, text) in enumerate(texts):
            localized_from(data[f"t{k}"], text)
        modified(context, "translations")
        flash(request, _("Saved."))
        return redirect(request.resource_url(context, "@@translate"))

    title = translate(request, _("Translations of “${title}”", mapping={"title": context.title}))
    intro = translate(request, _("Each text in the six languages. Readers see their language, or the original with "
                                 "a notice while a version is missing."))
    return form_page(request, form, title, save, intro=intro,
                     appstruct={f"t{k}": localized_appstruct(text) for k, (_label, text) in enumerate(texts)})


def queue_section(request, wanted):
    """What the translator's queue shows of these texts."""
    return {"texts": missing_rows(request, wanted), "text_counts": missing_counts(request),
            "language_names": LANGUAGE_NAMES}

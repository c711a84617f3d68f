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


def missing_rows(request):
    """``[(resource, [label, ...], [language, ...])]``: the resources whose texts miss a version and that the
    reader may translate."""
    rows = []
    for resource in localized_resources(request.root):
        missing = {}
        for label, text in resource.localized_texts():
            for wanted in text.missing():
                missing.setdefault(wanted, []).append(label)
        if missing and request.has_permission(P.TRANSLATE, resource):
            labels = list(dict.fromkeys(label for labels in missing.values() for label in labels))
            rows.append((resource, labels, [w for w in LANGUAGES if w in missing]))
    return rows




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
    """What the translator's queue shows of these texts: the resources missing a version in ``wanted`` (every
    language when None), and per language how many resources miss one (one walk for both)."""
    rows = missing_rows(request)
    counts = {lang: sum(1 for _r, _labels, languages in rows if lang in languages) for lang in LANGUAGES}
    if wanted is not None:
        rows = [(resource, _labels_for(resource, wanted), [wanted]) for resource, _l, languages in rows
                if wanted in languages]
    return {"texts": rows, "text_counts": counts, "language_names": LANGUAGE_NAMES}


def _labels_for(resource, lang):
    return list(dict.fromkeys(label for label, _text in resource.missing_translations(lang)))

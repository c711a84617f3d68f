"""Translation strings, the six working languages, locale negotiation and catalog compilation."""

import os
from pathlib import Path

from pyramid.i18n import Localizer, make_localizer
from pyramid.interfaces import ILocalizer, ITranslationDirectories
from translationstring import TranslationString, TranslationStringFactory

_ = TranslationStringFactory("portal")

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
DEFAULT_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar"})
LANGUAGE_COOKIE = "portal_lang"
LANGUAGE_PARAM = "lang"
# Each language's name in itself, for the switcher (endonyms are not translated).
LANGUAGE_NAMES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


def requested_language(request):
    """The language asked for in the address (``?lang=xx``), or None when absent or unknown."""
    try:
        lang = request.GET.get(LANGUAGE_PARAM)
    except UnicodeDecodeError:
        return None
    return lang if lang in LANGUAGES else None


def negotiate_locale(request):
    """Explicit choice in the address, else the remembered cookie, else Accept-Language, else English."""
    lang = requested_language(request)
    if lang:
        return lang
    lang = request.cookies.get(LANGUAGE_COOKIE)
    if lang in LANGUAGES:
        return lang
    header = request.headers.get("Accept-Language")
    if header:
        try:
            return request.accept_language.lookup(LANGUAGES, default=DEFAULT_LANGUAGE)
        except Exception:  # a malformed header is not the reader's fault
            return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def remember_language(event):
    """NewResponse subscriber: store an explicit ``?lang=`` choice in a cookie for later pages."""
    set_language_cookie(event.request, event.response)
    event.response.vary = tuple(sorted(set(event.response.vary or ()) | {"Accept-Language", "Cookie"}))


def set_language_cookie(request, response):
    """Remember the address's ``?lang=`` in the language cookie when it differs from the one sent."""
    lang = requested_language(request)
    if lang and request.cookies.get(LANGUAGE_COOKIE) != lang:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 24 * 3600, httponly=True, samesite="Lax", path="/")


def text_direction(lang):
    """``rtl`` for right-to-left languages, else ``ltr``."""
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


class PluralString(TranslationString):
    """A message with a singular and a plural form; the language's plural rule picks the form for ``n``
    (Arabic has six forms, Russian three, Chinese one). Made by ``_n``."""

    def __new__(cls, singular, plural, n, mapping=None):
        self = TranslationString.__new__(cls, singular, domain="portal", mapping=mapping)
        self.plural = plural
        self.n = n
        return self

    def interpolate(self, translated=None):
        """The English text (for command-line messages): the singular for 1, else the plural."""
        if translated is None:
            translated = str(self) if self.n == 1 else self.plural
        return TranslationString.interpolate(self, translated)


def _n(singular, plural, n, mapping=None):
    """``_`` for a message about ``n`` things: ``${count}`` in either form is ``n``, written for the language."""
    return PluralString(singular, plural, n, mapping={"count": n, **(mapping or {})})


def translate(request, message):
    """Translate ``message`` for the request, translating translation strings inside its mapping too."""
    return translate_with(request.localizer, message)


def translate_with(localizer, message):
    """Translate ``message`` with ``localizer``: translation strings in its mapping first, lists (tuples) in it
    joined as the language joins them ("A, B and C"), and the form of a plural message chosen for its count."""
    if not isinstance(message, TranslationString):
        return message
    mapping = {k: _mapping_value(localizer, v) for k, v in (message.mapping or {}).items()}
    if isinstance(message, PluralString):
        mapping["count"] = format_number(message.n, localizer.locale_name)
        return localizer.pluralize(str(message), message.plural, message.n, domain=message.domain, mapping=mapping)
    if mapping:
        message = TranslationString(message, mapping=mapping)
    return localizer.translate(message)


def _mapping_value(localizer, value):
    if isinstance(value, TranslationString):
        return translate_with(localizer, value)
    if isinstance(value, tuple):
        return format_list([translate_with(localizer, v) for v in value], localizer.locale_name)
    return value


def format_list(items, lang):
    """``items`` joined as ``lang`` writes a list: "A, B and C", « A, B et C », "A、B和C", "A وB وC"."""
    from babel.lists import format_list as babel_format_list

    items = [str(i) for i in items]
    return babel_format_list(items, locale=lang) if items else ""


def format_number(n, lang):
    """An integer with the language's grouping (1,234 / 1 234 / 1.234), in Latin digits as UN documents write them."""
    from babel.numbers import format_decimal

    return format_decimal(n, locale=lang, numbering_system="latn")


class CachingLocalizer(Localizer):
    """A localizer that remembers translations of strings without variables (most of a page's text).

    Catalogs do not change while the process runs, so the memo never goes stale; it is bounded.
    """

    MAX_ENTRIES = 50000

    def __init__(self, locale_name, translations):
        super().__init__(locale_name, translations)
        self._memo = {}

    def translate(self, tstring, domain=None, mapping=None):
        if isinstance(tstring, PluralString):  # a plural message put straight into a template
            return translate_with(self, tstring)
        if mapping is not None or not isinstance(tstring, TranslationString) or tstring.mapping:
            return super().translate(tstring, domain=domain, mapping=mapping)
        key = (str(tstring), tstring.domain, domain, tstring.default, tstring.context)
        try:
            return self._memo[key]
        except KeyError:
            result = super().translate(tstring, domain=domain)
            if len(self._memo) < self.MAX_ENTRIES:
                self._memo[key] = result
            return result


def install_localizers(registry):
    """Register a caching localizer for each working language (Pyramid then reuses them per request)."""
    directories = registry.queryUtility(ITranslationDirectories, default=[])
    for lang in LANGUAGES:
        plain = make_localizer(lang, directories)
        registry.registerUtility(CachingLocalizer(lang, plain.translations), ILocalizer, name=lang)


def localizer(lang, registry=None):
    """The localizer of ``lang`` (English if it is not a working language): the registered one when a
    registry is given, else one read from the shipped catalogs (scripts that run without a request)."""
    lang = lang if lang in LANGUAGES else "en"
    found = registry.queryUtility(ILocalizer, name=lang) if registry is not None else None
    if found is None:
        compile_catalogs()
        found = make_localizer(lang, [str(LOCALES_DIR)])
    return found


def compile_catalogs(locales_dir=LOCALES_DIR):
    """Compile every ``.po`` under ``locales_dir`` into a ``.mo`` beside it when missing or stale."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in Path(locales_dir).glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with open(po_path, "rb") as f:
            catalog = read_po(f, locale=po_path.parent.parent.name)
        tmp = mo_path.with_suffix(".mo.tmp%d" % os.getpid())
        with open(tmp, "wb") as f:
            write_mo(f, catalog)
        os.replace(tmp, mo_path)

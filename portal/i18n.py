"""The web side of languages: locale negotiation, the language cookie, localizers and catalog compilation;
translation strings and the six languages themselves are in ``language`` (re-exported here)."""

import os
from pathlib import Path

from pyramid.i18n import Localizer, make_localizer
from pyramid.interfaces import ILocalizer, ITranslationDirectories
from translationstring import TranslationString

from language import (  # noqa: F401  (the web layer's names for them)
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    LANGUAGE_TITLES,
    LANGUAGES,
    RTL_LANGUAGES,
    PluralString,
    _,
    _n,
    format_date,
    format_datetime,
    format_list,
    format_money,
    format_number,
    text_direction,
    translate_with,
)

from portal.settings import SESSION_COOKIE

LANGUAGE_COOKIE = "portal_lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_PARAM = "lang"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


def requested_language(request):
    """The language asked for in the address (``?lang=xx``), or None when absent or unknown."""
    try:
        lang = request.GET.get(LANGUAGE_PARAM)
    except UnicodeDecodeError:
        return None
    return lang if lang in LANGUAGES else None


def negotiate_locale(request):
    """Explicit choice (in the address, else the remembered cookie), else the language the signed-in user
    chose (``User.chosen_language``), else Accept-Language, else English."""
    return explicit_language(request) or account_language(request) or browser_language(request)


def explicit_language(request):
    """The reader's explicit choice: ``?lang=xx`` in the address, else the cookie the switcher (or saving the
    profile) set; None without one."""
    lang = requested_language(request)
    if lang:
        return lang
    lang = request.cookies.get(LANGUAGE_COOKIE)
    return lang if lang in LANGUAGES else None


def account_language(request):
    """The language the signed-in user chose (at nomination or in the profile), or None. Only a request with
    a session cookie asks the security policy (anonymous readers never reach the database for this, and the
    anonymous cache negotiates on plain WebOb requests)."""
    if SESSION_COOKIE not in request.cookies:
        return None
    lang = getattr(getattr(request, "identity", None), "chosen_language", None)
    return lang if lang in LANGUAGES else None


def language_key(request):
    """What decides a signed-in page's language apart from the user's own choice, read from the request alone
    (no database): the explicit choice and the browser's language. The page cache keys by it together with
    the principals (which name the user) and the last commit (which fixes the user's choice)."""
    return explicit_language(request), browser_language(request)


def browser_language(request):
    """The best of the six for the browser's ``Accept-Language``; English without one (or for a bad one)."""
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
    if lang and request.cookies.get(LANGUAGE_COOKIE) != lang and not _sets_language(response):
        remember_language_choice(response, lang)


def remember_language_choice(response, lang):
    """Set the language cookie on ``response`` (the switcher's ``?lang=``, or a language saved in the profile)."""
    response.set_cookie(LANGUAGE_COOKIE, lang, max_age=LANGUAGE_COOKIE_AGE, httponly=True, samesite="Lax", path="/")


def _sets_language(response):
    """True when ``response`` already sets the language cookie (saving the profile): that choice stands."""
    return any(value.startswith(LANGUAGE_COOKIE + "=") for value in response.headers.getall("Set-Cookie"))


def translate(request, message):
    """Translate ``message`` for the request, translating translation strings inside its mapping too."""
    return translate_with(request.localizer, message)


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


_LOCALIZERS = {}  # (language, translation directories) -> CachingLocalizer; catalogs do not change in a process


def install_localizers(registry):
    """Register a caching localizer for each working language (Pyramid then reuses them per request).
    Applications made in one process (the test suite makes hundreds) share them."""
    directories = tuple(registry.queryUtility(ITranslationDirectories, default=[]))
    for lang in LANGUAGES:
        found = _LOCALIZERS.get((lang, directories))
        if found is None:
            plain = make_localizer(lang, list(directories))
            found = _LOCALIZERS[(lang, directories)] = CachingLocalizer(lang, plain.translations)
        registry.registerUtility(found, ILocalizer, name=lang)


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

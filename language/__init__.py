"""The portal's languages and translation strings, for every layer: the message factory ``_`` (domain
``portal``), plural messages ``_n``, the six languages, and translating with a localizer. Imports nothing
of the project, so resources and workflows use it without the web application."""

import re
from datetime import date, datetime, timezone
from functools import lru_cache

from translationstring import TranslationString, TranslationStringFactory

from language.names import StateName

_ = TranslationStringFactory("portal")

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
DEFAULT_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar"})
# Each language's name in itself, for the switcher (endonyms are not translated).
LANGUAGE_NAMES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}

# Each language's name in a sentence of another ("the original, in English"): translated like any message.
LANGUAGE_TITLES = {
    "ar": _("Arabic"),
    "zh": _("Chinese"),
    "en": _("English"),
    "fr": _("French"),
    "ru": _("Russian"),
    "es": _("Spanish"),
}


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


def translate_with(localizer, message):
    """Translate ``message`` with ``localizer``: translation strings in its mapping first, lists (tuples) in it
    joined as the language joins them ("A, B and C"), and the form of a plural message chosen for its count."""
    if isinstance(message, LocalizedText):
        return message.text_in(localizer.locale_name)
    if not isinstance(message, TranslationString):
        return message
    lang = localizer.locale_name
    mapping = {}
    articled = []  # forms of State names that begin with an article ("le Bénin"): capitalized to begin a sentence
    for key, value in (message.mapping or {}).items():
        if isinstance(value, StateName):
            forms = value.forms(key, lang)
            mapping.update(forms)
            articled += [v for k, v in forms.items() if k != key and v != forms[key]]
        else:
            mapping[key] = _mapping_value(localizer, value)
    text = _translated(localizer, message, mapping)
    if "${" in text and _FORM.search(text):  # a name given as text where a form is wanted: forms without article
        for key, value in list(mapping.items()):
            if isinstance(value, str) and not isinstance(message.mapping.get(key), StateName):
                mapping.update({k: v for k, v in StateName({lang: value}).forms(key, lang).items() if k not in mapping})
        text = _translated(localizer, message, mapping)
    return _capitalized(text, articled)


_FORM = re.compile(r"\$\{(?:of|the|to)_\w+\}")


def _translated(localizer, message, mapping):
    if isinstance(message, PluralString):
        mapping["count"] = format_number(message.n, localizer.locale_name)
        return localizer.pluralize(str(message), message.plural, message.n, domain=message.domain, mapping=mapping)
    return localizer.translate(TranslationString(message, mapping=mapping) if mapping else message)


def _capitalized(text, articled):
    """``text`` with its first letter capitalized when it begins with a name's article ("Le Bénin a...")."""
    if text and text[0].islower() and any(text.startswith(value) for value in articled):
        return text[0].upper() + text[1:]
    return text


def in_english(message):
    """``message`` written out in English, as ``translate_with`` would with no catalog: for command-line output,
    logs and records that must read the same everywhere."""
    if isinstance(message, LocalizedText):
        return message.text_in("en")
    if not isinstance(message, TranslationString):
        return str(message)
    mapping = {}
    for k, v in (message.mapping or {}).items():
        if isinstance(v, StateName):
            mapping.update(v.forms(k, "en"))
        else:
            mapping[k] = format_list([in_english(i) for i in v], "en") if isinstance(v, tuple) else in_english(v) \
                if isinstance(v, (TranslationString, LocalizedText)) else v
    text = str(message)
    if isinstance(message, PluralString):
        text = text if message.n == 1 else message.plural
    return TranslationString(text, mapping=mapping).interpolate()


def to_data(message):
    """A translation string as JSON-ready data (to keep in a record and translate when shown); see ``from_data``."""
    if not isinstance(message, TranslationString):
        return {"text": str(message)}
    data = {"id": str(message), "domain": message.domain,
            "mapping": {k: to_data(v) if isinstance(v, TranslationString) else list(v) if isinstance(v, tuple) else v
                        for k, v in (message.mapping or {}).items()}}
    if isinstance(message, PluralString):
        data.update(plural=message.plural, n=message.n)
    return data


def from_data(data):
    """The translation string that ``to_data`` wrote (lists in the mapping are lists to join again)."""
    if "id" not in data:
        return data.get("text", "")
    mapping = {k: from_data(v) if isinstance(v, dict) else tuple(v) if isinstance(v, list) else v
               for k, v in data.get("mapping", {}).items()}
    if "plural" in data:
        return PluralString(data["id"], data["plural"], data["n"], {**mapping, "count": data["n"]})
    return TranslationString(data["id"], domain=data.get("domain", "portal"), mapping=mapping)


def _mapping_value(localizer, value):
    if isinstance(value, (TranslationString, LocalizedText)):
        return translate_with(localizer, value)
    if isinstance(value, tuple):
        return format_list([translate_with(localizer, v) for v in value], localizer.locale_name)
    if isinstance(value, datetime):  # before ``date``: a date-time is also a date
        return format_datetime(value, localizer.locale_name)
    if isinstance(value, date):
        return format_date(value, localizer.locale_name)
    return value


def format_list(items, lang):
    """``items`` joined as ``lang`` writes a list: "A, B and C", « A, B et C », "A、B和C", "A وB وC"."""
    from babel.lists import format_list as babel_format_list

    items = [str(i) for i in items]
    return babel_format_list(items, locale=lang) if items else ""


@lru_cache(maxsize=4096)
def format_date(value, lang):
    """A date as ``lang`` writes it in full (Babel's "long": 3 March 2027, 3 mars 2027, 2027年3月3日)."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, "long", locale=lang)


def format_datetime(value, lang):
    """A date-time as ``lang`` writes it (Babel's "medium"), in UTC; the caller says that it is UTC."""
    from babel.dates import format_datetime as babel_format_datetime

    return babel_format_datetime(value, "medium", tzinfo=timezone.utc, locale=lang)


def format_number(n, lang):
    """An integer with the language's grouping (1,234 / 1 234 / 1.234), in Latin digits as UN documents write them."""
    from babel.numbers import format_decimal

    return format_decimal(n, locale=lang, numbering_system="latn")


def format_money(amount, currency, lang):
    """An amount (a Decimal, or its text as records and annexes keep it) with its ISO 4217 ``currency``, as ``lang``
    writes it (``300 000,00 NOK``), in Latin digits as UN documents write them."""
    from decimal import Decimal

    from babel.numbers import format_currency

    return format_currency(Decimal(str(amount)), currency, locale=lang, numbering_system="latn")


from language.multilingual import LocalizedText  # noqa: E402  (it needs LANGUAGES from here)

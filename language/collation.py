"""Alphabetical order as each language expects it, by the Unicode Collation Algorithm with CLDR's
tailorings (ICU, through PyICU): Chinese by pinyin, Arabic and Russian by their alphabets, French and
Spanish with accents second to letters."""

import threading

import icu

_local = threading.local()  # a collator per thread: ICU collators are not to be shared while in use


def collator(lang):
    """The ICU collator of ``lang`` (primary to tertiary strength: case and accents break ties only)."""
    cache = getattr(_local, "collators", None)
    if cache is None:
        cache = _local.collators = {}
    if lang not in cache:
        cache[lang] = icu.Collator.createInstance(icu.Locale(lang or "en"))
    return cache[lang]


def sort_key(text, lang):
    """A key that sorts ``text`` as ``lang`` orders words."""
    return collator(lang).getSortKey(text or "")


def sorted_names(items, lang, key=lambda item: item):
    """``items`` in ``lang``'s alphabetical order of ``key(item)``."""
    c = collator(lang)
    return sorted(items, key=lambda item: c.getSortKey(key(item) or ""))

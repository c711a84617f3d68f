"""The demo world's texts in six languages (``demo_texts.toml``): as a ``LocalizedText`` for what is written
for every reader, or in one language for what a review writes in its working language."""

import tomllib
from functools import lru_cache
from pathlib import Path

from language import LANGUAGES
from language.multilingual import LocalizedText
from language.names import StateName


@lru_cache(maxsize=None)
def _texts():
    with open(Path(__file__).with_name("demo_texts.toml"), "rb") as f:
        return tomllib.load(f)


def _filled(text, lang, values):
    fields = {}
    for key, value in values.items():
        if isinstance(value, StateName):
            fields.update(value.forms(key, lang))
        else:
            fields[key] = value
    return text.format(**fields)


def text_in(name, lang, **values):
    """The demo text ``name`` in ``lang`` (English when the file lacks it), its placeholders filled."""
    versions = _texts()[name]
    return _filled(versions.get(lang) or versions["en"], lang, values)


def localized(name, original="en", **values):
    """The demo text ``name`` in every language, written in ``original``."""
    versions = _texts()[name]
    return LocalizedText(text_in(name, original, **values), original,
                         **{lang: _filled(versions[lang], lang, values) for lang in LANGUAGES
                            if lang != original and versions.get(lang)})

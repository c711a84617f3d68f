"""A text that people write for others to read (a cycle's title, a decision, an agenda item...) in each of
the six languages, with the language it was written in: readers get theirs, or the original with a notice."""

from persistent import Persistent
from persistent.mapping import PersistentMapping

from language import LANGUAGES

# Longest text a single-line field takes; longer ones are paragraphs (forms use a text area).
SHORT = 300


class LocalizedText(Persistent):
    """One text in several languages. ``original`` is the language it was written in; ``texts`` holds a
    version per language that has one. ``str()`` is the original, so old code that prints it still reads."""

    def __init__(self, text="", original="en", **translations):
        self.original = original if original in LANGUAGES else "en"
        self.texts = PersistentMapping()
        if text:
            self.texts[self.original] = text
        for lang, value in translations.items():
            if lang in LANGUAGES and value:
                self.texts[lang] = value

    @classmethod
    def of(cls, value, original="en"):
        """``value`` as a localized text: itself if it is one, else a text in ``original`` (old data, scripts)."""
        if isinstance(value, cls):
            return value
        return cls(str(value or ""), original)

    @property
    def text(self):
        """The original version."""
        return self.texts.get(self.original, "")

    def in_language(self, lang):
        """``(text, language shown)``: ``lang``'s version when there is one, else the original's."""
        if self.texts.get(lang):
            return self.texts[lang], lang
        return self.text, self.original

    def text_in(self, lang):
        return self.in_language(lang)[0]

    def missing(self):
        """The languages without a version, in the portal's order (empty when the text itself is empty)."""
        if not self.text:
            return ()
        return tuple(lang for lang in LANGUAGES if not self.texts.get(lang))

    def update(self, original, texts):
        """Set the original language and every version (an empty version is removed); returns True when
        something changed."""
        before = (self.original, dict(self.texts))
        self.original = original if original in LANGUAGES else self.original
        for lang in LANGUAGES:
            value = (texts.get(lang) or "").strip()
            if value:
                self.texts[lang] = value
            elif lang in self.texts:
                del self.texts[lang]
        return before != (self.original, dict(self.texts))

    def as_json(self):
        """``{"original": "fr", "texts": {"fr": ..., "en": ...}}``."""
        return {"original": self.original, "texts": {lang: self.texts[lang] for lang in LANGUAGES if lang in self.texts}}

    def all_texts(self):
        """Every version, for the search index."""
        return [self.texts[lang] for lang in LANGUAGES if lang in self.texts]

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)

    def __eq__(self, other):
        if isinstance(other, LocalizedText):
            return (self.original, dict(self.texts)) == (other.original, dict(other.texts))
        return isinstance(other, str) and other == self.text

    __hash__ = Persistent.__hash__

    def __repr__(self):
        return f"LocalizedText({self.text!r}, {self.original!r})"


def localized(value, lang):
    """``value`` in ``lang`` when it is a localized text; other values as they are."""
    return value.text_in(lang) if isinstance(value, LocalizedText) else value

"""Names of States as UN terminology writes them, and the phrases French, Spanish and English build from
their article ("du Bénin", "de l'Argentine", "de las Bahamas", "the Netherlands").

A name is kept in UNTERM form: the short name with the article it takes in parentheses, "Bénin (le)",
"Argentine (l')", "Bahamas (las)", "Netherlands (the)". ``bare`` gives the name as lists show it;
``with_article`` and ``of_phrase`` the forms a sentence needs. A message that names a State gets a
``StateName`` in its mapping: ``translate_with`` offers every catalog three placeholders for it,
``${state}`` (bare), ``${the_state}``, ``${of_state}`` and ``${to_state}``, and each language's translation picks the one
its grammar wants ("Examen ${of_state}" gives "Examen du Bénin")."""

import re

# "Name (article)" with the article UNTERM gives; markers "*" and "**" (observer, non-member) are dropped.
_UNTERM = re.compile(r"^(?P<name>.*?)\s*\((?P<article>[^()]+)\)\s*$")
_MARKERS = re.compile(r"\s*\*+\s*$")
# The article each language contracts with "of" (de + le = du, de + el = del...).
_OF = {
    "fr": {"le": "du ", "la": "de la ", "l'": "de l'", "l’": "de l’", "les": "des ", "": "de "},
    "es": {"el": "del ", "la": "de la ", "los": "de los ", "las": "de las ", "": "de "},
}
# ... and with "to" (à + le = au, a + el = al).
_TO = {
    "fr": {"le": "au ", "la": "à la ", "l'": "à l'", "l’": "à l’", "les": "aux ", "": "à "},
    "es": {"el": "al ", "la": "a la ", "los": "a los ", "las": "a las ", "": "a "},
}
_THE = {"le": "le ", "la": "la ", "l'": "l'", "l’": "l’", "les": "les ", "el": "el ", "los": "los ",
        "las": "las ", "the": "the "}
# French writes "d'" before a vowel or a mute h (d'Israël, d'Haïti, d'Oman).
_ELIDES = re.compile(r"^[aeiouyàâäéèêëîïôöùûüœæhAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆH]")


def split(raw):
    """``(name, article)`` of a UNTERM short name; the article is ``""`` when the name takes none."""
    raw = _MARKERS.sub("", (raw or "").strip())
    match = _UNTERM.match(raw)
    if match and match.group("article").strip().lower() in _THE:
        return match.group("name").strip(), match.group("article").strip().lower()
    return raw, ""


def bare(raw):
    """The name without its article, as lists and tables show it: "Bénin"."""
    return split(raw)[0]


def with_article(raw, lang):
    """The name as a sentence's subject or object: "le Bénin", "la Argentina", "the Bahamas", "Cuba"."""
    name, article = split(raw)
    return _THE.get(article, "") + name if article else name


def of_phrase(raw, lang):
    """The name after "of" as the language writes it: French "du Bénin", "de l'Argentine", "des Bahamas",
    "d'Israël", "de Cuba"; Spanish "del Afganistán", "de las Bahamas", "de Angola"; English "the Bahamas"
    (the message already says "of"); other languages the bare name."""
    name, article = split(raw)
    if lang == "fr" and not article and _ELIDES.match(name):
        return "d'" + name
    return _contracted(_OF, name, article, raw, lang)


def to_phrase(raw, lang):
    """The name after "to": French "au Bénin", "à l'Argentine", "aux Bahamas", "à Cuba"; Spanish
    "al Afganistán", "a las Bahamas"; English "the Bahamas"; other languages the bare name."""
    return _contracted(_TO, *split(raw), raw, lang)


def _contracted(table, name, article, raw, lang):
    if lang in table:
        return table[lang].get(article, table[lang][""]) + name
    return with_article(raw, lang) if lang == "en" else name


class StateName:
    """A State's names in every language, for a message's mapping; ``forms`` gives the three
    placeholders' values in one language. It holds plain strings, so it outlives the transaction."""

    __slots__ = ("names", "code")

    def __init__(self, names, code=""):
        self.names = dict(names)
        self.code = code

    def raw(self, lang):
        return self.names.get(lang) or self.names.get("en") or self.code

    def forms(self, key, lang):
        """``{key: bare, the_key: with article, of_key: after "of", to_key: after "to"}`` in ``lang``."""
        raw = self.raw(lang)
        return {key: bare(raw), f"the_{key}": with_article(raw, lang), f"of_{key}": of_phrase(raw, lang),
                f"to_{key}": to_phrase(raw, lang)}

    def __str__(self):
        return bare(self.raw("en"))

    def __eq__(self, other):
        return isinstance(other, StateName) and (self.names, self.code) == (other.names, other.code)

    def __hash__(self):
        return hash(self.code)

    def __repr__(self):
        return f"StateName({self.code or str(self)!r})"


FORMS = ("of_", "the_", "to_")


def placeholder_base(name):
    """The placeholder a grammatical form stands for: ``of_state`` and ``the_state`` are ``state``."""
    for prefix in FORMS:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name

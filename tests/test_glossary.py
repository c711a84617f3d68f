"""Issue 20 §4, "words used once, one way": in every language, a UN term of the glossary is rendered the
glossary's way in every interface message that uses it, and the four kinds of text a review and the Group
produce — finding, conclusion, observation, recommendation — are four different words.

``tests/data/glossary.csv`` is a copy of the team's shared UN terminology list (``../shared/glossary.csv``,
columns en, fr, es, ru, zh, ar, note), kept in the project so that the tests never read outside it; copy it
again when the shared list changes.

How a rendering is matched (``renders``):

* zh: the glossary's characters, as a substring (Chinese does not inflect).
* fr, es, ru: every content word of the glossary's rendering, reduced to a stem, must begin a word of the
  translation. Case and accents are ignored (é = e, ё = е); the stem drops what inflection changes: in French
  the plural -s/-x and the -l of -al (gouvernemental/gouvernementaux); in Spanish the plural -s/-es and the
  gender vowel -o/-a (publicado/publicada); in Russian one case ending (обзоре → обзор, страновом → странов).
  Short function words (de, la, del, по, для...) are not required.
* ar: short vowels, shadda and tatweel are ignored and the alef forms (أ إ آ) are one letter; the stem drops
  the article ال, the ending ة or ات and a final nisba ي, and must occur inside a word of the translation, so
  that the clitics و ف ب ل ك, the article and verb prefixes may stand before it (الأمانة, للأمانة, وبالأمانة).
  Two broken plurals are spelled out (خبير|خبراء, تقرير|تقارير).

``STEMS`` replaces the automatic stems where a term's family is wider than its glossary form ("published" also
covers publish and publication: publier, publicar, опубликовать/публикация, 发布, نشر) or where the language
writes the idea with a second standard word (zh 保密 "keep confidential" beside 机密 "confidential"). An
alternative is written "a|b". A stem set is strict enough to tell a different word (公布 is not 发布,
«Вывод» is not «выявленный факт»), and tolerant of case, number and gender.
"""

import csv
import re
import unicodedata
from pathlib import Path

import pytest

from portal.scripts import catalogs

GLOSSARY = Path(__file__).parent / "data" / "glossary.csv"
LANGS = ("fr", "es", "ru", "zh", "ar")
PLACEHOLDER = re.compile(r"\$\{[^}]*\}")

# Words a rendering may leave out (articles, prepositions): they are not part of the term's identity.
FUNCTION_WORDS = {
    "fr": {"de", "d", "du", "des", "la", "le", "les", "l", "et", "au", "aux", "pour", "sur", "a"},
    "es": {"de", "del", "la", "el", "los", "las", "y", "sobre", "al", "en"},
    "ru": {"по", "о", "об", "в", "для", "и"},
    "ar": {"من"},
}
RU_ENDINGS = sorted("ыми ими ого его ому ему ая яя ое ее ые ие ый ий ой ом ем ым им ых их ую юю ов ев ам ям ах ях "
                    "а я о е ы и у ю й ь".split(), key=len, reverse=True)
AR_BROKEN_PLURALS = {"خبير": "خبير|خبراء", "تقرير": "تقرير|تقارير"}
AR_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")  # short vowels, tanwin, shadda, sukun, dagger alef, tatweel

# (English term, language) -> stems, where the automatic ones do not fit (see the module's docstring).
STEMS = {
    ("published", "fr"): ["publi"],
    ("published", "es"): ["public"],
    ("published", "ru"): ["опубликов|публик|неопубликов"],
    ("published", "zh"): ["发布"],
    ("published", "ar"): ["نشر|منشور"],
    ("confidential", "fr"): ["confidenti"],  # confidentiel(le)s, and "préserver la confidentialité"
    ("confidential", "zh"): ["机密|保密"],
}
# English words of the same family as a term: a message using them must render the term's family too.
FAMILY = {"published": ["publish", "publishes", "publishing", "publication"]}
# Where an English term is used in another sense, that span of the message id is not the term.
OTHER_SENSES = {
    # a "follow-up question" of the dialogue (question complémentaire, 后续问题), not the follow-up of ¶41
    "follow-up": re.compile(r"follow-up question|has a follow-up\b", re.I),
}
# (message id, language or "*", reason): messages where a glossary term is genuinely not the term.
EXCEPTIONS = [
    ("Line ${line}: status must be party, signatory or none, not “${value}”.", "*",
     "party, signatory and none are the literal values of the CSV column, kept in English"),
]

# The four kinds of text (issue 20): English words, and the word each language uses for it (a stem, as above).
KINDS_OF_TEXT = {
    "finding": {"en": r"findings?", "fr": "constatation", "es": "constatacion", "ru": "выявленн", "zh": "调查结果",
                "ar": "نتيج|نتائج"},
    "conclusion": {"en": r"conclusions?", "fr": "conclusion", "es": "conclusion", "ru": "вывод", "zh": "结论",
                   "ar": "استنتاج"},
    "observation": {"en": r"observations?", "fr": "observation", "es": "observacion", "ru": "замечани", "zh": "意见",
                    "ar": "ملاحظ"},
    "recommendation": {"en": r"recommendations?", "fr": "recommandation", "es": "recomendacion", "ru": "рекомендаци",
                       "zh": "建议", "ar": "توصي"},
}


# ------------------------------------------------------------------------------------------------ the matcher

def normalized(text, lang):
    text = text.lower().replace("’", "'")
    if lang in ("fr", "es"):
        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    elif lang == "ru":
        text = text.replace("ё", "е")
    elif lang == "ar":
        text = re.sub("[أإآ]", "ا", AR_MARKS.sub("", text))
    return text


def word_stem(word, lang):
    """The part of one word of a glossary rendering that inflection leaves alone (see the module's docstring)."""
    if lang == "fr":
        word = word[:-1] if len(word) > 3 and word[-1] in "sx" else word
        return word[:-1] if word.endswith("al") else word
    if lang == "es":
        if len(word) > 4 and word.endswith("es") and word[-3] not in "aeiou":
            word = word[:-2]
        elif len(word) > 3 and word.endswith("s"):
            word = word[:-1]
        return word[:-1] if len(word) > 3 and word[-1] in "oa" else word
    if lang == "ru":
        for ending in RU_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                return word[:-len(ending)]
        return word
    if lang == "ar":
        word = word[2:] if word.startswith("ال") and len(word) > 4 else word
        word = re.sub("ي$", "", re.sub("(ة|ات)$", "", word))
        return AR_BROKEN_PLURALS.get(word, word)
    return word


def stems(term, lang, rendering):
    """The stems a translation must contain for ``term`` (its English form) rendered as ``rendering``."""
    if (term.lower(), lang) in STEMS:
        return STEMS[(term.lower(), lang)]
    if lang == "zh":
        return [rendering]
    if lang == "ar":  # the article is recognised before the alef forms are merged (آلية is not ال + ية)
        words = re.findall(r"\w+", AR_MARKS.sub("", rendering))
        return [normalized(word_stem(w, lang), lang) for w in words if w not in FUNCTION_WORDS["ar"]]
    words = re.findall(r"\w+", normalized(rendering, lang))
    return [word_stem(w, lang) for w in words if w not in FUNCTION_WORDS[lang]]


def has_stem(stem, text, lang):
    """Whether ``text`` contains ``stem`` (alternatives "a|b") the way ``lang`` is matched."""
    alternatives = stem.split("|")
    if lang == "zh":
        return any(a in text for a in alternatives)
    words = re.findall(r"\w+", normalized(text, lang))
    if lang == "ar":
        return any(a in w for w in words for a in alternatives)
    return any(w.startswith(a) for w in words for a in alternatives)


def renders(term, lang, rendering, text):
    """The stems of ``rendering`` that ``text`` lacks (an empty list when it renders the term)."""
    return [s for s in stems(term, lang, rendering) if not has_stem(s, text, lang)]


def english_pattern(term, all_terms):
    """Whole words, any case; a term without its own plural (or singular) row also matches that form."""
    t = term.lower()
    variants = {t, *FAMILY.get(t, ())}
    last = t.split()[-1]
    if last.endswith("s") and not last.endswith("ss"):
        other = t[:-3] + "y" if t.endswith("ies") else t[:-1]
    else:
        other = t[:-1] + "ies" if t.endswith("y") else t + "s"
    if other not in all_terms:
        variants.add(other)
    alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I)


# ------------------------------------------------------------------------------------------------ data

def load_glossary(path=GLOSSARY):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def glossary():
    return load_glossary()


@pytest.fixture(scope="module")
def translations():
    """``{lang: catalog}`` of the shipped portal catalogs."""
    return {lang: catalogs.read_catalog(catalogs.catalog_path(lang), lang) for lang in ("en",) + LANGS}


def _forms(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _english(message):
    """The message id's English forms, placeholders removed."""
    return [PLACEHOLDER.sub("", s) for s in _forms(message.id)]


def _other_number(a, b):
    """Whether terms ``a`` and ``b`` are one term in the singular and in the plural ("State party", "States parties")."""
    def plural(word):
        return word[:-1] + "ies" if word.endswith("y") else word + "s"

    a, b = a.lower().split(), b.lower().split()
    return a != b and len(a) == len(b) and all(x == y or plural(x) == y or plural(y) == x for x, y in zip(a, b))


def _excepted(msgid, lang):
    first = _forms(msgid)[0]
    return any(m == first and la in (lang, "*") for m, la, _ in EXCEPTIONS)


def glossary_problems(glossary, translations, exceptions=True):
    """Every (term, language, message id, translation, missing stems) where a translation does not render a
    glossary term that its message id uses."""
    all_terms = {row["en"].lower() for row in glossary}
    patterns = {row["en"]: english_pattern(row["en"], all_terms) for row in glossary}
    number_partners = {row["en"]: [other for other in glossary if _other_number(row["en"], other["en"])]
                       for row in glossary}
    problems = []
    for row in glossary:
        term = row["en"]
        other_sense = OTHER_SENSES.get(term.lower())
        for message in translations["en"]:
            if not message.id:
                continue
            english = [other_sense.sub("", s) if other_sense else s for s in _english(message)]
            if not any(patterns[term].search(s) for s in english):
                continue
            # A plural message may render "State party" with the glossary's "States parties" in a plural form.
            alternatives = [row] + (number_partners[term] if isinstance(message.id, tuple) else [])
            for lang in LANGS:
                if exceptions and _excepted(message.id, lang):
                    continue
                found = translations[lang].get(message.id, context=message.context)
                for text in _forms(found.string) if found is not None else ():
                    if not text:
                        continue  # untranslated: the completeness check reports it
                    missing = [renders(p["en"], lang, p[lang], text) for p in alternatives]
                    if all(missing):
                        problems.append((term, lang, _forms(message.id)[0], text, missing[0]))
                        break
    return problems


def _kind_words(text, lang):
    return {kind for kind, words in KINDS_OF_TEXT.items() if has_stem(normalized(words[lang], lang), text, lang)}


def kinds_problems(translations):
    """Messages about findings, conclusions, observations or recommendations whose translation lacks the word of
    a kind it names, or uses the word of a kind it does not name."""
    english = {kind: re.compile(rf"(?<![\w-]){words['en']}(?![\w-])", re.I) for kind, words in KINDS_OF_TEXT.items()}
    problems = []
    for message in translations["en"]:
        if not message.id:
            continue
        named = {kind for kind, pattern in english.items() if any(pattern.search(s) for s in _english(message))}
        if not named:
            continue
        for lang in LANGS:
            found = translations[lang].get(message.id, context=message.context)
            for text in _forms(found.string) if found is not None else ():
                if text and _kind_words(text, lang) != named:
                    problems.append((lang, _forms(message.id)[0], text, sorted(named), sorted(_kind_words(text, lang))))
    return problems


def _report(problems, width=160):
    return "\n".join(" | ".join(str(p)[:width] for p in problem) for problem in problems)


# ------------------------------------------------------------------------------------------------ tests

def test_glossary_copy_has_the_six_languages_for_every_term(glossary):
    assert len(glossary) > 30
    for row in glossary:
        assert all(row[lang].strip() for lang in ("en",) + LANGS), row


def test_matcher_tolerates_inflection_and_catches_another_word():
    # inflection is tolerated
    assert not renders("State party", "ru", "государство-участник", "каждому государству-участнику")
    assert not renders("State party", "ar", "الدولة الطرف", "تحتاج إلى دولتين طرفين أخريين")
    assert not renders("secretariat", "ar", "الأمانة", "أرسل الطلب إلى الأمانة وللأمانة")
    assert not renders("governmental expert", "fr", "expert gouvernemental", "la liste des experts gouvernementaux")
    assert not renders("governmental expert", "ar", "خبير حكومي", "قائمة الخبراء الحكوميين")
    assert not renders("published", "es", "publicado", "Publicada el ${when}")
    assert not renders("country review report", "ru", "доклад о страновом обзоре", "в докладах о страновых обзорах")
    assert not renders("review cycle", "es", "ciclo de examen", "los ciclos de examen")
    # another word is caught
    assert renders("published", "zh", "已发布", "其种子的哈希值已公布")
    assert renders("country visit", "fr", "visite de pays", "une mission dans le pays")
    assert renders("State party", "ru", "государство-участник", "страна-участница")
    assert renders("focal point", "es", "coordinador", "punto focal")
    assert renders("challenges", "ar", "التحديات", "الصعوبات")
    # the four kinds of text are told apart, the same word for two of them is not
    assert _kind_words("Добавить выявленный факт", "ru") == {"finding"}
    assert _kind_words("Рекомендация или вывод", "ru") == {"recommendation", "conclusion"}
    assert _kind_words("审议结论", "zh") == {"conclusion"}
    assert _kind_words("نوع النتيجة", "ar") == {"finding"}


def test_kind_words_are_distinct_stems():
    for lang in LANGS:
        words = {kind: [normalized(w, lang) for w in v[lang].split("|")] for kind, v in KINDS_OF_TEXT.items()}
        for kind, stems_ in words.items():
            for other, other_stems in words.items():
                if kind != other:
                    assert not any(a in b for a in stems_ for b in other_stems), (lang, kind, other)


def test_glossary_terms_render_one_way_per_language(glossary, translations):
    problems = glossary_problems(glossary, translations)
    assert not problems, "translations that do not render a glossary term the glossary's way:\n" + _report(problems)


def test_glossary_check_covers_the_interface(glossary, translations):
    """The matcher finds the common terms in many messages, so the check above cannot pass by finding none."""
    all_terms = {row["en"].lower() for row in glossary}
    used = {}
    for row in glossary:
        pattern = english_pattern(row["en"], all_terms)
        used[row["en"]] = sum(1 for m in translations["en"] if m.id and any(pattern.search(s) for s in _english(m)))
    for term in ("State party", "States parties", "secretariat", "published", "focal point", "governmental expert",
                 "country review report", "drawing of lots", "confidential"):
        assert used[term] >= 3, (term, used[term])


def test_glossary_exceptions_are_still_needed(glossary, translations):
    """Each exception names a message that exists and that the check would otherwise report."""
    unexcused = glossary_problems(glossary, translations, exceptions=False)
    for msgid, lang, reason in EXCEPTIONS:
        assert reason
        assert translations["en"].get(msgid) is not None, msgid
        assert any(p[2] == msgid and lang in (p[1], "*") for p in unexcused), (msgid, lang)


def test_finding_conclusion_observation_recommendation_stay_distinct(translations):
    labels = {}  # kind -> {lang: {translations of "Finding", "Findings", ...}}
    for message in translations["en"]:
        if not isinstance(message.id, str):
            continue
        for kind, words in KINDS_OF_TEXT.items():
            if re.fullmatch(words["en"], message.id, re.I):
                for lang in LANGS:
                    labels.setdefault(kind, {}).setdefault(lang, set()).add(translations[lang][message.id].string)
    assert set(labels) == set(KINDS_OF_TEXT), "each of the four kinds has a label of its own in the catalog"
    for lang in LANGS:
        for kind, texts in labels.items():
            for other, other_texts in labels.items():
                if kind < other:
                    assert not texts[lang] & other_texts[lang], (lang, kind, other, texts[lang])
            for text in texts[lang]:
                assert _kind_words(text, lang) == {kind}, (lang, kind, text)
    problems = kinds_problems(translations)
    assert not problems, ("messages whose translation uses another kind's word, or not the word of the kind they "
                          "name (language, id, translation, named, found):\n" + _report(problems))

"""Text analysis for search in the six languages: words are cut and folded the same way for a document and
for a query, whatever their language, so that a query in any language finds documents in that language.

- Latin and Cyrillic scripts: case folded; accents dropped (``é`` -> ``e``, ``ñ`` -> ``n``, ``ё`` -> ``е``),
  except the breve of ``й``, a letter of its own in Russian.
- Arabic: diacritics (harakat, superscript alef) and tatweel dropped; alef with hamza or madda, and wasla,
  read as bare alef; alef maksura as yeh; teh marbuta as heh; Persian yeh and kaf as the Arabic letters.
- Chinese (and other scripts written without spaces): overlapping pairs of characters (bigrams), as well as
  single characters, for a document; a query uses the pairs, or the single character when it has one.
"""

import re
import unicodedata
from functools import lru_cache

# A run of letters or digits (one word), or a run of ideographs (a CJK run, cut into bigrams).
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
# Combining marks and tatweel belong to the word they are written in (``\w`` leaves them out).
_MARKS = "\u0300-\u036f\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed"
_LETTER = rf"(?:[^\W_{_CJK}]|[{_MARKS}])"
_TOKEN = re.compile(rf"[{_CJK}]+|{_LETTER}+(?:['’]{_LETTER}+)?")
_IS_CJK = re.compile(rf"[{_CJK}]")

_ARABIC = str.maketrans({
    "\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627",  # آ أ إ ٱ -> ا
    "\u0649": "\u064a", "\u06cc": "\u064a",  # ى ی -> ي
    "\u0629": "\u0647",  # ة -> ه
    "\u06a9": "\u0643",  # ک -> ك
    "\u0640": None,  # tatweel
    **{chr(c): None for c in range(0x064B, 0x0660)},  # harakat, shadda, sukun, hamza marks
    "\u0670": None,  # superscript alef
})
_KEEP_BREVE_AFTER = set("ИиЙй")
_APOSTROPHES = "'’"


@lru_cache(maxsize=100_000)
def fold(word):
    """One word as the index keeps it: case folded, accents and Arabic variants normalized."""
    word = word.translate(_ARABIC).casefold()
    decomposed = unicodedata.normalize("NFD", word)
    kept = []
    for char in decomposed:
        if unicodedata.category(char) == "Mn":
            if char == "\u0306" and kept and kept[-1] in _KEEP_BREVE_AFTER:
                kept.append(char)
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _word_terms(word):
    """A word with an apostrophe (``l'article``, ``d’entraide``) gives the whole and its last part."""
    folded = fold(word)
    for mark in _APOSTROPHES:
        if mark in folded:
            head, tail = folded.rsplit(mark, 1)
            whole = head + tail
            return [whole, tail] if tail else [whole]
    return [folded]


def _cjk_terms(run, query):
    if len(run) == 1:
        return [run]
    pairs = [run[i:i + 2] for i in range(len(run) - 1)]
    return pairs if query else list(run) + pairs


def terms(text, query=False):
    """The index terms of ``text`` (``query``: for a query, so a CJK run gives only its pairs)."""
    found = []
    for match in _TOKEN.finditer(text or ""):
        token = match.group()
        if _IS_CJK.match(token):
            found.extend(_cjk_terms(token, query))
        else:
            found.extend(term for term in _word_terms(token) if term)
    return found


def spans(text):
    """``[(start, end, {terms})]``: where each word (each character and pair of characters, in a CJK run)
    of ``text`` is, and the terms it gives."""
    result = []
    for match in _TOKEN.finditer(text or ""):
        token = match.group()
        if _IS_CJK.match(token):
            start = match.start()
            for i, char in enumerate(token):
                result.append((start + i, start + i + 1, {char}))
                if i + 1 < len(token):
                    result.append((start + i, start + i + 2, {token[i:i + 2]}))
        else:
            result.append((match.start(), match.end(), set(_word_terms(token))))
    return result


def highlight(text, query, width=240):
    """A passage of ``text`` around the first words matching ``query``, as ``[(segment, matched)]``: the
    matched words are marked, whatever their case, accents or Arabic spelling. Without a match, the start."""
    wanted = set(terms(query, query=True))
    marks = []
    for start, end, found in sorted(spans(text)):
        if not found & wanted:
            continue
        if marks and start <= marks[-1][1]:  # overlapping pairs of characters make one mark
            marks[-1] = (marks[-1][0], max(end, marks[-1][1]))
        else:
            marks.append((start, end))
    first = marks[0][0] if marks else 0
    begin = max(0, first - width // 3)
    if begin:
        space = text.rfind(" ", 0, begin + 1)
        begin = space + 1 if space >= begin - 20 else begin
    end = min(len(text), begin + width)
    segments, position = [], begin
    for start, stop in marks:
        if start < position or stop > end:
            continue
        if start > position:
            segments.append((text[position:start], False))
        segments.append((text[start:stop], True))
        position = stop
    if position < end:
        segments.append((text[position:end], False))
    if begin:
        segments.insert(0, ("… ", False))
    if end < len(text):
        segments.append((" …", False))
    return segments

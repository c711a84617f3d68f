"""A language version of a document in six languages as XLIFF 2.0, for translators' CAT tools (issue 22 §2):
one unit per paragraph of the original, with the version's current text as target; and reading a translated
file back, checked unit by unit (the same units, every target written, every ``${placeholder}`` kept)."""

from xml.etree import ElementTree

from content.translations import placeholders
from language import _

NS = "urn:oasis:names:tc:xliff:document:2.0"
MAX_BYTES = 2 * 1024 * 1024


def paragraphs(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def export_xliff(version):
    """The XLIFF 2.0 bytes for translating ``version`` (a ``Translation``) from its group's original."""
    group = version.__parent__
    sources = paragraphs(group.original.text if group.original is not None else "")
    targets = paragraphs(version.text)
    if len(targets) != len(sources):
        targets = [""] * len(sources)  # a draft that does not follow the original's paragraphs starts afresh
    # Written with the namespace as the default one (``xmlns``), as CAT tools expect, without touching
    # ElementTree's global prefix registry.
    root = ElementTree.Element("xliff", {"xmlns": NS, "version": "2.0", "srcLang": group.original_language,
                                         "trgLang": version.language})
    document = ElementTree.SubElement(root, "file", {"id": "f1", "original": version.__name__})
    for k, (source, target) in enumerate(zip(sources, targets), start=1):
        unit = ElementTree.SubElement(document, "unit", {"id": f"p{k}"})
        segment = ElementTree.SubElement(unit, "segment")
        ElementTree.SubElement(segment, "source").text = source
        ElementTree.SubElement(segment, "target").text = target
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


class ImportRejected(ValueError):
    """The file cannot be imported; ``problems`` (translation strings) say why. Nothing was changed."""

    def __init__(self, problems):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def read_xliff(version, data):
    """The new text of ``version`` from a translated XLIFF file, and ``(units, changed)`` counts; raises
    ``ImportRejected`` with every problem found."""
    group = version.__parent__
    sources = paragraphs(group.original.text if group.original is not None else "")
    if len(data) > MAX_BYTES:
        raise ImportRejected([_("The file is larger than ${max} MB.", mapping={"max": MAX_BYTES // (1024 * 1024)})])
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ImportRejected([_("The file is not an XLIFF 2.0 file exported by the portal.")])
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise ImportRejected([_("The file is not an XLIFF 2.0 file exported by the portal.")]) from None
    if root.tag != f"{{{NS}}}xliff" or root.get("version") != "2.0":
        raise ImportRejected([_("The file is not an XLIFF 2.0 file exported by the portal.")])
    problems = []
    if root.get("trgLang") != version.language or root.get("srcLang") != group.original_language:
        problems.append(_("The file translates from ${source} into ${target}; this version needs ${wanted}.",
                          mapping={"source": root.get("srcLang") or "?", "target": root.get("trgLang") or "?",
                                   "wanted": f"{group.original_language} → {version.language}"}))
    units = {unit.get("id"): unit for unit in root.iter(f"{{{NS}}}unit")}
    expected = [f"p{k}" for k in range(1, len(sources) + 1)]
    if len(units) != len(expected):
        problems.append(_("Paragraphs in the file: ${found}; in the original: ${count}. Export the file again.",
                          mapping={"found": len(units), "count": len(expected)}))
    elif sorted(units) != sorted(expected):
        problems.append(_("The paragraphs of the file are not those of the original. Export the file again."))
    if problems and (len(units) != len(expected) or sorted(units) != sorted(expected)):
        raise ImportRejected(problems)
    texts = []
    for number, (name, source) in enumerate(zip(expected, sources), start=1):
        target = units[name].find(f"{{{NS}}}segment/{{{NS}}}target")
        text = " ".join("".join(target.itertext()).split()) if target is not None else ""
        if not text:
            problems.append(_("Paragraph ${number} has no translation.", mapping={"number": number}))
        missing = sorted(placeholders(source) - placeholders(text))
        if text and missing:
            problems.append(_("Paragraph ${number} lost ${names}.", mapping={"number": number, "names": tuple(missing)}))
        texts.append(text)
    if problems:
        raise ImportRejected(problems)
    old = paragraphs(version.text)
    changed = sum(1 for k, text in enumerate(texts) if k >= len(old) or old[k] != text)
    return "\n".join(texts), len(texts), changed

"""Extract message ids, merge them into the six catalogs, and check the catalogs are complete.

``python -m portal.scripts.catalogs update``  extract (lingua) and merge into locales/*/LC_MESSAGES/portal.po
``python -m portal.scripts.catalogs check``   exit 1 listing every missing, empty, fuzzy, stale or broken entry
"""

import copy
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from language.names import placeholder_base
from portal.i18n import LANGUAGES, LOCALES_DIR

PROJECT = LOCALES_DIR.parent
SOURCES = ("portal", "content", "workflows", "language", "draws")
PLACEHOLDER = re.compile(r"\$\{[^}]+\}")
COUNT = "${count}"  # the number of a plural message (``_n``)
# Languages written in other scripts: a msgstr equal to an English msgid is an untranslated copy.
OTHER_SCRIPTS = ("ar", "zh", "ru")


def extract(pot_path):
    """Run lingua's ``pot-create`` over the sources into ``pot_path``; returns the template catalog."""
    pot_create = Path(sys.executable).parent / "pot-create"
    subprocess.run(
        [str(pot_create), "-c", str(PROJECT / "lingua.cfg"), "-d", "portal", "-k", "_n:1,2", "-s", "-o", str(pot_path)]
        + list(SOURCES),
        check=True,
        cwd=PROJECT,
    )
    with open(pot_path, "rb") as f:
        return read_po(f)


def catalog_path(lang, domain="portal"):
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def read_catalog(path, lang):
    with open(path, "rb") as f:
        return read_po(f, locale=lang)


def _ids(catalog):
    """The messages' keys: the id, paired with its context (``msgctxt``) when it has one."""
    return {_key(m) for m in catalog if m.id}


def _key(message):
    return (message.id, f"msgctxt {message.context}") if message.context else message.id


def check_catalog(template, catalog, lang, may_omit_placeholders=False):
    """Problems of one catalog against the template: a list of human-readable strings (empty when complete).
    ``may_omit_placeholders``: a translation may leave a placeholder out (the form libraries' messages,
    whose sentences leave out raw values such as a list of choices), never add one."""
    problems = []
    wanted = _ids(template)
    present = _ids(catalog)
    for msgid in sorted(wanted - present, key=str):
        problems.append(f"{lang}: missing {msgid!r}")
    for msgid in sorted(present - wanted, key=str):
        problems.append(f"{lang}: stale {msgid!r}")
    for message in catalog:
        if not message.id or _key(message) not in wanted:
            continue
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        if message.fuzzy:
            problems.append(f"{lang}: fuzzy {message.id!r}")
        if not all(strings):
            problems.append(f"{lang}: empty {message.id!r}")
            continue
        if len(ids) > 1 and len(strings) != catalog.num_plurals:
            problems.append(f"{lang}: {len(strings)} plural forms instead of {catalog.num_plurals} in {message.id!r}")
        expected = set(PLACEHOLDER.findall(ids[0])) | set(PLACEHOLDER.findall(ids[-1]))
        # A plural form may leave out the number itself ("one field", "حقلان"), never anything else.
        optional = expected if may_omit_placeholders else ({COUNT} if len(ids) > 1 else set())
        for s in strings:
            # A name's placeholder may be written in the grammatical form the language needs (``${of_state}``).
            if not expected - optional <= {"${%s}" % placeholder_base(p[2:-1]) for p in PLACEHOLDER.findall(s)} <= expected:
                problems.append(f"{lang}: placeholders differ in {message.id!r}: {s!r}")
        if lang in OTHER_SCRIPTS and strings[0] == ids[0] and re.search(r"[A-Za-z]{3,}", PLACEHOLDER.sub("", ids[0])):
            problems.append(f"{lang}: not translated (copy of the English) {message.id!r}")
    return problems


def check(template):
    problems = []
    for lang in LANGUAGES:
        path = catalog_path(lang)
        if not path.exists():
            problems.append(f"{lang}: no catalog at {path}")
            continue
        problems += check_catalog(template, read_catalog(path, lang), lang)
    return problems


def update(template):
    """Merge the template into each catalog (new ids empty, stale ids dropped); English gets msgstr = msgid."""
    for lang in LANGUAGES:
        path = catalog_path(lang)
        catalog = read_catalog(path, lang)
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if lang == "en":
            for message in catalog:
                strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
                if message.id and not any(strings):
                    message.string = message.id
        with open(path, "wb") as f:
            write_po(f, catalog, width=0, omit_header=False, sort_output=True, include_previous=False)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    command = argv[0] if argv else "check"
    with tempfile.TemporaryDirectory() as tmp:
        template = extract(Path(tmp) / "portal.pot")
    if command == "update":
        update(template)
        return 0
    problems = check(template)
    for p in problems:
        print(p)
    print(f"{len(template)} message ids, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

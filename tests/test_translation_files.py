"""Issue 22 §2: the translation round trip. The secretariat exports a language version of an executive summary
as XLIFF 2.0 (one unit per paragraph of the original), a translator fills the targets, and the import puts the
translation into that version after checking the units, the languages, every target and every placeholder;
a refused file changes nothing and says every problem."""

from xml.etree import ElementTree

from portal.documents.xliff import NS
from tests.cycle_fixtures import CYCLE, set_stage

ORIGINAL = "The State has adopted ${law} in 2026.\nStatistics remain a challenge."


def version_url(sur, lang):
    return f"{CYCLE}reviews/{sur}/report/summary/{lang}/"


def filled(xliff, targets, ids=None, extra=False, **attributes):
    """The exported file with ``targets`` written, its units renamed to ``ids`` if given, one more unit if
    ``extra``, attributes changed."""
    root = ElementTree.fromstring(xliff)
    if extra:
        unit = ElementTree.SubElement(root.find(f"{{{NS}}}file"), f"{{{NS}}}unit", {"id": "p9"})
        ElementTree.SubElement(ElementTree.SubElement(unit, f"{{{NS}}}segment"), f"{{{NS}}}source").text = "x"
    for key, value in attributes.items():
        root.set(key, value)
    for k, (unit, target) in enumerate(zip(root.iter(f"{{{NS}}}unit"), targets)):
        unit.find(f"{{{NS}}}segment/{{{NS}}}target").text = target
        if ids:
            unit.set("id", ids[k])
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)  # any prefix: still XLIFF


def send(client, sur, data, status=303, name="summary-fr.xlf"):
    page = client.get(version_url(sur, "fr") + "@@import")
    form = page.forms[next(k for k, f in page.forms.items() if f.action.endswith("@@import"))]
    form["file"] = (name, data)
    return form.submit(status=status)


def text_of(portal, sur, lang="fr"):
    with portal.root() as root:
        return root["cycles"]["first-cycle"]["reviews"][sur]["report"]["summary"][lang].text


def test_a_summary_goes_out_as_xliff_and_comes_back_translated_and_checked(portal, clients, review_parties):
    sur = review_parties[0]
    set_stage(portal, sur, "final")
    with portal.root() as root:
        group = root["cycles"]["first-cycle"]["reviews"][sur]["report"]["summary"]
        group.original.text = ORIGINAL
        original = group.original_language
    sec = clients["secretariat"]
    page = sec.get(version_url(sur, "fr"))
    assert "@@xliff" in page.text and "@@import" in page.text
    xliff = sec.get(version_url(sur, "fr") + "@@xliff").body
    root = ElementTree.fromstring(xliff)
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.0", original, "fr")
    assert [s.text for s in root.iter(f"{{{NS}}}source")] == ORIGINAL.splitlines()

    # Refused, each with its reason, and nothing changes.
    before = text_of(portal, sur)
    french = ["L'État a adopté ${law} en 2026.", "Les statistiques restent un défi."]
    cases = [
        (filled(xliff, french, trgLang="es"), "this version needs"),
        (filled(xliff, [french[0], ""]), "Paragraph 2 has no translation."),
        (filled(xliff, ["L'État a adopté la loi en 2026.", french[1]]), "Paragraph 1 lost ${law}."),
        (filled(xliff, french, ids=["p1", "p3"]), "are not those of the original"),
        (filled(xliff, french, extra=True), "Paragraphs in the file: 3; in the original: 2."),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', "not an XLIFF 2.0 file"),
        (b"not xml at all", "not an XLIFF 2.0 file"),
    ]
    for data, message in cases:
        page = send(sec, sur, data, status=400)
        assert message in page.text and "Nothing was imported." in page.text, message
    assert text_of(portal, sur) == before

    # Accepted: the version holds the translation, and the report says what changed.
    page = send(sec, sur, filled(xliff, french)).follow()
    assert "Paragraphs imported: 2; changed: 2." in page.text
    assert text_of(portal, sur) == "\n".join(french)
    again = ElementTree.fromstring(sec.get(version_url(sur, "fr") + "@@xliff").body)
    assert [t.text for t in again.iter(f"{{{NS}}}target")] == french  # the next export carries it
    # Only those who translate: a focal point and the public cannot.
    clients["sur-fp"].get(version_url(sur, "fr") + "@@xliff", status=403)
    clients["sur-fp"].get(version_url(sur, "fr") + "@@import", status=403)
    assert "@@login" in portal.client().get(version_url(sur, "fr") + "@@xliff", status=303).location

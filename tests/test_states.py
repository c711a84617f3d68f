"""The states registry: shipped data, pages in six languages, the secretariat's corrections and CSV imports."""

import pytest

from content import reference_data
from content.states import INSTRUMENTS

from .conftest import last_form

LANGS = ("ar", "zh", "en", "fr", "ru", "es")


def test_registry_holds_every_state_and_the_eu(portal):
    with portal.root() as root:
        states = root["states"]
        assert len(states) == 198
        for code in ("KEN", "FRA", "VAT", "PSE", "COK", "NIU", "EUE"):
            assert code in states
        ken = states["KEN"]
        assert ken.names["fr"] == "Kenya (le)" and ken.name("fr") == "Kenya" and ken.names["ar"] and ken.names["zh"] and ken.names["ru"]
        assert ken.regional_group == "African"
        assert ken.status("UNTOC") == "party"
        assert states["EUE"].kind == "reio"
        assert states["VAT"].name("en") == "Holy See"
        parties = sum(1 for s in states.values() if s.is_party("UNTOC"))
        assert parties == 193
        # Every instrument has a status for every state (none when no row).
        assert all(s.status(i) in ("party", "signatory", "none") for s in states.values() for i in INSTRUMENTS)


@pytest.mark.parametrize("lang", LANGS)
def test_public_pages_in_six_languages(anon, lang):
    for path in ("/", "/states/", "/states/KEN"):
        page = anon.get(f"{path}?lang={lang}")
        direction = "rtl" if lang == "ar" else "ltr"
        assert f'lang="{lang}" dir="{direction}">' in page.text
    page = anon.get(f"/states/KEN?lang={lang}")
    expected = {"ar": "كينيا", "zh": "肯尼亚", "en": "Kenya", "fr": "Kenya", "ru": "Кения", "es": "Kenya"}[lang]
    assert expected in page.text


def test_state_json(anon):
    data = anon.get("/states/KEN/@@json").json
    assert data["@type"] == "State" and data["iso3"] == "KEN"
    assert data["participation"]["UNTOC"]["status"] == "party"
    assert data["items"] == []
    listing = anon.get("/states/@@json").json
    assert len(listing["items"]) == 100 and "next" in listing
    rest = anon.get(listing["next"]).json
    assert len(rest["items"]) == 98 and "next" not in rest


def test_unknown_iso_code_is_a_clear_translated_404(anon):
    r = anon.get("/states/XYZ", status=404)
    assert "no state with the code “XYZ”" in r.text
    anon.get("/states/XYZ?lang=fr", status=404)


def test_anonymous_and_focal_points_cannot_edit(portal, anon, signed_in):
    assert anon.get("/states/KEN/@@edit", status=303).location.startswith("http://localhost/@@login")
    signed_in("ken-fp").get("/states/KEN/@@edit", status=403)
    signed_in("ken-x", function="expert").get("/states/@@import", status=403)


def test_secretariat_edits_a_record_and_the_change_is_recorded(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    form = last_form(sec.get("/states/KEN/@@edit"))
    form["name_en"] = "Republic of Kenya"
    form["legal_system"] = "common"
    r = form.submit("save", status=303)
    page = sec.get(r.location)
    assert "Republic of Kenya" in page.text
    with portal.root() as root:
        changes = list(root["states"]["KEN"].changes)
    fields = {c["field"]: (c["old"], c["new"], c["who"], c["source"]) for c in changes}
    assert fields["name_en"] == ("Kenya", "Republic of Kenya", "sec", "form")
    assert fields["legal_system"][1] == "common"
    assert len(changes) == 2  # untouched fields are not recorded
    assert "Changes to this record" in page.text


def test_edit_form_rejects_bad_input_and_changes_nothing(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    form = last_form(sec.get("/states/KEN/@@edit"))
    form["name_en"] = "K" * 500
    form.set("signature_date", "2000-13-45x", index=0)
    r = form.submit("save", status=200)
    assert "This text is too long" in r.text
    assert "Write the date as YYYY-MM-DD" in r.text
    with portal.root() as root:
        assert root["states"]["KEN"].names["en"] == "Kenya"
        assert list(root["states"]["KEN"].changes) == []


def _import(client, content, filename="update.csv", status=200):
    form = last_form(client.get("/states/@@import"))
    form["file"] = (filename, content)
    return form.submit(status=status)


def test_csv_import_applies_and_records(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    csv = "iso3,instrument,status,signature_date,consent_date,consent_type\nSOM,TIP,party,,2025-06-01,accession\n"
    r = _import(sec, csv.encode(), status=200)
    assert "Import done" in r.text or "Imported" in r.text
    with portal.root() as root:
        som = root["states"]["SOM"]
        assert som.status("TIP") == "party"
        assert som.participation["TIP"]["consent_date"] == "2025-06-01"
        assert {c["source"] for c in som.changes} == {"import:update.csv"}
    csv2 = "iso3,name_fr\nKEN,République du Kenya\n"
    _import(sec, csv2.encode("utf-8-sig"))
    with portal.root() as root:
        assert root["states"]["KEN"].names["fr"] == "République du Kenya"


BAD_FILES = [
    (b"iso3,name_fr\nXYZ,Nulle part\n", "no state with the code"),
    (b"iso3,instrument,status\nKEN,TIP,maybe\n", "status must be party"),
    (b"iso3,instrument,status,consent_date\nKEN,TIP,party,2020-02-30\n", "is not a date"),
    (b"iso3,favourite_colour\nKEN,blue\n", "Unknown column"),
    (b"name_fr\nKenya\n", "including “iso3”"),
    (b"iso3,name_fr\nKEN,Kenya\xff\n", "not valid UTF-8"),
    ("iso3,name_fr\nKEN,{}\n".format("x" * 300).encode(), "longer than 200"),
    (b"iso3,regional_group\nKEN,Atlantis\n", "unknown regional group"),
    (b"iso3,name_fr\nKEN,A\nKEN,B\n", "repeats an earlier one"),
    (b"iso3,name_fr\nKEN,A,extra\n", "expected 2 values"),
    (b"", "empty"),
]


@pytest.mark.parametrize("content,message", BAD_FILES)
def test_malformed_csv_import_changes_nothing(portal, signed_in, content, message):
    sec = signed_in("sec", function="secretariat", state=None)
    # A valid row before the bad one must not be applied either: all or nothing.
    r = _import(sec, content, status=400)
    assert "Nothing was imported" in r.text
    assert message in r.text
    with portal.root() as root:
        assert all(not s.changes for s in root["states"].values())


def test_oversized_csv_file_is_refused(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    big = b"iso3,name_fr\n" + b"KEN,Kenya\n" * (reference_data.MAX_IMPORT_BYTES // 10 + 1)
    r = _import(sec, big, status=400)
    assert "larger than 2 MB" in r.text


def test_import_error_messages_are_translated(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    form = last_form(sec.get("/states/@@import?lang=fr"))
    form["file"] = ("x.csv", b"iso3,name_fr\nXYZ,Nulle part\n")
    r = form.submit(status=400)
    assert 'lang="fr"' in r.text
    assert "no state with the code" not in r.text  # the French catalog answers


def test_all_or_nothing_with_a_valid_row_first(portal, signed_in):
    sec = signed_in("sec", function="secretariat", state=None)
    _import(sec, b"iso3,name_fr\nKEN,Changed\nXYZ,Nope\n", status=400)
    with portal.root() as root:
        assert root["states"]["KEN"].names["fr"] == "Kenya (le)"


def test_shipped_data_parses_cleanly():
    for name in ("states.csv", "participation.csv"):
        result = reference_data.parse((reference_data.DATA_DIR / name).read_text(encoding="utf-8"))
        assert result.errors == []


def test_states_are_listed_alphabetically_ignoring_accents(anon):
    page = anon.get("/states/?lang=fr").text
    western = page[page.index("États d'Europe occidentale"):]
    # "États-Unis" files under E, before "Finlande", not after "Turquie".
    assert western.index("États-Unis") < western.index("Finlande")

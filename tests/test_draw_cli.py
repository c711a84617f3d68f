"""``portal-draw``: simulate prints the documented JSON or explains why not (exit 2); verify confirms or refutes a record."""

import json

import pytest

from draws import parties as party_lists
from draws.seeds import commitment
from portal.scripts.draw import main

HEADER = "iso3,regional_group,legal_system,instruments,status\n"


def small_world(extra=""):
    """Two regional groups of six states parties (all to UNTOC and TIP, G1 also to FIR) and a signatory."""
    rows = [f"A{c}A,G1,{'civil' if k % 2 else 'common'},UNTOC;TIP;FIR,party" for k, c in enumerate("ABCDEF")]
    rows += [f"B{c}B,G2,{'civil' if k % 2 else 'common'},UNTOC;TIP,party" for k, c in enumerate("ABCDEF")]
    rows += ["SGA,G2,civil,,signatory"]
    return HEADER + "\n".join(rows) + "\n" + extra


def run(capsys, tmp_path, *args, csv=None):
    """``(exit status, stdout, stderr)`` of ``portal-draw`` with ``--parties`` written from ``csv``."""
    argv = list(args)
    if csv is not None:
        path = tmp_path / "parties.csv"
        path.write_text(csv, encoding="utf-8")
        argv[1:1] = ["--parties", str(path)]
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse's own errors
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


def simulate(capsys, tmp_path, csv, *options, years="2027-2028", seed="5"):
    return run(capsys, tmp_path, "simulate", "--years", years, "--seed", seed, *options, csv=csv)


def test_simulate_prints_the_documented_json(capsys, tmp_path):
    status, out, err = simulate(capsys, tmp_path, small_world(), "--volunteers", "SGA")
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert set(result) == {"seed", "algorithm", "years", "assignments"}
    assert result["seed"] == 5 and "CP-SAT" in result["algorithm"]
    assert sorted(result["years"]) == ["2027", "2028"]
    assert sorted(s for states in result["years"].values() for s in states) == sorted(
        [f"A{c}A" for c in "ABCDEF"] + [f"B{c}B" for c in "ABCDEF"] + ["SGA"])
    for states in result["years"].values():
        assert states == sorted(states)  # R22: alphabetical
    for a in result["assignments"]:
        assert set(a) == {"year", "under_review", "instrument", "reviewers"}
        assert len(a["reviewers"]) == 2 and a["under_review"] not in a["reviewers"]
        assert str(a["year"]) in result["years"] and a["under_review"] in result["years"][str(a["year"])]
    # SGA volunteered: Convention only (R4); it never reviews.
    assert [a["instrument"] for a in result["assignments"] if a["under_review"] == "SGA"] == ["UNTOC"]
    assert "SGA" not in {r for a in result["assignments"] for r in a["reviewers"]}
    # 12 parties: UNTOC + TIP each, G1 also FIR; SGA: UNTOC.
    assert len(result["assignments"]) == 12 * 2 + 6 + 1


def test_r12_simulate_same_seed_same_output_other_seed_other_draw(capsys, tmp_path):
    first = simulate(capsys, tmp_path, small_world())
    again = simulate(capsys, tmp_path, small_world())
    other = simulate(capsys, tmp_path, small_world(), seed="6")
    assert first[0] == again[0] == other[0] == 0
    assert first[1] == again[1]
    assert json.loads(first[1])["assignments"] != json.loads(other[1])["assignments"]


def test_simulate_per_year_and_max_reviews(capsys, tmp_path):
    status, out, _ = simulate(capsys, tmp_path, small_world(), "--per-year", "4,8", "--max-reviews", "4")
    assert status == 0
    assert [len(s) for _, s in sorted(json.loads(out)["years"].items())] == [4, 8]


def test_r4_signatories_are_not_reviewed_unless_they_volunteer(capsys, tmp_path):
    status, out, _ = simulate(capsys, tmp_path, small_world())
    assert status == 0 and "SGA" not in out


@pytest.mark.parametrize("csv, options, expected", [
    (small_world("CAC,G1,civil,UNTOC;XYZ,party\n"), (), "line 15: unknown instrument 'XYZ'; use UNTOC;TIP;SOM;FIR"),
    (small_world("AAA,G1,civil,UNTOC,party\n"), (), "line 15: AAA is listed twice"),
    (small_world("CAC,G1,civil,UNTOC,member\n"), (), "line 15: status 'member' must be party or signatory"),
    (small_world("C1C,G1,civil,UNTOC,party\n"), (), "line 15: 'C1C' is not an ISO3 code"),
    (small_world("CAC,G1,civil,TIP,party\n"), (), "line 15: a state party to the Convention must list UNTOC"),
    (HEADER.replace(",legal_system", "") + "AAA,G1,UNTOC,party\n", (), "lacks the column(s) legal_system"),
    (HEADER, (), "the CSV file lists no state"),
    (small_world(), ("--per-year", "12"), "1 yearly numbers given for a cycle of 2 years"),
    (small_world(), ("--per-year", "6,6,0"), "3 yearly numbers given for a cycle of 2 years"),
    (small_world(), ("--per-year", "5,5"), "the yearly numbers add up to 10, but 12 states are to be reviewed"),
    (small_world(), ("--per-year", "six,six"), "write whole numbers separated by commas"),
    (small_world(), ("--per-year=-1,13",), "cannot have a negative number"),
    (small_world(), ("--max-reviews", "0"), "--max-reviews must be at least 1"),
    (small_world(), ("--volunteers", "AAA"), "volunteer AAA is a state party"),
    (small_world(), ("--volunteers", "QQQ"), "volunteer QQQ is not in the list of parties"),
    (small_world(), ("--relax", "R9:AAA"), "unknown relaxation 'R9:AAA'"),
    (small_world(), ("--relax", "R7:AAA+AAA"), "unknown relaxation 'R7:AAA+AAA'"),
])
def test_simulate_bad_input_is_a_clear_error_with_exit_2(capsys, tmp_path, csv, options, expected):
    status, out, err = simulate(capsys, tmp_path, csv, *options)
    assert status == 2 and out == ""
    assert err.startswith("portal-draw: ") and expected in err


@pytest.mark.parametrize("years", ["2027", "2031-2027", "27-31", "2027-2031x", ""])
def test_simulate_bad_years_exit_2(capsys, tmp_path, years):
    status, out, err = simulate(capsys, tmp_path, small_world(), years=years)
    assert status == 2 and out == "" and "write the first and last year, for example 2027-2031" in err


def test_simulate_unreadable_or_non_utf8_file_exit_2(capsys, tmp_path):
    status, out, err = run(capsys, tmp_path, "simulate", "--parties", str(tmp_path / "missing.csv"),
                           "--years", "2027-2028", "--seed", "1")
    assert (status, out) == (2, "") and "cannot read" in err
    path = tmp_path / "latin1.csv"
    path.write_bytes(small_world().encode("utf-8") + "CÔT,G1,civil,UNTOC,party\n".encode("latin-1"))
    status, out, err = run(capsys, tmp_path, "simulate", "--parties", str(path), "--years", "2027-2028", "--seed", "1")
    assert (status, out) == (2, "") and "is not UTF-8 text" in err


def test_simulate_missing_option_or_non_numeric_seed_exit_2(capsys, tmp_path):
    status, out, err = run(capsys, tmp_path, "simulate", "--years", "2027-2028", csv=small_world())
    assert (status, out) == (2, "") and "--seed" in err
    status, out, err = simulate(capsys, tmp_path, small_world(), seed="lucky")
    assert (status, out) == (2, "") and "invalid int value: 'lucky'" in err


def test_r6_r7_group_of_two_explains_the_collision_and_the_relaxation_on_offer(capsys, tmp_path):
    csv = small_world("ZZA,G3,civil,UNTOC,party\nZZB,G3,common,UNTOC,party\n")
    status, out, err = simulate(capsys, tmp_path, csv)
    assert (status, out) == (2, "")  # never a partial or rule-breaking draw on stdout
    assert "No valid draw" in err and "R6 and R7 collide" in err
    assert "ZZA and ZZB are the only parties to UNTOC in G3" in err and "R7:ZZA+ZZB" in err
    status, out, err = simulate(capsys, tmp_path, csv, "--relax", "R7:ZZB+ZZA")
    assert (status, err) == (0, "")
    reviewers = {a["under_review"]: a["reviewers"] for a in json.loads(out)["assignments"] if a["instrument"] == "UNTOC"}
    assert "ZZB" in reviewers["ZZA"] and "ZZA" in reviewers["ZZB"]


def test_r5_protocol_with_two_parties_offers_no_relaxation(capsys, tmp_path):
    csv = small_world("ZZA,G2,civil,UNTOC;SOM,party\nZZB,G2,common,UNTOC;SOM,party\n")
    status, out, err = simulate(capsys, tmp_path, csv, "--relax", "R7:ZZA+ZZB")
    assert (status, out) == (2, "")
    assert "ZZA needs two other parties to SOM as reviewers; there is 1" in err
    assert "No relaxation is offered: the input must change." in err


def test_shipped_parties_need_the_recorded_r6_relaxations_then_draw(capsys, tmp_path):
    status, csv, _ = run(capsys, tmp_path, "parties")
    assert status == 0 and csv.startswith(HEADER) and len(csv.splitlines()) == 1 + len(party_lists.shipped())
    status, out, err = simulate(capsys, tmp_path, csv, years="2027-2031")
    assert (status, out) == (2, "")
    for iso3 in ("COK", "EUE", "NIU", "VAT"):
        assert f"{iso3} belongs to no regional group" in err and f"R6:{iso3}" in err
    status, out, err = simulate(capsys, tmp_path, csv, "--relax", "R6:COK,R6:EUE,R6:NIU,R6:VAT", years="2027-2031")
    assert (status, err) == (0, "")
    assert [len(s) for _, s in sorted(json.loads(out)["years"].items())] == [39, 39, 39, 38, 38]


# --- verify ---------------------------------------------------------------------------------------

@pytest.fixture
def record(tmp_path):
    """A selection draw record as the portal's @@json gives it, after the draw."""
    from draws import cycle
    from draws.parties import parse_csv

    inputs = cycle.selection_inputs(parse_csv(small_world()), 2027, 2)
    seed = "0123456789abcdef0123456789abcdef"
    algorithm, result = cycle.run("selection", inputs, seed)
    return {"kind": "selection", "inputs": inputs, "seed": seed, "seed_commitment": commitment(seed),
            "algorithm": algorithm, "result": result}


def verify(capsys, tmp_path, record):
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    return run(capsys, tmp_path, "verify", "--record", str(path))


def test_r12_verify_confirms_an_untouched_record(capsys, tmp_path, record):
    status, out, _ = verify(capsys, tmp_path, record)
    assert status == 0 and out.startswith("OK: ")


def test_r12_verify_refuses_a_seed_that_does_not_match_its_commitment(capsys, tmp_path, record):
    status, out, _ = verify(capsys, tmp_path, {**record, "seed_commitment": commitment("another seed")})
    assert status == 1 and out.startswith("FAILED: the revealed seed does not match the commitment")


def test_r12_verify_refuses_a_changed_result(capsys, tmp_path, record):
    years = record["result"]["years"]
    a, b = sorted(years)
    moved = {a: years[a][1:], b: sorted(years[b] + years[a][:1])}
    status, out, _ = verify(capsys, tmp_path, {**record, "result": {**record["result"], "years": moved}})
    assert status == 1 and out.startswith("FAILED: ")


def test_r12_verify_refuses_other_inputs_under_the_same_seed(capsys, tmp_path, record):
    inputs = json.loads(json.dumps(record["inputs"]))
    inputs["parties"] = [p for p in inputs["parties"] if p["iso3"] != "AAA"]
    status, out, _ = verify(capsys, tmp_path, {**record, "inputs": inputs})
    assert status == 1 and out == "FAILED: re-running the draw gives a different result\n"


def test_verify_bad_record_exit_2(capsys, tmp_path, record):
    status, out, err = verify(capsys, tmp_path, {**record, "seed": None})
    assert (status, out) == (2, "") and "its seed is still secret" in err
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    status, out, err = run(capsys, tmp_path, "verify", "--record", str(tmp_path / "broken.json"))
    assert (status, out) == (2, "") and "cannot read the record" in err
    status, out, err = run(capsys, tmp_path, "verify")
    assert (status, out) == (2, "") and "verify needs --record FILE.json" in err


@pytest.mark.parametrize("lang", ["ar", "zh", "fr", "ru", "es"])
def test_r6_portal_draw_explains_a_collision_in_the_language_asked(capsys, tmp_path, lang):
    """``--lang`` writes the engine's explanation (which rules collide, what may be relaxed) in that language."""
    from language import _, translate_with
    from portal.i18n import localizer

    path = tmp_path / "parties.csv"
    path.write_text(party_lists.to_csv(party_lists.shipped()), encoding="utf-8")
    status = main(["--lang", lang, "simulate", "--parties", str(path), "--years", "2027-2031", "--seed", "5"])
    err = capsys.readouterr().err
    found = localizer(lang)
    expected = translate_with(found, _("${state} belongs to no regional group, so no reviewer can come from its group.",
                                       mapping={"state": "EUE"}))
    assert status == 2 and expected in err and "R6:EUE" in err
    assert "belongs to no regional group" not in err and "No relaxation" not in err
    assert translate_with(found, _("No valid draw.")) in err

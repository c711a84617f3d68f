"""R2 and R12: the selection draw puts every party in exactly one year, by group quota, reproducibly."""

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content.reference_data import DATA_DIR
from draws.selection import draw_selection

GROUPS = ["African", "Asia-Pacific", "Eastern European", "Latin American and Caribbean", "Western European and Others", None]


@st.composite
def party_lists(draw):
    codes = draw(st.lists(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3), min_size=1, max_size=80, unique=True))
    return {code: draw(st.sampled_from(GROUPS)) for code in codes}


@settings(max_examples=200, deadline=None)
@given(party_lists(), st.integers(1, 6), st.integers(0, 2**32))
def test_r1_r2_every_party_is_drawn_for_exactly_one_year(parties, years, seed):
    selection = draw_selection(parties, 2027, years, seed)
    drawn = [iso3 for codes in selection.years.values() for iso3 in codes]
    assert sorted(drawn) == sorted(parties)
    for share in selection.apportionment:
        codes = selection.years[share.year]
        assert len(codes) == share.total
        for group, count in share.seats.items():
            assert sum(1 for c in codes if (parties[c] or "none") == group) == count
        assert codes == sorted(codes)  # published alphabetically, never ranked (R22)


@settings(max_examples=100, deadline=None)
@given(party_lists(), st.integers(1, 6), st.integers(0, 2**32))
def test_r12_same_seed_same_selection_whatever_the_input_order(parties, years, seed):
    reordered = dict(reversed(list(parties.items())))
    assert draw_selection(parties, 2027, years, seed).years == draw_selection(reordered, 2027, years, seed).years


def test_different_seeds_give_different_draws():
    parties = {f"S{i:02d}": GROUPS[i % 5] for i in range(60)}
    outcomes = {tuple(draw_selection(parties, 2027, 5, seed).years[2027]) for seed in range(10)}
    assert len(outcomes) > 1


def test_real_parties_over_five_years():
    with open(DATA_DIR / "states.csv", encoding="utf-8") as f:
        groups = {row["iso3"]: row["regional_group"] or None for row in csv.DictReader(f)}
    with open(DATA_DIR / "participation.csv", encoding="utf-8") as f:
        parties = {row["iso3"]: groups[row["iso3"]] for row in csv.DictReader(f)
                   if row["instrument"] == "UNTOC" and row["status"] == "party"}
    selection = draw_selection(parties, 2027, 5, seed=20270101)
    assert [len(selection.years[y]) for y in range(2027, 2032)] == [39, 39, 39, 38, 38]
    assert "EUE" in [c for codes in selection.years.values() for c in codes]  # outside any group, still drawn


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        draw_selection({"KEN": "African"}, 2027, 2, seed=1, yearly_totals=[1])
    with pytest.raises(ValueError):
        draw_selection({"KEN": "African", "FRA": "Western European and Others"}, 2027, 2, seed=1, yearly_totals=[1, 2])


def test_r12_a_selection_recorded_by_the_older_version_still_verifies_with_it():
    """selection-v1 records (cumulative largest remainder) re-run with v1; new records use v2."""
    from draws import cycle, selection
    from draws.model import Party

    parties = [Party(f"S{n:02d}", ("African", "Asia-Pacific", None)[n % 3], "civil", frozenset({"UNTOC"})) for n in range(30)]
    inputs = cycle.selection_inputs(parties, 2027, 5)
    old_version = next(a for a in selection.APPORTIONMENTS if a.startswith("selection-v1"))
    algorithm, result = cycle.run("selection", inputs, 7, old_version)
    assert algorithm == old_version and "share" not in result["apportionment"][0]["groups"][0]
    record = {"kind": "selection", "inputs": inputs, "seed": 7, "algorithm": algorithm, "result": result}
    assert cycle.verify(record) == (True, "re-running the draw gives the identical result")
    current, new_result = cycle.run("selection", inputs, 7)
    assert current == selection.ALGORITHM and current.startswith("selection-v2")
    assert "share" in new_result["apportionment"][0]["groups"][0]
    assert cycle.verify({**record, "algorithm": current, "result": new_result})[0]
    assert not cycle.verify({**record, "result": new_result})[0] or result == new_result
    with pytest.raises(ValueError):
        selection.draw_selection({"AAA": None}, 2027, 1, 1, algorithm="selection-v0: unknown")

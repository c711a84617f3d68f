"""Schedule changes after the selection draw (R3, R4) and the seed commitment of a draw (R12)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from draws import schedule as sched
from draws import seeds
from draws.model import DrawError, Party

SCHEDULE = {2027: ["AAA", "BBB"], 2028: ["CCC"], 2029: ["DDD"]}
PARTIES = {p.iso3: p for p in (
    Party("AAA", "G1", "civil", frozenset({"UNTOC"})),
    Party("CCC", "G1", "civil", frozenset({"UNTOC"})),
    Party("SIG", "G1", None, frozenset(), "signatory"),
)}


def error_code(call, *args):
    with pytest.raises(DrawError) as info:
        call(*args)
    return info.value.code


def test_r3_deferral_moves_the_state_to_the_following_year_only():
    out = sched.defer(SCHEDULE, "AAA", 2027, "National elections in 2027")
    assert out == {2027: ["BBB"], 2028: ["AAA", "CCC"], 2029: ["DDD"]}
    assert SCHEDULE == {2027: ["AAA", "BBB"], 2028: ["CCC"], 2029: ["DDD"]}  # the given schedule is untouched


@pytest.mark.parametrize("justification", ["", "   ", None])
def test_r3_deferral_needs_a_written_justification(justification):
    assert error_code(sched.defer, SCHEDULE, "AAA", 2027, justification) == "justification"


def test_r3_deferral_refused_for_another_year_or_from_the_last_year():
    assert error_code(sched.defer, SCHEDULE, "AAA", 2028, "reason") == "not-selected"
    assert error_code(sched.defer, SCHEDULE, "DDD", 2029, "reason") == "last-year"


def test_r3_volunteer_for_an_earlier_year():
    assert sched.volunteer(SCHEDULE, PARTIES, "CCC", 2027) == {2027: ["AAA", "BBB", "CCC"], 2028: [], 2029: ["DDD"]}
    assert error_code(sched.volunteer, SCHEDULE, PARTIES, "AAA", 2028) == "already"  # later is deferral, not volunteering
    assert error_code(sched.volunteer, SCHEDULE, PARTIES, "CCC", 2028) == "already"
    assert error_code(sched.volunteer, SCHEDULE, PARTIES, "CCC", 2031) == "year"
    assert error_code(sched.volunteer, SCHEDULE, PARTIES, "QQQ", 2027) == "unknown"


def test_r4_a_signatory_volunteers_into_the_schedule():
    assert sched.volunteer(SCHEDULE, PARTIES, "SIG", 2028)[2028] == ["CCC", "SIG"]
    assert PARTIES["SIG"].reviewed_for() == ("UNTOC",)  # reviewed for the Convention only


def test_year_of():
    assert [sched.year_of(SCHEDULE, s) for s in ("AAA", "CCC", "QQQ")] == [2027, 2028, None]


# --- R12: the seed is committed before the draw and revealed after it ------------------------------

def test_r12_new_seeds_are_long_and_fresh():
    made = {seeds.new_seed() for _ in range(50)}
    assert len(made) == 50 and all(len(s) == 32 and int(s, 16) >= 0 for s in made)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1), st.text(min_size=1))
def test_r12_commitment_verifies_only_its_own_seed(seed, other):
    published = seeds.commitment(seed)
    assert len(published) == 64
    assert seeds.verify_commitment(seed, published)
    assert seeds.verify_commitment(seed, published.upper())  # hex in either case
    assert seeds.verify_commitment(other, published) == (other == seed)


def test_r12_commitment_is_a_documented_hash_anyone_can_recompute():
    import hashlib

    seed = "0123456789abcdef0123456789abcdef"
    assert seeds.commitment(seed) == hashlib.sha256(("review-portal-draw-seed:" + seed).encode()).hexdigest()


def test_r12_derived_streams_are_stable_and_separate():
    assert seeds.derived("s", 2027) == seeds.derived("s", 2027)
    assert len({seeds.derived("s", 2027), seeds.derived("s", 2028), seeds.derived("t", 2027)}) == 3
    assert seeds.rng("s", "x").random() == seeds.rng("s", "x").random()
    # A fixed value: a change of the derivation would silently change every recorded draw.
    assert seeds.derived(20270101, "selection") == int.from_bytes(
        __import__("hashlib").sha256(b"20270101:selection").digest()[:8], "big")

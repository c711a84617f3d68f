"""The drawing of lots runs outside the request's transaction (issue 19 §4): the page says it is running, the
result is committed as one record, and nobody starts the same draw twice; on FileStorage and on RelStorage."""

import threading
import time

import pytest

from draws import cycle as engine
from portal import draw_service
from tests.conftest import csrf_from
from tests.cycle_fixtures import add_cycle, cycle_of, post

RECORD = "/cycles/first-cycle/draws/1/"


@pytest.fixture
def held(portal, monkeypatch):
    """The engine of this test's draws waits for ``held.set()`` (so the "running" state can be seen); the run
    request answers without waiting for it, as in production."""
    monkeypatch.setitem(portal.registry.settings, "draws.wait", "false")
    gate, started = threading.Event(), threading.Event()
    real = draw_service.compute

    def compute(job):
        started.set()
        assert gate.wait(60), "the test never released the engine"
        return real(job)

    monkeypatch.setattr(draw_service, "compute", compute)
    gate.started = started
    yield gate
    gate.set()
    for thread in threading.enumerate():  # let the draw finish before the database closes
        if thread.name.startswith("draw "):
            thread.join(60)


def record_when_done(client, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        record = client.get(RECORD + "@@json").json
        if record["seed"] is not None:
            return record
        time.sleep(0.1)
    raise AssertionError("the draw did not finish")


@pytest.mark.storages("file", "relstorage")
def test_r12_the_draw_runs_outside_the_request_shows_it_is_running_and_commits_one_record(
        portal, secretariat, anon, held):
    add_cycle(secretariat)
    post(secretariat, "/cycles/first-cycle/@@prepare-selection")
    began = time.monotonic()
    answer = post(secretariat, RECORD + "@@run")  # answered while the engine is held: outside the request
    assert time.monotonic() - began < 10 and answer.location.endswith(RECORD)
    assert held.started.wait(10)
    page = anon.get(RECORD)
    assert "The drawing of lots is running since" in page.text and 'http-equiv="refresh"' in page.text
    assert "Not yet revealed" in page.text and "Run the drawing of lots" not in page.text
    french = anon.get(RECORD + "?lang=fr").text
    assert 'class="running"' in french and "The drawing of lots is running since" not in french
    record = anon.get(RECORD + "@@json").json
    assert record["seed"] is None and record["running_since"] and record["result"] is None
    assert cycle_of(portal)[0] == "planned"  # nothing of the result is applied yet
    # Meanwhile the database is not held: other work commits (a new account, a cycle of its own).
    add_cycle(secretariat, name="second-cycle")
    held.set()
    record = record_when_done(anon)
    assert record["running_since"] is None and record["result"] and record["ran_by"] == "sec"
    assert engine.verify(record) == (True, "re-running the draw gives the identical result")
    state, schedule, _ = cycle_of(portal)
    assert state == "selection-drawn" and sum(len(s) for s in schedule.values()) == len(record["inputs"]["parties"])
    page = anon.get(RECORD + "?lang=en")
    assert "is running since" not in page.text and 'http-equiv="refresh"' not in page.text
    assert "Run the drawing of lots" not in page.text


@pytest.mark.storages("file", "relstorage")
def test_r12_two_secretariat_users_cannot_start_the_same_draw_twice(portal, secretariat, signed_in, held):
    add_cycle(secretariat)
    post(secretariat, "/cycles/first-cycle/@@prepare-selection")
    other = signed_in("sec2", function="secretariat", state=None)
    tokens = {c: csrf_from(c.get(RECORD)) for c in (secretariat, other)}
    statuses, ready = [], threading.Barrier(2)

    def press(client):
        ready.wait()
        statuses.append(client.post(RECORD + "@@run", {"csrf_token": tokens[client]}, expect_errors=True).status_int)

    threads = [threading.Thread(target=press, args=(c,)) for c in (secretariat, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(statuses) == [303, 409], statuses
    # Pressed again while it runs: refused, saying who started it.
    refused = other.post(RECORD + "@@run", {"csrf_token": tokens[other]}, status=409)
    assert "already running" in refused.text
    held.set()
    record = record_when_done(other)
    assert record["ran_by"] in ("sec", "sec2") and engine.verify(record)[0]
    post(other, RECORD + "@@run", status=409)  # and once run, never again


def test_r12_a_draw_whose_process_died_may_be_run_again_with_the_same_seed(portal, secretariat, anon, monkeypatch):
    """A record left "running" by a process that died is stale after ``STALE_AFTER``; running it then gives
    the result the seed commits to (nothing can be fished)."""
    add_cycle(secretariat)
    post(secretariat, "/cycles/first-cycle/@@prepare-selection")
    with portal.root() as root:
        record = root["cycles"]["first-cycle"]["draws"]["1"]
        draw_service.start_draw(record, "sec")  # started, then the process died: no thread, no outcome
    post(secretariat, RECORD + "@@run", status=409)
    with portal.root() as root:
        record = root["cycles"]["first-cycle"]["draws"]["1"]
        record.running_since -= draw_service.STALE_AFTER
    post(secretariat, RECORD + "@@run")
    record = anon.get(RECORD + "@@json").json
    assert engine.verify(record)[0] and record["running_since"] is None


def test_r12_an_engine_fault_ends_the_running_state_with_a_translated_message(portal, secretariat, anon, monkeypatch):
    add_cycle(secretariat)
    post(secretariat, "/cycles/first-cycle/@@prepare-selection")

    def broken(kind, inputs, seed, algorithm=None):
        raise MemoryError

    monkeypatch.setattr(engine, "run", broken)
    post(secretariat, RECORD + "@@run")
    record = anon.get(RECORD + "@@json").json
    assert record["running_since"] is None and record["seed"] is not None and "MemoryError" in record["failure"]
    assert "MemoryError" in anon.get(RECORD + "?lang=es").text
    assert cycle_of(portal)[0] == "planned"

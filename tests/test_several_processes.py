"""The portal as the service it will be: PostgreSQL (RelStorage) under two real ``pserve`` processes.

A change made through one process reaches every reader of both on the next request (a rename, a
publication, a withdrawal, a revocation), whatever the caches held; concurrent writers on both processes
lose no acknowledged write; a process killed with SIGKILL in a burst of writes loses nothing it
acknowledged while the other keeps serving, and it restarts cleanly. The world is the test suite's
``drawn`` world, moved from a FileStorage into PostgreSQL with ``portal-convert``.
"""

import concurrent.futures
import http.client
import re
import shutil
import threading
import time
import urllib.parse
import uuid

import pytest

from portal.scripts import convert
from tests.conftest import PASSWORD, Portal, file_uri, make_settings
from tests.cycle_fixtures import CYCLE, cycle_of, set_stage
from tests.live_portal import Browser, PortalProcess

READERS = ("anonymous on A", "anonymous on B", "signed in on A", "signed in on B")


class Service:
    """Two portal processes A and B on one PostgreSQL database, and the review the tests work on."""

    def __init__(self, uri, processes, sur, third, database):
        self.uri, self.processes, self.sur, self.third, self.database = uri, processes, sur, third, database

    @property
    def a(self):
        return self.processes[0]

    @property
    def b(self):
        return self.processes[1]

    def browser(self, process, login=None):
        browser = Browser(process.url)
        return browser.sign_in(login, PASSWORD) if login else browser

    def readers(self):
        """Anonymous and signed-in readers (a third State's focal point) on each process."""
        return dict(zip(READERS, (self.browser(self.a), self.browser(self.b),
                                  self.browser(self.a, "third-fp"), self.browser(self.b, "third-fp"))))


@pytest.fixture(scope="module")
def service(postgres, world_builder, tmp_path_factory):
    from portal import main

    folder = tmp_path_factory.mktemp("service")
    source = folder / "filestorage"
    shutil.copytree(world_builder("drawn"), source)
    world = Portal(main({}, **make_settings(**{"zodbconn.uri": file_uri(source)})))
    try:
        _, schedule, assignments = cycle_of(world)
        year = min(schedule)
        sur = schedule[year][0]
        reviewing = {r for a in assignments[year] if a["under_review"] == sur for r in a["reviewers"]}
        third = next(s for s in sorted(schedule[year + 1]) if s not in reviewing and s != sur)
        world.add_user("sur-fp", "focal-point", sur)
        world.add_user("third-fp", "focal-point", third)
        world.add_user("third-x", "expert", third)
        set_stage(world, sur, "final")
    finally:
        world.db.close()
    database = postgres.create_database()
    uri = postgres.uri(database, folder / "blob-cache-convert")
    assert convert.main([file_uri(source), uri]) == 0
    processes = [PortalProcess(folder, postgres.uri(database, folder / f"blob-cache-{name}")) for name in "ab"]
    for process in processes:
        process.start()
    try:
        yield Service(uri, processes, sur, third, database)
    finally:
        for process in processes:
            process.stop()


def warm(readers, paths):
    """Every reader reads every page twice: the second answer comes from the caches."""
    for reader in readers.values():
        for path in paths:
            for _ in range(2):
                reader.request(path)


def test_r19_r20_a_change_through_one_process_reaches_every_reader_of_both_at_once(service):
    sur = service.sur
    readers = service.readers()
    state_page, state_json = f"/states/{sur}", f"/states/{sur}/@@json"
    report = f"{CYCLE}reviews/{sur}/report/"
    summary = report + "parts/summary/"
    warm(readers, [state_page, state_json, summary, "/states/"])

    # A rename by the secretariat through A.
    secretariat = service.browser(service.a, "sec")
    new_name = f"Renamed {uuid.uuid4().hex[:8]}"
    secretariat.submit(secretariat.get(f"/states/{sur}/@@edit"), {"name_en": new_name}, "save")
    for who, reader in readers.items():
        assert new_name in reader.get(state_page).text, who
        assert reader.get(state_json).json()["names"]["en"] == new_name, who
        assert new_name in reader.get("/states/").text, who

    # A publication by the State under review through B: public on both at once.
    owner_b = service.browser(service.b, "sur-fp")
    assert readers["anonymous on A"].request(summary).status == 303  # confidential: sign in
    confirm = owner_b.post(report + "@@publish", {"csrf_token": owner_b.token(), "part": "summary", "review": "review"},
                           status=200)
    owner_b.submit(confirm, {}, "confirm")
    summary_text = _text_of(readers["anonymous on B"].get(summary))
    words = _search_words(summary_text)
    for who, reader in readers.items():
        assert reader.get(summary).status == 200, who
        assert summary_text in reader.get(state_page).text, who
        assert summary in _found(reader, words), who  # search, on both processes (issue 18)

    # The withdrawal (R19) through A: closed again for every reader of both, cached pages included.
    owner_a = service.browser(service.a, "sur-fp")
    confirm = owner_a.post(report + "@@publish", {"csrf_token": owner_a.token(), "review": "review"}, status=200)
    assert "These parts will no longer be public" in confirm.text
    owner_a.submit(confirm, {}, "confirm")
    for who, reader in readers.items():
        assert reader.request(summary).status in (303, 403), who
        assert summary_text not in reader.get(state_page).text, who
        assert summary not in _found(reader, words), who

    # The executive summary (R21), published by the secretariat through A, withdrawn through B.
    executive = report + "summary/"
    warm(readers, [executive, executive + "@@json"])
    secretariat.post(executive + "en/@@transition", {"csrf_token": secretariat.token(), "transition": "publish",
                                                     "comment": ""})
    for who, reader in readers.items():
        assert reader.get(executive).status == 200, who
        assert reader.get(executive + "@@json").json()["items"], who
    secretariat_b = service.browser(service.b, "sec")
    secretariat_b.post(executive + "en/@@transition", {"csrf_token": secretariat_b.token(), "transition": "withdraw",
                                                       "comment": ""})
    for who, reader in readers.items():
        assert reader.request(executive).status in (303, 403), who
        listing = reader.request(executive + "@@json")
        assert listing.status in (303, 403) or not listing.json()["items"], who

    # A grant (R20) read on B, revoked through A: the next read on B is refused.
    requester = service.browser(service.b, "third-fp")
    page = requester.get(f"{CYCLE}reviews/{sur}/access-requests/@@new")
    filed = requester.submit(page, {"reason": "A reform of our own law.", "scope": "whole"}, "save")
    path = "/" + filed.headers["Location"].split("://", 1)[1].split("/", 1)[1]
    owner_a.post(path + "@@transition", {"csrf_token": owner_a.token(), "transition": "grant", "comment": ""})
    requester.post(path + "@@transition", {"csrf_token": requester.token(), "transition": "accept", "comment": ""})
    expert_b = service.browser(service.b, "third-x")
    for reader in (requester, expert_b, requester.at(service.a.url)):
        assert reader.get(report).status == 200
        assert summary in _found(reader, words)  # a part of the report the grant opens
    owner_a.post(path + "@@transition", {"csrf_token": owner_a.token(), "transition": "revoke", "comment": ""})
    for reader in (requester, expert_b, requester.at(service.a.url)):
        assert reader.request(report).status == 403
        assert not [p for p in _found(reader, words) if p.startswith(report)]


def _search_words(text):
    """Three of the longest words of ``text``: a query that finds it."""
    return " ".join(sorted(set(re.findall(r"\w{5,}", text)), key=len, reverse=True)[:3])


def _found(reader, words):
    """The paths the search finds for ``words`` as ``reader`` (as JSON, never cached for another reader)."""
    data = reader.get("/@@search?" + urllib.parse.urlencode({"q": words, "format": "json"})).json()
    return ["/" + r["url"].split("://", 1)[1].split("/", 1)[1].split("#")[0] for r in data["results"]]


def _text_of(page):
    """The beginning of a published part's text as its page shows it."""
    match = re.search(r'<div class="text"><bdi lang="[a-z]+">(.*?)</bdi></div>', page.text, re.S)
    if match:
        return match.group(1).strip()[:80]
    raise AssertionError("no part text on the page:\n" + page.text[:2000])


# -- no lost writes -------------------------------------------------------------------------


def recorded_details(service, iso3s):
    """``{iso3: [values]}``: every value the state records' change logs hold for ``legal_system_detail``,
    read straight from PostgreSQL."""
    import ZODB

    from portal.databases import address_of, open_storage
    from portal.storage import zodb_root

    db = ZODB.DB(open_storage(address_of(service.uri)))
    try:
        with zodb_root(db) as root:
            states = root["portal"]["states"]
            return {iso3: [c["new"] for c in states[iso3].changes if c["field"] == "legal_system_detail"]
                    for iso3 in iso3s}
    finally:
        db.close()


def edit_detail(browser, iso3, value):
    """The secretariat corrects a state's record: the form, then the save; the answer's status."""
    form = browser.request(f"/states/{iso3}/@@edit")
    if form.status != 200:
        return form.status, form.text
    answer = browser.submit(form, {"legal_system_detail": value}, "save", status=None)
    return answer.status, answer.text


def test_concurrent_writers_on_two_processes_lose_no_acknowledged_write(service):
    """Eight writers, four on each process, correct the same two state records at the same time: their
    writes collide (one object each), are retried, and any write refused after the retries says so in
    the writer's language. Every acknowledged write is in the database afterwards; no refused one is."""
    targets = ("FRA", "KEN")
    outcomes = []
    lock = threading.Lock()
    retries_before = sum(p.log().count("retrying POST") for p in service.processes)
    # Signed in one after the other: eight sign-ins to one login at the same instant from eight new browsers
    # are what the attempt limit refuses (docs/accounts.md).
    browsers = [service.browser(service.processes[number % 2], "sec") for number in range(8)]

    def writer(number):
        browser = browsers[number]
        browser.accept_language = "fr" if number in (2, 3) else "en"  # one French writer on each process
        for round_ in range(8):
            value = f"writer {number} round {round_} {uuid.uuid4().hex[:6]}"
            iso3 = targets[(number + round_) % 2]
            status, text = edit_detail(browser, iso3, value)
            with lock:
                outcomes.append((iso3, value, status, text, browser.accept_language))

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(writer, range(8)))
    acknowledged = [(iso3, value) for iso3, value, status, _t, _l in outcomes if status == 303]
    refused = [(iso3, value, text, lang) for iso3, value, status, text, lang in outcomes if status == 409]
    unexpected = [(status, text[:300]) for _i, _v, status, text, _l in outcomes if status not in (303, 409)]
    assert not unexpected
    assert len(acknowledged) + len(refused) == 64 and len(acknowledged) >= 32
    recorded = recorded_details(service, targets)
    for iso3, value in acknowledged:
        assert value in recorded[iso3], f"acknowledged but lost: {iso3} {value}"
    for iso3, value, text, lang in refused:
        assert value not in recorded[iso3]
        expected = "Nothing of it was kept" if lang == "en" else "Rien n'en a été conservé"
        assert expected in text.replace("’", "'"), text[:500]
    retries = sum(p.log().count("retrying POST") for p in service.processes) - retries_before
    assert retries > 0  # the writes did collide (each process logs every retry)
    print(f"{len(acknowledged)} writes acknowledged, {len(refused)} refused, {retries} retries")


def test_a_process_killed_in_a_burst_of_writes_loses_nothing_acknowledged(service):
    """SIGKILL of A in the middle of a burst of writes: every write A acknowledged is in the database; B
    answers every request throughout; A restarts cleanly and serves what was written."""
    targets = ("DEU", "BRA", "IND", "MEX")
    acknowledged, failures_on_b = [], []
    stop = threading.Event()
    lock = threading.Lock()

    browsers = [service.browser(service.a, "sec") for _target in targets]  # signed in one after the other

    def writer(number):
        browser = browsers[number]
        iso3 = targets[number]
        for round_ in range(1000):
            if stop.is_set():
                return
            value = f"burst {number} {round_} {uuid.uuid4().hex[:6]}"
            try:
                status, _text = edit_detail(browser, iso3, value)
            except (OSError, http.client.HTTPException):  # the process is gone, perhaps in the middle of its
                return  # answer (IncompleteRead): this write was never acknowledged
            if status == 303:
                with lock:
                    acknowledged.append((iso3, value))
            elif status >= 500 or status == 0:
                return

    def reader_on_b():
        browser = service.browser(service.b)
        while not stop.is_set():
            page = browser.request(f"/states/{targets[0]}")
            if page.status != 200:
                failures_on_b.append(page.status)

    with concurrent.futures.ThreadPoolExecutor(len(targets) + 1) as pool:
        futures = [pool.submit(writer, n) for n in range(len(targets))] + [pool.submit(reader_on_b)]
        deadline = time.monotonic() + 60
        while len(acknowledged) < 12 and time.monotonic() < deadline:
            time.sleep(0.05)
        service.a.kill()
        time.sleep(1.0)  # B goes on serving after A is gone
        stop.set()
        for future in futures:
            future.result()
    assert len(acknowledged) >= 12
    assert failures_on_b == []
    assert service.b.alive() and service.browser(service.b).get(f"/states/{targets[0]}").status == 200
    recorded = recorded_details(service, targets)
    lost = [(iso3, value) for iso3, value in acknowledged if value not in recorded[iso3]]
    assert lost == []
    # A restarts cleanly and serves what was written, to anonymous and signed-in readers.
    service.a.start()
    iso3 = acknowledged[-1][0]
    secretariat = service.browser(service.a, "sec")
    assert recorded[iso3][-1] in secretariat.get(f"/states/{iso3}/@@edit").text
    assert service.browser(service.a).get(f"/states/{iso3}").status == 200
    status, _text = edit_detail(secretariat, iso3, "after the restart")
    assert status == 303 and "after the restart" in recorded_details(service, [iso3])[iso3]


def test_processes_started_together_on_a_new_database_all_come_up(postgres, tmp_path):
    """Both race to build the portal's tree in an empty database: one wins, the other's commit conflicts,
    and it tries again and finds the tree built."""
    database = postgres.create_database()
    processes = [PortalProcess(tmp_path, postgres.uri(database, tmp_path / f"cache-{n}")) for n in range(2)]
    try:
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            list(pool.map(PortalProcess.start, processes))
        for process in processes:
            assert Browser(process.url).get("/@@health").json()["status"] == "ok"
            assert "Kenya" in Browser(process.url).get("/states/KEN").text
    finally:
        for process in processes:
            process.stop()
        postgres.drop_database(database)

"""Load on the demo world: RelStorage (PostgreSQL) with two portal processes, and FileStorage with one.

Several concurrent clients (one process each) run a mixed workload of the real pages for a fixed time:
public pages read anonymously (home, states, a state and its ``@@json``, the cycle, the Conference, the
Review Group, a published report part), signed-in pages of a focal point (dashboard, its review, its
checklist, its state) and checklist saves (the section's form, then the save: about 10% of requests are
writes). On RelStorage the clients are spread over the two processes as a reverse proxy would spread them.
Reports requests/second, p50/p95/p99 latency (all, reads, writes), errors, writes refused after retries,
and retries (counted in the processes' logs). Targets: p95 under 100 ms and no errors.

    .venv/bin/python benchmarks/bench_scale.py [--clients 8] [--duration 30] [--storages relstorage,file]

PostgreSQL: the server named by ``PORTAL_TEST_POSTGRES=host:port``, else a private one started from
Debian's binaries (``tests/postgres_server.py``). Exit status 1 only when the benchmark itself breaks.
"""

import argparse
import concurrent.futures
import http.client
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests import postgres_server  # noqa: E402
from tests.live_portal import Browser, PortalProcess  # noqa: E402

DEMO_PASSWORD = "review-portal-demo"
CYCLE = "/cycles/first-cycle"
P95_TARGET_MS = 100
PUBLIC = ["/", "/states/", "/states/{state}", "/states/{state}/@@json", f"{CYCLE}/", "/conference/",
          "/group/meetings/", "{published}"]
SIGNED_IN = ["/@@dashboard", f"{CYCLE}/reviews/{{own}}/", f"{CYCLE}/reviews/{{own}}/checklist/", "/states/{own}"]


# -- the demo world ---------------------------------------------------------------------------


def build_demo(folder):
    """The demo world in a FileStorage (portal-demo); returns its URI and what the workload needs."""
    uri = f"file://{folder}/var/Data.fs?blobstorage_dir={folder}/var/blobs"
    process = PortalProcess(folder, uri)  # only for its .ini
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(bin_dir / "portal-demo"), str(process.config)], check=True, stdout=subprocess.DEVNULL)
    import ZODB
    from ZODB.FileStorage import FileStorage

    db = ZODB.DB(FileStorage(f"{folder}/var/Data.fs", read_only=True))
    try:
        root = db.open().root()["portal"]
        reviews = root["cycles"]["first-cycle"]["reviews"]
        checklists = [(iso3, [s.key for s in r["checklist"].sections()]) for iso3, r in reviews.items()
                      if r.workflow_state == "checklist"]
        published = next(f"{CYCLE}/reviews/{iso3}/report/parts/{p.__name__}/" for iso3, r in reviews.items()
                         if r.workflow_state == "final" for p in r["report"]["parts"].values()
                         if p.workflow_state == "published")
        states = sorted(iso3 for iso3, s in root["states"].items() if s.is_party("UNTOC"))
    finally:
        db.close()
    return uri, {"checklists": checklists, "published": published, "states": states}


# -- one client -------------------------------------------------------------------------------


class Connection:
    """A kept-alive HTTP connection that keeps its cookies; ``request`` returns (status, body, seconds)."""

    def __init__(self, port, cookies=None):
        self.port, self.cookies = port, dict(cookies or {})
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method, path, fields=None):
        headers = {"Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or ():
                name, _, value = header.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value.strip()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0, b"", time.perf_counter() - start
        return response.status, data, time.perf_counter() - start


def form_fields(html):
    """The fields of the page's last form, as a browser would send them (via tests.live_portal.Page)."""
    from tests.live_portal import Page

    return Page(200, {}, html, "").form()[1]


def refreshed(fields, html):
    """``fields`` with the form's CSRF token and section version as the new page gives them (parsing the
    whole form on every save would cost the client more time than the server spends)."""
    values = dict(re.findall(rb'name="(csrf_token|version)" value="([^"]*)"', html))
    return [[name, values[name.encode()].decode() if name.encode() in values else value] for name, value in fields]


def run_client(number, port, world, duration, seed):
    """One client's loop; returns a list of (kind, status, seconds, note, page)."""
    rng = random.Random(seed * 1000 + number)
    iso3, sections = world["checklists"][number % len(world["checklists"])]
    section = sections[(number // len(world["checklists"])) % len(sections)]
    login = f"{iso3.lower()}-fp"
    browser = Browser(f"http://127.0.0.1:{port}").sign_in(login, DEMO_PASSWORD)
    signed, anonymous = Connection(port, {c.name: c.value for c in browser.cookies}), Connection(port)
    results, fields = [], None
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        draw = rng.random()
        if draw < 0.1:  # a checklist save: the form, then the save (about 9% of requests are writes)
            status, body, seconds = signed.request("GET", f"{CYCLE}/reviews/{iso3}/checklist/@@answer?section={section}")
            results.append(("read", status, seconds, "", "checklist form"))
            if status != 200:
                continue
            fields = refreshed(fields, body) if fields else form_fields(body)
            for field in fields:
                if field[0] == "comments":
                    field[1] = f"Saved by client {number} at {time.time():.3f}"
                    break
            status, body, seconds = signed.request("POST", f"{CYCLE}/reviews/{iso3}/checklist/@@answer?section={section}",
                                                   [tuple(f) for f in fields] + [("save", "save")])
            note = "conflict shown" if status == 200 and b"saved this section after you opened it" in body else ""
            results.append(("write", status, seconds, note, "checklist save"))
        elif draw < 0.55:
            page = rng.choice(PUBLIC)
            path = page.format(state=rng.choice(world["states"]), published=world["published"])
            status, _body, seconds = anonymous.request("GET", path)
            results.append(("read", status, seconds, "", "anonymous " + page))
        else:
            page = rng.choice(SIGNED_IN)
            status, _body, seconds = signed.request("GET", page.format(own=iso3))
            results.append(("read", status, seconds, "", "signed in " + page))
    return results


# -- a run ------------------------------------------------------------------------------------


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(name, processes, world, clients, duration, warmup, seed):
    ports = [p.port for p in processes]
    retries_before = sum(p.log().count("retrying ") for p in processes)
    with concurrent.futures.ProcessPoolExecutor(clients) as pool:  # warm-up: fill caches, open connections
        list(pool.map(run_client, range(clients), [ports[i % len(ports)] for i in range(clients)],
                      [world] * clients, [warmup] * clients, [seed + 1] * clients))
        retries_before = sum(p.log().count("retrying ") for p in processes)
        started = time.monotonic()
        runs = list(pool.map(run_client, range(clients), [ports[i % len(ports)] for i in range(clients)],
                             [world] * clients, [duration] * clients, [seed] * clients))
        elapsed = time.monotonic() - started
    results = [r for run in runs for r in run]
    retries = sum(p.log().count("retrying ") for p in processes) - retries_before
    ok = {200, 303, 304}
    errors = [r for r in results if r[1] not in ok and r[1] != 409]
    refused = [r for r in results if r[0] == "write" and r[1] == 409]
    conflicts = [r for r in results if r[3] == "conflict shown"]
    report = {"storage": name, "processes": len(processes), "clients": clients, "requests": len(results),
              "seconds": elapsed, "rps": len(results) / elapsed,
              "writes": sum(1 for r in results if r[0] == "write"), "errors": len(errors),
              "refused": len(refused), "conflicts shown": len(conflicts), "retries": retries,
              "error statuses": sorted({r[1] for r in errors})}
    for kind in ("all", "read", "write"):
        times = [r[2] * 1000 for r in results if kind == "all" or r[0] == kind]
        report[kind] = (percentile(times, 50), percentile(times, 95), percentile(times, 99))
    pages = {}
    for r in results:
        pages.setdefault(r[4], []).append(r[2] * 1000)
    report["pages"] = sorted(((percentile(t, 95), percentile(t, 50), len(t), page) for page, t in pages.items()), reverse=True)
    return report


def print_report(report):
    p50, p95, p99 = report["all"]
    verdict = "PASS" if p95 < P95_TARGET_MS and report["errors"] == 0 else "BELOW TARGET"
    print(f"\n{report['storage']}: {report['processes']} process(es), {report['clients']} clients, "
          f"{report['requests']} requests in {report['seconds']:.1f} s = {report['rps']:.0f} requests/s")
    for kind in ("all", "read", "write"):
        a, b, c = report[kind]
        print(f"  {kind:5} p50 {a:7.1f} ms   p95 {b:7.1f} ms   p99 {c:7.1f} ms")
    print(f"  writes {report['writes']} ({100 * report['writes'] / max(1, report['requests']):.1f}% of requests), "
          f"retries {report['retries']}, refused after retries {report['refused']}, "
          f"edit conflicts shown {report['conflicts shown']}, errors {report['errors']} {report['error statuses'] or ''}")
    print("  slowest pages (p95, p50, requests):")
    for p95_, p50_, count, page in report["pages"][:5]:
        print(f"    {p95_:7.1f} ms {p50_:7.1f} ms {count:6d}  {page}")
    print(f"  target p95 < {P95_TARGET_MS} ms and no errors: {verdict}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--storages", default="relstorage,file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (databases, logs)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    reports = []
    try:
        with ExitStack() as stack:
            print(f"building the demo world in {folder} ...", flush=True)
            file_uri, world = build_demo(folder / "demo")
            for storage in args.storages.split(","):
                if storage == "file":
                    shutil.copytree(folder / "demo" / "var", folder / "file" / "var")
                    uri = file_uri.replace(str(folder / "demo"), str(folder / "file"))
                    processes = [PortalProcess(folder / "file", uri)]
                elif storage == "relstorage":
                    server = postgres_server.from_environment()
                    if server is None:
                        server = postgres_server.Server(*stack.enter_context(postgres_server.running_postgres()))
                    database = server.create_database(prefix="bench")
                    stack.callback(server.drop_database, database)
                    uri = server.uri(database, folder / "rs" / "convert-cache")
                    bin_dir = Path(sys.executable).parent
                    subprocess.run([str(bin_dir / "portal-convert"), file_uri, uri], check=True, stdout=subprocess.DEVNULL)
                    processes = [PortalProcess(folder / "rs", server.uri(database, folder / "rs" / f"cache-{n}"))
                                 for n in range(2)]
                else:
                    parser.error(f"unknown storage {storage!r}")
                for process in processes:
                    stack.callback(process.stop)
                    process.start()
                print(f"{storage}: {len(processes)} process(es) serving; {args.warmup:g} s warm-up, "
                      f"{args.duration:g} s measured ...", flush=True)
                reports.append(measure(storage, processes, world, args.clients, args.duration, args.warmup, args.seed))
                print_report(reports[-1])
                for process in processes:
                    process.stop()
    except Exception:  # noqa: BLE001
        import traceback

        print("bench_scale: the benchmark broke:", file=sys.stderr)
        traceback.print_exc()
        return 1
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"\nmachine: {os.cpu_count()} cores; figures depend on what else runs on it")
    return 0


if __name__ == "__main__":
    sys.exit(main())

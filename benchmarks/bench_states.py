"""Throughput of ``/states/KEN``: the portal (anonymous and signed in) against a bare Pyramid hello-world app.

Both apps are served by waitress (4 threads) pinned to one core; wrk runs pinned to another core.
Rounds are interleaved (hello, portal anonymous, portal signed in, then again) and the medians are
compared. Targets: anonymous >= 0.5x and signed in >= 0.3x the hello app. Prints the figures and
PASS / BELOW TARGET; it never fails on a figure (exit status 1 only when the benchmark itself breaks).

    .venv/bin/python benchmarks/bench_states.py [--rounds 5] [--duration 5] [--connections 8]
"""

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
PATH = "/states/KEN"
TARGETS = {"anonymous": 0.5, "signed in": 0.3}
LOGIN = "bench-fp"
PASSWORD = "benchmark passphrase " + "x" * 12
SESSION_COOKIE = "portal_session"


class BenchmarkError(Exception):
    pass


# -- the portal's database ---------------------------------------------------------------


def portal_settings(tmp):
    """Like development.ini, in a temporary folder, templates not reloaded."""
    return {
        "portal.development": "true",
        "portal.session_secret": "benchmark-only-secret-" + "0123456789" * 4,
        "portal.session_secure": "false",
        "portal.session_idle_timeout": "1800",
        "portal.session_absolute_timeout": "43200",
        "zodbconn.uri": f"file://{tmp}/var/Data.fs?blobstorage_dir={tmp}/var/blobs&connection_cache_size=20000",
        "retry.attempts": "3",
        "mail.mode": "debug",
        "mail.debug_dir": f"{tmp}/var/mail",
        "mail.default_sender": "review-portal@localhost",
        "pyramid.reload_templates": "false",
        "pyramid.default_locale_name": "en",
    }


def create_database(settings):
    """Create the database (tree, states registry) and an active focal point of Kenya, then close it."""
    import transaction

    from content.users import User
    from portal import main
    from workflows import get_workflow

    app = main({}, **settings)
    databases = app.registry._zodb_databases
    try:
        tm = transaction.TransactionManager(explicit=True)
        conn = databases[""].open(transaction_manager=tm)
        try:
            with tm:
                root = conn.root()["portal"]
                if "KEN" not in root["states"]:
                    raise BenchmarkError("the states registry has no KEN")
                user = User(LOGIN, "Benchmark Focal Point", f"{LOGIN}@example.org", "focal-point", state="KEN")
                user.set_password(PASSWORD)
                root["users"].add(LOGIN, user)
                get_workflow(user).initialize(user, actor="benchmark")
                user.workflow_state = "active"
        finally:
            conn.close()
    finally:
        for db in databases.values():
            db.close()


# -- servers -----------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pinned(cpu, argv):
    return ["taskset", "-c", str(cpu)] + argv if cpu is not None else argv


class Server:
    def __init__(self, name, argv, port, log_path, cpu):
        self.name, self.port, self.log_path = name, port, log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(pinned(cpu, argv), cwd=HERE, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchmarkError(f"{self.name} server exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                status, _, _ = request(self.port, "GET", PATH)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchmarkError(f"{self.name} server not ready after {timeout}s:\n{self.log_tail()}")

    def log_tail(self, lines=30):
        self.log.flush()
        text = Path(self.log_path).read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


# -- HTTP: signing in and checking the pages -----------------------------------------------


def request(port, method, path, body=None, cookie=None):
    """One request without following redirects: ``(status, headers, text)``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {}
        if cookie:
            headers["Cookie"] = cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def session_cookie(headers):
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith(SESSION_COOKIE + "="):
            cookie = value.split(";", 1)[0]
            if cookie != SESSION_COOKIE + "=":
                return cookie
    return None


def sign_in(port):
    """The ``portal_session=...`` cookie of a fresh signed-in session, as a browser would get it."""
    status, headers, text = request(port, "GET", "/@@login")
    if status != 200:
        raise BenchmarkError(f"GET /@@login answered {status}")
    match = re.search(r'name="csrf_token" value="([^"]+)"', text)
    cookie = session_cookie(headers)
    if not match or not cookie:
        raise BenchmarkError("the login page gave no CSRF token or no session cookie")
    form = urlencode({"login": LOGIN, "password": PASSWORD, "csrf_token": match.group(1), "came_from": PATH})
    status, headers, text = request(port, "POST", "/@@login", body=form, cookie=cookie)
    signed = session_cookie(headers)
    if status != 303 or not signed:
        raise BenchmarkError(f"signing in failed: status {status}, new session cookie: {bool(signed)}")
    # Follow the redirect as a browser would and keep the cookie it is given there (the first page
    # after signing in adds the session's CSRF token); wrk then replays that cookie unchanged.
    for _ in range(2):
        status, headers, _ = request(port, "GET", PATH, cookie=signed)
        signed = session_cookie(headers) or signed
    return signed


def check_pages(port, cookie):
    """Make sure wrk will measure what we think: the state's page, anonymous and signed in."""
    status, _, anon = request(port, "GET", PATH)
    if status != 200 or "Kenya" not in anon or "@@login" not in anon or f"({LOGIN})" in anon:
        raise BenchmarkError(f"anonymous {PATH}: status {status}, not the anonymous page of Kenya")
    status, _, signed = request(port, "GET", PATH, cookie=cookie)
    if status != 200 or "Kenya" not in signed or f"<bdi>{LOGIN}</bdi>" not in signed:
        raise BenchmarkError(f"signed-in {PATH}: status {status}, the page does not show the user {LOGIN}")
    return len(anon.encode()), len(signed.encode())


# -- load ----------------------------------------------------------------------------------


def run_wrk(port, duration, connections, cpu, cookie=None):
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s"]
    if cookie:
        argv += ["-H", f"Cookie: {cookie}"]
    argv.append(f"http://127.0.0.1:{port}{PATH}")
    out = subprocess.run(pinned(cpu, argv), capture_output=True, text=True, timeout=duration + 60)
    if out.returncode != 0:
        raise BenchmarkError(f"wrk failed ({out.returncode}): {out.stderr}")
    text = out.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if not rps:
        raise BenchmarkError(f"no Requests/sec in wrk output:\n{text}")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if non2xx and int(non2xx.group(1)):
        raise BenchmarkError(f"wrk got {non2xx.group(1)} non-2xx/3xx responses:\n{text}")
    errors = re.search(r"Socket errors:.*", text)
    if errors:
        raise BenchmarkError(f"wrk reports socket errors:\n{text}")
    return float(rps.group(1))


# -- main ----------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=5, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=2, help="seconds of an unmeasured wrk run per case")
    parser.add_argument("--server-cpu", type=int, default=0)
    parser.add_argument("--client-cpu", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, server logs)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    for tool in ("wrk", "taskset"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing (Debian: apt-get install -y wrk util-linux)")
    cpus = os.sched_getaffinity(0)
    server_cpu, client_cpu = args.server_cpu, args.client_cpu
    if server_cpu not in cpus or client_cpu not in cpus or server_cpu == client_cpu:
        print(f"warning: cannot pin to cores {server_cpu}/{client_cpu} (available: {sorted(cpus)}); not pinning")
        server_cpu = client_cpu = None

    # SIGTERM (e.g. a CI timeout) goes through the finally below too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    servers = []
    try:
        settings = portal_settings(tmp)
        create_database(settings)
        settings_file = tmp / "settings.json"
        settings_file.write_text(json.dumps(settings))

        hello = Server("hello", [sys.executable, "serve.py", "hello", str(port := free_port())], port, tmp / "hello.log", server_cpu)
        servers.append(hello)
        portal = Server(
            "portal", [sys.executable, "serve.py", "portal", str(port := free_port()), str(settings_file)],
            port, tmp / "portal.log", server_cpu,
        )
        servers.append(portal)
        hello.wait_ready()
        portal.wait_ready()
        cookie = sign_in(portal.port)
        anon_bytes, signed_bytes = check_pages(portal.port, cookie)

        cases = [("hello", hello.port, None), ("anonymous", portal.port, None), ("signed in", portal.port, cookie)]
        print(f"GET {PATH}: waitress 4 threads on core {server_cpu}, wrk -t1 -c{args.connections} -d{args.duration}s "
              f"on core {client_cpu}; {args.rounds} interleaved rounds")
        print(f"python {platform.python_version()}, portal page {anon_bytes} B anonymous, {signed_bytes} B signed in")
        if args.warmup:
            for _, port, c in cases:
                run_wrk(port, args.warmup, args.connections, client_cpu, c)

        results = {name: [] for name, _, _ in cases}
        print()
        print(f"{'round':>6} " + " ".join(f"{name:>12}" for name, _, _ in cases) + "   (requests/s)")
        for round_no in range(1, args.rounds + 1):
            for name, port, c in cases:
                results[name].append(run_wrk(port, args.duration, args.connections, client_cpu, c))
            print(f"{round_no:>6} " + " ".join(f"{results[name][-1]:>12.1f}" for name, _, _ in cases), flush=True)
        medians = {name: statistics.median(values) for name, values in results.items()}
        print(f"{'median':>6} " + " ".join(f"{medians[name]:>12.1f}" for name, _, _ in cases))
        # The signed-in session must still be valid, or the last rounds measured something else.
        check_pages(portal.port, cookie)

        print()
        for name, target in TARGETS.items():
            ratio = medians[name] / medians["hello"]
            verdict = "PASS" if ratio >= target else "BELOW TARGET"
            print(f"portal {name:<9} / hello = {ratio:.3f}   (target >= {target:.1f})  {verdict}")
        return 0
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    finally:
        for server in servers:
            server.stop()
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

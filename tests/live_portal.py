"""Real portal processes for the tests and benchmarks that need them: ``pserve`` on a generated ``.ini``,
started, killed and restarted; and a small browser (cookies, forms, CSRF tokens) talking HTTP to them."""

import http.client
import http.cookiejar
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tests.zeo_server import free_port

HOST = "127.0.0.1"
START_TIMEOUT = 90
SECRET = "live-test-secret-" + "y" * 40

INI = """[app:main]
use = egg:review-portal
portal.development = true
portal.session_secret = {secret}
zodbconn.uri = {uri}
retry.attempts = {attempts}
mail.mode = debug
mail.debug_dir = {folder}/mail
mail.default_sender = review-portal@localhost
pyramid.reload_templates = false
pyramid.default_locale_name = en
search.defer_text = true
{extra}

[server:main]
use = egg:waitress#main
listen = {host}:{port}
threads = {threads}
max_request_body_size = 62914560

[loggers]
keys = root, portal

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[logger_portal]
level = INFO
handlers =
qualname = portal

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
"""


def write_config(folder, uri, port, threads=4, attempts=3, **settings):
    """An ``.ini`` for ``pserve`` serving ``uri`` on ``port``, its mail and log in ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    extra = "\n".join(f"{k} = {v}" for k, v in settings.items())
    path = folder / f"portal-{port}.ini"
    path.write_text(INI.format(secret=SECRET, uri=uri, folder=folder, host=HOST, port=port, threads=threads,
                               attempts=attempts, extra=extra))
    return path


class PortalProcess:
    """One ``pserve`` process; ``start()`` returns once ``/@@health`` answers."""

    def __init__(self, folder, uri, port=None, **settings):
        self.port = port or free_port()
        self.config = write_config(folder, uri, self.port, **settings)
        self.log_path = Path(folder) / f"portal-{self.port}.log"
        self.process = None
        self.url = f"http://{HOST}:{self.port}"

    def start(self):
        pserve = Path(sys.executable).parent / "pserve"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([str(pserve), str(self.config)], stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pserve exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/@@health", timeout=5) as response:
                    if response.status == 200:
                        return self
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"pserve did not answer within {START_TIMEOUT} s:\n{self.log()}")

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self):
        """SIGKILL: the process ends at once, in the middle of whatever it was doing."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def alive(self):
        return self.process is not None and self.process.poll() is None


class Page:
    def __init__(self, status, headers, body, path):
        self.status, self.headers, self.body, self.path = status, headers, body, path

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        import json

        return json.loads(self.body)

    def csrf(self):
        match = re.search(r'name="csrf_token" value="([^"]+)"', self.text)
        return match.group(1) if match else None

    def form(self, index=-1):
        """``(action, fields)`` of the page's form ``index`` (the last by default: the header's sign-out form
        comes first), with what a browser would send as it stands: a list of ``[name, value]``."""
        from bs4 import BeautifulSoup

        form = BeautifulSoup(self.text, "html.parser").find_all("form")[index]
        fields = []
        for element in form.find_all(["input", "select", "textarea"]):
            name = element.get("name")
            kind = (element.get("type") or "").lower()
            if not name or kind in ("submit", "button", "file", "image", "reset"):
                continue
            if kind in ("checkbox", "radio"):
                if element.has_attr("checked"):
                    fields.append([name, element.get("value", "on")])
            elif element.name == "select":
                chosen = element.find("option", selected=True) or element.find("option")
                fields.append([name, chosen.get("value", chosen.text) if chosen else ""])
            elif element.name == "textarea":
                fields.append([name, element.text])
            else:
                fields.append([name, element.get("value", "")])
        return form.get("action") or "", fields


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies kept per browser; redirects are not followed (tests look at 303s themselves)."""

    def __init__(self, base_url, accept_language="en"):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())
        self.accept_language = accept_language

    def at(self, base_url):
        """The same browser (same cookies) talking to another process."""
        other = Browser(base_url, self.accept_language)
        other.cookies = self.cookies
        other.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())
        return other

    def request(self, path, data=None, timeout=60):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base_url + path, data=body, headers={"Accept-Language": self.accept_language})
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return Page(response.status, response.headers, response.read(), path)
        except urllib.error.HTTPError as error:
            return Page(error.code, error.headers, error.read(), path)

    def get(self, path, status=200):
        page = self.request(path)
        if status is not None:
            assert page.status == status, f"GET {path}: {page.status}, expected {status}: {page.text[:500]}"
        return page

    def post(self, path, fields, status=303):
        page = self.request(path, data=fields)
        if status is not None:
            assert page.status == status, f"POST {path}: {page.status}, expected {status}: {page.text[:500]}"
        return page

    def submit(self, page, changes, button, status=303, index=-1):
        """Submit the page's form with ``changes`` ({name: value}) made to its fields, pressing ``button``."""
        action, fields = page.form(index)
        for name, value in changes.items():
            matches = [f for f in fields if f[0] == name]
            assert matches, f"no field {name!r} in the form"
            matches[0][1] = value
        path = urllib.parse.urlsplit(action).path if action.startswith("http") else (action or page.path)
        return self.post(path, [tuple(f) for f in fields] + [(button, button)], status=status)

    def token(self):
        """A CSRF token of this browser's session (any page carries it)."""
        return self.get("/@@login").csrf()

    def sign_in(self, login, password):
        self.post("/@@login", {"csrf_token": self.token(), "login": login, "password": password, "came_from": "",
                               "submit": "submit"})
        return self

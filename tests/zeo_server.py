"""A real ZEO server in a subprocess for tests: ``with running_zeo(folder) as (host, port): ...``."""

import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path

HOST = "127.0.0.1"
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


def runzeo_path():
    """The ``runzeo`` console script of the running interpreter's environment (a venv's bin/)."""
    path = Path(sys.executable).parent / "runzeo"
    if not path.exists():
        raise RuntimeError(f"runzeo not found next to {sys.executable}")
    return path


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _accepts(port):
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def _stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


def _start(folder, port):
    """Start runzeo on ``port``; ``(process, None)`` once it accepts connections, else ``(None, why)``."""
    log_path = folder / f"runzeo-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(runzeo_path()), "-a", f"{HOST}:{port}", "-f", str(folder / "Data.fs")],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        if _accepts(port):
            return process, None
        time.sleep(0.05)
    if process.poll() is not None:
        why = f"runzeo on port {port} exited with code {process.returncode}"
    else:
        why = f"runzeo on port {port} did not accept connections within {START_TIMEOUT:.0f} s"
    _stop(process)
    output = log_path.read_text(errors="replace")
    return None, f"{why}:\n{output}"


@contextlib.contextmanager
def running_zeo(folder, tries=3):
    """Run a ZEO server storing ``folder/Data.fs``; yields ``(host, port)`` and stops the server afterwards.

    A free port is picked for each try, so losing the race for a port to another process only costs a retry.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    errors = []
    for _ in range(tries):
        port = free_port()
        process, why = _start(folder, port)
        if process is not None:
            break
        errors.append(why)
    else:
        raise RuntimeError("\n\n".join(errors))
    try:
        yield HOST, port
    finally:
        _stop(process)

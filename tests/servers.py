"""Start the real application in a separate process, for tests that need a server of their own."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SERVE = (
    "import sys; from wsgiref.simple_server import make_server; from config.wsgi import application; "
    "make_server('127.0.0.1', int(sys.argv[1]), application).serve_forever()"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def urllib_get(url: str, timeout: float = 10) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@contextlib.contextmanager
def running_server(env: dict[str, str], *, settings: str = "config.settings"):
    """The WSGI application served by a plain wsgiref server on a free port, with extra
    environment; yields its base URL. (runserver would refuse to start without a database.)"""
    port = free_port()
    process_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "BONTOT_MODE": "development",
        **env,
    }
    # The server's log goes to a file: a pipe nobody reads fills up and stalls a long run.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-c", _SERVE, str(port)],
            cwd=ROOT,
            env=process_env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    if process.poll() is not None:
                        log.seek(0)
                        raise RuntimeError(log.read().decode()) from None
                    time.sleep(0.2)
            yield base_url
        finally:
            process.terminate()
            process.wait(timeout=10)

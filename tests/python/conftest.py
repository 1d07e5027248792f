"""Fixtures of the Python suite. CMake runs it against the built module (PYTHONPATH is the
build's python/ directory) and passes the built CLI (SCORINGJOBS_CLI) and the repository
(SCORINGJOBS_SOURCE_DIR); run by hand the same way:

    PYTHONPATH=build/ci/python SCORINGJOBS_CLI=build/ci/tools/scoringjobs \\
        /usr/bin/python3 -m pytest tests/python
"""

import json
import os
import selectors
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

import scoringjobs

# Every API key the tests use starts with this; it must never show in an output or a file.
CANARY = "CANARY-KEY-"
SOURCE_DIR = Path(os.environ.get("SCORINGJOBS_SOURCE_DIR", Path(__file__).resolve().parents[2]))


@pytest.fixture
def store(tmp_path):
    with scoringjobs.Store(str(tmp_path / "jobs.db")) as s:
        yield s


@pytest.fixture
def cli():
    path = os.environ.get("SCORINGJOBS_CLI")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("SCORINGJOBS_CLI must name the built scoringjobs binary (CMake sets it for ctest)")
    return path


class AppSyncServer:
    """The local AppSync server (tests/appsync/server.js) on a loopback port."""

    READY_TIMEOUT = 20.0

    def __init__(self, api_key):
        self.api_key = api_key
        self.process = subprocess.Popen(
            ["node", str(SOURCE_DIR / "tests" / "appsync" / "server.js"), "--port", "0", "--api-key", api_key],
            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        self.url = self._read_ready()
        self.base = self.url.rsplit("/graphql", 1)[0]

    def _read_ready(self):
        """Waits (bounded) for "READY http://HOST:PORT/graphql", polling the pipe."""
        deadline = time.monotonic() + self.READY_TIMEOUT
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        out = b""
        try:
            while b"\n" not in out:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise RuntimeError("the AppSync server gave no READY line (got {!r})".format(out))
                if selector.select(timeout=left):
                    chunk = os.read(self.process.stdout.fileno(), 4096)
                    if not chunk:
                        raise RuntimeError("the AppSync server closed its output before READY ({!r})".format(out))
                    out += chunk
        finally:
            selector.close()
        line = out.split(b"\n", 1)[0].decode()
        if not line.startswith("READY http://"):
            raise RuntimeError("unexpected first line from the AppSync server: " + line)
        return line[len("READY "):]

    def admin(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + "/admin/" + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process.stdout.close()


@pytest.fixture
def appsync():
    server = AppSyncServer(CANARY + "python-e2e")
    try:
        yield server
    finally:
        server.stop()


def assert_no_canary(where, text):
    assert CANARY not in text, "the API key leaked into " + where


def assert_no_canary_in_files(directory):
    for path in Path(directory).rglob("*"):
        if path.is_file() and not path.name.endswith(".planted-key"):
            assert CANARY.encode() not in path.read_bytes(), "the API key leaked into " + str(path)

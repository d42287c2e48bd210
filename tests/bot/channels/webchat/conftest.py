"""Fixtures: `echo_server`, the web chat channel on a real Sanic server with an echo bot."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[4]
ALLOWED_ORIGIN = "http://allowed.example"
SECRET = "test-secret-for-webchat-sessions"


@dataclass(frozen=True)
class EchoServer:
    """A running echo server: its URL and the var/ folder it writes into."""

    url: str
    var_dir: Path
    host: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def echo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EchoServer]:
    """Start tests/bot/channels/webchat/echo_server.py once for the session; stop it afterwards."""
    var_dir = tmp_path_factory.mktemp("webchat-var")
    port = _free_port()
    env = {
        **os.environ,
        "DJPK_VAR_DIR": str(var_dir),
        "DJPK_DB_URL": f"sqlite:///{var_dir / 'djpk.db'}",
        "DJPK_ALLOWED_ORIGINS": ALLOWED_ORIGIN,
        "DJPK_CONSOLE_SECRET": SECRET,
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    log = open(var_dir / "server.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests/bot/channels/webchat/echo_server.py"), str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            requests.get(f"{url}/webhooks/socketio/", timeout=2).raise_for_status()
            break
        except requests.RequestException:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"echo server did not start:\n{(var_dir / 'server.log').read_text()}")
            time.sleep(0.2)
    try:
        yield EchoServer(url, var_dir, f"127.0.0.1:{port}")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()

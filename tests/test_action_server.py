"""`python -m actions` as real processes: loopback by default, the token checked when set,
refusing to start beyond loopback without one; endpoints.yml sends the token."""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from rasa.core.utils import AvailableEndpoints

from harness.stack import BIN, ROOT, free_port, wait_http

TOKEN = "action-token-for-the-tests"
CALL = {
    "next_action": "action_answer_faq",
    "sender_id": "door-1",
    "tracker": {
        "sender_id": "door-1",
        "slots": {},
        "latest_message": {"text": "nomor wa djpk berapa"},
        "events": [],
    },
    "domain": {},
    "version": "3.6.2",
}


def other_address() -> str | None:
    """An IPv4 address of this machine other than loopback, or None."""
    found: list[str] = []
    if shutil.which("ip"):
        listing = subprocess.run(["ip", "-4", "-o", "addr"], capture_output=True, text=True)
        found = re.findall(r"\binet (\d+\.\d+\.\d+\.\d+)/", listing.stdout)
    if not found:  # no `ip`: the source address of a route out (a UDP connect sends nothing)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            try:
                sock.connect(("192.0.2.1", 9))
                found = [sock.getsockname()[0]]
            except OSError:
                pass
    return next((a for a in found if not ipaddress.ip_address(a).is_loopback), None)


def accepts(host: str, port: int) -> bool:
    """True when a TCP connection to host:port is accepted."""
    try:
        with socket.create_connection((host, port), timeout=3):
            return True
    except OSError:
        return False


def launcher(tmp_path: Path, **settings: str) -> subprocess.Popen:
    """`python -m actions` with only the given DJPK_ACTION_* settings, its files in tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJPK_ACTION_")}
    env.update(
        DJPK_VAR_DIR=str(tmp_path),
        DJPK_DB_URL=f"sqlite:///{tmp_path / 'djpk.db'}",
        DJPK_FAQ_ENCODER="off",
        **settings,
    )
    log = open(tmp_path / f"actions-{len(list(tmp_path.glob('*.log')))}.log", "w")  # noqa: SIM115
    return subprocess.Popen(
        [str(BIN / "python"), "-m", "actions"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, int]]:
    """Two launchers started together: one with defaults (no token), one with a token."""
    plain_port, token_port = free_port(), free_port()
    processes = [
        launcher(tmp_path_factory.mktemp("plain"), DJPK_ACTION_PORT=str(plain_port)),
        launcher(
            tmp_path_factory.mktemp("token"),
            DJPK_ACTION_PORT=str(token_port),
            DJPK_ACTION_TOKEN=TOKEN,
        ),
    ]
    try:
        for port in (plain_port, token_port):
            wait_http(f"http://127.0.0.1:{port}/health", timeout=180)
        yield {"plain": plain_port, "token": token_port}
    finally:
        for process in processes:
            stop(process)


def test_with_defaults_it_listens_on_loopback_only(servers: dict[str, int]) -> None:
    port = servers["plain"]
    assert requests.get(f"http://127.0.0.1:{port}/health", timeout=10).json() == {"status": "ok"}
    address = other_address()
    if address is None:
        pytest.skip("this machine has no address besides loopback")
    with socket.create_server(("0.0.0.0", 0)) as control:  # that address reaches this machine
        assert accepts(address, control.getsockname()[1])
    assert not accepts(address, port)


def test_with_defaults_no_token_is_asked_on_loopback(servers: dict[str, int]) -> None:
    answer = requests.post(f"http://127.0.0.1:{servers['plain']}/webhook", json=CALL, timeout=60)
    assert answer.status_code == 200


def test_with_a_token_a_call_without_it_is_refused(servers: dict[str, int]) -> None:
    url = f"http://127.0.0.1:{servers['token']}"
    assert requests.post(f"{url}/webhook", json=CALL, timeout=10).status_code == 401
    wrong = {"Authorization": "Bearer guessed"}
    assert requests.post(f"{url}/webhook", json=CALL, headers=wrong, timeout=10).status_code == 401
    assert requests.get(f"{url}/actions", timeout=10).status_code == 401
    assert requests.get(f"{url}/health", timeout=10).status_code == 200
    right = {"Authorization": f"Bearer {TOKEN}"}
    answer = requests.post(f"{url}/webhook", json=CALL, headers=right, timeout=60)
    assert answer.status_code == 200
    assert "kontak-whatsapp" in str(answer.json()["responses"])  # the FAQ action ran


def test_beyond_loopback_without_a_token_it_refuses_to_start(tmp_path: Path) -> None:
    port = free_port()
    process = launcher(tmp_path, DJPK_ACTION_HOST="0.0.0.0", DJPK_ACTION_PORT=str(port))
    started = time.monotonic()
    try:
        assert process.wait(timeout=120) == 2
    finally:
        stop(process)
    assert time.monotonic() - started < 120  # refused, not served until the timeout
    said = next(tmp_path.glob("actions-*.log")).read_text()
    assert "DJPK_ACTION_TOKEN" in said and "0.0.0.0" in said
    assert not accepts("127.0.0.1", port)


@pytest.mark.parametrize("name", ["endpoints.yml", "endpoints.scale.yml"])
def test_rasa_sends_the_token_of_the_environment(name: str, monkeypatch) -> None:
    for var in ("DJPK_ACTION_URL", "DJPK_PG_HOST", "DJPK_PG_PORT", "DJPK_PG_DB", "DJPK_PG_USER"):
        monkeypatch.setenv(var, "1")
    monkeypatch.setenv("DJPK_PG_PASSWORD", "p")
    monkeypatch.setenv("DJPK_REDIS_HOST", "h")
    monkeypatch.setenv("DJPK_REDIS_PORT", "1")
    monkeypatch.setenv("DJPK_ACTION_TOKEN", TOKEN)
    action = AvailableEndpoints.read_endpoints(str(ROOT / name)).action
    assert action.headers == {"Authorization": f"Bearer {TOKEN}"}
    assert not action.params  # not `token:`, which would put it in the URL (and in logs)

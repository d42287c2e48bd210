"""Start and stop a Rasa server (and optionally its action server) for benchmarks and tests."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def env_defaults() -> dict[str, str]:
    """Development values of the channel variables, for test and benchmark stacks only.

    scripts/env_defaults.sh (what `make run` applies) leaves every secret empty; the values here
    are public and only ever reach a stack started by the tests or benchmarks.
    """
    text = (ROOT / "scripts" / "env_defaults.sh").read_text()
    return {**dict(re.findall(r'^: "\$\{(\w+):=([^}]*)\}"', text, flags=re.M)), **DEV_VALUES}


DEV_VALUES = {
    "WHATSAPP_VERIFY_TOKEN": "dev-verify-token",
    "WHATSAPP_APP_SECRET": "dev-app-secret",
    "WHATSAPP_ACCESS_TOKEN": "dev-access-token",
    "WHATSAPP_PHONE_NUMBER_ID": "000000000000000",
}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float = 120.0) -> None:
    """Wait until the URL answers with any HTTP status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a running process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Stack:
    """A Rasa server on `port` for `model`, plus an action server when `actions` is set."""

    model: Path
    cwd: Path = ROOT
    endpoints: str | None = "endpoints.yml"
    actions: bool = True
    env: dict[str, str] = field(default_factory=dict)
    action_env: dict[str, str] = field(default_factory=dict)  # for the action server only
    tracker_db: Path | None = None
    port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    processes: list[subprocess.Popen] = field(default_factory=list)
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))  # DJPK_REST_TOKEN
    # DJPK_ACTION_TOKEN of both servers: the action server requires it, Rasa sends it
    action_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    action_process: subprocess.Popen | None = None
    _action_env: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def rest_token(self) -> str:
        """The REST channel's token of this stack (`env` may set DJPK_REST_TOKEN itself)."""
        return self.env.get("DJPK_REST_TOKEN") or self.token

    @property
    def headers(self) -> dict[str, str]:
        """The header every POST to /webhooks/rest/webhook needs."""
        return {"Authorization": f"Bearer {self.rest_token}"}

    def start(self, timeout: float = 180.0) -> Stack:
        """Start the processes and wait until the REST channel answers."""
        env = {
            **env_defaults(),
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            **self.env,
            "DJPK_REST_TOKEN": self.rest_token,
            "DJPK_ACTION_TOKEN": self.action_token,
        }
        args = ["--port", str(self.port), "--model", str(self.model)]
        if self.actions:
            endpoints = self.cwd / "var" / f"endpoints-{self.port}.yml"
            endpoints.parent.mkdir(exist_ok=True)
            text = (self.cwd / (self.endpoints or "endpoints.yml")).read_text()
            text = text.replace(":5055/", f":{self.action_port}/")
            if self.tracker_db:
                text = text.replace('"var/tracker.db"', f'"{self.tracker_db}"')
            endpoints.write_text(text)
            args += ["--endpoints", str(endpoints)]
            self._action_env = {
                **env,
                "DJPK_ACTION_HOST": "127.0.0.1",
                "DJPK_ACTION_PORT": str(self.action_port),
                **self.action_env,
            }
            self.start_action_server(wait=False)
        elif self.endpoints:
            args += ["--endpoints", self.endpoints]
        self.processes.append(self._spawn(["run", *args, "--credentials", "credentials.yml"], env))
        wait_http(f"{self.url}/", timeout)
        if self.actions:
            wait_http(f"http://127.0.0.1:{self.action_port}/health", timeout)
        return self

    def start_action_server(self, wait: bool = True, timeout: float = 180.0) -> None:
        """Start the action server (`python -m actions`, 127.0.0.1:action_port, the stack's
        token); again after `stop_action_server`, on the same port."""
        name = "actions" if self.action_process is None else "actions-again"
        process = self._spawn(["-m", "actions"], self._action_env, BIN / "python", name)
        if self.action_process in self.processes:  # a restart keeps the Rasa server last
            self.processes[self.processes.index(self.action_process)] = process
        else:
            self.processes.insert(0, process)
        self.action_process = process
        if wait:
            wait_http(f"http://127.0.0.1:{self.action_port}/health", timeout)

    def stop_action_server(self) -> None:
        """Kill the action server (SIGKILL, as in a crash) and wait until it is gone."""
        process = self.action_process
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)

    def _spawn(
        self, args: list[str], env: dict[str, str], program: Path = BIN / "rasa", name: str = ""
    ) -> subprocess.Popen:
        """Start one process in its own session, its output into var/rasa-<port>-<name>.log."""
        (self.cwd / "var").mkdir(exist_ok=True)
        name = name or str(len(self.processes))
        log = open(self.cwd / "var" / f"rasa-{self.port}-{name}.log", "w")  # noqa: SIM115
        return subprocess.Popen(
            [str(program), *args],
            cwd=self.cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def server_pid(self) -> int:
        return self.processes[-1].pid

    def say(self, sender: str, text: str) -> list[dict]:
        """Send one message through the REST channel and return the bot's replies."""
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            headers=self.headers,
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        """Stop every process of the stack."""
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

"""The two-host stack of `make run-scaled` (scripts/scaled/run.sh) for tests and benchmarks: started
on its own PostgreSQL database and nginx port, stopped and its database dropped afterwards.

Hosts are network namespaces djpk-h1..N on this machine (root only); the load balancer listens on
127.0.0.1 only. One supervisord runs every process and restarts what dies."""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from harness.stack import ROOT, env_defaults, free_port, wait_http

NET = "10.77.0"
RASA_PORT = 5005


def make_hosts(count: int = 2) -> None:
    """The test hosts and their bridge (idempotent): the gateway address exists afterwards, so a
    fake server can listen on it before the stack starts."""
    subprocess.run(
        [str(ROOT / "scripts" / "scaled" / "hosts.sh"), "up"],
        env={**os.environ, "DJPK_SCALED_HOSTS": str(count)},
        check=True,
        timeout=60,
    )


@dataclass
class ScaledStack:
    """nginx on 127.0.0.1:`port` in front of `hosts` Rasa + action server pairs."""

    hosts: int = 2
    port: int = field(default_factory=free_port)
    database: str = field(default_factory=lambda: f"djpk_scaled_{secrets.token_hex(6)}")
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def conf(self) -> Path:
        return ROOT / "var" / "scaled" / "supervisord.conf"

    @property
    def logs(self) -> Path:
        return ROOT / "var" / "scaled" / "logs"

    @property
    def app_url(self) -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:5432/{self.database}"

    def host_url(self, n: int) -> str:
        """The Rasa server of host `n` (1-based), reachable from this machine."""
        return f"http://{NET}.{10 + n}:{RASA_PORT}"

    def start(self, timeout: float = 420.0) -> ScaledStack:
        env = {
            **env_defaults(),
            **os.environ,
            **self.env,
            "DJPK_SCALED_HOSTS": str(self.hosts),
            "DJPK_SCALED_PORT": str(self.port),
            "DJPK_SCALED_DB": self.database,
            "DJPK_REST_TOKEN": self.token,
        }
        (ROOT / "var").mkdir(exist_ok=True)
        log = open(ROOT / "var" / "scaled-run.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(ROOT / "scripts" / "scaled" / "run.sh")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        for n in range(1, self.hosts + 1):
            wait_http(f"{self.host_url(n)}/", max(1.0, deadline - time.monotonic()))
        wait_http(f"{self.url}/", max(1.0, deadline - time.monotonic()))
        return self

    def supervisorctl(self, *args: str) -> str:
        done = subprocess.run(
            ["supervisorctl", "-c", str(self.conf), *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout

    def kill_host(self, n: int) -> None:
        """SIGKILL host `n`'s Rasa and action servers, as a crash (supervisord restarts them)."""
        self.supervisorctl("signal", "KILL", f"djpk-h{n}-rasa", f"djpk-h{n}-actions")

    def say(self, sender: str, text: str, timeout: float = 120.0) -> list[dict]:
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.supervisorctl("shutdown")
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
        if os.environ.get("DJPK_SCALED_KEEP_DB") == "1":  # to look into a failure afterwards
            return
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc"]
            + [f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'],
            capture_output=True,
            timeout=60,
        )

    def __enter__(self) -> ScaledStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

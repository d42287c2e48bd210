"""Set-up shared by the end-to-end tests: a knowledge-base copy the test may edit, and a running
Rasa + action server stack on its own databases.

Most end-to-end tests do not start a stack of their own: they ask for one of the session's shared
stacks (`open_stack`, `wednesday_stack` in tests/conftest.py), started once by the first test that
needs it and stopped after the last, and keep apart from the other tests by their own
conversation ids (prefix them with the module's name, or use `fresh_id`). Start a stack of your
own (`start_stack`) only for settings no shared stack has, or to crash or stop its servers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import yaml

from harness.stack import ROOT, Stack

MODEL = ROOT / "models" / "djpk.tar.gz"
needs_model = pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train`")
DAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")
# FAQ entry vectors by text hash, shared by every test stack: each entry is embedded once
VECTORS = ROOT / "var" / "kb-embeddings.sqlite"
FAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
# The console accounts of the shared stacks (tests/conftest.py): agents on `open_stack`, the
# supervisor on `wednesday_stack`.
CONSOLE_AGENTS = {"rina": "rahasia-rina-2026", "sari": "rahasia-sari-2026"}
SUPERVISOR, SUPERVISOR_PASSWORD = "spv", "kata-sandi-supervisor-123"
WEDNESDAY_10_WIB = "@2026-12-02 03:00:00"  # the Wednesday stack's action-server clock (UTC)
# The WhatsApp channel of `open_stack`: signed with this secret, replies to `fake_graph`.
WHATSAPP_SECRET, WHATSAPP_TOKEN, WHATSAPP_VERIFY = "e2e-app-secret", "e2e-token", "e2e-verify"


def kb_copy(folder: Path, open_all_day: bool = True) -> Path:
    """A copy of the knowledge base under `folder`; with `open_all_day`, service hours every day
    00.00-23.59 (public holidays still close it)."""
    kb = folder / "knowledge_base"
    shutil.copytree(ROOT / "knowledge_base", kb)
    if open_all_day:
        hours = (kb / "hours.yml").read_text()
        for day in DAYS:
            hours = hours.replace(f'  {day}: ["08.00-17.00"]', f'  {day}: ["00.00-23.59"]')
            hours = hours.replace(f"  {day}: []", f'  {day}: ["00.00-23.59"]')
        (kb / "hours.yml").write_text(hours)
    return kb


def without_otsus(kb: Path) -> Path:
    """`kb` without its FAQ entry on the Otsus disbursement."""
    path = kb / "faq" / "dana-transfer-khusus.yml"
    data = yaml.safe_load(path.read_text())
    data["entries"] = [e for e in data["entries"] if e["id"] != "otsus-penyaluran"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return kb


def stack_env(kb: Path, var: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a stack on `kb` with its databases and runtime files in `var`."""
    return {
        "DJPK_KB_DIR": str(kb),
        "DJPK_DB_URL": f"sqlite:///{var / 'djpk.db'}",
        "DJPK_VAR_DIR": str(var),
        "DJPK_VECTOR_CACHE": str(VECTORS),
        **(env or {}),
    }


def start_stack(
    kb: Path,
    var: Path,
    env: dict[str, str] | None = None,
    action_env: dict[str, str] | None = None,
) -> Stack:
    """A started stack on `kb`, with its databases and runtime files in `var` (`env` for both
    servers, `action_env` for the action server only)."""
    stack = Stack(
        model=MODEL,
        env=stack_env(kb, var, env),
        action_env=action_env or {},
        tracker_db=var / "tracker.db",
    )
    return stack.start()


def add_console_user(env: dict[str, str], name: str, role: str, password: str) -> None:
    """`python -m bot.console add-user` on the database of `env` (before or after the start)."""
    created = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "bot.console", "add-user", name, "--role", role],
        input=password + "\n",
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert created.returncode == 0, created.stderr


def faketime_env(clock: str) -> dict[str, str]:
    """The environment that starts a process's clock at `clock` (libfaketime, e.g.
    "@2026-12-02 03:00:00" UTC) and lets it run; skips the test without Debian's faketime.

    Give it to the action server only: TensorFlow's model loading can hang under libfaketime,
    and every decision about hours is the action server's."""
    if not FAKETIME.exists():
        pytest.skip("Debian's faketime is not installed (make system-deps)")
    return {
        "LD_PRELOAD": str(FAKETIME),
        "FAKETIME": clock,
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "TZ": "UTC",
    }


def fresh_id(prefix: str) -> str:
    """A conversation id no other test uses, for a test on a shared stack."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"

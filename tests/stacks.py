"""Set-up shared by the end-to-end tests: a knowledge-base copy the test may edit, and a running
Rasa + action server stack on its own databases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.stack import ROOT, Stack

MODEL = ROOT / "models" / "djpk.tar.gz"
needs_model = pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train`")
DAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")


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


def start_stack(
    kb: Path,
    var: Path,
    env: dict[str, str] | None = None,
    action_env: dict[str, str] | None = None,
) -> Stack:
    """A started stack on `kb`, with its databases and runtime files in `var` (`env` for both
    servers, `action_env` for the action server only)."""
    env = {
        "DJPK_KB_DIR": str(kb),
        "DJPK_DB_URL": f"sqlite:///{var / 'djpk.db'}",
        "DJPK_VAR_DIR": str(var),
        **(env or {}),
    }
    stack = Stack(model=MODEL, env=env, action_env=action_env or {}, tracker_db=var / "tracker.db")
    return stack.start()

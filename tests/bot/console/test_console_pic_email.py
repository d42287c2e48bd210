"""A unit PIC's e-mail address (for the monthly knowledge-base review): `add-user --email`,
`set-email`, and `list-users` showing it, through a real subprocess and SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.console.users import UserStore
from bot.db import engine_for

ROOT = Path(__file__).resolve().parents[3]


def _cli(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJPK_DB_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "DJPK_VAR_DIR": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.console", *args],
        input=stdin,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_pic_gets_an_email_address_from_the_command_line(tmp_path: Path) -> None:
    added = _cli(
        tmp_path,
        "add-user",
        "pic.dtk",
        "--role",
        "unit_pic",
        "--unit",
        "dana-transfer-khusus",
        "--email",
        "PIC.DTK@kemenkeu.go.id",
        stdin="rahasia-pic-dtk-2026\n",
    )
    assert added.returncode == 0, added.stderr
    listed = _cli(tmp_path, "list-users").stdout
    assert "pic.dtk" in listed and "<pic.dtk@kemenkeu.go.id>" in listed
    bad = _cli(
        tmp_path,
        "add-user",
        "pic.x",
        "--role",
        "unit_pic",
        "--unit",
        "dana-transfer-khusus",
        "--email",
        "bukan alamat",
        stdin="rahasia-pic-x-2026\n",
    )
    assert bad.returncode == 1 and "not an e-mail address" in bad.stderr
    assert "pic.x" not in _cli(tmp_path, "list-users").stdout
    changed = _cli(tmp_path, "set-email", "pic.dtk", "dtk@kemenkeu.go.id")
    assert changed.returncode == 0 and "dtk@kemenkeu.go.id" in changed.stdout
    users = UserStore(engine_for(f"sqlite:///{tmp_path / 'cli.db'}"), rounds=4)
    assert users.pic_emails() == {"dana-transfer-khusus": ["dtk@kemenkeu.go.id"]}
    assert _cli(tmp_path, "set-email", "pic.dtk", "").returncode == 0
    assert users.pic_emails() == {}
    assert _cli(tmp_path, "set-email", "tidak-ada", "a@b.id").returncode == 1

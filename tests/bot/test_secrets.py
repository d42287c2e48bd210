"""Secrets Settings leaves empty are generated once into var/ (mode 0600) and read back."""

from __future__ import annotations

import stat
from pathlib import Path

from bot.secrets import (
    ACTION_TOKEN_FILE,
    REST_TOKEN_FILE,
    action_token,
    generated_once,
    rest_token,
    rest_token_file,
)
from bot.settings import Settings


def test_generated_once_writes_a_private_file_and_reuses_it(tmp_path: Path) -> None:
    path = tmp_path / "var" / "x.secret"
    first = generated_once(path)
    assert generated_once(path) == first and len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.secret"]


def test_action_token_from_settings_wins_and_nothing_is_written(tmp_path: Path) -> None:
    settings = Settings.from_env({"DJPK_VAR_DIR": str(tmp_path), "DJPK_ACTION_TOKEN": "given"})
    assert action_token(settings) == "given"
    assert not any(tmp_path.iterdir())


def test_action_and_rest_tokens_are_generated_apart(tmp_path: Path) -> None:
    settings = Settings.from_env({"DJPK_VAR_DIR": str(tmp_path)})
    action, rest = action_token(settings), rest_token(settings)
    assert action != rest
    assert (tmp_path / ACTION_TOKEN_FILE).read_text() == action == action_token(settings)
    assert rest_token_file(settings) == tmp_path / REST_TOKEN_FILE
    assert rest_token_file(settings).read_text() == rest

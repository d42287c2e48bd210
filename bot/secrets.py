"""Secrets that Settings leaves empty, generated once into a file under var/ (mode 0600).

The one home of secret loading: the web chat and console session secret (DJPK_CONSOLE_SECRET,
else var/webchat.secret), the REST channel's token (DJPK_REST_TOKEN, else var/rest.token) and the
action server's token (DJPK_ACTION_TOKEN, else var/action.token). Light on purpose (no Rasa
import): scripts/run.sh calls it to have the tokens before it starts the servers.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from bot.settings import Settings

logger = logging.getLogger(__name__)

SESSION_SECRET_FILE = "webchat.secret"
REST_TOKEN_FILE = "rest.token"
ACTION_TOKEN_FILE = "action.token"


def generated_once(path: Path, what: str = "secret") -> str:
    """The secret kept in `path`; on first use a fresh secrets.token_urlsafe(32) is written there.

    The file is created with mode 0600 and linked into place atomically: when several processes
    start at once, the first to link wins and the others read its value.
    """
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
        try:
            os.link(draft, path)
            logger.info("Generated the %s in %s", what, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def session_secret(configured: str, var_dir: Path) -> bytes:
    """The secret signing web chat and console sessions: the configured one (DJPK_CONSOLE_SECRET),
    or one generated once and kept in var/webchat.secret."""
    if configured:
        return configured.encode("utf-8")
    path = Path(var_dir) / SESSION_SECRET_FILE
    return generated_once(path, "web chat session secret").encode("utf-8")


def rest_token_file(settings: Settings | None = None) -> Path:
    """Where the REST channel's generated token is kept: <DJPK_VAR_DIR>/rest.token."""
    return (settings or Settings.from_env()).var_dir / REST_TOKEN_FILE


def rest_token(settings: Settings | None = None) -> str:
    """The REST channel's token: DJPK_REST_TOKEN, else the one generated once in var/rest.token."""
    settings = settings or Settings.from_env()
    if settings.rest_token:
        return settings.rest_token
    return generated_once(rest_token_file(settings), "REST channel token")


def action_token(settings: Settings | None = None) -> str:
    """The action server's token: DJPK_ACTION_TOKEN, else the one generated once in
    var/action.token (scripts/run.sh exports it to both servers)."""
    settings = settings or Settings.from_env()
    if settings.action_token:
        return settings.action_token
    return generated_once(settings.var_dir / ACTION_TOKEN_FILE, "action server token")

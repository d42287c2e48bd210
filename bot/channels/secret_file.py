"""A secret generated once into a file under var/ (mode 0600) and read back on every start.

Used for the web chat and console session secret (var/webchat.secret) and the REST channel's
token (var/rest.token) when the environment does not set them. Light on purpose (no Rasa import):
scripts/run.sh calls it to have the token before it prints the ready curl line.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from bot.settings import Settings

logger = logging.getLogger(__name__)

REST_TOKEN_FILE = "rest.token"


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


def rest_token_file(settings: Settings | None = None) -> Path:
    """Where the REST channel's generated token is kept: <DJPK_VAR_DIR>/rest.token."""
    return (settings or Settings.from_env()).var_dir / REST_TOKEN_FILE


def rest_token(settings: Settings | None = None) -> str:
    """The REST channel's token: DJPK_REST_TOKEN, else the one generated once in var/rest.token."""
    settings = settings or Settings.from_env()
    if settings.rest_token:
        return settings.rest_token
    return generated_once(rest_token_file(settings), "REST channel token")

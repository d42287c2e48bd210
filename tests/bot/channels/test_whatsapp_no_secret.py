"""WhatsApp without WHATSAPP_APP_SECRET: every POST refused with 403, said at start-up, and
`make run` (scripts/env_defaults.sh) no longer fills the secret with a public development value."""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

import pytest
from rasa.core.run import create_http_input_channels

from bot.channels.whatsapp import WhatsAppInput
from harness.fakes import webhooks as wh
from harness.fakes.serving import Recorder, serve
from tests.bot.channels.support import SECRET, post

ROOT = Path(__file__).resolve().parents[3]
ENV_DEFAULTS = ROOT / "scripts" / "env_defaults.sh"
CHANNEL_VARIABLES = (
    "WHATSAPP_VERIFY_TOKEN",
    "WHATSAPP_APP_SECRET",
    "WHATSAPP_ACCESS_TOKEN",
    "WHATSAPP_PHONE_NUMBER_ID",
    "WHATSAPP_GRAPH_URL",
)
PUBLIC_DEV_VALUES = ("dev-app-secret", "demo-secret", "dev-verify-token", "dev-access-token")


def run_sh_environment(**given: str) -> dict[str, str]:
    """The channel variables after scripts/env_defaults.sh, applied as scripts/run.sh does."""
    env = {k: v for k, v in os.environ.items() if k not in CHANNEL_VARIABLES}
    script = f'set -a; . "{ENV_DEFAULTS}"; set +a; env -0'
    done = subprocess.run(
        ["bash", "-c", script], env={**env, **given}, capture_output=True, check=True
    )
    pairs = (item.partition("=") for item in done.stdout.decode().split("\0") if item)
    return {name: value for name, _, value in pairs if name in CHANNEL_VARIABLES}


def test_make_run_leaves_an_unset_secret_empty() -> None:
    applied = run_sh_environment()
    assert set(applied) == set(CHANNEL_VARIABLES)  # credentials.yml's ${VAR}s all expand
    assert applied["WHATSAPP_APP_SECRET"] == ""
    assert applied["WHATSAPP_VERIFY_TOKEN"] == applied["WHATSAPP_ACCESS_TOKEN"] == ""
    assert applied["WHATSAPP_GRAPH_URL"] == "https://graph.facebook.com/v19.0"
    assert run_sh_environment(WHATSAPP_APP_SECRET="set-in-env")["WHATSAPP_APP_SECRET"] == (
        "set-in-env"
    )


def test_no_public_development_value_is_on_the_path_of_make_run() -> None:
    for path in (ENV_DEFAULTS, ROOT / "scripts" / "run.sh", ROOT / ".env.example"):
        text = path.read_text()
        assert not [value for value in PUBLIC_DEV_VALUES if value in text], path
    makefile = (ROOT / "Makefile").read_text()
    run_target = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "WHATSAPP_APP_SECRET" not in run_target
    demo = makefile.split("\ndemo-whatsapp:", 1)[1].split("\n\n", 1)[0]
    assert "WHATSAPP_APP_SECRET=demo-secret" in demo  # development values live only there


def test_credentials_yml_with_make_runs_defaults_gives_a_secretless_channel(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for name, value in run_sh_environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DJPK_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DJPK_DB_URL", f"sqlite:///{tmp_path / 'djpk.db'}")
    text = (ROOT / "credentials.yml").read_text()  # the WhatsApp entry, as `rasa run` reads it
    path = tmp_path / "credentials.yml"
    path.write_text(text[text.index("bot.channels.whatsapp.WhatsAppInput:") :])
    with caplog.at_level(logging.WARNING, logger="bot.channels.whatsapp"):
        (channel,) = create_http_input_channels(None, str(path))
    assert isinstance(channel, WhatsAppInput)
    assert channel.app_secret == ""
    warned = [r for r in caplog.records if r.name == "bot.channels.whatsapp"]
    assert warned and "WHATSAPP_APP_SECRET" in warned[0].getMessage()
    assert "403" in warned[0].getMessage() and warned[0].levelno >= logging.WARNING


@pytest.mark.asyncio
async def test_without_a_secret_every_post_is_refused_with_403(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.channels.whatsapp"):
        channel = WhatsAppInput(
            verify_token="v",
            app_secret="",
            access_token="a",
            phone_number_id="1",
            graph_url="http://127.0.0.1:9/v19.0",
            db_url=db_url,
            upload_dir=tmp_path / "up",
        )
    assert any("WHATSAPP_APP_SECRET is not set" in r.getMessage() for r in caplog.records)
    bot = Recorder()
    delivery = wh.delivery([wh.text("halo")])
    async with serve(channel, bot) as url:
        for secret in ("", "dev-app-secret", "demo-secret", SECRET, None):
            assert await post(url, delivery, secret=secret) == 403, secret
        assert await post(url, delivery, signature="sha256=") == 403
        assert await post(url, delivery, signature="") == 403
    await channel.drain(timeout=5)
    assert bot.messages == []

"""Registration the way `rasa run` does it: credentials.yml with ${VAR} secrets, then routes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.channels.channel import register
from rasa.core.run import create_http_input_channels
from sanic import Sanic

from bot.channels.whatsapp import WhatsAppInput

CREDENTIALS = """
bot.channels.whatsapp.WhatsAppInput:
  verify_token: ${WHATSAPP_VERIFY_TOKEN}
  app_secret: ${WHATSAPP_APP_SECRET}
  access_token: ${WHATSAPP_ACCESS_TOKEN}
  phone_number_id: ${WHATSAPP_PHONE_NUMBER_ID}
  graph_url: ${WHATSAPP_GRAPH_URL}
"""


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name, value in {
        "WHATSAPP_VERIFY_TOKEN": "v-token",
        "WHATSAPP_APP_SECRET": "a-secret",
        "WHATSAPP_ACCESS_TOKEN": "bearer",
        "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
        "WHATSAPP_GRAPH_URL": "http://127.0.0.1:8899/v19.0",
        "WHATSAPP_FALLBACK_TEMPLATE": "lanjutkan_chat:id",
        "DJPK_VAR_DIR": str(tmp_path / "var"),
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DJPK_DB_URL", raising=False)


def test_rasa_builds_the_channel_from_credentials_yml(environment: None, tmp_path: Path) -> None:
    path = tmp_path / "credentials.yml"
    path.write_text(CREDENTIALS)
    (channel,) = create_http_input_channels(None, str(path))
    assert isinstance(channel, WhatsAppInput) and channel.name() == "whatsapp"
    assert (channel.verify_token, channel.app_secret) == ("v-token", "a-secret")
    assert channel.client.phone_number_id == "106540352242922"
    assert channel.client.graph_url == "http://127.0.0.1:8899/v19.0"
    assert channel.fallback_template == "lanjutkan_chat:id"
    assert channel.db_url == f"sqlite:///{tmp_path / 'var' / 'djpk.db'}"
    assert channel.upload_dir == tmp_path / "var" / "uploads"

    Sanic.test_mode = True
    app = Sanic("credentials_test")
    register([channel], app, route="/webhooks/")
    paths = {route.path for route in app.router.routes}
    assert "webhooks/whatsapp/webhook" in paths


def test_missing_keys_fall_back_to_the_environment(environment: None) -> None:
    channel = WhatsAppInput.from_credentials({"verify_token": "from-yaml"})
    assert channel.verify_token == "from-yaml"
    assert channel.app_secret == "a-secret"

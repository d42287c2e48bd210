"""A Sanic server with the web chat channel and an echo bot instead of Rasa's agent (for tests).

Run: `python tests/bot/channels/webchat/echo_server.py PORT` with DJPK_* variables set. The bot
answers every message with `echo {"text": ..., "metadata": ...}` and two buttons; "evil" gets
links and buttons that must be sanitised on the way out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[4]))

from rasa.core.channels.channel import UserMessage  # noqa: E402
from sanic import Sanic, response  # noqa: E402
from sanic.request import Request  # noqa: E402
from sanic.response import HTTPResponse  # noqa: E402

from bot.channels.webchat.channel import SecureSocketIOInput  # noqa: E402

BUTTONS = [
    {"title": "Pilih A", "payload": "/choose_a"},
    {"title": "Pilih B", "payload": '/inform{"x": 1}'},
]
EVIL_TEXT = "Klik [di sini](javascript:alert(1)) atau [situs](https://djpk.kemenkeu.go.id)"
EVIL_BUTTONS = [
    {"title": "Jahat", "url": "javascript:alert(document.cookie)", "type": "web_url"},
    {"title": "Situs DJPK", "url": "https://djpk.kemenkeu.go.id", "type": "web_url"},
    {"title": "Lanjut", "payload": "/choose_a"},
]


async def echo(message: UserMessage) -> None:
    """Answer through the channel's own output channel, as Rasa's agent would."""
    output = message.output_channel
    if message.text == "evil":
        await output.send_text_with_buttons(message.sender_id, EVIL_TEXT, EVIL_BUTTONS)
        await output.send_custom_json(
            message.sender_id, {"data": {"text": "[x](vbscript:msgbox(1))", "room": "other"}}
        )
        return
    body = json.dumps({"text": message.text, "metadata": message.metadata})
    await output.send_text_with_buttons(message.sender_id, f"echo {body}", BUTTONS)


def build_app() -> Sanic:
    """The app: a root route like Rasa's, the channel blueprint under /webhooks/socketio."""
    app = Sanic("webchat_echo")

    @app.get("/")
    async def hello(_: Request) -> HTTPResponse:  # what rasa.server.add_root_route serves
        return response.text("Hello from Rasa: echo")

    channel = SecureSocketIOInput.from_credentials({"session_persistence": True})
    app.blueprint(channel.blueprint(echo), url_prefix="/webhooks/socketio")
    return app


if __name__ == "__main__":
    build_app().run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False, motd=False)

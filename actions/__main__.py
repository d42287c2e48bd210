"""`python -m actions`: the action server on DJPK_ACTION_HOST:DJPK_ACTION_PORT (actions/server.py).

Replaces `rasa run actions`, which cannot choose its address. Exit status 2, before anything
listens, when the host is not loopback and DJPK_ACTION_TOKEN is empty.
"""

from __future__ import annotations

import argparse
import logging
import sys

from rasa_sdk import utils
from rasa_sdk.plugin import plugin_manager

from actions.server import DoorError, check_door, create_app, warm_up
from bot.settings import Settings

logger = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    """Check the door, then serve the `actions` package until stopped."""
    parser = argparse.ArgumentParser(
        prog="python -m actions",
        description="DJPK action server. Settings: DJPK_ACTION_HOST (default 127.0.0.1), "
        "DJPK_ACTION_PORT (5055), DJPK_ACTION_TOKEN (Bearer token; off loopback required, "
        "16+ characters).",
    )
    utils.add_logging_level_option_arguments(parser)
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    try:
        check_door(settings.action_host, settings.action_token)
    except DoorError as error:
        print(f"python -m actions: {error}", file=sys.stderr)
        return 2
    utils.configure_colored_logging(args.loglevel)
    utils.update_sanic_log_level()
    warm_up()  # before listening: /health answers once the first question can be served fast
    app = create_app(settings.action_token)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    door = "Bearer token required" if settings.action_token else "no token (loopback only)"
    logger.info(
        "Action server on http://%s:%d (%s)", settings.action_host, settings.action_port, door
    )
    app.run(settings.action_host, settings.action_port, workers=utils.number_of_sanic_workers())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One apology with the official contacts when the action server cannot run a custom action.

Rasa 3.6 logs "Encountered an exception while running action", drops the action's events and
carries on: the user hears nothing. `install()` makes `RemoteAction.run` note each such failure
(the action server down, refusing the token, or answering 5xx; not a form's
`ActionExecutionRejection`, which is Rasa's normal flow) in the turn being handled, and makes
the processor's prediction loop end such a turn with ONE short apology that names the official
contacts (knowledge_base/contacts.yml, read at that moment), recorded in the tracker as a
BotUttered marked MARK and sent through the turn's own output channel, whatever the channel.

A turn without a failure is untouched, so a turn that rightly stays silent (an agent owns the
chat and HandoffPolicy relays the message) stays silent; when that relay itself fails, the
message never reached the agent, and the user is told so. Nothing is remembered between turns:
once the action server answers again the next message is served as usual.

Applied by `components/__init__.py`, which the Rasa server imports when it loads the model.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import OutputChannel
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.contacts import contacts_text, load_contacts
from bot.settings import Settings

logger = logging.getLogger(__name__)

MARK = "action_server_down"  # metadata of the apology: {"action_server_down": [action names]}
APOLOGY = (
    "Mohon maaf, layanan kami sedang mengalami gangguan sehingga pesan Anda belum dapat kami "
    "proses. Silakan mencoba kembali beberapa saat lagi atau menghubungi kami."
)

_failures: ContextVar[list[str] | None] = ContextVar("djpk_failed_actions", default=None)
_rasa_run = RemoteAction.run
_rasa_loop = MessageProcessor._run_prediction_loop


def apology(kb_dir: Path) -> str:
    """The apology followed by the official contacts (the apology alone if they cannot be read)."""
    try:
        contacts = load_contacts(kb_dir)
    except (OSError, ValueError):
        logger.exception("contacts unreadable: apologising without them")
        return APOLOGY
    return f"{APOLOGY}\n{contacts_text(contacts)}"  # one bubble: Rasa splits texts at blank lines


async def run_noting_failure(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
    """Rasa's `RemoteAction.run`; a failure is noted in the current turn, then raised as before."""
    try:
        return await _rasa_run(self, *args, **kwargs)
    except ActionExecutionRejection:
        raise
    except Exception:
        failures = _failures.get()
        if failures is not None:
            failures.append(self.name())
        raise


async def prediction_loop_with_apology(
    self: MessageProcessor, output_channel: OutputChannel, tracker: DialogueStateTracker
) -> None:
    """Rasa's prediction loop; when a custom action failed in it, one apology at its end."""
    failures: list[str] = []
    reset = _failures.set(failures)
    try:
        await _rasa_loop(self, output_channel, tracker)
    finally:
        _failures.reset(reset)
    if failures:
        await apologise(self, output_channel, tracker, failures)


async def apologise(
    processor: MessageProcessor,
    output_channel: OutputChannel,
    tracker: DialogueStateTracker,
    failures: list[str],
) -> None:
    """Record the apology in the tracker (saved after the loop by Rasa) and send it."""
    logger.error(
        "Custom action(s) %s failed for %s: the user gets the apology",
        ", ".join(failures),
        tracker.sender_id,
    )
    event = BotUttered(apology(Settings.from_env().kb_dir), metadata={MARK: failures})
    tracker.update(event, processor.domain)
    await output_channel.send_response(tracker.sender_id, event.message())


def install() -> None:
    """Wrap `RemoteAction.run` and the processor's prediction loop (idempotent)."""
    RemoteAction.run = run_noting_failure
    MessageProcessor._run_prediction_loop = prediction_loop_with_apology

"""The compiled validator accepts and refuses exactly what Rasa's own validation does."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

import components  # noqa: F401  (installs the validator)
from components.action_result_validation import _valid_fast, validate_action_result

VALID = [
    {},
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "topic", "value": "dau", "timestamp": None},
            {"event": "followup", "name": "action_listen"},
            {"event": "active_loop", "name": None},
        ],
        "responses": [
            {"text": "Baik, Bapak/Ibu.", "buttons": [{"title": "Ya", "payload": "/affirm"}]}
        ],
    },
]
INVALID = [
    {"events": "slot"},
    {"events": [{"name": "topic"}]},
    {"events": [{"event": "slot", "timestamp": "kemarin"}]},
    {"events": [{"event": "no_such_event"}]},
    {"responses": {"text": "hi"}},
    {"responses": ["hi"]},
    {"events": [{"event": "slot", "name": "topic", "value": "dau", "timestamp": "x"}]},
    {"events": [{"event": "user", "text": 5}]},
    {"events": [{"event": "bot", "text": "ok"}, {"event": "action", "name": 3}]},
    {"events": [None]},
    [],
]


def _rasa_accepts(result: dict) -> bool:
    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    except jsonschema.ValidationError:
        return False
    return True


def test_installed_on_rasa_remote_action() -> None:
    assert RemoteAction._validate_action_result is validate_action_result


@pytest.mark.parametrize("result", VALID)
def test_valid_results_pass(result: dict) -> None:
    assert _rasa_accepts(result)
    assert _valid_fast(result)
    assert validate_action_result(None, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_results_raise_with_rasa_hint(result: dict) -> None:
    assert not _rasa_accepts(result)
    assert not _valid_fast(result)
    with pytest.raises(jsonschema.ValidationError) as raised:
        validate_action_result(None, result)
    assert "Failed to validate Action server response" in raised.value.message

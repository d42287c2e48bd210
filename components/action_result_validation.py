"""Validate action-server responses with compiled JSON-schema validators.

Rasa 3.6's `RemoteAction._validate_action_result` calls `jsonschema.validate` on every custom
action run. That function first checks the (constant) schema against the Draft 2020-12
meta-schema, about 40 ms per call on this machine: more than half of the Rasa server's time per
FAQ turn (py-spy, `bench.rasa_stack`). Then each event is tried against all 23 alternatives of
the schema's `oneOf`, another 3-4 ms for a typical answer.

Here the schema is checked once, and a valid response is recognised by the alternative its
`event` names (each alternative fixes `event` to a different constant, so for an event that
passes the common part exactly that alternative decides the `oneOf`). Anything the fast path
refuses goes through Rasa's full validation, so errors and their messages stay Rasa's.

Applied by `components/__init__.py`, which the Rasa server imports when it loads the model.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _validators() -> tuple[Any, Any, dict[str, Any]]:
    """(full validator, validator without the events' oneOf, one validator per event type)."""
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    common = copy.deepcopy(schema)
    alternatives = common["properties"]["events"]["items"].pop("oneOf")
    by_event = {alt["properties"]["event"]["const"]: cls(alt) for alt in alternatives}
    if len(by_event) != len(alternatives):  # a Rasa upgrade broke the premise: no fast path
        by_event = {}
    return cls(schema), cls(common), by_event


def _valid_fast(result: Any) -> bool:
    _, common, by_event = _validators()
    if not by_event or not common.is_valid(result):
        return False
    for event in result.get("events") or []:
        alternative = by_event.get(event.get("event"))
        if alternative is None or not alternative.is_valid(event):
            return False
    return True


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Same contract as Rasa's method: True, or `ValidationError` with Rasa's hint appended."""
    if _valid_fast(result):
        return True
    error = best_match(_validators()[0].iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Replace Rasa's per-call schema check (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result

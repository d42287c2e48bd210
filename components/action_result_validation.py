"""Validate action-server responses with one compiled JSON-schema validator.

Rasa 3.6's `RemoteAction._validate_action_result` calls `jsonschema.validate` on every custom
action run. That function first checks the (constant) schema against the Draft 2020-12
meta-schema, which costs about 40 ms per call on this machine: more than half of the Rasa
server's time per FAQ turn (py-spy, `bench.rasa_stack`). Here the schema is checked once and the
compiled validator reused; the validation itself, its draft and its error message are Rasa's.

Applied by `components/__init__.py`, which the Rasa server imports when it loads the model.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Same contract as Rasa's method: True, or `ValidationError` with Rasa's hint appended."""
    error = best_match(_validator().iter_errors(result))
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

"""Properties of the webhook parser: any JSON value gives a Delivery, never an exception."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.channels.inbound import Delivery, Inbound, Kind, Status, parse_delivery
from bot.channels.signature import sign
from bot.channels.whatsapp import WhatsAppInput
from harness.fakes import webhooks as wh
from harness.fakes.serving import Recorder, serve
from tests.bot.channels.support import SECRET, post

# Keys of Meta's payloads, so that generated objects often reach the parser's deeper levels.
KEYS = [
    "entry",
    "changes",
    "value",
    "messages",
    "statuses",
    "contacts",
    "profile",
    "name",
    "wa_id",
    "metadata",
    "phone_number_id",
    "id",
    "from",
    "type",
    "text",
    "body",
    "interactive",
    "button_reply",
    "list_reply",
    "title",
    "button",
    "payload",
    "document",
    "image",
    "caption",
    "reaction",
    "emoji",
    "errors",
    "code",
    "recipient_id",
    "status",
    "timestamp",
    "mime_type",
    "filename",
]
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["text", "interactive", "button", "document", "image", "reaction", "system"])
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=40,
)


def real_payloads() -> list[dict[str, Any]]:
    """Every message and status shape harness/fakes/webhooks.py builds, in one delivery each."""
    messages = [
        wh.text("Halo min"),
        wh.button_reply("/faq_dau", "DAU"),
        wh.list_reply("/faq_dak", "DAK Fisik"),
        wh.message("button", {"payload": "/lanjut", "text": "Lanjutkan"}),
        wh.document("m1", caption="asli?"),
        wh.image("m2"),
        *(wh.other(kind) for kind in wh.OTHERS),
    ]
    statuses = [wh.status("wamid.a", "sent"), wh.status("wamid.b", "failed", error_code=131047)]
    return [wh.delivery([m]) for m in messages] + [wh.delivery(messages, statuses)]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside a JSON value, the root included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replace(value[head], rest, new)
    return copy


@st.composite
def mutated_payloads(draw: st.DrawFn) -> Any:
    """A real payload with one to three places replaced by arbitrary JSON values."""
    body: Any = draw(st.sampled_from(real_payloads()))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(body)))
        body = _replace(body, path, draw(JSON))
    return body


def _check(body: Any) -> Delivery:
    delivery = parse_delivery(body)
    assert isinstance(delivery, Delivery)
    for inbound in delivery.messages:
        assert isinstance(inbound, Inbound) and isinstance(inbound.kind, Kind)
        assert inbound.wamid and inbound.sender
        texts = [v for k, v in vars(inbound).items() if k != "kind"]
        assert all(isinstance(v, str) for v in texts)
    for status in delivery.statuses:
        assert isinstance(status, Status)
        assert all(isinstance(v, str) for k, v in vars(status).items() if k != "error_code")
        assert status.error_code is None or type(status.error_code) is int
    assert parse_delivery(json.loads(json.dumps(body))) == delivery
    return delivery


@settings(max_examples=400, deadline=None)
@given(JSON)
@example({"entry": "abc"})  # was AttributeError: 'str' object has no attribute 'get'
@example({"entry": [{"changes": [{"value": {"messages": [[]]}}]}]})  # was AttributeError
@example({"entry": [{"changes": [{"value": {"contacts": [{"profile": "Budi"}]}}]}]})
@example({"entry": [{"changes": [{"value": {"statuses": [{"errors": []}]}}]}]})  # IndexError
def test_any_json_value_gives_a_delivery(body: Any) -> None:
    _check(body)


@settings(max_examples=400, deadline=None)
@given(mutated_payloads())
def test_mutated_real_payloads_give_a_delivery(body: Any) -> None:
    _check(body)


def test_objects_where_texts_belong_read_as_empty_not_as_their_repr() -> None:
    message = wh.text("x")
    message["text"] = {"body": {"nested": ["a"]}}
    second = wh.document("m1")
    second["id"] = {"not": "an id"}
    third = wh.text("y")
    third["from"] = True
    (inbound,) = parse_delivery(wh.delivery([message, second, third])).messages
    assert (inbound.kind, inbound.text) == (Kind.TEXT, "")


def test_a_boolean_error_code_is_no_code() -> None:
    status = wh.status("wamid.a", "failed", error_code=1)
    status["errors"][0]["code"] = True
    (parsed,) = parse_delivery(wh.delivery(statuses=[status])).statuses
    assert parsed.error_code is None and parsed.error_title == "Error"


@pytest.mark.asyncio
async def test_the_webhook_acks_odd_json_and_answers_400_only_for_a_body_that_is_not_json(
    channel: WhatsAppInput,
) -> None:
    odd = [{"entry": "abc"}, [], "x", {"entry": [{"changes": [{"value": {"messages": [[]]}}]}]}]
    async with serve(channel, Recorder()) as url:
        for body in odd:
            assert await post(url, body) == 200, body  # was 400: Meta retried it for days
        raw = b'{"entry": ['
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(SECRET, raw)}
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=raw, headers=headers) as response,
        ):
            assert response.status == 400

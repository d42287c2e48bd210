"""The payload guard on an injected clock: the window's edges, ids, numbered answers, pruning."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.channels.payloads import PayloadGuard, short_ref
from bot.db import engine_for

OFFERED_AT = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)


class _Clock:
    def __init__(self) -> None:
        self.now = OFFERED_AT

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> _Clock:
    return _Clock()


@pytest.fixture
def guard(db_url: str, clock: _Clock) -> PayloadGuard:
    return PayloadGuard(engine_for(db_url), clock=clock)


@pytest.mark.parametrize(
    ("later", "passes"),
    [
        (timedelta(hours=23, minutes=59), True),
        (timedelta(hours=24), True),
        (timedelta(hours=24, seconds=1), False),
    ],
)
def test_an_offer_holds_for_exactly_the_window(
    guard: PayloadGuard, clock: _Clock, later: timedelta, passes: bool
) -> None:
    long_payload = '/pilih{"catatan":"' + "x" * 300 + '"}'
    ids = guard.offer("628111", ["/affirm", long_payload], numbered=True)
    clock.now = OFFERED_AT + later
    assert guard.sanitize_inbound("628111", "/affirm") == ("/affirm" if passes else "affirm")
    assert guard.is_offered("628111", "/affirm") is passes
    assert guard.resolve_choice("628111", ids[1]) == (long_payload if passes else None)
    assert guard.resolve_number("628111", "1") == ("/affirm" if passes else None)


def test_a_payload_of_the_id_limit_is_sent_as_itself(guard: PayloadGuard) -> None:
    at_limit = "/" + "a" * 19
    over = "/" + "a" * 20
    ids = guard.offer("628111", [at_limit, over], max_id_length=20)
    assert ids == [at_limit, short_ref(over)]
    assert guard.resolve_choice("628111", at_limit) == at_limit
    assert guard.resolve_choice("628111", short_ref(over)) == over
    assert guard.sanitize_inbound("628111", over) == over  # the payload itself was offered too


def test_a_default_offer_keeps_ids_up_to_256_characters(guard: PayloadGuard) -> None:
    at_limit = "/" + "b" * 255
    over = "/" + "b" * 256
    assert guard.offer("628111", [at_limit, over]) == [at_limit, short_ref(over)]


def test_short_refs_are_stable_and_tell_payloads_apart() -> None:
    assert short_ref("/a") == short_ref("/a") != short_ref("/b")
    assert short_ref("/a").startswith("p.") and len(short_ref("/a")) == 26


def test_an_unknown_ref_is_not_a_choice(guard: PayloadGuard) -> None:
    guard.offer("628111", ["/" + "c" * 300])
    assert guard.resolve_choice("628111", "p." + "0" * 24) is None


def test_a_ref_like_payload_offered_as_itself_is_still_a_choice(guard: PayloadGuard) -> None:
    guard.offer("628111", ["p.kebetulan"])
    assert guard.resolve_choice("628111", "p.kebetulan") == "p.kebetulan"


@pytest.mark.parametrize(
    ("reply", "chosen"),
    [
        ("1", "/satu"),
        ("3", "/tiga"),
        (" 2 ", "/dua"),
        ("2.", "/dua"),
        ("2)", "/dua"),
        ("02", "/dua"),
    ],
)
def test_numbered_replies_choose_from_the_latest_list(
    guard: PayloadGuard, reply: str, chosen: str
) -> None:
    guard.offer("628111", ["/satu", "/dua", "/tiga"], numbered=True)
    assert guard.resolve_number("628111", reply) == chosen


@pytest.mark.parametrize("reply", ["0", "4", "123", "2,", "dua", "", "2 3"])
def test_other_replies_choose_nothing(guard: PayloadGuard, reply: str) -> None:
    guard.offer("628111", ["/satu", "/dua", "/tiga"], numbered=True)
    assert guard.resolve_number("628111", reply) is None


def test_buttons_are_not_numbered(guard: PayloadGuard) -> None:
    guard.offer("628111", ["/satu", "/dua"])
    assert guard.resolve_number("628111", "1") is None
    assert guard.resolve_number("628999", "1") is None  # nothing offered there


def test_an_empty_offer_records_nothing(guard: PayloadGuard) -> None:
    assert guard.offer("628111", []) == []
    assert guard.prune(now=OFFERED_AT + timedelta(days=30)) == 0


def test_plain_text_keeps_its_spaces_and_offered_text_is_trimmed(guard: PayloadGuard) -> None:
    guard.offer("628111", ["/affirm"])
    assert guard.sanitize_inbound("628111", "  halo min ") == "  halo min "
    assert guard.sanitize_inbound("628111", "  /affirm \n") == "/affirm"


def test_prune_removes_only_offers_past_the_cutoff(guard: PayloadGuard, clock: _Clock) -> None:
    guard.offer("628111", ["/lama"])
    clock.now = OFFERED_AT + timedelta(hours=2)
    guard.offer("628111", ["/baru", "/baru2"])
    assert guard.prune(now=OFFERED_AT + timedelta(hours=24)) == 0  # the first is exactly 24 h old
    assert guard.prune(older_than=timedelta(hours=1), now=OFFERED_AT + timedelta(hours=2)) == 1
    assert guard.is_offered("628111", "/baru") and not guard.is_offered("628111", "/lama")
    clock.now = OFFERED_AT + timedelta(hours=27)
    assert guard.prune() == 2  # older than the window at the guard's own clock

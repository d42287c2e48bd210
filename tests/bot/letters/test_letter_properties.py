"""Property: no input ever yields `genuine` for a number that is not in the registry."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.letters.numbers import find_numbers, parse_number
from bot.letters.verdict import VerdictKind
from bot.letters.verifier import Verifier
from tests.bot.letters.conftest import KB_DIR

VERIFIER = Verifier.from_kb(KB_DIR, include_examples=True)
REGISTERED = sorted(letter.number.canonical for letter in VERIFIER.registry.letters)
ALPHABET = "UNDSEPKMOlI0123456789/-. \n" + "abcdefghijklmnopqrstuvwxyz"
FILLER = st.text(alphabet=ALPHABET, max_size=40)


def _genuine_is_registered(text: str) -> None:
    verdict = VERIFIER.verify_text(text)
    if verdict.verdict is VerdictKind.GENUINE:
        number = parse_number(verdict.number)
        assert VERIFIER.registry.get(number) is not None
        found = {m.number.canonical for m in find_numbers(text)}
        assert verdict.number in found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_arbitrary_text_is_never_genuine_for_an_unregistered_number(text: str) -> None:
    _genuine_is_registered(text)


@settings(max_examples=300, deadline=None)
@given(FILLER, FILLER, FILLER)
def test_number_shaped_text_is_never_genuine_for_an_unregistered_number(
    before: str, middle: str, after: str
) -> None:
    _genuine_is_registered(f"{before}UND-{middle}/PK.3/2023{after}")
    _genuine_is_registered(f"{before}S-{middle}/PK/{after}")


def _mutate(number: str, rng: random.Random) -> str:
    digits = [i for i, ch in enumerate(number) if ch.isdigit()]
    chars = list(number)
    for index in rng.sample(digits, k=rng.randint(1, min(2, len(digits)))):
        chars[index] = rng.choice([d for d in "0123456789" if d != chars[index]])
    return "".join(chars)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(REGISTERED), st.randoms(use_true_random=False), FILLER, FILLER)
def test_registered_numbers_with_mutated_digits_are_never_genuine(
    number: str, rng: random.Random, before: str, after: str
) -> None:
    mutated = _mutate(number, rng)
    parsed = parse_number(mutated)
    verdict = VERIFIER.verify_text(f"{before} {mutated} {after}")
    if parsed is None or VERIFIER.registry.get(parsed) is None:
        assert verdict.verdict is not VerdictKind.GENUINE or verdict.number != mutated
        assert verdict.number != number or number in f"{before}{after}"
    _genuine_is_registered(f"{before} {mutated} {after}")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(REGISTERED), st.integers(1990, 2099))
def test_registered_numbers_with_another_year_are_never_genuine(number: str, year: int) -> None:
    original = parse_number(number)
    moved = number.replace(f"/{original.year}", f"/{year}")
    verdict = VERIFIER.verify_text(f"apakah surat {moved} asli?")
    if year != original.year:
        assert verdict.verdict is not VerdictKind.GENUINE
        assert verdict.verdict in {VerdictKind.NEAR_MATCH, VerdictKind.NOT_FOUND}

"""Property: no input ever yields `genuine` for a number that is not in the registry."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.letters.numbers import canonical, find_numbers, parse_number
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


# --- the number parser on its own: any text gives a result, canonical forms parse to themselves

PIECES = st.sampled_from(
    [
        "UND",
        "SE",
        "S",
        "5E",
        "ND",
        "PENG",
        "KEP",
        "PER",
        "PK",
        "PK.3",
        "PMK",
        "PMK.07",
        "Perpres",
        "Peraturan Presiden",
        "Peraturan Menteri Keuangan",
        "Nomor",
        "No.",
        "Tahun",
        "2023",
        "1990",
        "/",
        "-",
        " ",
        "\n",
        "0",
        "O",
        "l",
        "\u212a",
        "\u017f",
        "\u0131",
        "\u0663",
        "\u00b2",
    ]
)
NUMBERISH = st.lists(PIECES | st.text(max_size=4), max_size=14).map("".join)


def _check_text(text: str) -> None:
    found = find_numbers(text)
    assert isinstance(found, list)
    previous_end = 0
    for match in found:
        assert previous_end <= match.start < match.end <= len(text)
        assert text[match.start : match.end] == match.raw
        previous_end = match.end
        number = match.number
        assert number.seq > 0 and 1990 <= number.year <= 2099
        assert parse_number(number.canonical) == number  # the canonical form is a fixed point
        assert canonical(number.canonical) == number.canonical
    assert len({m.number.canonical for m in found}) == len(found)
    parsed = parse_number(text)
    assert parsed is None or [m.number for m in found] == [parsed]


@settings(max_examples=1500, deadline=None)
@given(NUMBERISH | st.text(max_size=80))
@example("\u212aEP-1/PK/2023")  # the Kelvin sign matched K under IGNORECASE: KeyError 'KEP'
@example("1/PM\u212a.07/2022")
def test_any_text_gives_numbers_or_none_and_canonical_forms_parse_to_themselves(
    text: str,
) -> None:
    _check_text(text)


SPACE = st.sampled_from([" ", "  ", "   ", "\n", " \n", "\t"])


@st.composite
def citations(draw: st.DrawFn) -> tuple[str, str]:
    """A regulation or letter number written with single spaces, and its canonical form."""
    seq, year = draw(st.integers(1, 999)), draw(st.integers(1990, 2099))
    if draw(st.booleans()):
        name, kind = draw(
            st.sampled_from(
                [
                    ("PMK", "PMK"),
                    ("Peraturan Menteri Keuangan", "PMK"),
                    ("Perpres", "PERPRES"),
                    ("Peraturan Presiden", "PERPRES"),
                ]
            )
        )
        middle = draw(st.sampled_from(["/", " Tahun "]))
        return f"{name} Nomor {seq}{middle}{year}", f"{kind} {seq}/{year}"
    prefix, unit = draw(st.sampled_from(["UND", "SE", "S", "ND"])), draw(st.integers(1, 9))
    return f"{prefix}-{seq} / PK.{unit} / {year}", f"{prefix}-{seq}/PK.{unit}/{year}"


@settings(max_examples=400, deadline=None)
@given(citations(), st.lists(SPACE, min_size=8, max_size=8))
@example(("Peraturan Presiden Nomor 5 Tahun 2020", "PERPRES 5/2020"), ["  "] * 8)  # was PMK
def test_spacing_and_line_breaks_never_change_the_number(
    citation: tuple[str, str], spaces: list[str]
) -> None:
    text, expected = citation
    words = text.split(" ")
    spaced = words[0] + "".join(s + w for s, w in zip(spaces, words[1:], strict=False))
    assert canonical(text) == expected
    assert [m.number.canonical for m in find_numbers(f"surat {spaced} asli?")] == [expected]

"""Satisfaction scores as users type them: "5", "lima", "sangat puas", "5 bintang", "4/5",
"puas bgt", "kurang puas", with the typos of a phone keyboard ("limaa", "emapt", "sngt puas").

`read_score` gives 1-5, or None when the text is not clearly one score (a question, two
different numbers, a number outside 1-5): the bot then asks again instead of guessing. The
same words serve both questions (service: puas; answer: sesuai).
"""

from __future__ import annotations

import re
from difflib import get_close_matches

from bot.text import normalise

NUMBER_WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5}
# Words that carry a score; "tidak"/"kurang"/"sangat" shift the base.
GOOD = frozenset({"puas", "memuaskan", "sesuai", "baik", "bagus", "membantu", "jelas"})
BEST = frozenset({"mantap", "mantab", "sempurna", "excellent"})
BAD = frozenset({"kecewa", "buruk", "jelek", "mengecewakan"})
VERY = frozenset({"sangat", "sekali", "banget", "amat", "bgt", "sgt", "sngt", "bngt", "sangt"})
NOT = frozenset({"tidak", "belum", "kurang"})
MIDDLE = frozenset({"cukup", "biasa", "lumayan", "standar", "netral"})
# Words that may surround a score without changing it ("nilai 5 ya kak", "saya puas").
FILLER = frozenset(
    {
        "ya",
        "iya",
        "y",
        "kak",
        "kakak",
        "min",
        "admin",
        "mas",
        "mbak",
        "pak",
        "bu",
        "bapak",
        "ibu",
        "nilai",
        "nilainya",
        "skor",
        "score",
        "rating",
        "saya",
        "kami",
        "beri",
        "kasih",
        "memberi",
        "terima",
        "dengan",
        "layanan",
        "pelayanan",
        "petugas",
        "jawaban",
        "jawabannya",
        "substansi",
        "nya",
        "deh",
        "dong",
        "sih",
        "lah",
        "kok",
        "ok",
        "oke",
        "okey",
        "sudah",
        "untuk",
        "atas",
        "bintang",
        "star",
        "stars",
        "saja",
        "aja",
        "sama",
        "semua",
        "semuanya",
        "yg",
        "yang",
        "sangatlah",
        "puasnya",
        "poin",
        "point",
        "angka",
        "pilih",
        "jadi",
        "thanks",
    }
)
VOCABULARY = sorted(set(NUMBER_WORDS) | GOOD | BEST | BAD | VERY | NOT | MIDDLE | FILLER)
STARS = re.compile(r"[\u2b50\u2605\u2606\u2729\u272a\u272b\u272c\u272d\u272e\u272f\u2730]")
OUT_OF_FIVE = re.compile(r"\b([1-5])\s*(?:/|dari)\s*5\b")


def _word(token: str) -> str | None:
    """The vocabulary word a token is, allowing one slip of the thumb on words of 4+ letters."""
    if token in VOCABULARY:
        return token
    if len(token) < 4:
        return None
    close = get_close_matches(token, VOCABULARY, n=1, cutoff=0.75)
    return close[0] if close else None


def _phrase(words: list[str]) -> int | None:
    """The score of the words alone ("sangat puas" 5, "puas" 4, "cukup" 3, "kurang puas" 2)."""
    very = any(w in VERY for w in words)
    if any(w in BAD for w in words):
        return 1
    if any(w in BEST for w in words):
        return 5
    if any(w in GOOD for w in words):
        if "kurang" in words and "tidak" not in words:
            return 1 if very else 2
        if "tidak" in words or "belum" in words:
            return 1
        if any(w in MIDDLE for w in words):
            return 3
        return 5 if very else 4
    if any(w in MIDDLE for w in words):
        return 3
    if "kurang" in words:
        return 1 if very else 2
    return None


def read_score(text: str | None) -> int | None:
    """A typed satisfaction answer as a score from 1 to 5, or None when it is not one."""
    if not text:
        return None
    stars = len(STARS.findall(text))
    rest = STARS.sub(" ", text)
    if stars and not rest.strip():
        return stars if 1 <= stars <= 5 else None
    cleaned = OUT_OF_FIVE.sub(r"\1", normalise(rest).lower())
    numbers: set[int] = set()
    words: list[str] = []
    for token in re.findall(r"\d+(?:[.,]\d+)?|[a-z]+", cleaned):
        if token[0].isdigit():
            if not token.isdigit() or not 1 <= int(token) <= 5:
                return None
            numbers.add(int(token))
            continue
        word = _word(token)
        if word is None:
            return None  # a word that is no part of a score: a question, not a rating
        if word in NUMBER_WORDS:
            numbers.add(NUMBER_WORDS[word])
        elif word not in FILLER:
            words.append(word)
    if stars:
        numbers.add(stars)
    if len(numbers) > 1:
        return None
    if numbers:
        return numbers.pop()
    return _phrase(words)

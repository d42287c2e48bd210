"""Follow-up questions that lean on the previous one: "kalau DBH?", "tahap 2nya kapan?"."""

from __future__ import annotations

import re

from bot.text import normalise

# Longest first, so "dak non fisik" wins over "dak".
TOPIC_TERMS = (
    "dak non fisik", "dak fisik", "dana desa", "jf akpd", "dau", "dbh", "dak", "tdf", "pdrd",
    "shsr", "akpd", "apbd", "ppid", "dana bagi hasil", "dana alokasi umum",
)  # fmt: skip
MARKERS = ("kalau", "bagaimana dengan", "terus", "lalu", "trus", "lantas", "bagaimana kalau")
MAX_WORDS = 6
_TERMS = re.compile(r"\b(" + "|".join(map(re.escape, TOPIC_TERMS)) + r")\b")
_STAGE = re.compile(r"\b(\d+|i{1,3}|iv)nya\b")


def topic_term(text: str) -> str | None:
    """The first DJPK topic term in a normalised text."""
    match = _TERMS.search(text)
    return match.group(1) if match else None


def looks_like_follow_up(text: str) -> bool:
    """Short, or opened with a follow-up marker ("kalau ...", "terus ...")."""
    words = text.split()
    return len(words) <= MAX_WORDS or any(text.startswith(m + " ") for m in MARKERS)


def expand(text: str, previous: str | None) -> str | None:
    """The follow-up rewritten as a full question, or None when it is not a follow-up."""
    if not previous:
        return None
    current = _STAGE.sub(r"\1", normalise(text))
    if not looks_like_follow_up(current):
        return None
    before = normalise(previous)
    old, new = topic_term(before), topic_term(current)
    if new and old and new != old:
        rest = current
        for marker in MARKERS:
            rest = rest.removeprefix(marker + " ")
        extra = rest.replace(new, "").strip(" ?")
        return f"{before.replace(old, new, 1)} {extra}".strip()
    if not new and old:
        return f"{old} {current}"
    return None

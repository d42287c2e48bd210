"""Follow-ups that lean on the previous question: "kalau DBH?", "yang tahap 2?", "klo utk kota?"."""

from __future__ import annotations

import re

from bot.kb.programs import Programs
from bot.kb.terms import phrase

MARKERS = (
    "bagaimana dengan",
    "bagaimana kalau",
    "kalau yang",
    "kalau untuk",
    "kalau",
    "terus",
    "lalu",
    "lantas",
    "trus",
    "yang",
    "untuk",
    "kalo",
    "dan",
    "nah",
    "oh",
)
MAX_WORDS = 6  # longer messages are questions of their own
MAX_OTHER_WORDS = 2  # "kalau DBH tahap 2?": besides the program, a follow-up says little more
_STAGE = re.compile(r"\btahap (\d+|i{1,3}|iv|pertama|kedua|ketiga|keempat)\b")
_STAGE_GLUED = re.compile(r"\btahap ?(\d+)nya\b")


def looks_like_follow_up(words: str) -> bool:
    """Short, or opened with a follow-up marker ("kalau ...", "terus ...")."""
    return len(words.split()) <= MAX_WORDS or any(words.startswith(m + " ") for m in MARKERS)


def _strip_markers(words: str) -> str:
    for marker in MARKERS:
        if words.startswith(marker + " ") or words == marker:
            return _strip_markers(words.removeprefix(marker).strip())
    return words


def expand(text: str, previous: str | None, programs: Programs) -> str | None:
    """The follow-up rewritten as a full question, or None when it is not a follow-up.

    A new program replaces the previous question's program ("syarat salur dau" + "kalau DBH?" ->
    "syarat salur dbh"); a new stage replaces its stage ("dau tahap 1 kapan cair" + "yang tahap
    2?" -> "dau tahap 2 kapan cair"); other words are added to it ("... utk kota").
    """
    if not previous:
        return None
    current = _STAGE_GLUED.sub(r"tahap \1", phrase(text))
    before = phrase(previous)
    if not current or not looks_like_follow_up(current) or not programs.named_in(before):
        return None
    rest = _strip_markers(current)
    new = programs.names_in(rest)
    if new and len(programs.without_names(rest).split()) > MAX_OTHER_WORDS:
        return None  # "portal data apbd dimana": a question of its own that names a program
    if new and set(programs.named_in(rest)) != set(programs.named_in(before)):
        rewritten = programs.replace_names(before, new[0])
        for name in new:
            rest = re.sub(rf"\b{re.escape(name)}\b", " ", rest)
        return _join(rewritten, _keep_new(rest, rewritten))
    if new:
        return None  # the same program again: a question of its own, not a follow-up
    stage = _STAGE.search(rest)
    if stage:
        rewritten = _STAGE.sub(stage.group(0), before) if _STAGE.search(before) else before
        rest = rest.replace(stage.group(0), " ")
        extra = _keep_new(rest, rewritten)
        return _join(rewritten if rewritten != before else f"{before} {stage.group(0)}", extra)
    return _join(before, rest) if rest else None


def _keep_new(rest: str, question: str) -> str:
    """The words of `rest` the question does not already hold."""
    have = set(question.split())
    return " ".join(w for w in rest.split() if w not in have)


def _join(*parts: str) -> str:
    return " ".join(" ".join(parts).split())

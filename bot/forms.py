"""How a reply to a form's question reads: an explicit cancel, a skip, a question, a greeting,
a name. Plain text rules on normalised informal Indonesian, shared by every form."""

from __future__ import annotations

import re

from bot.text import normalise

# What cancels a form; anything else the NLU happens to call `cancel` ("tidak ada", "belum")
# is the user's answer to the question.
EXPLICIT_CANCEL = re.compile(
    r"\b(?:batal\w*|cancel|stop|berhenti|tidak jadi|gajadi|(?:sudah )?tidak usah|keluar)\b"
)
LEADING_CANCEL = re.compile(
    r"^(?:(?:eh|oh|maaf|min|kak|ya)\W+)?(?:batal\w*|cancel|stop|tidak jadi|gajadi|"
    r"(?:sudah )?tidak usah)\b"
)
SKIP = re.compile(r"^(?:lewati|lewat|skip|lompati|tidak mau (?:menyebutkan|disebutkan))\b")


def words(text: str) -> frozenset[str]:
    """A word list written as one string."""
    return frozenset(text.split())


QUESTION_WORDS = words(
    "apa apakah bagaimana berapa kapan dimana kemana mengapa kenapa siapa bisakah bolehkah "
    "adakah gimana mana"
)
STARTERS = QUESTION_WORDS | {"cara"}
UNSURE = frozenset({"tahu", "lupa", "ingat"})  # "tidak tahu kapan" answers, it does not ask
FILLERS = words("eh oh oiya oya btw bentar sebentar maaf min kak pak bu halo")
PARTICLES = words("ya yah min kak pak bu dong sih nih deh kah dulu aja saja lagi")
GREETING_WORDS = words(
    "halo hai hi hello pagi siang sore malam selamat met assalamualaikum assalamu alaikum "
    "salam permisi punten djpk admin wr wb"
)
BOT_WORDS = words("bot robot chatbot mesin manusia otomatis ai sistem asli beneran")
# Words no personal name contains: they mark a question typed where the name was asked.
NOT_NAME = words(
    "djpk whatsapp email nomor telepon dau dbh dak tkd apbd syarat cair jam layanan surat "
    "undangan bot petugas admin npwp efin alamat kantor ya tidak iya belum sudah oke ok "
    "halo hai pagi siang sore malam selamat terima kasih kamu anda robot mesin manusia"
)


def is_explicit_cancel(text: str) -> bool:
    """True for "batal", "tidak jadi", "stop"...; False for "tidak ada" or "belum"."""
    return EXPLICIT_CANCEL.search(normalise(text)) is not None


def is_skip(text: str) -> bool:
    """True for "lewati", "skip": the user declines an optional question."""
    return SKIP.search(normalise(text)) is not None


def looks_like_question(text: str) -> bool:
    """Opens with a question word or "cara", or holds one and ends with it or with '?'."""
    tokens = [w for w in normalise(text).split() if w not in PARTICLES]
    if not tokens:
        return False
    if next((w for w in tokens if w not in FILLERS), "") in STARTERS:
        return True
    asked = bool(QUESTION_WORDS & set(tokens)) and not UNSURE & set(tokens)
    return asked and (text.rstrip().endswith("?") or tokens[-1] in QUESTION_WORDS)


def looks_like_greeting(text: str) -> bool:
    """Only greeting words ("selamat pagi min", "assalamualaikum"), nothing else."""
    tokens = set(normalise(text).split())
    return bool(tokens) and tokens <= GREETING_WORDS | FILLERS | PARTICLES


def cancels_first(text: str) -> bool:
    """A message that opens with a cancel word ("batal, saya tanya bot aja"), whatever the NLU."""
    return LEADING_CANCEL.match(normalise(text)) is not None


def looks_like_name(text: str) -> bool:
    """One to five words of letters (titles and commas allowed) that are not DJPK vocabulary."""
    tokens = normalise(text).split()
    plain = re.fullmatch(r"[^\W\d_][\w .,'’-]*", text.strip()) is not None
    return plain and 1 <= len(tokens) <= 5 and not set(tokens) & NOT_NAME

"""Search terms: normalised, filler-free, stop-word-free and stemmed Indonesian tokens."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from bot.text import DOMAIN_TERMS, normalise, split_tokens, strip_fillers

_STOP = (
    "yang di ke dari dan atau untuk dengan pada dalam itu ini tersebut ada adalah akan juga "
    "saja sudah belum bisa dapat apa apakah bagaimana cara caranya mau ingin tanya bertanya "
    "saya kami kita kamu anda kalau jika apabila bila sama lagi oleh sebagai tentang terkait "
    "mengenai seperti agar supaya harus boleh perlu masih sedang telah pun nya karena jadi "
    "tapi namun atas bagi hal oke baik sekali banget begitu sih kok nah the of to in and a is"
)
STOP_WORDS = frozenset(_STOP.split())
# Stems the dictionary stemmer gets wrong for words common in DJPK questions.
STEM_OVERRIDES = {
    "pengecekan": "cek",
    "dicek": "cek",
    "mengecek": "cek",
    "penarikan": "tarik",
    "penarikannya": "tarik",
    "ditarik": "tarik",
    "menarik": "tarik",
    "pemda": "pemda",
    "pemdanya": "pemda",
    "berapa": "berapa",
    "dimana": "dimana",
    "kemana": "kemana",
}
_WEB = re.compile(r"@|\.(?:go\.id|co\.id|ac\.id|or\.id|id|com|org|net)\b")
_WEB_NOISE = frozenset({"go", "id", "co", "ac", "or", "www", "http", "https", "com", "org", "net"})


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The root of one lowercase token; abbreviations, numbers and letter numbers unchanged."""
    if word in STEM_OVERRIDES:
        return STEM_OVERRIDES[word]
    if word in DOMAIN_TERMS or not word.isalpha() or len(word) < 4:
        return word
    return _stemmer().stem(word) or word


@lru_cache(maxsize=65536)
def surface_tokens(text: str) -> tuple[str, ...]:
    """Lowercase tokens of normalised, filler-free text, stop words dropped, web parts split."""
    out: list[str] = []
    for token in split_tokens(strip_fillers(normalise(text))):
        token = token.lower()
        if _WEB.search(token):
            out.append(token)
            out.extend(p for p in re.split(r"[^a-z0-9]+", token) if p and p not in _WEB_NOISE)
        elif token not in STOP_WORDS and (len(token) > 1 or token.isdigit()):
            out.append(token)
    return tuple(out)


def phrase(text: str) -> str:
    """Lowercase normalised words joined by single spaces (punctuation, '-' and '/' are spaces)."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", normalise(text).lower()).split())


def terms(text: str) -> list[str]:
    """Stemmed search terms of a text, in order, duplicates kept."""
    return [stem(token) for token in surface_tokens(text)]

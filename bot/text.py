"""Normalisation of informal Indonesian: slang, abbreviations, repeated letters, fillers."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Formal word (or phrase) on the left, the informal spellings that become it on the right.
# Extend by adding a spelling to a line (or a new line); keys are single lowercase tokens.
SLANG_TABLE = """
bagaimana: gmn gmna gimana gmana bgmn bgmna bagaimna gimn gmn2 gimane
berapa: brp brapa brpa berapah
tidak: tdk gak ga gk nggak ngga enggak engga ndak tak kagak g
sudah: sdh udh udah udh sudh dah
belum: blm blom belom blum
yang: yg yng
untuk: utk untk utuk
dengan: dgn dg dng
saya: sy sya aku gw gue
kami: kmi
kapan: kpn kapn
terima kasih: tq thx thanks makasih makasi mksh mksih trims trimakasih terimakasih tengkyu
dari: dr dri
karena: krn karna krna
bisa: bs bsa
juga: jg jga
lagi: lg lgi
sama: sm
nomor: no nmr nomer nmor nomr
telepon: tlp telp telpon telfon tlpn nelpon menelpon
whatsapp: wa whatsap watsap wasap whatapp whatsaap
informasi: info inpo
dimana: dmn dimn dmana dimane
kemana: kmn kmana
kenapa: knp knapa
sekarang: skrg skrang skg
tanggal: tgl
tahun: thn
tahun anggaran: ta
malam: malem mlm
bulan: bln
tentang: ttg
tersebut: tsb
sebagai: sbg
beberapa: bbrp
kalau: kalo klo kl klau
saja: aja aj sj
tapi: tp tpi
jadi: jd jdi
atau: atw ato
pada: pd
ingin: pengen pgn pingin
dapat: dpt
tolong: tlg tlng
mohon: mhn
bapak: bpk
balas: bales bls
dibalas: dibales dibls
email: imel e-mail surel emal
media sosial: medsos
instagram: ig
video conference: vicon vidcon vc
perjalanan dinas: perjadin
kabupaten: kab
provinsi: prov
pemerintah daerah: pemerintah-daerah
non fisik: nonfisik non-fisik
raperda: ranperda
sampai: sampe
memang: emg emang
dan lain lain: dll dsb
tanya: tny tnya nanya nanyain
harus: hrs hrus
datang: dtg dtng
banget: bgt bngt
tadi: td
kemarin: kmrn kemaren kmaren
padahal: pdhl pdhal
masuk: msk
tidak bisa: gabisa gbs gakbisa
mahasiswa: mhs mhsw
orang: org
benar: bener bnr
pakai: pake
sampaikan: nyampein sampein
siapkan: siapin
membantu: ngebantu ngbantu bantuin
oke: okee okeh okey okay
"""

# DJPK domain abbreviations: never expanded or altered, whatever the slang table says.
_DOMAIN_TERMS = (
    "dau dbh dak tdf pdrd shsr akpd tkd tkdd apbd lkpd pmk ppid djpk djp djpb pemda bimtek "
    "kppn rkud juknis hkpd sikd kemenkeu jf uu pp perpres se und ikd pad dpmk"
)
DOMAIN_TERMS = frozenset(_DOMAIN_TERMS.split())

_FILLERS = (
    "min mimin admin kak kakak ka pak bu bapak ibu bpk gan sis bro mas mbak dong donk ya yah "
    "yaa nih sih deh kah lah tolong mohon halo hallo helo hello hi permisi maaf punten "
    "assalamualaikum assalamu alaikum wr wb salam"
)
FILLER_WORDS = frozenset(_FILLERS.split())
_FILLER_PHRASES = (
    "terima kasih banyak",
    "terima kasih",
    "selamat pagi",
    "selamat siang",
    "selamat sore",
    "selamat malam",
    "selamat datang",
)

# Letter and regulation numbers, e-mail and web addresses, phone numbers: kept verbatim.
_VERBATIM = (
    r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail address
    r"|\b(?:https?://)?(?:[\w-]+\.)+(?:go\.id|co\.id|ac\.id|or\.id|id|com|org|net)\b(?:/[\w./-]*)?"
    r"|(?:\b[A-Za-z]{1,8}[-.])*\b\d+(?:/[A-Za-z0-9.-]+)+"  # UND-41/PK.3/2023, 211/PMK.07/2022
    r"|\b\d{2,5}(?:-\d+)+\b"  # 0811-150420-7
)
_PROTECTED = re.compile(r"(?:\b[A-Z]{2,8} (?=\d+/))?(?:" + _VERBATIM + ")")  # PMK 211/PMK...
_WHOLE_TOKEN = re.compile(_VERBATIM)
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PLACEHOLDER = re.compile(r"\ue000(\d+)\ue001")
_NON_WORD = re.compile(r"[^a-z0-9\ue000\ue001]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")
_DOUBLES = re.compile(r"([a-z])\1")
_REDUP_DIGIT = re.compile(r"\b([a-z]{2,})2\b")
_REDUP_HYPHEN = re.compile(r"\b([a-z]{2,})-\1\b")
_STAGE = re.compile(
    r"\b(tahap|termin|triwulan|semester) (i{1,3}|iv|pertama|kedua|ketiga|satu|dua|tiga)\b"
)
_STAGE_NUMBER = {
    "i": "1",
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "pertama": "1",
    "kedua": "2",
    "ketiga": "3",
    "satu": "1",
    "dua": "2",
    "tiga": "3",
}
_TOKEN = re.compile(r"\ue000\d+\ue001|[a-z0-9]+")


@lru_cache(maxsize=1)
def slang_map() -> dict[str, str]:
    """The slang table as {informal: formal}, parsed once on first use."""
    mapping: dict[str, str] = {}
    for line in SLANG_TABLE.strip().splitlines():
        formal, _, spellings = line.partition(":")
        for spelling in spellings.split():
            mapping[spelling] = formal.strip()
    return mapping


def _clean_unicode(text: str) -> str:
    if text.isascii():
        return _ASCII_CONTROL.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return "".join(
        " " if unicodedata.category(ch)[0] in "CSZ" and ch != "\n" else ch for ch in text
    )


def _replace_word(word: str, slang: dict[str, str]) -> str:
    if word in DOMAIN_TERMS:
        return word
    if word in slang:
        return slang[word]
    single = _DOUBLES.sub(r"\1", word)
    if single != word and single in slang and single not in DOMAIN_TERMS:
        return slang[single]
    return word


def normalise(text: str) -> str:
    """Lowercase, clean and expand informal Indonesian; letter numbers, e-mails and URLs survive."""
    text = _clean_unicode(text)
    kept: list[str] = []

    def mask(match: re.Match[str]) -> str:
        kept.append(match.group(0).rstrip(".-"))
        tail = match.group(0)[len(kept[-1]) :]
        return f" \ue000{len(kept) - 1}\ue001 {tail}"

    text = _PROTECTED.sub(mask, text).lower()
    text = _REDUP_HYPHEN.sub(r"\1 \1", text)
    text = _NON_WORD.sub(" ", text)
    text = _REPEATS.sub(r"\1", text)
    text = _REDUP_DIGIT.sub(r"\1 \1", text)
    slang = slang_map()
    words = [_replace_word(word, slang) for word in text.split()]
    text = _STAGE.sub(lambda m: f"{m.group(1)} {_STAGE_NUMBER[m.group(2)]}", " ".join(words))
    return _PLACEHOLDER.sub(lambda m: kept[int(m.group(1))], text)


def strip_fillers(text: str) -> str:
    """Drop greetings, politeness and filler words from normalised text (FAQ path only)."""
    text = f" {text} "
    for phrase in _FILLER_PHRASES:
        text = text.replace(f" {phrase} ", " ")
    return " ".join(word for word in text.split() if word not in FILLER_WORDS)


def tokens(text: str) -> list[str]:
    """Normalised tokens; letter numbers, e-mails and URLs stay whole."""
    return split_tokens(normalise(text))


def split_tokens(text: str) -> list[str]:
    """Tokens of already normalised text (lowercase words; protected spans whole)."""
    kept: list[str] = []

    def mask(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\ue000{len(kept) - 1}\ue001"

    masked = _WHOLE_TOKEN.sub(mask, text)
    return [
        kept[int(tok[1:-1])] if tok.startswith("\ue000") else tok
        for tok in _TOKEN.findall(masked.lower())
    ]

"""Red flags: each kind is raised and explained in Indonesian; official or negated uses are not."""

from __future__ import annotations

import pytest

from bot.contacts import Contacts
from bot.letters.flags import FlagKind, find_flags

RAISED = [
    ("bayar kontribusi 3,5 juta ke rekening panitia", {FlagKind.FEE, FlagKind.BANK_ACCOUNT}),
    ("Biaya pendaftaran Rp 1.500.000 per peserta", {FlagKind.FEE}),
    ("kontribusi peserta sebesar Rp2.000.000", {FlagKind.FEE}),
    ("Kegiatan ini berbayar", {FlagKind.FEE}),
    ("mohon ditransfer ke Bank BRI 0123 4567 8901 a.n. Panitia Bimtek", {FlagKind.BANK_ACCOUNT}),
    ("No. Rek. 1234567890 Bank Mandiri", {FlagKind.BANK_ACCOUNT}),
    ("disediakan fee bagi pemda yang mengirim peserta", {FlagKind.REWARD}),
    ("dijanjikan tambahan alokasi DAK tahun depan", {FlagKind.PROMISE}),
    ("kami bantu percepatan pencairan DAU Saudara", {FlagKind.PROMISE}),
    ("kami dapat menyiapkan dokumen pencairan", {FlagKind.PROMISE}),
    ("konfirmasi ke WA 0812-3456-7890 (Bapak Andi)", {FlagKind.PERSONAL_PHONE}),
    ("hubungi +62 813 1111 2222", {FlagKind.PERSONAL_PHONE}),
    ("https://wa.me/6281234567890", {FlagKind.PERSONAL_PHONE}),
    ("kirim bukti ke panitia.bimtek@gmail.com", {FlagKind.PERSONAL_EMAIL}),
    ("email djpk@kemenkeu-go.id", {FlagKind.PERSONAL_EMAIL}),
    (
        "Kegiatan ini tidak dipungut biaya, namun peserta wajib membayar kontribusi Rp 2.000.000",
        {FlagKind.FEE},
    ),
    (
        "bertempat di Hotel Santika, biaya kontribusi Rp 3.500.000",
        {FlagKind.FEE, FlagKind.PAID_HOTEL},
    ),
]

CLEAN = [
    "Kegiatan ini tidak dipungut biaya.",
    "Seluruh layanan DJPK tanpa biaya apa pun.",
    "Peserta tidak perlu membayar kontribusi.",
    "Biaya perjalanan dinas dibebankan pada DIPA/APBD masing-masing instansi.",
    "Dana disalurkan ke Rekening Kas Umum Daerah (RKUD).",
    "Penyaluran Transfer ke Daerah dan Dana Desa tahap I.",
    "Hubungi WhatsApp 0811-150420-7 atau Dering DJPK 150420.",
    "Hubungi +62 811-150420-7 atau callcenter.djpk@kemenkeu.go.id / lapor.djpk@kemenkeu.go.id.",
    "Rapat koordinasi di Hotel Borobudur, tidak dipungut biaya.",
    "Pemda menyusun laporan secara mandiri sebelum 2023.",
    "apakah surat UND-41/PK.3/2023 benar dari djpk?",
]


@pytest.mark.parametrize(("text", "kinds"), RAISED)
def test_red_flags_are_raised(text: str, kinds: set[FlagKind], contacts: Contacts) -> None:
    flags = find_flags(text, contacts)
    assert {flag.kind for flag in flags} == kinds
    for flag in flags:
        assert flag.explanation.endswith(".")
        assert flag.evidence


@pytest.mark.parametrize("text", CLEAN)
def test_official_and_negated_wording_raises_nothing(text: str, contacts: Contacts) -> None:
    assert find_flags(text, contacts) == ()


def test_explanations_name_the_official_channels(contacts: Contacts) -> None:
    flags = find_flags("WA panitia 0812-3456-7890, email a@yahoo.co.id", contacts)
    phone, email = flags
    assert "0812-3456-7890" in phone.explanation and "0811-150420-7" in phone.explanation
    assert "a@yahoo.co.id" in email.explanation and "kemenkeu.go.id" in email.explanation


def test_fee_explanation_cites_the_free_services_letter(contacts: Contacts) -> None:
    (flag,) = find_flags("biaya registrasi Rp 500.000", contacts)
    assert "S-38/PK/2024" in flag.explanation
    assert flag.to_json()["kind"] == "fee"

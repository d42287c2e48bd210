"""Red flags: each kind is raised and explained in Indonesian; official or negated uses are not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.contacts import Contacts
from bot.letters.flags import FlagKind, find_flags, make_flag

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


# What the user reads for each flag, word for word (the reply quotes these sentences).
EXPLAINED = {
    FlagKind.FEE: "Meminta biaya, kontribusi, atau pendaftaran berbayar, padahal seluruh layanan "
    "dan kegiatan DJPK tidak dipungut biaya (S-38/PK/2024).",
    FlagKind.BANK_ACCOUNT: "Meminta transfer ke rekening bank; DJPK tidak pernah meminta "
    "pembayaran ke rekening panitia atau perorangan.",
    FlagKind.REWARD: "Meminta imbalan, fee, atau komisi atas nama DJPK.",
    FlagKind.PROMISE: "Menjanjikan tambahan alokasi atau percepatan pencairan/penyaluran dana; "
    "DJPK tidak pernah menjanjikan hal tersebut.",
    FlagKind.PAID_HOTEL: "Kegiatan di hotel dengan biaya dari peserta; kegiatan DJPK tidak "
    "memungut biaya.",
    FlagKind.PERSONAL_PHONE: "Mencantumkan nomor 0812-3456-7890 yang bukan nomor resmi DJPK "
    "(WhatsApp 0811-150420-7, Dering 150420).",
    FlagKind.PERSONAL_EMAIL: "Mencantumkan e-mail a@gmail.com di luar domain resmi kemenkeu.go.id.",
}


def test_every_flag_reads_as_the_user_is_told(contacts: Contacts) -> None:
    text = (
        "Biaya pendaftaran Rp 1 juta ditransfer ke rekening BRI 1234567 panitia di Hotel Melati. "
        "Disediakan fee 5%. Kami bantu tambahan alokasi DAU. WA 0812-3456-7890, a@gmail.com"
    )
    flags = find_flags(text, contacts)
    assert [flag.kind for flag in flags] == list(EXPLAINED)  # in FlagKind order, one per kind
    assert {flag.kind: flag.explanation for flag in flags} == EXPLAINED
    hotel = flags[4]
    assert hotel.to_json() == {
        "kind": "paid_hotel",
        "explanation": EXPLAINED[FlagKind.PAID_HOTEL],
        "evidence": "Hotel Melati",
    }


def test_every_official_domain_is_named(contacts: Contacts) -> None:
    two = replace(contacts, official_domains=("kemenkeu.go.id", "djpk.go.id"))
    (flag,) = find_flags("kirim ke panitia@gmail.com", two)
    assert flag.explanation == (
        "Mencantumkan e-mail panitia@gmail.com di luar domain resmi kemenkeu.go.id, djpk.go.id."
    )
    qr = make_flag(FlagKind.UNOFFICIAL_QR, two, "bit.ly")
    assert (
        qr.explanation
        == "Kode QR mengarah ke bit.ly, bukan domain resmi kemenkeu.go.id, djpk.go.id."
    )


@pytest.mark.parametrize(
    ("number", "flagged"),
    [
        ("081234567", False),  # 9 digits: no mobile number
        ("0812345678", True),  # 10 digits, the shortest
        ("0812345678901", True),  # 13 digits, the longest
        ("+62 812 3456 7890 1", True),  # 13 digits in national form
        ("08123456789012", False),  # 14 digits
    ],
)
def test_phone_numbers_of_mobile_length_are_flagged(
    number: str, flagged: bool, contacts: Contacts
) -> None:
    kinds = [flag.kind for flag in find_flags(f"hubungi {number} ya", contacts)]
    assert kinds == ([FlagKind.PERSONAL_PHONE] if flagged else [])


@pytest.mark.parametrize(("gap", "negated"), [(34, True), (35, False)])
def test_a_negation_counts_up_to_forty_characters_back(
    gap: int, negated: bool, contacts: Contacts
) -> None:
    # At gap 34, "tidak" starts exactly 40 characters before "biaya"; at 35 it is out of reach.
    text = "tidak " + "-" * gap + "biaya pendaftaran Rp 100.000"
    kinds = [flag.kind for flag in find_flags(text, contacts)]
    assert kinds == ([] if negated else [FlagKind.FEE])


def test_a_negation_at_the_very_start_counts(contacts: Contacts) -> None:
    assert find_flags("Tidak ada biaya pendaftaran Rp 100.000", contacts) == ()


@pytest.mark.parametrize(("gap", "exempt"), [(51, True), (52, False)])
def test_an_exempt_use_counts_up_to_sixty_characters_after(
    gap: int, exempt: bool, contacts: Contacts
) -> None:
    # The match ends after "Rp 1"; at gap 51 "rkud" ends 60 characters after it.
    text = "iuran Rp 100000" + "-" * gap + "rkud"
    kinds = [flag.kind for flag in find_flags(text, contacts)]
    assert kinds == ([] if exempt else [FlagKind.FEE])


def test_an_exempt_use_after_an_amount_with_thousands_dots_clears_it(contacts: Contacts) -> None:
    # The dots inside "5.000.000" do not end the clause (they did: a genuine invitation
    # paying travel from DIPA was flagged as asking a fee).
    assert find_flags("Biaya perjalanan Rp 5.000.000 dibebankan pada DIPA DJPK", contacts) == ()
    assert find_flags("uang pengganti Rp 1.500.000 ditanggung oleh DJPK.", contacts) == ()
    (fee,) = find_flags("Biaya pendaftaran Rp 5.000.000. Dibebankan pada DIPA DJPK", contacts)
    assert fee.kind is FlagKind.FEE  # a full stop does end the clause


# The wordings fraudsters use, each with the words the reply quotes as evidence.
EVIDENCE = [
    ("iuran Rp500 per orang", FlagKind.FEE, "iuran Rp5"),
    ("kontribusi 500 rb", FlagKind.FEE, "kontribusi 500 rb"),
    ("iuran 500.000", FlagKind.FEE, "iuran 500.000"),
    ("uang partisipasi Rp 500.000", FlagKind.FEE, "uang partisipasi Rp 5"),
    (
        "biaya akomodasi, konsumsi, dan seminar kit untuk tiap peserta Rp 1",
        FlagKind.FEE,
        "biaya akomodasi, konsumsi, dan seminar kit untuk tiap peserta Rp 1",
    ),
    ("biaya bimtek ditanggung masing-masing peserta", FlagKind.FEE, "biaya bimtek"),
    (
        "peserta wajib membayar sebelum tanggal 20 Juli kepada panitia",
        FlagKind.FEE,
        "membayar sebelum tanggal 20 Juli kepada panitia",
    ),
    ("kontribusi per orang", FlagKind.FEE, "kontribusi per orang"),
    ("peserta dikenakan biaya", FlagKind.FEE, "dikenakan biaya"),
    ("tidak ada biaya kecuali biaya registrasi Rp 100.000", FlagKind.FEE, "biaya registrasi"),
    ("bank mandiri 1234567890", FlagKind.BANK_ACCOUNT, "bank mandiri 1234567890"),
    ("kirim ke ovo 1234567", FlagKind.BANK_ACCOUNT, "ovo 1234567"),
    ("silakan setor via virtual account", FlagKind.BANK_ACCOUNT, "setor via virtual account"),
    ("nomor rek 1234567", FlagKind.BANK_ACCOUNT, "rek 1234567"),
    ("kenaikan alokasi DAK", FlagKind.PROMISE, "kenaikan alokasi"),
    ("usulan dijamin lolos", FlagKind.PROMISE, "dijamin lolos"),
    ("lebih cepat pencairan DAK", FlagKind.PROMISE, "lebih cepat pencairan"),
    ("sediakan uang pelicin", FlagKind.REWARD, "uang pelicin"),
    ("hubungi 0812-3456-7890-1", FlagKind.PERSONAL_PHONE, "0812-3456-7890-1"),
    ("kirim ke panitia@mail.yahoo.co.id", FlagKind.PERSONAL_EMAIL, "panitia@mail.yahoo.co.id"),
]


@pytest.mark.parametrize(("text", "kind", "evidence"), EVIDENCE)
def test_each_wording_raises_its_flag_with_its_words(
    text: str, kind: FlagKind, evidence: str, contacts: Contacts
) -> None:
    assert [(flag.kind, flag.evidence) for flag in find_flags(text, contacts)] == [(kind, evidence)]


def test_a_resort_with_a_fee_is_a_paid_hotel(contacts: Contacts) -> None:
    flags = find_flags("di Resort Anyer, biaya kontribusi Rp 3.500.000", contacts)
    assert [(flag.kind, flag.evidence) for flag in flags] == [
        (FlagKind.FEE, "biaya kontribusi Rp 3"),
        (FlagKind.PAID_HOTEL, "Resort Anyer"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Pelatihan tanpa biaya pendaftaran.",
        "gratis biaya pendaftaran",
        "transfer ke rekening RKUD Pemda",
        "surat 0812/PK/2023",
    ],
)
def test_more_negated_or_official_uses_raise_nothing(text: str, contacts: Contacts) -> None:
    assert find_flags(text, contacts) == ()


def test_but_ends_the_negated_clause(contacts: Contacts) -> None:
    flags = find_flags("tidak ada biaya, namun wajib membayar Rp 1 juta", contacts)
    assert [(flag.kind, flag.evidence) for flag in flags] == [(FlagKind.FEE, "membayar Rp")]


def test_an_exempt_word_past_sixty_characters_does_not_count_even_in_the_same_clause(
    contacts: Contacts,
) -> None:
    text = "iuran Rp 100000" + "-" * 52 + "rkud. Lain"
    assert [flag.kind for flag in find_flags(text, contacts)] == [FlagKind.FEE]


def test_a_number_followed_by_a_slash_is_a_reference_not_a_phone(contacts: Contacts) -> None:
    assert find_flags("surat nomor 0812345678/PK/2023", contacts) == ()

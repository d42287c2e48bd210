"""Verdicts on texts: each kind, the issue's acceptance examples, the worst of several numbers."""

from __future__ import annotations

import time

import pytest

from bot.contacts import Contacts
from bot.letters.flags import FlagKind
from bot.letters.messages import REPORT_BUTTON, render, report_thanks, should_offer_report
from bot.letters.verdict import VerdictKind
from bot.letters.verifier import Verifier

GENUINE = "apakah surat UND-41/PK.3/2023 benar dari djpk?"
JF_AKPD = (
    "undangan bimtek JF AKPD nomor UND-77/PK/2023, bayar kontribusi 3,5 juta ke rekening "
    "panitia, asli?"
)


def test_acceptance_genuine_letter_shows_the_registered_subject(verifier: Verifier) -> None:
    verdict = verifier.verify_text(GENUINE)
    assert verdict.verdict is VerdictKind.GENUINE
    assert verdict.number == "UND-41/PK.3/2023"
    assert verdict.letter.subject == "Undangan Webinar Perpres Petunjuk Teknis DAK Fisik TA 2023"
    reply = render(verdict, verifier.contacts)
    assert "Undangan Webinar Perpres Petunjuk Teknis DAK Fisik TA 2023" in reply
    assert "28 Februari 2023" in reply and "daring" in reply
    assert not should_offer_report(verdict)
    assert "0811-150420-7" not in reply


def test_acceptance_paid_jf_akpd_invitation_is_a_known_hoax_with_flags_named(
    verifier: Verifier,
) -> None:
    verdict = verifier.verify_text(JF_AKPD)
    assert verdict.verdict is VerdictKind.KNOWN_HOAX
    assert verdict.hoax.id == "jf-akpd-bimtek-2023"
    assert {f.kind for f in verdict.flags} == {FlagKind.FEE, FlagKind.BANK_ACCOUNT}
    assert any("S-38/PK/2024" in reason for reason in verdict.reasons)
    assert any("rekening" in reason for reason in verdict.reasons)
    reply = render(verdict, verifier.contacts)
    assert "JF AKPD" in reply and "rekening" in reply
    assert reply.rstrip().endswith(verifier.contacts.website)
    assert should_offer_report(verdict)


@pytest.mark.parametrize(
    ("text", "kind", "number"),
    [
        ("UND-41/PK.3/2023", VerdictKind.GENUINE, "UND-41/PK.3/2023"),
        ("PMK 204 Tahun 2022 masih berlaku?", VerdictKind.GENUINE, "204/PMK.07/2022"),
        ("surat UND-107/PK/2019 bimtek obligasi", VerdictKind.KNOWN_HOAX, "UND-107/PK/2019"),
        ("S-902/PK/2099", VerdictKind.REVOKED, "S-902/PK/2099"),
        ("UND-41/PK.3/2022 benar?", VerdictKind.NEAR_MATCH, "UND-41/PK.3/2022"),
        ("UND-14/PK.3/2023 benar?", VerdictKind.NEAR_MATCH, "UND-14/PK.3/2023"),
        ("S-99/PK/2023 benar?", VerdictKind.NOT_FOUND, "S-99/PK/2023"),
        ("apakah ada undangan dari DJPK bulan ini?", VerdictKind.NOT_FOUND, None),
        ("UND-41/PK.3/2023 biaya pendaftaran Rp 500.000", VerdictKind.MISMATCH, "UND-41/PK.3/2023"),
    ],
)
def test_every_verdict(
    verifier: Verifier, text: str, kind: VerdictKind, number: str | None
) -> None:
    verdict = verifier.verify_text(text)
    assert (verdict.verdict, verdict.number) == (kind, number)
    assert verdict.reasons and all(isinstance(r, str) and r for r in verdict.reasons)
    assert verdict.to_json()["verdict"] == kind.value


def test_registered_number_with_red_flags_is_mismatch_and_shows_the_registered_letter(
    verifier: Verifier, contacts: Contacts
) -> None:
    text = (
        "Undangan UND-41/PK.3/2023 di Hotel Grand, biaya kontribusi Rp 2.500.000 transfer ke "
        "BRI 123456789 a.n. Budi, konfirmasi 0812-3456-7890"
    )
    verdict = verifier.verify_text(text)
    assert verdict.verdict is VerdictKind.MISMATCH
    kinds = {f.kind for f in verdict.flags}
    assert {
        FlagKind.FEE,
        FlagKind.BANK_ACCOUNT,
        FlagKind.PAID_HOTEL,
        FlagKind.PERSONAL_PHONE,
    } <= kinds
    reply = render(verdict, contacts)
    assert "TIDAK sesuai" in reply and "Undangan Webinar Perpres" in reply
    assert reply.rstrip().endswith(contacts.website)


@pytest.mark.parametrize(
    "text",
    [
        "Hal: Undangan Bimtek Pengelolaan Keuangan\nNomor UND-41/PK.3/2023",
        "UND-41/PK.3/2023 kegiatan dilaksanakan secara offline",
        "UND-901/PK.3/2099 sosialisasi pada 20 April 2099",
    ],
)
def test_content_contradicting_the_registered_letter_is_mismatch(
    verifier: Verifier, text: str
) -> None:
    verdict = verifier.verify_text(text)
    assert verdict.verdict is VerdictKind.MISMATCH
    assert verdict.flags == ()
    assert len(verdict.reasons) >= 2


def test_matching_event_details_stay_genuine(verifier: Verifier) -> None:
    text = "Hal: Undangan Sosialisasi Kebijakan DAK Fisik\nUND-901/PK.3/2099 tanggal 15 Maret 2099"
    verdict = verifier.verify_text(text)
    assert verdict.verdict is VerdictKind.GENUINE
    assert "[CONTOH DEMO" in render(verdict, verifier.contacts)


def test_several_numbers_are_judged_by_the_worst(verifier: Verifier) -> None:
    text = "Menindaklanjuti UND-41/PK.3/2023, kami sampaikan surat S-99/PK/2023."
    verdict = verifier.verify_text(text)
    assert verdict.verdict is VerdictKind.NOT_FOUND
    assert verdict.number == "S-99/PK/2023"
    assert verdict.numbers == ("UND-41/PK.3/2023", "S-99/PK/2023")
    hoax = verifier.verify_text("SE-1/PK/2023 dan UND-107/PK/2019")
    assert hoax.verdict is VerdictKind.KNOWN_HOAX


def test_cited_regulations_do_not_decide_for_a_letter(verifier: Verifier) -> None:
    text = "UND-41/PK.3/2023 sesuai PMK 999/PMK.07/2022 dan Perpres 33/2020"
    assert verifier.verify_text(text).verdict is VerdictKind.GENUINE


def test_a_hoax_citing_a_registered_regulation_is_still_a_hoax(verifier: Verifier) -> None:
    text = "Bimtek JF AKPD sesuai PMK 204/PMK.07/2022, biaya kontribusi Rp 3.000.000"
    verdict = verifier.verify_text(text)
    assert verdict.verdict is VerdictKind.KNOWN_HOAX
    assert verdict.numbers == ("204/PMK.07/2022",)


def test_red_flags_without_a_number_are_named_in_not_found(verifier: Verifier) -> None:
    verdict = verifier.verify_text("Diundang rapat, mohon transfer biaya Rp 1.000.000 ke rekening")
    assert verdict.verdict is VerdictKind.NOT_FOUND
    assert verdict.flags
    reply = render(verdict, verifier.contacts)
    assert "tanda bahaya" in reply and "belum tentu berarti surat palsu" in reply


def test_examples_are_not_genuine_in_production(production_verifier: Verifier) -> None:
    verdict = production_verifier.verify_text("UND-901/PK.3/2099")
    assert verdict.verdict is not VerdictKind.GENUINE


@pytest.mark.parametrize(
    "text", ["UND-41/PK.3/2022", "S-902/PK/2099", "UND-107/PK/2019", "S-99/PK/2023", JF_AKPD]
)
def test_every_non_genuine_reply_ends_with_the_official_contacts(
    verifier: Verifier, contacts: Contacts, text: str
) -> None:
    verdict = verifier.verify_text(text)
    reply = render(verdict, contacts)
    assert verdict.offer_report
    for channel in (contacts.whatsapp, contacts.dering, contacts.email_callcenter):
        assert channel in reply
    assert len(reply) < 1600


def test_report_helpers() -> None:
    assert REPORT_BUTTON == "Laporkan surat palsu"
    assert "laporan ke-3 untuk nomor UND-77/PK/2023" in report_thanks(3, "UND-77/PK/2023")
    assert "laporan ke-" not in report_thanks(1, "UND-77/PK/2023")


@pytest.mark.parametrize(
    "text",
    [
        "PMK" + " " * 4090,
        "biaya " + "a" * 4090,
        "a@" * 2048,
        "UND-" * 1024,
        "PK " * 1365,
        "1" * 4096,
        "rekening " * 455,
    ],
)
def test_long_hostile_messages_stay_fast(verifier: Verifier, text: str) -> None:
    verifier.verify_text("warm-up")
    started = time.perf_counter()
    verifier.verify_text(text)
    assert time.perf_counter() - started < 0.25

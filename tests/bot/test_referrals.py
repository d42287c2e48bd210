"""Questions for other institutions are recognised; DJPK's own are not."""

from pathlib import Path

import pytest

from bot.referrals import NonDjpkDirectory

KB = Path(__file__).resolve().parents[2] / "knowledge_base"


@pytest.fixture(scope="module")
def directory() -> NonDjpkDirectory:
    return NonDjpkDirectory.load(KB)


@pytest.mark.parametrize(
    ("text", "referral", "must_mention"),
    [
        ("min efin sy ilang gmn", "djp-pajak-pusat", "1500200"),
        ("cara bikin NPWP online", "djp-pajak-pusat", "1500200"),
        ("mau lapor spt tahunan", "djp-pajak-pusat", "Kring Pajak"),
        ("bpjs kesehatan saya nonaktif", "bpjs", "165"),
        ("pendaftaran cpns kapan", "cpns-asn", "Badan Kepegawaian Negara"),
        ("bansos pkh kapan cair", "bansos", "Kementerian Sosial"),
        ("paket saya ditahan bea cukai", "bea-cukai", "1500225"),
    ],
)
def test_referrals(directory, text, referral, must_mention):
    found = directory.match(text)
    assert found is not None and found.id == referral
    assert must_mention in found.answer


@pytest.mark.parametrize(
    "text", ["dau tahap 1 kapan cair", "pajak daerah apa saja", "syarat salur dbh", "npwpd"]
)
def test_djpk_questions_are_not_referred(directory, text):
    assert directory.match(text) is None

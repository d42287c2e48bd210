"""Topic and user category from the user's own words; ticket numbers and channel names."""

from __future__ import annotations

from datetime import date

import pytest

from bot.tickets.classify import classify_category, classify_topic
from bot.tickets.numbering import format_number, parse_number
from bot.tickets.taxonomy import Category, Channel, Topic


def test_taxonomy_is_exactly_the_seed_list() -> None:
    assert [topic.value for topic in Topic] == [
        "DAU",
        "DBH",
        "DAK Fisik",
        "DAK Non Fisik",
        "Dana Desa",
        "PDRD",
        "SHSR",
        "JF AKPD",
        "Pembiayaan",
        "APBD",
        "Surat Masuk",
        "Permintaan Data",
        "Reservasi",
        "Pengaduan",
        "Non-DJPK",
        "Spam",
        "Lainnya",
    ]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("penyaluran DAU tahap 1 kapan?", Topic.DAU),
        ("DAU yang ditentukan penggunaannya bidang pendidikan", Topic.DAU),
        ("pencairan treasury deposit facility", Topic.DBH),
        ("dana bagi hasil sawit", Topic.DBH),
        ("syarat salur DAK fisik", Topic.DAK_FISIK),
        ("laporan dak non fisik BOK", Topic.DAK_NON_FISIK),
        ("dana desa tahap 2 belum cair", Topic.DANA_DESA),
        ("bimtek penyusunan raperda pdrd", Topic.PDRD),
        ("uang harian perjalanan dinas dalam kota", Topic.SHSR),
        ("undangan capacity building JF AKPD", Topic.JF_AKPD),
        ("pinjaman daerah ke PT SMI", Topic.PEMBIAYAAN),
        ("portal data APBD tidak bisa dibuka", Topic.APBD),
        ("konfirmasi surat masuk kami", Topic.SURAT_MASUK),
        ("minta data realisasi TKD untuk penelitian", Topic.PERMINTAAN_DATA),
        ("mau reservasi konsultasi tatap muka", Topic.RESERVASI),
        ("ada surat undangan palsu atas nama DJPK", Topic.PENGADUAN),
        ("cara membuat efin", Topic.NON_DJPK),
        ("slot gacor hari ini", Topic.SPAM),
        ("halo", Topic.LAINNYA),
        ("", Topic.LAINNYA),
    ],
)
def test_classify_topic(text: str, topic: Topic) -> None:
    assert classify_topic(text) is topic


@pytest.mark.parametrize(
    ("instansi", "matched", "category"),
    [
        ("BPKAD Kab. Brebes", True, Category.PEMDA),
        ("DPRD Prov. Jawa Timur", True, Category.PEMDA),
        ("Pemdes Sukamaju", False, Category.PEMDA),
        ("Brebes", True, Category.PEMDA),
        ("Brebes", False, Category.LAINNYA),
        ("Kemendagri", False, Category.KL),
        ("Kanwil DJPb Provinsi Jawa Tengah", True, Category.KL),
        ("BPK Perwakilan Provinsi Bali", True, Category.KL),
        ("mahasiswa UI", False, Category.AKADEMISI),
        ("dosen Universitas Brawijaya Malang", False, Category.AKADEMISI),
        ("pendamping desa", False, Category.LAINNYA),
        ("wartawan", False, Category.LAINNYA),
        (None, False, Category.LAINNYA),
    ],
)
def test_classify_category(instansi, matched: bool, category: Category) -> None:
    assert classify_category(instansi, pemda_matched=matched) is category


def test_numbers_round_trip() -> None:
    number = format_number(date(2023, 2, 28), 42)
    assert number == "DJPK-20230228-0042"
    assert parse_number(number) == (date(2023, 2, 28), 42)
    assert parse_number(" djpk-20230228-0042 ") == (date(2023, 2, 28), 42)
    assert parse_number("DJPK-20230230-0001") is None
    assert parse_number("DJPK-2023-0001") is None


@pytest.mark.parametrize(
    ("rasa", "channel"),
    [
        ("socketio", Channel.LIVECHAT),
        ("rest", Channel.REST),
        ("whatsapp", Channel.WHATSAPP),
        ("telegram", Channel.LAINNYA),
        (None, Channel.LAINNYA),
    ],
)
def test_channel_from_rasa(rasa, channel: Channel) -> None:
    assert Channel.from_rasa(rasa) is channel

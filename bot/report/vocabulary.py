"""The report's vocabulary: channel and category names, topic groups, ticket context keys."""

from __future__ import annotations

from dataclasses import dataclass

from bot.tickets import taxonomy as keys
from bot.tickets.taxonomy import VIDEO_CONFERENCE, Category, Channel, Topic


@dataclass(frozen=True)
class ChannelGroup:
    """A channel as the report shows it, and the stored channel values it covers."""

    key: str
    label: str
    values: tuple[str, ...]


CHANNELS = (
    ChannelGroup("whatsapp", "WhatsApp", (Channel.WHATSAPP.value,)),
    ChannelGroup("email", "Email", (Channel.EMAIL.value,)),
    ChannelGroup("telepon", "Telepon", (Channel.TELEPON.value,)),
    ChannelGroup("hai", "HAI Kemenkeu", (Channel.HAI.value,)),
    ChannelGroup("livechat", "Live Chat", (Channel.LIVECHAT.value,)),
    ChannelGroup("lainnya", "Lainnya", (Channel.REST.value, Channel.LAINNYA.value)),
)


def channel_group(value: str) -> ChannelGroup:
    """The report channel of a stored channel value (unknown values count as Lainnya)."""
    return next((group for group in CHANNELS if value in group.values), CHANNELS[-1])


TECHNICAL = {
    Topic.DAU.value: "Dana Alokasi Umum (DAU)",
    Topic.DBH.value: "Dana Bagi Hasil (DBH)",
    Topic.DAK_FISIK.value: "Dana Alokasi Khusus (DAK) Fisik",
    Topic.DAK_NON_FISIK.value: "Dana Alokasi Khusus (DAK) Non Fisik",
    Topic.DANA_DESA.value: "Dana Desa",
    Topic.PDRD.value: "Pajak Daerah dan Retribusi Daerah (PDRD)",
    Topic.SHSR.value: "Standar Harga Satuan Regional (SHSR)",
    Topic.JF_AKPD.value: "Jabatan Fungsional Analis Keuangan Pusat dan Daerah (JF AKPD)",
    Topic.PEMBIAYAAN.value: "Pembiayaan dan Pinjaman Daerah",
    Topic.APBD.value: "APBD dan Informasi Keuangan Daerah",
}
TECHNICAL_GROUP = "Konsultasi Teknis"
OTHER_TOPICS = (
    Topic.SURAT_MASUK.value,
    Topic.SPAM.value,
    Topic.NON_DJPK.value,
    Topic.RESERVASI.value,
    Topic.PERMINTAAN_DATA.value,
    Topic.PENGADUAN.value,
    Topic.LAINNYA.value,
    VIDEO_CONFERENCE,
)
OTHER_NOTES = {
    Topic.SURAT_MASUK.value: "Mencakup penyampaian surat dan konfirmasi proses surat masuk.",
    Topic.SPAM.value: (
        "Mencakup tiket yang tidak perlu ditanggapi seperti balasan atas WhatsApp Blast, "
        "pesan spam, dsb."
    ),
    Topic.NON_DJPK.value: (
        "Mencakup pertanyaan salah sambung yang tidak berhubungan dengan tusi DJPK seperti "
        "permohonan EFIN dan NPWP."
    ),
}


def topic_group(topic: str) -> str:
    """'Konsultasi Teknis' for a technical subject, else the topic itself."""
    return TECHNICAL_GROUP if topic in TECHNICAL else topic


@dataclass(frozen=True)
class UserCategory:
    """A user category with the seed's label and description."""

    value: str
    label: str
    note: str


CATEGORIES = (
    UserCategory(
        Category.PEMDA.value,
        "Pemerintah Daerah",
        "Termasuk Anggota/Pimpinan DPRD dan Perangkat Daerah/Desa.",
    ),
    UserCategory(
        Category.KL.value,
        "Kementerian/Lembaga",
        "Kementerian Teknis dan Lembaga di dalam dan luar Kemenkeu.",
    ),
    UserCategory(Category.AKADEMISI.value, "Akademisi", "Mahasiswa dan siswa sekolah."),
    UserCategory(
        Category.LAINNYA.value,
        "Lainnya",
        "Masyarakat, Pendamping Desa, Wartawan/Media, Swasta, dan Pengguna Tanpa Identitas.",
    ),
)
UNKNOWN_CATEGORY = Category.LAINNYA.value  # a ticket without a category: Pengguna Tanpa Identitas

# Keys of a ticket's `context` the report reads: defined with the tickets, re-exported here.
RESERVATION, VIDEO, FACE_TO_FACE = keys.RESERVATION, keys.VIDEO, keys.FACE_TO_FACE
SCHEDULE, SUBJECT = keys.SCHEDULE, keys.SUBJECT
AGREED_DATE, AGREED_MODE = keys.AGREED_DATE, keys.AGREED_MODE
BOOKING, DECLINED = keys.BOOKING, keys.DECLINED
COMPLAINT, POLICY = keys.COMPLAINT, keys.POLICY

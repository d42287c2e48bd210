"""The seed's pages about tickets, topics, users and service hours, as document sections."""

from __future__ import annotations

from bot.report.figures.listings import Complaint
from bot.report.figures.summary import Summary
from bot.report.formatting import change_phrase, join, number, percent, share
from bot.report.pages.document import (
    Block,
    Bullets,
    Chart,
    Column,
    Paragraph,
    Section,
    Table,
    Tiles,
)
from bot.report.period import Month
from bot.report.vocabulary import OTHER_NOTES, TECHNICAL

INT, PCT = Column("Jumlah", "int"), Column("Persentase", "pct")


def overview(s: Summary) -> Section:
    """Ringkasan Layanan Informasi: the big figures."""
    tiles = (
        (number(s.volume.total), "Tiket Konsultasi"),
        (number(len(s.video_conferences)), "Video Conference"),
        (number(len(s.face_to_face)), "Konsultasi Tatap Muka"),
        (number(s.complaint_tickets), "Pengaduan"),
        (percent(s.assistant.bot_only_share), "Percakapan selesai tanpa agen"),
    )
    return Section("Ringkasan Layanan Informasi", (Tiles(tiles),), "ringkasan")


def tickets(s: Summary) -> Section:
    """Jumlah Tiket Konsultasi: channels with shares."""
    rows = tuple((c.label, c.count, c.share) for c in s.volume.channels)
    table = Table(
        "tiket_per_kanal",
        (Column("Kanal"), INT, PCT),
        (*rows, ("Total", s.volume.total, share(s.volume.total, s.volume.total))),
    )
    text = f"Total **{number(s.volume.total)}** tiket konsultasi pada {s.month_label}."
    if s.volume.bot_only:
        text += (
            f" Sebanyak **{number(s.volume.bot_only)}** di antaranya diselesaikan asisten tanpa "
            f"petugas (spam, pertanyaan di luar DJPK, jawaban FAQ dan cek surat); "
            f"**{number(s.volume.total - s.volume.bot_only)}** ditangani petugas."
        )
    return Section(
        "Jumlah Tiket Konsultasi",
        (Paragraph(text), table, Chart("channels", "Tiket konsultasi per kanal")),
        "tiket",
    )


def growth(s: Summary) -> Section:
    """Perkembangan Jumlah Konsultasi: previous month, a year earlier, six months."""
    v, month = s.volume, s.period
    before, year = Month.parse(v.previous_month), Month.parse(v.year_ago_month)
    first = f"Jumlah konsultasi di bulan {s.month_label} sebesar **{number(v.total)}** konsultasi"
    if v.previous_change is None:
        first += f"; bulan {before.label} tidak memiliki data pembanding (0 konsultasi)."
    else:
        first += (
            f" **{change_phrase(v.total, v.previous_total)}** dibandingkan bulan {before.label} "
            f"({number(v.previous_total)} konsultasi)."
        )
    second = (
        f"Jika dibandingkan dengan jumlah di **bulan {year.label}** "
        f"({number(v.year_ago_total)} konsultasi), jumlah konsultasi "
        f"**{change_phrase(v.total, v.year_ago_total)}**."
    )
    if v.year_ago_change is None:
        second = f"Bulan {year.label} tidak memiliki data pembanding (0 konsultasi)."
    compare = Table(
        "perbandingan_per_kanal",
        (
            Column("Kanal"),
            Column(month.label, "int"),
            Column(before.label, "int"),
            Column("Perubahan", "pct"),
            Column(year.label, "int"),
            Column("Perubahan ", "pct"),
        ),
        tuple(
            (c.label, c.count, c.previous, c.previous_change, c.year_ago, c.year_ago_change)
            for c in v.channels
        ),
    )
    keys = [c.key for c in v.channels]
    trend = Table(
        "tren_enam_bulan",
        (Column("Bulan"), *(Column(c.label, "int") for c in v.channels), Column("Total", "int")),
        tuple((t.label, *(t.by_channel[k] for k in keys), t.total) for t in v.trend),
        "Jumlah tiket per kanal, 6 bulan terakhir",
    )
    chart = Chart("trend", "Jumlah tiket per kanal 6 bulan terakhir")
    return Section(
        "Perkembangan Jumlah Konsultasi",
        (Paragraph(first), Paragraph(second), compare, chart, trend),
        "perkembangan",
    )


def technical(s: Summary) -> Section:
    """Topik Konsultasi Teknis by subject, with the questions asked most."""
    t = s.topics
    intro = (
        f"Sebanyak **{number(t.technical_total)}** tiket "
        f"({percent(share(t.technical_total, s.volume.total))}) merupakan konsultasi teknis."
    )
    table = Table(
        "topik_teknis",
        (Column("Topik"), INT, PCT),
        tuple((c.name, c.count, c.share) for c in t.technical),
    )
    blocks: list[Block] = [Paragraph(intro), table, Chart("topics", "Topik konsultasi")]
    for subject in dict.fromkeys(q.topic for q in t.frequent):
        items = tuple(
            f"{q.text} ({number(q.count)} tiket)" for q in t.frequent if q.topic == subject
        )
        blocks.append(Bullets(items, title=f"Topik **{TECHNICAL[subject]}** terkait:"))
    return Section("Topik Konsultasi Teknis", tuple(blocks), "topik-teknis")


def other_topics(s: Summary) -> Section:
    """Topik Konsultasi Lainnya: Surat Masuk, Spam, Non-DJPK, ..."""
    table = Table(
        "topik_lainnya",
        (Column("Topik"), INT, PCT, Column("Keterangan")),
        tuple((c.name, c.count, c.share, OTHER_NOTES.get(c.topic, "")) for c in s.topics.other),
    )
    return Section("Topik Konsultasi Lainnya", (table,), "topik-lainnya")


def _complaint_line(item: Complaint) -> str:
    if item.tickets == 1:
        return f"{item.text} ({item.place})" if item.place else item.text
    senders = [(item.pemda, "pemda"), (item.akademisi, "akademisi")]
    senders += [(item.kementerian_lembaga, "K/L"), (item.lainnya, "pengguna lainnya")]
    who = join([f"{number(n)} {label}" for n, label in senders if n])
    return f"{item.text} (dilaporkan oleh {who}; {number(item.tickets)} tiket)"


def complaints(s: Summary) -> Section:
    """Pengaduan dan Keluhan: counts and both lists."""
    tiles = Tiles(
        (
            (number(s.complaint_tickets), "Pengaduan"),
            (number(len(s.policy_complaints)), "Keluhan Kebijakan"),
        )
    )
    table = Table(
        "pengaduan",
        (
            Column("Pengaduan"),
            Column("Tiket", "int"),
            Column("Pemda", "int"),
            Column("Akademisi", "int"),
            Column("K/L", "int"),
            Column("Lainnya", "int"),
            Column("Daerah/Instansi"),
        ),
        tuple(
            (c.text, c.tickets, c.pemda, c.akademisi, c.kementerian_lembaga, c.lainnya, c.place)
            for c in s.complaints
        ),
    )
    policy = Table(
        "keluhan_kebijakan",
        (Column("Keluhan Kebijakan"), Column("Daerah/Instansi")),
        tuple((c.text, c.place) for c in s.policy_complaints),
    )
    return Section(
        "Pengaduan dan Keluhan",
        (
            tiles,
            Bullets(tuple(_complaint_line(c) for c in s.complaints), True, "Pengaduan"),
            Bullets(
                tuple(_complaint_line(c) for c in s.policy_complaints), True, "Keluhan Kebijakan:"
            ),
            table,
            policy,
        ),
        "pengaduan",
    )


def users(s: Summary) -> Section:
    """Pengguna Layanan by category."""
    table = Table(
        "pengguna_layanan",
        (Column("Kategori"), Column("Keterangan"), Column("Pengguna", "int"), PCT),
        tuple((c.label, c.note, c.count, c.share) for c in s.users),
    )
    return Section("Pengguna Layanan", (table, Chart("users", "Pengguna layanan")), "pengguna")


def pemda(s: Summary) -> Section:
    """Pemda Pengguna Terbanyak: the top three with their main topics."""
    items = tuple(
        f"**{p.pemda}** sebanyak {number(p.count)} kali dengan topik konsultasi terbanyak "
        f"terkait {join(p.topics)}."
        for p in s.top_pemda
    )
    table = Table(
        "pemda_terbanyak",
        (Column("No", "int"), Column("Pemda"), Column("Kontak", "int"), Column("Topik terbanyak")),
        tuple((p.rank, p.pemda, p.count, ", ".join(p.topics)) for p in s.top_pemda),
    )
    intro = f"{len(items)} Pemda dengan frekuensi konsultasi terbanyak:"
    return Section(
        "Pemda Pengguna Terbanyak", (Paragraph(intro), Bullets(items, True), table), "pemda"
    )

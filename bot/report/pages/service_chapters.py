"""The seed's pages about service hours, each channel, meetings and agent satisfaction."""

from __future__ import annotations

from bot.report.figures.listings import Meeting
from bot.report.figures.summary import Summary
from bot.report.formatting import change_phrase, decimal, join, number, percent
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
from bot.report.vocabulary import TECHNICAL

TOP_NIGHT_TOPICS = 4


def hours(s: Summary) -> Section:
    """Rincian Tiket Pemda: identified zones, inside/outside hours by region, escalations."""
    h = s.hours
    regions = [
        f"**{number(r.out_of_hours)} ({percent(r.out_of_hours_share)})** pengguna layanan "
        f"berasal dari bagian **{r.region}**"
        for r in h.regions
    ]
    text = (
        f"Selama bulan {s.period.name}, dari total **{number(h.total)}** tiket layanan, sebanyak "
        f"**{number(h.identified)}** tiket dapat diidentifikasi asal zona waktu, sedangkan "
        f"**{number(h.unidentified)}** tiket sisanya tidak dapat diidentifikasi. Dari total tiket "
        f"yang dapat diidentifikasi zona waktunya, **{number(h.in_hours)}** pengguna layanan yang "
        f"menghubungi DJPK di dalam jam layanan, sedangkan **{number(h.out_of_hours)}** sisanya "
        f"menghubungi DJPK di luar jam layanan yang terdiri dari {join(regions)}."
    )
    escalation = (
        f"Dari total tiket yang masuk di luar jam layanan, terdapat "
        f"**{number(h.out_of_hours_escalated)}** tiket atau "
        f"**{percent(h.out_of_hours_escalated_share)}** yang memerlukan eskalasi lebih lanjut "
        f"(**{percent(h.out_of_hours_escalated_share_of_total)}** dari total tiket keseluruhan)."
    )
    names = [t.topic for t in s.topics.out_of_hours[:TOP_NIGHT_TOPICS]]
    items = [f"{name};" for name in names[:-1]] + names[-1:]
    if len(items) > 1:
        items[-2] = f"{items[-2]} dan"
    table = Table(
        "jam_layanan_per_wilayah",
        (
            Column("Wilayah"),
            Column("Zona"),
            Column("Dalam jam layanan", "int"),
            Column("Luar jam layanan", "int"),
            Column("Persentase luar jam", "pct"),
        ),
        (
            *(
                (r.region, r.zone, r.in_hours, r.out_of_hours, r.out_of_hours_share)
                for r in h.regions
            ),
            (
                "Tidak teridentifikasi",
                "-",
                h.unidentified - h.unidentified_out_of_hours,
                h.unidentified_out_of_hours,
                None,
            ),
        ),
    )
    units = Table(
        "eskalasi_per_unit",
        (Column("Unit"), Column("Tiket dieskalasi", "int")),
        tuple((u.unit, u.count) for u in h.escalations_by_unit),
        f"Seluruh eskalasi bulan ini: {number(h.escalated)} tiket ({percent(h.escalated_share)}).",
    )
    night = Bullets(
        tuple(items), title="Topik terbanyak dari tiket yang masuk di luar jam layanan adalah:"
    )
    return Section(
        "Rincian Tiket Pemda",
        (
            Paragraph(text),
            Paragraph(escalation),
            night,
            table,
            Chart("hours", "Jumlah Pemda menghubungi di dalam dan luar jam layanan sesuai wilayah"),
            units,
        ),
        "jam-layanan",
    )


def _top(s: Summary, key: str) -> str:
    found = s.topics.by_channel.get(key, ())
    return join([TECHNICAL.get(t.topic, t.topic) for t in found]) or "-"


def _versus(count: int, previous: int) -> str:
    if not previous:
        return f"sebanyak {number(count)} konsultasi (bulan sebelumnya tidak ada data pembanding)"
    return (
        f"**{change_phrase(count, previous, 'sebesar')}** dibandingkan bulan sebelumnya "
        f"({number(count)} dari {number(previous)} konsultasi)"
    )


def channels(s: Summary) -> Section:
    """Konsultasi per kanal: WhatsApp, Telepon, HAI Kemenkeu, Live Chat, Email."""
    c = {item.key: item for item in s.volume.channels}
    month = s.month_label
    wa = c["whatsapp"]
    blocks: list[Block] = [
        Paragraph(
            f"**WhatsApp**: jumlah konsultasi di bulan {month} melalui WhatsApp Contact Center "
            f"DJPK {_versus(wa.count, wa.previous)}. "
            f"Top 3 topik teknis melalui WhatsApp: {_top(s, 'whatsapp')}."
        ),
        Paragraph(
            f"**Telepon**: pada bulan {month}, sebanyak **{percent(c['telepon'].share)} pengguna "
            f"({number(c['telepon'].count)} konsultasi)** menggunakan layanan telepon sebagai "
            f"media konsultasi. Top 3 topik teknis melalui Dering DJPK: {_top(s, 'telepon')}."
        ),
        Paragraph(
            f"**HAI Kemenkeu**: pada bulan {month}, sebanyak **{percent(c['hai'].share)}** "
            f"({number(c['hai'].count)} pengguna) menggunakan **layanan HAI Kemenkeu** sebagai "
            f"layanan terintegrasi Contact Center Kemenkeu. Top 3 topik teknis melalui HAI "
            f"Kemenkeu: {_top(s, 'hai')}."
        ),
    ]
    live = s.topics.by_channel.get("livechat", ())
    leader = f"**{TECHNICAL.get(live[0].topic, live[0].topic)}**" if live else "-"
    blocks.append(
        Paragraph(
            f"**Live Chat**: topik teknis terbanyak melalui Live Chat adalah {leader}. Pada bulan "
            f"{month}, sebanyak **{percent(c['livechat'].share)}** ({number(c['livechat'].count)} "
            f"pengguna) menggunakan **layanan Live Chat** sebagai media konsultasi."
        )
    )
    blocks.append(
        Paragraph(
            f"**Email**: sebanyak **{percent(c['email'].share)}** atau "
            f"**{number(c['email'].count)}** pengguna layanan informasi DJPK menggunakan "
            f"**Layanan Email** di bulan {month}. "
            f"Keperluan terbanyak melalui email: **{s.topics.leading.get('email', '-')}**."
        )
    )
    if c["lainnya"].count:
        blocks.append(
            Paragraph(
                f"**Kanal lainnya**: {number(c['lainnya'].count)} tiket "
                f"({percent(c['lainnya'].share)})."
            )
        )
    table = Table(
        "topik_teknis_per_kanal",
        (Column("Kanal"), Column("Peringkat", "int"), Column("Topik"), Column("Tiket", "int")),
        tuple(
            (item.label, rank, t.name, t.count)
            for item in s.volume.channels
            for rank, t in enumerate(s.topics.by_channel.get(item.key, ()), start=1)
        ),
    )
    blocks.append(table)
    return Section("Konsultasi per Kanal", tuple(blocks), "kanal")


def _meetings(
    name: str, kind: str, items: tuple[Meeting, ...], subject: str | None, month: str
) -> Section:
    table = Table(
        name,
        (
            Column("No", "int"),
            Column("Tanggal", "date"),
            Column("Daerah"),
            Column("Topik"),
            Column("Jadwal"),
        ),
        tuple(
            (n, m.day, m.place, m.subject, "disepakati" if m.agreed else "diajukan")
            for n, m in enumerate(items, start=1)
        ),
    )
    text = (
        f"Selama bulan {month}, telah dilaksanakan {kind} sebanyak **{number(len(items))} kali**"
        + (f" dengan topik terbanyak adalah **{subject}**." if subject else ".")
        + " Kolom Jadwal menunjukkan apakah tanggal tersebut telah disepakati petugas atau masih"
        " tanggal yang diajukan pengguna."
    )
    return Section(kind, (table, Paragraph(text)), name.replace("_", "-"))


def video_conferences(s: Summary) -> Section:
    """Video Conference held this month."""
    return _meetings(
        "video_conference",
        "Video Conference",
        s.video_conferences,
        s.video_conference_subject,
        s.period.name,
    )


def face_to_face(s: Summary) -> Section:
    """Konsultasi Tatap Muka held this month."""
    return _meetings(
        "tatap_muka", "Konsultasi Tatap Muka", s.face_to_face, s.face_to_face_subject, s.period.name
    )


def satisfaction(s: Summary) -> Section:
    """Kepuasan Pengguna: per agent, on both scales."""
    c = s.satisfaction
    table = Table(
        "kepuasan_agen",
        (
            Column("Agen"),
            Column("Penilaian", "int"),
            Column("Pengguna", "int"),
            Column("Kepuasan Layanan", "score"),
            Column("Substansi Jawaban", "score"),
            Column("Rata-rata", "score"),
        ),
        tuple((a.agent, a.ratings, a.users, a.service, a.answer, a.overall) for a in c.agents),
    )
    blocks: list[Block] = [
        Tiles(((decimal(c.overall, 1), f"Rata-rata nilai kepuasan {s.month_label}"),)),
        table,
        Paragraph(c.rule),
        Paragraph(
            "Survei kepuasan dihitung dari faktor **Kepuasan Layanan** dan **Substansi Jawaban** "
            "yang diberikan di setiap akhir konsultasi (skala 1-5)."
        ),
    ]
    if c.hidden_agents:
        blocks.append(
            Paragraph(
                f"{number(c.hidden_agents)} agen ({number(c.hidden_ratings)} penilaian) belum "
                "memenuhi ketentuan tersebut sehingga tidak ditampilkan."
            )
        )
    blocks += _reused_answers(s)
    return Section("Kepuasan Pengguna", tuple(blocks), "kepuasan")


def _reused_answers(s: Summary) -> list[Block]:
    """Agent replies and how many began as an answer the console suggested, by agent and entry."""
    r = s.replies
    text = (
        f"Selama bulan {s.period.name}, agen mengirim **{number(r.replies)}** balasan kepada "
        f"pengguna; **{number(r.suggested)} ({percent(r.suggested_share)})** di antaranya berasal "
        "dari jawaban basis pengetahuan yang disarankan konsol (dapat disunting agen)."
    )
    agents = Table(
        "balasan_agen",
        (Column("Agen"), Column("Balasan", "int"), Column("Dari jawaban yang disarankan", "int")),
        tuple((a.agent, a.replies, a.suggested) for a in r.agents),
    )
    entries = Table(
        "jawaban_disarankan_dipakai",
        (Column("ID entri FAQ"), Column("Balasan", "int")),
        tuple((e.entry, e.replies) for e in r.entries),
        "Jawaban basis pengetahuan yang paling sering dipakai agen",
    )
    return [Paragraph(text), agents, entries]

"""The page only the assistant can add: bot-only conversations, FAQ gaps, letter checks."""

from __future__ import annotations

from bot.report.figures.summary import Summary
from bot.report.formatting import number, percent
from bot.report.pages.document import Block, Column, Paragraph, Section, Table
from bot.report.pages.knowledge_table import knowledge_blocks

VERDICTS = {
    "genuine": "Asli (terdaftar di DJPK)",
    "mismatch": "Nomor terdaftar, isi/dokumen tidak sesuai",
    "revoked": "Surat sudah dicabut",
    "known_hoax": "Hoaks/surat palsu yang sudah dikenal",
    "not_found": "Nomor tidak terdaftar",
    "near_match": "Mirip nomor terdaftar (perlu dicek)",
}


def assistant(s: Summary) -> Section:
    """Kinerja Asisten Virtual."""
    a = s.assistant
    blocks: list[Block] = [
        Paragraph(
            f"Dari **{number(a.conversations)}** percakapan harian dengan asisten virtual, "
            f"**{number(a.bot_only)} ({percent(a.bot_only_share)})** terjawab oleh asisten tanpa "
            "perlu diteruskan ke agen."
        ),
        Paragraph(
            f"Tingkat keberhasilan FAQ: **{percent(a.faq_hit_share)}** dari "
            f"{number(a.faq_conversations)} percakapan tidak memuat pertanyaan yang gagal dijawab "
            f"({number(a.faq_conversations_with_miss)} percakapan memuat "
            f"{number(a.faq_misses)} pertanyaan yang belum ada jawabannya di basis pengetahuan)."
        ),
        Table(
            "pertanyaan_tidak_terjawab",
            (Column("Unit pemilik"), Column("Pertanyaan"), Column("Jumlah", "int")),
            tuple((u.unit, q.text, q.count) for u in a.unanswered for q in u.questions),
            "Pertanyaan yang paling sering tidak terjawab, per unit pemilik FAQ terdekat",
        ),
    ]
    stale_rows = tuple((u.unit, len(u.entries), ", ".join(u.entries)) for u in a.stale)
    blocks.append(
        Table(
            "faq_lewat_reviu",
            (Column("Unit"), Column("Entri", "int"), Column("ID entri")),
            stale_rows,
            f"Entri FAQ yang melewati tanggal reviu per {a.stale_as_of}",
        )
    )
    if a.stale_error:
        blocks.append(Paragraph(f"Basis pengetahuan tidak dapat dibaca: {a.stale_error}"))
    blocks.append(
        Table(
            "verifikasi_surat",
            (Column("Hasil verifikasi"), Column("Kode"), Column("Jumlah", "int")),
            tuple((VERDICTS.get(k, k), k, n) for k, n in a.verifications.items()),
            f"Verifikasi surat melalui asisten: {number(a.verifications_total)} kali",
        )
    )
    blocks.append(
        Table(
            "nomor_palsu_terbanyak",
            (Column("Nomor surat"), Column("Laporan", "int")),
            tuple((q.text, q.count) for q in a.fake_numbers),
            "Nomor surat palsu/mencurigakan yang paling sering dilaporkan",
        )
    )
    blocks += knowledge_blocks(s)
    return Section("Kinerja Asisten Virtual", tuple(blocks), "asisten")

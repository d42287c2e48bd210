"""The per-unit knowledge table of the assistant chapter (bot/report/figures/knowledge.py)."""

from __future__ import annotations

from bot.report.figures.summary import Summary
from bot.report.formatting import number
from bot.report.pages.document import Block, Column, Paragraph, Table


def knowledge_blocks(s: Summary) -> list[Block]:
    """Entries, reviewed on time, open and resolved question groups, unhelpful votes, per unit."""
    k = s.knowledge
    if k.error:
        return [Paragraph(f"Tabel basis pengetahuan per unit tidak dapat disusun: {k.error}")]
    resolved = sum(u.groups_resolved for u in k.units)
    votes = sum(u.unhelpful_votes for u in k.units)
    return [
        Paragraph(
            f"Selama bulan {s.period.name}, unit teknis menyelesaikan **{number(resolved)}** "
            "kelompok pertanyaan melalui perubahan basis pengetahuan, dan pengguna menilai "
            f"**{number(votes)}** jawaban asisten tidak membantu."
        ),
        Table(
            "basis_pengetahuan_unit",
            (
                Column("Unit"),
                Column("Entri", "int"),
                Column("Direviu tepat waktu", "int"),
                Column("Kelompok pertanyaan terbuka", "int"),
                Column("Kelompok diselesaikan", "int"),
                Column("Jawaban tidak membantu", "int"),
            ),
            tuple(
                (
                    u.unit,
                    u.entries,
                    u.reviewed_on_time,
                    u.open_groups,
                    u.groups_resolved,
                    u.unhelpful_votes,
                )
                for u in k.units
            ),
            "Basis pengetahuan per unit",
        ),
    ]

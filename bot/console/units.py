"""The DJPK units a ticket can be escalated to: the FAQ owners plus the Sekretariat."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.kb.loader import faq_dir, faq_files

SEKRETARIAT = "sekretariat"
NAMES = {
    "sekretariat": "Sekretariat DJPK",
    "dana-transfer-umum": "Direktorat Dana Transfer Umum",
    "dana-transfer-khusus": "Direktorat Dana Transfer Khusus",
    "pajak-daerah": "Direktorat Pajak Daerah dan Retribusi Daerah",
    "pembiayaan-kapasitas-daerah": "Direktorat Pembiayaan dan Kapasitas Daerah",
    "evaluasi-informasi-keuangan-daerah": "Direktorat Evaluasi dan Informasi Keuangan Daerah",
}


@dataclass(frozen=True)
class Unit:
    """One escalation unit: the slug stored on tickets and users, and its display name."""

    slug: str
    name: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready."""
        return {"slug": self.slug, "name": self.name}


def unit_name(slug: str) -> str:
    """The display name of a unit slug (a title-cased slug when it is not a known one)."""
    return NAMES.get(slug, slug.replace("-", " ").title())


def escalation_units(kb_dir: Path) -> tuple[Unit, ...]:
    """Units owning a FAQ file (the loader makes `unit` equal the file name) and Sekretariat."""
    folder = faq_dir(Path(kb_dir))
    slugs = {path.stem for path in faq_files(folder)} if folder.is_dir() else set()
    slugs.add(SEKRETARIAT)
    return tuple(Unit(slug, unit_name(slug)) for slug in sorted(slugs))

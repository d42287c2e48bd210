"""The report's outline: which sections, in the seed's order."""

from __future__ import annotations

from bot.report.figures.summary import Summary
from bot.report.pages import chapters, service_chapters
from bot.report.pages.assistant_chapter import assistant
from bot.report.pages.document import Document

TITLE = "Laporan Layanan Informasi DJPK"
SUBTITLE = "Direktorat Jenderal Perimbangan Keuangan, Kementerian Keuangan Republik Indonesia"


def document(summary: Summary) -> Document:
    """The whole report as a document, ready to render."""
    sections = (
        chapters.overview(summary),
        chapters.tickets(summary),
        chapters.growth(summary),
        chapters.technical(summary),
        chapters.other_topics(summary),
        chapters.complaints(summary),
        chapters.users(summary),
        chapters.pemda(summary),
        service_chapters.hours(summary),
        service_chapters.channels(summary),
        service_chapters.video_conferences(summary),
        service_chapters.face_to_face(summary),
        service_chapters.satisfaction(summary),
        assistant(summary),
    )
    return Document(f"{TITLE} {summary.month_label}", SUBTITLE, sections)

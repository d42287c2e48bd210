"""The import's own ORM table: which external id became which ticket."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String

from bot.db import Base
from bot.tickets.tables import UtcDateTime


class ReportImportRow(Base):
    """Which external id became which ticket (table `report_imports`, migration 0005)."""

    __tablename__ = "report_imports"

    id = Column(Integer, primary_key=True)
    external_id = Column(String(64), nullable=False, unique=True)
    ticket_id = Column(Integer, nullable=False, unique=True)  # tickets.id (no FK: see 0005)
    fingerprint = Column(String(64), nullable=False)
    source = Column(String(300), nullable=False)
    line = Column(Integer, nullable=False)
    imported_at = Column(UtcDateTime, nullable=False)

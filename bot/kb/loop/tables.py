"""Knowledge-loop tables (migration `kb_loop`): votes, recorded changes, monthly review runs."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Text

from bot.db import Base
from bot.tickets.tables import UtcDateTime


class FaqVoteRow(Base):
    """One "Tidak membantu" vote on an answered entry."""

    __tablename__ = "faq_votes"

    id = Column(Integer, primary_key=True)
    created_at = Column(UtcDateTime, nullable=False, index=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    text = Column(Text, nullable=False)  # the question the answer was for
    faq_id = Column(String(80))
    unit = Column(String(80))


class KbChangeRow(Base):
    """One edit of a unit's FAQ file: who, when, the diff, the entry block before and after."""

    __tablename__ = "kb_changes"

    id = Column(Integer, primary_key=True)
    at = Column(UtcDateTime, nullable=False, index=True)
    unit = Column(String(80), nullable=False, index=True)
    file = Column(String(200), nullable=False)
    entry_id = Column(String(80), nullable=False)
    action = Column(String(20), nullable=False)
    author = Column(String(64), nullable=False)
    diff = Column(Text, nullable=False)
    before = Column(Text, nullable=False)  # the entry's lines before ("" when created)
    after = Column(Text, nullable=False)  # the entry's lines after
    group_id = Column(String(40), index=True)
    reverts = Column(Integer)
    reverted_by = Column(Integer)


class KbReviewRunRow(Base):
    """The monthly review summary of one unit for one month: sent, or why not."""

    __tablename__ = "kb_review_runs"
    __table_args__ = (Index("ux_kb_review_runs_month_unit", "month", "unit", unique=True),)

    id = Column(Integer, primary_key=True)
    month = Column(String(7), nullable=False)
    unit = Column(String(80), nullable=False)
    at = Column(UtcDateTime, nullable=False)
    status = Column(String(20), nullable=False)
    recipients = Column(Text, nullable=False, default="")
    detail = Column(Text, nullable=False, default="")

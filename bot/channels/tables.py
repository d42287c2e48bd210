"""Tables of the public channels (migrations 0004, 0007): inbox, replies, statuses, failures."""

from __future__ import annotations

import sqlalchemy as sa

from bot.db import Base

metadata = Base.metadata


whatsapp_inbox = sa.Table(
    "whatsapp_inbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(200), nullable=False, unique=True),  # a wamid, or s:<wamid>:<status>
    sa.Column("sender", sa.String(64)),  # order key: a message's user, s:<recipient> for a status
    sa.Column("body", sa.Text, nullable=False),  # the parsed message or status, as JSON
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("claimed_by", sa.String(64)),
    sa.Column("lease_until", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("done_at", sa.DateTime(timezone=True)),
    sa.Column("outcome", sa.String(16)),
    sa.Index("ix_whatsapp_inbox_open", "done_at", "id"),
    sa.Index("ix_whatsapp_inbox_sender_open", "sender", "done_at"),
)

whatsapp_replies = sa.Table(
    "whatsapp_replies",
    metadata,
    sa.Column("inbound", sa.String(200), primary_key=True),  # the inbox key being answered
    sa.Column("seq", sa.Integer, primary_key=True),  # the n-th send of that turn
    sa.Column("state", sa.String(16), nullable=False),  # sending, sent, failed
    sa.Column("recipient", sa.String(64), nullable=False),
    sa.Column("wamid", sa.String(128)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
)

message_statuses = sa.Table(
    "message_statuses",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("wamid", sa.String(128), nullable=False, index=True),
    sa.Column("recipient", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("meta_timestamp", sa.String(20), nullable=False, default=""),
    sa.Column("error_code", sa.Integer),
    sa.Column("error_title", sa.String(200), nullable=False, default=""),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("wamid", "status", name="uq_message_statuses_wamid_status"),
)

whatsapp_outbound = sa.Table(
    "whatsapp_outbound",
    metadata,
    sa.Column("wamid", sa.String(128), primary_key=True),
    sa.Column("recipient", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False, index=True),
)

outbound_failures = sa.Table(
    "outbound_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("recipient", sa.String(64), nullable=False, index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("error_code", sa.Integer),
    sa.Column("error_title", sa.String(200), nullable=False, default=""),
    sa.Column("resolution", sa.String(32), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
)

offered_payloads = sa.Table(
    "offered_payloads",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("conversation_id", sa.String(128), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("ref", sa.String(64)),
    sa.Column("position", sa.Integer),
    sa.Column("offer_id", sa.String(32), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_offered_payloads_conversation_created", "conversation_id", "created_at"),
    sa.Index("ix_offered_payloads_conversation_ref", "conversation_id", "ref"),
)

"""WhatsApp channel: processed wamids, delivery statuses, sent messages, failures, offered payloads.

Revision ID: 0004
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def _at(name: str, index: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False, index=index)


def upgrade() -> None:
    op.create_table(
        "processed_wamids",
        sa.Column("wamid", sa.String(128), primary_key=True),
        sa.Column("sender", sa.String(64), nullable=False),
        _at("processed_at", index=True),
    )
    op.create_table(
        "message_statuses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("wamid", sa.String(128), nullable=False, index=True),
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("meta_timestamp", sa.String(20), nullable=False),
        sa.Column("error_code", sa.Integer),
        sa.Column("error_title", sa.String(200), nullable=False),
        _at("recorded_at"),
        sa.UniqueConstraint("wamid", "status", name="uq_message_statuses_wamid_status"),
    )
    op.create_table(
        "whatsapp_outbound",
        sa.Column("wamid", sa.String(128), primary_key=True),
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        _at("sent_at", index=True),
    )
    op.create_table(
        "outbound_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("recipient", sa.String(64), nullable=False, index=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("error_code", sa.Integer),
        sa.Column("error_title", sa.String(200), nullable=False),
        sa.Column("resolution", sa.String(32), nullable=False),
        _at("created_at", index=True),
    )
    op.create_table(
        "offered_payloads",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("ref", sa.String(64)),
        sa.Column("position", sa.Integer),
        sa.Column("offer_id", sa.String(32), nullable=False),
        _at("created_at"),
    )
    op.create_index(
        "ix_offered_payloads_conversation_created",
        "offered_payloads",
        ["conversation_id", "created_at"],
    )
    op.create_index(
        "ix_offered_payloads_conversation_ref", "offered_payloads", ["conversation_id", "ref"]
    )


def downgrade() -> None:
    op.drop_index("ix_offered_payloads_conversation_ref", table_name="offered_payloads")
    op.drop_index("ix_offered_payloads_conversation_created", table_name="offered_payloads")
    for table in (
        "offered_payloads",
        "outbound_failures",
        "whatsapp_outbound",
        "message_statuses",
        "processed_wamids",
    ):
        op.drop_table(table)

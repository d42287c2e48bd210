"""WhatsApp inbox: every verified delivery kept until answered, and the replies sent per turn.

`whatsapp_inbox` replaces `processed_wamids` as the dedup of Meta's redeliveries (its unique
`key` is the wamid); the wamids already processed are carried over as finished rows.

Revision ID: 0007_wa_inbox
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_wa_inbox"
down_revision = "0004"
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = False, index: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable, index=index)


def upgrade() -> None:
    op.create_table(
        "whatsapp_inbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        sa.Column("sender", sa.String(64)),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("claimed_by", sa.String(64)),
        _at("lease_until", nullable=True),
        _at("created_at"),
        _at("done_at", nullable=True),
        sa.Column("outcome", sa.String(16)),
    )
    op.create_index("ix_whatsapp_inbox_open", "whatsapp_inbox", ["done_at", "id"])
    op.create_index("ix_whatsapp_inbox_sender_open", "whatsapp_inbox", ["sender", "done_at"])
    op.create_table(
        "whatsapp_replies",
        sa.Column("inbound", sa.String(200), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("wamid", sa.String(128)),
        sa.Column("text", sa.Text, nullable=False),
        _at("created_at", index=True),
    )
    op.execute(
        "INSERT INTO whatsapp_inbox (key, sender, body, attempts, created_at, done_at, outcome) "
        "SELECT wamid, sender, '{\"imported\": true}', 1, processed_at, processed_at, 'done' "
        "FROM processed_wamids"
    )
    op.drop_index("ix_processed_wamids_processed_at", table_name="processed_wamids")
    op.drop_table("processed_wamids")


def downgrade() -> None:
    op.create_table(
        "processed_wamids",
        sa.Column("wamid", sa.String(128), primary_key=True),
        sa.Column("sender", sa.String(64), nullable=False),
        _at("processed_at", index=True),
    )
    op.execute(
        "INSERT INTO processed_wamids (wamid, sender, processed_at) "
        "SELECT key, sender, done_at FROM whatsapp_inbox "
        "WHERE sender IS NOT NULL AND done_at IS NOT NULL"
    )
    op.drop_index("ix_whatsapp_replies_created_at", table_name="whatsapp_replies")
    op.drop_table("whatsapp_replies")
    op.drop_index("ix_whatsapp_inbox_sender_open", table_name="whatsapp_inbox")
    op.drop_index("ix_whatsapp_inbox_open", table_name="whatsapp_inbox")
    op.drop_table("whatsapp_inbox")

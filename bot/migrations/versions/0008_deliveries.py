"""Agent reply deliveries: queued, sent, delivered, read or failed, per ticket message.

No foreign key to ticket_messages: migration 0003 is on another branch of 0001.

Revision ID: 0008_deliveries
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_deliveries"
down_revision = "0001"
branch_labels = None
depends_on = None


def _at(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "agent_deliveries",
        sa.Column("message_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("ticket_id", sa.Integer, nullable=False),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False, server_default=""),
        sa.Column("wamid", sa.String(128)),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        _at("created_at"),
        _at("updated_at"),
    )
    op.create_index("ix_agent_deliveries_ticket", "agent_deliveries", ["ticket_id"])
    op.create_index(
        "ix_agent_deliveries_waiting", "agent_deliveries", ["conversation_id", "channel", "state"]
    )
    op.create_index("ix_agent_deliveries_wamid", "agent_deliveries", ["wamid"])


def downgrade() -> None:
    for index in ("ix_agent_deliveries_wamid", "ix_agent_deliveries_waiting"):
        op.drop_index(index, table_name="agent_deliveries")
    op.drop_index("ix_agent_deliveries_ticket", table_name="agent_deliveries")
    op.drop_table("agent_deliveries")

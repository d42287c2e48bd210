"""Tickets: tickets, their events and transcript, day counters, hand-off state, profiles, labels.

Revision ID: 0003
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(24), nullable=False, unique=True),
        sa.Column("conversation_id", sa.String(128), nullable=False, index=True),
        sa.Column("open_key", sa.String(128), unique=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("user_name", sa.String(200)),
        sa.Column("instansi", sa.String(300)),
        sa.Column("category", sa.String(32)),
        sa.Column("pemda", sa.String(120)),
        sa.Column("zone", sa.String(4)),
        sa.Column("topic", sa.String(32), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("in_service_hours", sa.Boolean, nullable=False),
        sa.Column("assigned_agent", sa.String(120)),
        sa.Column("escalation_unit", sa.String(120)),
        sa.Column("context", sa.JSON, nullable=False),
        sa.Column("csat_service", sa.Integer),
        sa.Column("csat_answer", sa.Integer),
        _at("created_at"),
        _at("updated_at"),
        _at("assigned_at", nullable=True),
        _at("escalated_at", nullable=True),
        _at("resolved_at", nullable=True),
        _at("closed_at", nullable=True),
        sa.CheckConstraint("csat_service BETWEEN 1 AND 5", name="ck_tickets_csat_service"),
        sa.CheckConstraint("csat_answer BETWEEN 1 AND 5", name="ck_tickets_csat_answer"),
    )
    op.create_index("ix_tickets_created", "tickets", ["created_at", "id"])
    for name, column in [
        ("status", "status"),
        ("channel", "channel"),
        ("topic", "topic"),
        ("zone", "zone"),
        ("hours", "in_service_hours"),
        ("unit", "escalation_unit"),
        ("agent", "assigned_agent"),
    ]:
        op.create_index(f"ix_tickets_{name}_created", "tickets", [column, "created_at"])
    for table, extra in [
        (
            "ticket_events",
            [
                sa.Column("kind", sa.String(16), nullable=False),
                sa.Column("actor", sa.String(120), nullable=False),
                sa.Column("detail", sa.Text, nullable=False),
            ],
        ),
        (
            "ticket_messages",
            [
                sa.Column("sender", sa.String(8), nullable=False),
                sa.Column("text", sa.Text, nullable=False),
            ],
        ),
    ]:
        op.create_table(
            table,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column(
                "ticket_id",
                sa.Integer,
                sa.ForeignKey("tickets.id", ondelete="CASCADE"),
                nullable=False,
            ),
            _at("at"),
            *extra,
        )
        op.create_index(f"ix_{table}_ticket", table, ["ticket_id", "at"])
    op.create_table(
        "ticket_counters",
        sa.Column("day", sa.String(8), primary_key=True),
        sa.Column("last", sa.Integer, nullable=False),
    )
    op.create_table(
        "handoffs",
        sa.Column("conversation_id", sa.String(128), primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("tickets.id", ondelete="SET NULL")),
        sa.Column("owner", sa.String(120)),
        _at("updated_at"),
    )
    op.create_table(
        "user_profiles",
        sa.Column("sender_id", sa.String(128), primary_key=True),
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("name", sa.String(200)),
        sa.Column("instansi", sa.String(300)),
        sa.Column("category", sa.String(32)),
        sa.Column("pemda", sa.String(120)),
        sa.Column("zone", sa.String(4)),
        _at("updated_at"),
    )
    op.create_table(
        "conversation_labels",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("day", sa.String(8), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("topic", sa.String(32)),
        sa.Column("category", sa.String(32)),
        sa.Column("pemda", sa.String(120)),
        sa.Column("zone", sa.String(4)),
        sa.Column("bot_only", sa.Boolean, nullable=False),
        _at("created_at"),
        sa.UniqueConstraint("conversation_id", "day", name="uq_conversation_labels_day"),
    )
    op.create_index("ix_conversation_labels_created", "conversation_labels", ["created_at"])


def downgrade() -> None:
    for table in [
        "conversation_labels",
        "user_profiles",
        "handoffs",
        "ticket_counters",
        "ticket_messages",
        "ticket_events",
        "tickets",
    ]:
        op.drop_table(table)

"""Agent console: console users, their sessions, and the Deskpro outbox.

Revision ID: 0006
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0001"
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = False, index: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable, index=index)


def upgrade() -> None:
    op.create_table(
        "console_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("unit", sa.String(80)),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        _at("created_at"),
        _at("updated_at"),
        _at("last_login_at", nullable=True),
    )
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False, index=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        _at("created_at"),
        _at("last_seen_at"),
        _at("expires_at", index=True),
    )
    # No foreign key to tickets: migration 0003 is on another branch of 0001.
    op.create_table(
        "deskpro_outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ticket_id", sa.Integer, nullable=False, unique=True),
        _at("ticket_created_at", index=True),
        _at("queued_at"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        _at("next_attempt_at"),
        _at("locked_until", nullable=True),
        _at("sent_at", nullable=True),
        sa.Column("deskpro_id", sa.Integer),
        sa.Column("deskpro_ref", sa.String(64)),
        sa.Column("last_error", sa.String(500)),
    )
    op.create_index("ix_deskpro_outbox_due", "deskpro_outbox", ["sent_at", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_deskpro_outbox_due", table_name="deskpro_outbox")
    for table in ("deskpro_outbox", "console_sessions", "console_users"):
        op.drop_table(table)

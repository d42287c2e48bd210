"""Letters: reports of suspicious letters and the log of every verification.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letter_reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("conversation_id", sa.String(128), nullable=False, index=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("number", sa.String(64), index=True),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("evidence_text", sa.Text, nullable=False),
        sa.Column("file_sha256", sa.String(64), index=True),
        sa.Column("pemda", sa.String(200)),
        sa.Column("ticket_id", sa.Integer),
    )
    op.create_table(
        "letter_verifications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("conversation_id", sa.String(128), index=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("number", sa.String(64)),
        sa.Column("source", sa.String(16), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("letter_verifications")
    op.drop_table("letter_reports")

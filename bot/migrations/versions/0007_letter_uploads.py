"""Letters: one row per document a sender asked the bot to read (the per-sender upload limit).

Revision ID: letter_uploads_h2
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "letter_uploads_h2"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letter_uploads",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_letter_uploads_sender_created", "letter_uploads", ["sender", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_letter_uploads_sender_created", table_name="letter_uploads")
    op.drop_table("letter_uploads")

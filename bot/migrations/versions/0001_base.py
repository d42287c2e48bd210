"""Base revision: FAQ miss log (unanswered questions, read by the monthly report).

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "faq_misses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("conversation_id", sa.String(128), nullable=False, index=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("best_id", sa.String(80)),
        sa.Column("best_unit", sa.String(80)),
        sa.Column("best_score", sa.Float, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("faq_misses")

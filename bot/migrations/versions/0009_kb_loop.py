"""Knowledge loop: "Tidak membantu" votes, recorded FAQ edits, monthly review runs.

Revision ID: kb_loop
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "kb_loop"
down_revision = "0001"
branch_labels = None
depends_on = None


def _at(name: str, index: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False, index=index)


def upgrade() -> None:
    op.create_table(
        "faq_votes",
        sa.Column("id", sa.Integer, primary_key=True),
        _at("created_at", index=True),
        sa.Column("conversation_id", sa.String(128), nullable=False, index=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("faq_id", sa.String(80)),
        sa.Column("unit", sa.String(80)),
    )
    op.create_table(
        "kb_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        _at("at", index=True),
        sa.Column("unit", sa.String(80), nullable=False, index=True),
        sa.Column("file", sa.String(200), nullable=False),
        sa.Column("entry_id", sa.String(80), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("diff", sa.Text, nullable=False),
        sa.Column("before", sa.Text, nullable=False),
        sa.Column("after", sa.Text, nullable=False),
        sa.Column("group_id", sa.String(40), index=True),
        sa.Column("reverts", sa.Integer),
        sa.Column("reverted_by", sa.Integer),
    )
    op.create_table(
        "kb_review_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("unit", sa.String(80), nullable=False),
        _at("at"),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("recipients", sa.Text, nullable=False, server_default=""),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
    op.create_index(
        "ux_kb_review_runs_month_unit", "kb_review_runs", ["month", "unit"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ux_kb_review_runs_month_unit", table_name="kb_review_runs")
    for table in ("kb_review_runs", "kb_changes", "faq_votes"):
        op.drop_table(table)

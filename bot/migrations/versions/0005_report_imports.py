"""Report: tickets imported from CSV (telephone, e-mail, HAI Kemenkeu), by external id.

The tickets themselves live in `tickets`, so every figure of the report counts them like any
other ticket; this table only remembers which external id became which ticket, so a re-import
updates instead of duplicating.

Revision ID: 0005
Revises: 0001
Depends on: 0003 (tickets)
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = "0003"


def upgrade() -> None:
    op.create_table(
        "report_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("external_id", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "ticket_id",
            sa.Integer,
            sa.ForeignKey("tickets.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("report_imports")

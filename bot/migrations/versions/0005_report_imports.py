"""Report: tickets imported from CSV (telephone, e-mail, HAI Kemenkeu), by external id.

The tickets themselves live in `tickets`, so every figure of the report counts them like any
other ticket; this table only remembers which external id became which ticket, so a re-import
updates instead of duplicating.

No foreign key to `tickets` (that table comes from the tickets branch, 0003): the importer
re-creates a ticket whose row has gone, so this branch needs no ordering against 0003.

Revision ID: 0005
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("external_id", sa.String(64), nullable=False, unique=True),
        sa.Column("ticket_id", sa.Integer, nullable=False, unique=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("report_imports")

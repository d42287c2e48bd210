"""Tickets: the FAQ entry an agent reply started from (a suggested answer inserted in the console).

Revision ID: reply_faq
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "reply_faq"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket_messages") as batch:
        batch.add_column(sa.Column("faq_id", sa.String(120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticket_messages") as batch:
        batch.drop_column("faq_id")

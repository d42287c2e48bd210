"""Conversation labels: whether the conversation began inside service hours, so the monthly report
counts bot-only conversations by zone and hours as it counts tickets.

Labels written before this revision keep NULL there (the report counts them inside hours).

Revision ID: label_hours
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "label_hours"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_labels") as batch:
        batch.add_column(sa.Column("in_service_hours", sa.Boolean, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversation_labels") as batch:
        batch.drop_column("in_service_hours")

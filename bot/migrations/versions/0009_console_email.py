"""Console users: an e-mail address (unit PICs receive the monthly knowledge-base review).

Revision ID: console_email
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "console_email"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("console_users") as batch:
        batch.add_column(sa.Column("email", sa.String(254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("console_users") as batch:
        batch.drop_column("email")

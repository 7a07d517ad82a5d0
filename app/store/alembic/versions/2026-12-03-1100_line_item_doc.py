"""line item documents: each line item's contract JSON, stored with it and served as stored;
the page size beside each headline figure's box

A page of line items is the stored documents joined, not rows rebuilt into models and encoded
on every read. Parsed reports go back to `queued`, so the service re-parses them from the stored
files at its next start and writes the documents.

Revision ID: 0007_line_item_doc
Revises: 0006_department_search
Create Date: 2026-12-03 11:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_line_item_doc"
down_revision = "0006_department_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("line_item") as batch:
        batch.add_column(sa.Column("doc", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("summary_figure") as batch:
        batch.add_column(sa.Column("page_width", sa.Float(), nullable=True))
        batch.add_column(sa.Column("page_height", sa.Float(), nullable=True))
    op.execute("UPDATE report SET status = 'queued' WHERE status = 'parsed'")


def downgrade() -> None:
    with op.batch_alter_table("summary_figure") as batch:
        batch.drop_column("page_height")
        batch.drop_column("page_width")
    with op.batch_alter_table("line_item") as batch:
        batch.drop_column("doc")

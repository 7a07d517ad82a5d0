"""job progress counts the pages read by OCR

Revision ID: 0008_job_pages_ocr
Revises: 0007_line_item_doc
Create Date: 2026-12-05 16:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_job_pages_ocr"
down_revision = "0007_line_item_doc"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("pages_ocr", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.drop_column("pages_ocr")

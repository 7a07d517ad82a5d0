"""summary figures: each report's headline figures as rows, for queries across reports

`summary_figure` holds the figures of `app/reports/summary.py`, written with each parse. They
come from the parse with its cell boxes, so parsed reports go back to `queued`: the service
re-parses them from the stored files at its next start and writes their figures.

Revision ID: 0005_summary_figures
Revises: 0004_lean_line_items
Create Date: 2026-12-02 11:00:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005_summary_figures"
down_revision = "0004_lean_line_items"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "summary_figure",
        sa.Column("report_id", S(length=64), nullable=False),
        sa.Column("key", S(length=32), nullable=False),
        sa.Column("pos", sa.SmallInteger(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("kind", S(length=16), nullable=False),
        sa.Column("department", S(), nullable=True),
        sa.Column("amount", S(length=40), nullable=False),
        sa.Column("unit", S(length=8), nullable=True),
        sa.Column("table_idx", sa.SmallInteger(), nullable=False),
        sa.Column("page", sa.SmallInteger(), nullable=False),
        sa.Column("bbox", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"]),
        sa.PrimaryKeyConstraint("report_id", "key"),
    )
    op.create_index("ix_summary_figure_key", "summary_figure", ["key", "fiscal_year", "report_id"])
    op.create_index("ix_summary_figure_department", "summary_figure", ["department", "fiscal_year", "report_id"])
    op.execute("UPDATE report SET status = 'queued' WHERE status = 'parsed'")


def downgrade() -> None:
    op.drop_index("ix_summary_figure_department", table_name="summary_figure")
    op.drop_index("ix_summary_figure_key", table_name="summary_figure")
    op.drop_table("summary_figure")

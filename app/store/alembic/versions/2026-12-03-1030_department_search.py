"""department search and batches: pg_trgm on report.department; batch and batch_entry tables

On PostgreSQL the `pg_trgm` extension and a trigram GIN index on `report.department` serve the
department search (`GET /departments?q=`: similarity, word similarity) and the substring filter
`department=` (LIKE '%…%'). SQLite has neither; its search is done in Python over the distinct
names, so nothing is created there. A batch (`POST /batches`) keeps one entry per uploaded file:
its name, the report it became, or the problem that refused it.

Revision ID: 0006_department_search
Revises: 0005_summary_figures
Create Date: 2026-12-03 10:30:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006_department_search"
down_revision = "0005_summary_figures"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX IF NOT EXISTS ix_report_department_trgm ON report USING gin (department gin_trgm_ops)")
    op.create_table(
        "batch",
        sa.Column("id", S(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("files", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "batch_entry",
        sa.Column("batch_id", S(length=64), nullable=False),
        sa.Column("pos", sa.Integer(), nullable=False),
        sa.Column("filename", S(), nullable=False),
        sa.Column("report_id", S(length=64), nullable=True),
        sa.Column("created", sa.Boolean(), nullable=False),
        sa.Column("problem", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.id"]),
        sa.PrimaryKeyConstraint("batch_id", "pos"),
    )
    op.create_index("ix_batch_entry_report", "batch_entry", ["report_id"])


def downgrade() -> None:
    op.drop_index("ix_batch_entry_report", table_name="batch_entry")
    op.drop_table("batch_entry")
    op.drop_table("batch")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_report_department_trgm")

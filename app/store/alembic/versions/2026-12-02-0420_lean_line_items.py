"""lean line items: typed rows stored once, keyset indexes, the parse kept for re-validation

The derived tables of the first schema (report_table, programme, indicator, finding and the
line items with their `doc` copy) are replaced by `report_data` (the parse less its line items,
and the last validation) and typed `line_item` rows. Their content cannot be rebuilt without
the parser, so parsed reports go back to `queued`: the service re-parses them from the stored
files at its next start (nothing uploaded is lost).

On PostgreSQL, `line_item` is analysed after every 2% of change (not the default 10%), so a
bulk load is planned with fresh statistics.

Revision ID: 0004_lean_line_items
Revises: 0003_api_keys_audit
Create Date: 2026-12-02 04:00:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004_lean_line_items"
down_revision = '0003_api_keys_audit'
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def _drop_first_schema() -> None:
    for table in ("finding", "indicator", "programme", "line_item", "report_table"):
        op.drop_table(table)


def upgrade() -> None:
    _drop_first_schema()
    op.execute("UPDATE report SET status = 'queued' WHERE status = 'parsed'")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("validation")
        batch_op.drop_index("ix_report_fiscal_year")
        batch_op.create_index("ix_report_created_id", ["created_at", "id"], unique=False)
        batch_op.create_index("ix_report_year_id", ["fiscal_year", "id"], unique=False)
    op.create_table(
        "report_data",
        sa.Column("report_id", S(length=64), nullable=False),
        sa.Column("parsed", sa.LargeBinary(), nullable=False),
        sa.Column("validation", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"]),
        sa.PrimaryKeyConstraint("report_id"),
    )
    op.create_table(
        "line_item",
        sa.Column("report_id", S(length=64), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("table_idx", sa.SmallInteger(), nullable=False),
        sa.Column("table_kind", S(length=48), nullable=False),
        sa.Column("page", sa.SmallInteger(), nullable=False),
        sa.Column("row_kind", S(length=16), nullable=False),
        sa.Column("classification", S(length=16), nullable=True),
        sa.Column("code", S(length=16), nullable=True),
        sa.Column("level", sa.SmallInteger(), nullable=True),
        sa.Column("parent_code", S(length=16), nullable=True),
        sa.Column("name", S(), nullable=False),
        sa.Column("side", sa.SmallInteger(), nullable=False),
        sa.Column("section", sa.SmallInteger(), nullable=False),
        sa.Column("summary_side", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("sangong_item", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
        sa.Column("unit", S(length=8), nullable=True),
        sa.Column("measures", S(), nullable=False),
        sa.Column("bbox", sa.JSON(), nullable=True),
        sa.Column("vals", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"]),
        sa.PrimaryKeyConstraint("report_id", "idx"),
    )
    with op.batch_alter_table("line_item", schema=None) as batch_op:
        batch_op.create_index("ix_line_item_code", ["code", "fiscal_year", "report_id", "idx"], unique=False)
        batch_op.create_index("ix_line_item_year", ["fiscal_year", "report_id", "idx"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE line_item SET (autovacuum_analyze_scale_factor = 0.02)")


def downgrade() -> None:
    op.drop_table("line_item")
    op.drop_table("report_data")
    op.execute("UPDATE report SET status = 'queued' WHERE status = 'parsed'")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index("ix_report_year_id")
        batch_op.drop_index("ix_report_created_id")
        batch_op.create_index("ix_report_fiscal_year", ["fiscal_year"], unique=False)
        batch_op.add_column(sa.Column("validation", sa.JSON(), nullable=True))
    def derived(name: str, *columns: sa.Column) -> None:
        key = [sa.Column("id", S(length=96), nullable=False), sa.Column("report_id", S(length=64), nullable=False),
               sa.Column("idx", sa.Integer(), nullable=False)]
        op.create_table(name, *key, *columns, sa.Column("doc", sa.JSON(), nullable=False),
                        sa.ForeignKeyConstraint(["report_id"], ["report.id"]), sa.PrimaryKeyConstraint("id"))

    derived("finding", sa.Column("rule_id", S(length=64), nullable=False),
            sa.Column("severity", S(length=8), nullable=False))
    op.create_index("ix_finding_report_idx", "finding", ["report_id", "idx"])
    op.create_index("ix_finding_rule_id", "finding", ["rule_id"])
    derived("indicator", sa.Column("programme_id", S(length=96), nullable=True),
            sa.Column("programme_name", S(), nullable=True), sa.Column("level1", S(), nullable=True),
            sa.Column("level2", S(), nullable=True), sa.Column("met", sa.Boolean(), nullable=True))
    op.create_index("ix_indicator_report_idx", "indicator", ["report_id", "idx"])
    derived("line_item", sa.Column("table_id", S(length=96), nullable=False),
            sa.Column("table_kind", S(length=48), nullable=False), sa.Column("row_kind", S(length=16), nullable=False),
            sa.Column("classification", S(length=16), nullable=True), sa.Column("code", S(length=16), nullable=True),
            sa.Column("level", sa.Integer(), nullable=True), sa.Column("measures", S(), nullable=False))
    op.create_index("ix_line_item_code", "line_item", ["code"])
    op.create_index("ix_line_item_report_idx", "line_item", ["report_id", "idx"])
    op.create_index("ix_line_item_table_kind", "line_item", ["table_kind"])
    derived("programme", sa.Column("name", S(), nullable=False), sa.Column("scope", S(length=16), nullable=False))
    op.create_index("ix_programme_report_id", "programme", ["report_id"])
    derived("report_table", sa.Column("kind", S(length=48), nullable=False), sa.Column("title", S(), nullable=False))
    op.create_index("ix_report_table_kind", "report_table", ["kind"])
    op.create_index("ix_report_table_report_id", "report_table", ["report_id"])

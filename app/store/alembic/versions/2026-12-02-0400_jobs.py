"""job and job_run tables (jobs keyed by report and action; one row per attempt)

Revision ID: 0002_jobs
Revises: 0001
Create Date: 2026-12-02 04:00:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0002_jobs'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('worker', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('pages_total', sa.Integer(), nullable=True),
    sa.Column('pages_done', sa.Integer(), nullable=True),
    sa.Column('queue_id', sa.BigInteger(), nullable=True),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('report_id', 'action', name='uq_job_report_action')
    )
    op.create_index('ix_job_state', 'job', ['state'], unique=False)
    op.create_table('job_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('worker', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('finished_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('seconds', sa.Float(), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_job_run_job_id', 'job_run', ['job_id'], unique=False)
    op.create_index('ix_job_run_report_id', 'job_run', ['report_id'], unique=False)
    op.create_index('ix_job_run_worker', 'job_run', ['worker'], unique=False)


def downgrade() -> None:
    op.drop_table('job_run')
    op.drop_table('job')

"""cohorts: request-to-recruit screening log and quota method per year

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 01:40:00

"""
from alembic import op
import sqlalchemy as sa

import levy.models.base


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quota_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('created_at', levy.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', levy.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quota_setting')),
    sa.UniqueConstraint('year', name=op.f('uq_quota_setting_year'))
    )
    op.create_table('recruit_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('directorate_id', sa.Integer(), nullable=False),
    sa.Column('job_title', sa.String(length=200), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', levy.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', levy.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['directorate_id'], ['directorate.id'], name=op.f('fk_recruit_request_directorate_id_directorate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recruit_request'))
    )
    with op.batch_alter_table('recruit_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recruit_request_directorate_id'), ['directorate_id'], unique=False)


def downgrade():
    with op.batch_alter_table('recruit_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recruit_request_directorate_id'))

    op.drop_table('recruit_request')
    op.drop_table('quota_setting')

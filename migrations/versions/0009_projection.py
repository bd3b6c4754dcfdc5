"""stored forecast projections, their inputs version, uploads waiting for confirm

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 09:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

import levy.models.base


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    inputs = op.create_table('projection_inputs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_projection_inputs_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projection_inputs'))
    )
    op.bulk_insert(inputs, [{'id': 1, 'organisation_id': None, 'version': 1}, {'id': 2, 'organisation_id': None, 'version': 1}])
    op.create_table('forecast_projection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('inputs_version', sa.BigInteger(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('computed_at', levy.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_forecast_projection_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecast_projection')),
    sa.UniqueConstraint('inputs_version', 'key', name=op.f('uq_forecast_projection_inputs_version'))
    )
    op.create_table('pending_upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', levy.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_upload')),
    sa.UniqueConstraint('token', name=op.f('uq_pending_upload_token'))
    )


def downgrade():
    op.drop_table('pending_upload')
    op.drop_table('forecast_projection')
    op.drop_table('projection_inputs')

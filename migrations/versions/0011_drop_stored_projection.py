"""drop the stored forecast projections and their inputs version: reading a page stores
nothing, and the forecast is worked out on every read

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 02:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import levy.models.base


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table('forecast_projection')
    op.drop_table('projection_inputs')


def downgrade():
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

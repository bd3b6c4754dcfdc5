"""transfers: apprentices' starts reported by the business

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('transfer_apprentice_start',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('uln', sa.String(length=10), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('reported_by', sa.String(length=254), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['transfer_application.id'], name=op.f('fk_transfer_apprentice_start_application_id_transfer_application'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_apprentice_start'))
    )
    with op.batch_alter_table('transfer_apprentice_start', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_apprentice_start_application_id'), ['application_id'], unique=False)


def downgrade():
    with op.batch_alter_table('transfer_apprentice_start', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfer_apprentice_start_application_id'))

    op.drop_table('transfer_apprentice_start')

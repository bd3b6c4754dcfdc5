"""insight: apprentice ULN and quarterly report commentary

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import levy.models.base


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quarter_commentary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', levy.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', levy.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarter_commentary')),
    sa.UniqueConstraint('quarter', name=op.f('uq_quarter_commentary_quarter'))
    )
    with op.batch_alter_table('apprentice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uln', sa.String(length=10), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_apprentice_uln'), ['uln'])


def downgrade():
    with op.batch_alter_table('apprentice', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_apprentice_uln'), type_='unique')
        batch_op.drop_column('uln')

    op.drop_table('quarter_commentary')

"""journal type counts: the total of an undated journal page from a few rows per unit

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('journal_type_counts',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_journal_type_counts_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('unit_id', 'type', name=op.f('pk_journal_type_counts'))
    )
    # the journal so far, counted once
    op.execute("INSERT INTO journal_type_counts (unit_id, type, entries) "
               "SELECT unit_id, type, count(*) FROM journal_entries GROUP BY unit_id, type")


def downgrade() -> None:
    op.drop_table('journal_type_counts')

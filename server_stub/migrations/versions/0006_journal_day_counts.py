"""journal day counts: the exact total of a journal page without COUNT(*) over the entries

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('journal_day_counts',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('booked_on', sa.Date(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_journal_day_counts_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('unit_id', 'booked_on', 'type', name=op.f('pk_journal_day_counts'))
    )
    # the journal so far, counted once
    op.execute("INSERT INTO journal_day_counts (unit_id, booked_on, type, entries) "
               "SELECT unit_id, booked_on, type, count(*) FROM journal_entries GROUP BY unit_id, booked_on, type")


def downgrade() -> None:
    op.drop_table('journal_day_counts')

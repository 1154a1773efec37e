"""supplementary bills, employee info fields, assessment breakdown, receipt bill

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('supplementary_bills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=20), nullable=False),
    sa.Column('verification_code', sa.String(length=8), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('unit_amount', sa.BigInteger(), nullable=False),
    sa.Column('person_amount', sa.BigInteger(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('allocated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_supplementary_bills_application_id_applications'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_supplementary_bills_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplementary_bills')),
    sa.UniqueConstraint('application_id', name=op.f('uq_supplementary_bills_application_id')),
    sa.UniqueConstraint('serial', name=op.f('uq_supplementary_bills_serial'))
    )
    with op.batch_alter_table('supplementary_bills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplementary_bills_unit_id'), ['unit_id'], unique=False)

    op.create_table('supplementary_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bill_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('person_account', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('id_number', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('unit_amount', sa.BigInteger(), nullable=False),
    sa.Column('person_amount', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['bill_id'], ['supplementary_bills.id'], name=op.f('fk_supplementary_lines_bill_id_supplementary_bills'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_supplementary_lines_employee_id_employees'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplementary_lines')),
    sa.UniqueConstraint('employee_id', 'month', name=op.f('uq_supplementary_lines_employee_id_month'))
    )
    with op.batch_alter_table('supplementary_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplementary_lines_bill_id'), ['bill_id'], unique=False)

    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('education', sa.String(length=2), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('phone', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('postcode', sa.String(length=6), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('position', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('occupation', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('title', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('marital_status', sa.String(length=2), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('home_address', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('family_income', sa.BigInteger(), nullable=True))

    with op.batch_alter_table('remittance_assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('breakdown', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('remittance_receipts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bill_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_remittance_receipts_bill_id_supplementary_bills'), 'supplementary_bills', ['bill_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('remittance_receipts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_remittance_receipts_bill_id_supplementary_bills'), type_='foreignkey')
        batch_op.drop_column('bill_id')

    with op.batch_alter_table('remittance_assessments', schema=None) as batch_op:
        batch_op.drop_column('breakdown')

    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_column('family_income')
        batch_op.drop_column('home_address')
        batch_op.drop_column('marital_status')
        batch_op.drop_column('title')
        batch_op.drop_column('occupation')
        batch_op.drop_column('position')
        batch_op.drop_column('postcode')
        batch_op.drop_column('phone')
        batch_op.drop_column('education')

    with op.batch_alter_table('supplementary_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplementary_lines_bill_id'))

    op.drop_table('supplementary_lines')
    with op.batch_alter_table('supplementary_bills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplementary_bills_unit_id'))

    op.drop_table('supplementary_bills')

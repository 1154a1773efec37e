"""employees and departments: signed batches, status log, change log, department transfers

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('employee_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('signed_path', sa.String(length=100), nullable=False),
    sa.Column('signed_body', sa.Text(), nullable=False),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['ukey_certificates.id'], name=op.f('fk_employee_batches_certificate_id_ukey_certificates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_employee_batches_operator_id_operators'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_employee_batches_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employee_batches'))
    )
    op.create_index('ix_employee_batches_unit_created', 'employee_batches', ['unit_id', 'created_at'], unique=False)
    op.create_table('department_transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('from_code', sa.String(length=20), nullable=False),
    sa.Column('from_name', sa.String(length=100), nullable=False),
    sa.Column('to_code', sa.String(length=20), nullable=False),
    sa.Column('to_name', sa.String(length=100), nullable=False),
    sa.Column('transferred_on', sa.Date(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('operator_name', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_department_transfers_employee_id_employees'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_department_transfers_operator_id_operators'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_department_transfers_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department_transfers'))
    )
    op.create_index(op.f('ix_department_transfers_employee_id'), 'department_transfers', ['employee_id'], unique=False)
    op.create_index('ix_department_transfers_unit_transferred', 'department_transfers', ['unit_id', 'transferred_on'], unique=False)
    op.create_table('employee_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('old', sa.String(length=200), nullable=False),
    sa.Column('new', sa.String(length=200), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('operator_name', sa.String(length=50), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['employee_batches.id'], name=op.f('fk_employee_changes_batch_id_employee_batches'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_employee_changes_employee_id_employees'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_employee_changes_operator_id_operators'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_employee_changes_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employee_changes'))
    )
    op.create_index(op.f('ix_employee_changes_employee_id'), 'employee_changes', ['employee_id'], unique=False)
    op.create_index('ix_employee_changes_unit_changed', 'employee_changes', ['unit_id', 'changed_on'], unique=False)
    op.create_table('employee_status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('effective_month', sa.String(length=7), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('old_status', sa.String(length=2), nullable=False),
    sa.Column('new_status', sa.String(length=2), nullable=False),
    sa.Column('base', sa.BigInteger(), nullable=True),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('operator_name', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['employee_batches.id'], name=op.f('fk_employee_status_changes_batch_id_employee_batches'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_employee_status_changes_employee_id_employees'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_employee_status_changes_operator_id_operators'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_employee_status_changes_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employee_status_changes'))
    )
    op.create_index(op.f('ix_employee_status_changes_employee_id'), 'employee_status_changes', ['employee_id'], unique=False)
    op.create_index('ix_employee_status_changes_unit_changed', 'employee_status_changes', ['unit_id', 'changed_on'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_employee_status_changes_unit_changed', table_name='employee_status_changes')
    op.drop_index(op.f('ix_employee_status_changes_employee_id'), table_name='employee_status_changes')
    op.drop_table('employee_status_changes')
    op.drop_index('ix_employee_changes_unit_changed', table_name='employee_changes')
    op.drop_index(op.f('ix_employee_changes_employee_id'), table_name='employee_changes')
    op.drop_table('employee_changes')
    op.drop_index('ix_department_transfers_unit_transferred', table_name='department_transfers')
    op.drop_index(op.f('ix_department_transfers_employee_id'), table_name='department_transfers')
    op.drop_table('department_transfers')
    op.drop_index('ix_employee_batches_unit_created', table_name='employee_batches')
    op.drop_table('employee_batches')

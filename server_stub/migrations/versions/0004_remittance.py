"""remittance: 汇缴核定 with roster snapshots, centre receipts

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('remittance_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('unit_amount', sa.BigInteger(), nullable=False),
    sa.Column('person_amount', sa.BigInteger(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('serial', sa.String(length=20), nullable=False),
    sa.Column('verification_code', sa.String(length=8), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('operator_name', sa.String(length=50), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.Column('signed_body', sa.Text(), nullable=False),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.Column('assessed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('allocated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['certificate_id'], ['ukey_certificates.id'], name=op.f('fk_remittance_assessments_certificate_id_ukey_certificates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_remittance_assessments_operator_id_operators'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_remittance_assessments_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remittance_assessments')),
    sa.UniqueConstraint('serial', name=op.f('uq_remittance_assessments_serial')),
    sa.UniqueConstraint('unit_id', 'month', name=op.f('uq_remittance_assessments_unit_id_month'))
    )
    op.create_index(op.f('ix_remittance_assessments_unit_id'), 'remittance_assessments', ['unit_id'], unique=False)
    op.create_table('remittance_assessment_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('person_account', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('id_number', sa.String(length=30), nullable=False),
    sa.Column('base', sa.BigInteger(), nullable=False),
    sa.Column('unit_monthly', sa.BigInteger(), nullable=False),
    sa.Column('person_monthly', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['remittance_assessments.id'], name=op.f('fk_remittance_assessment_lines_assessment_id_remittance_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_remittance_assessment_lines_employee_id_employees'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remittance_assessment_lines'))
    )
    op.create_index(op.f('ix_remittance_assessment_lines_assessment_id'), 'remittance_assessment_lines', ['assessment_id'], unique=False)
    op.create_table('remittance_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('recorded_by', sa.String(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['remittance_assessments.id'], name=op.f('fk_remittance_receipts_assessment_id_remittance_assessments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_remittance_receipts_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remittance_receipts'))
    )
    op.create_index('ix_remittance_receipts_unit', 'remittance_receipts', ['unit_id', 'received_on'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_remittance_receipts_unit', table_name='remittance_receipts')
    op.drop_table('remittance_receipts')
    op.drop_index(op.f('ix_remittance_assessment_lines_assessment_id'), table_name='remittance_assessment_lines')
    op.drop_table('remittance_assessment_lines')
    op.drop_index(op.f('ix_remittance_assessments_unit_id'), table_name='remittance_assessments')
    op.drop_table('remittance_assessments')

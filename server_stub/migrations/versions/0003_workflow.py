"""workflow: applications (versions, steps, holds), attachments, registrations, unit change log

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_no', sa.String(length=20), nullable=False),
    sa.Column('type', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('current_node', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_applications_operator_id_operators'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_applications_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('application_no', name=op.f('uq_applications_application_no'))
    )
    op.create_index(op.f('ix_applications_operator_id'), 'applications', ['operator_id'], unique=False)
    op.create_index('ix_applications_status_updated', 'applications', ['status', 'updated_at'], unique=False)
    op.create_index('ix_applications_unit_status', 'applications', ['unit_id', 'status'], unique=False)
    op.create_table('application_holds',
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_holds_application_id_applications'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('subject', name=op.f('pk_application_holds'))
    )
    op.create_index(op.f('ix_application_holds_application_id'), 'application_holds', ['application_id'], unique=False)
    op.create_table('application_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('node', sa.String(length=20), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('actor_kind', sa.String(length=10), nullable=False),
    sa.Column('actor_ref', sa.String(length=60), nullable=False),
    sa.Column('opinion', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_steps_application_id_applications'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_steps'))
    )
    op.create_index(op.f('ix_application_steps_application_id'), 'application_steps', ['application_id'], unique=False)
    op.create_table('application_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.Column('signed_data', sa.Text(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.Column('certificate_serial', sa.String(length=64), nullable=False),
    sa.Column('certificate_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_versions_application_id_applications'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['certificate_id'], ['ukey_certificates.id'], name=op.f('fk_application_versions_certificate_id_ukey_certificates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_application_versions_operator_id_operators'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_versions')),
    sa.UniqueConstraint('application_id', 'version', name=op.f('uq_application_versions_application_id_version'))
    )
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_attachments_application_id_applications'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    op.create_index(op.f('ix_attachments_application_id'), 'attachments', ['application_id'], unique=False)
    op.create_index(op.f('ix_attachments_sha256'), 'attachments', ['sha256'], unique=False)
    op.create_table('registrations',
    sa.Column('application_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('query_code_sha256', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('client_address', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_registrations_application_id_applications'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_registrations_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('application_id', name=op.f('pk_registrations'))
    )
    op.create_index('ix_registrations_client_created', 'registrations', ['client_address', 'created_at'], unique=False)
    op.create_index(op.f('ix_registrations_uscc'), 'registrations', ['uscc'], unique=False)
    op.create_table('unit_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('item', sa.String(length=50), nullable=False),
    sa.Column('old', sa.String(length=200), nullable=False),
    sa.Column('new', sa.String(length=200), nullable=False),
    sa.Column('operator', sa.String(length=100), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_unit_changes_application_id_applications'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_changes_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_changes'))
    )
    op.create_index('ix_unit_changes_unit_changed', 'unit_changes', ['unit_id', 'changed_on'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_unit_changes_unit_changed', table_name='unit_changes')
    op.drop_table('unit_changes')
    op.drop_index(op.f('ix_registrations_uscc'), table_name='registrations')
    op.drop_index('ix_registrations_client_created', table_name='registrations')
    op.drop_table('registrations')
    op.drop_index(op.f('ix_attachments_sha256'), table_name='attachments')
    op.drop_index(op.f('ix_attachments_application_id'), table_name='attachments')
    op.drop_table('attachments')
    op.drop_table('application_versions')
    op.drop_index(op.f('ix_application_steps_application_id'), table_name='application_steps')
    op.drop_table('application_steps')
    op.drop_index(op.f('ix_application_holds_application_id'), table_name='application_holds')
    op.drop_table('application_holds')
    op.drop_index('ix_applications_unit_status', table_name='applications')
    op.drop_index('ix_applications_status_updated', table_name='applications')
    op.drop_index(op.f('ix_applications_operator_id'), table_name='applications')
    op.drop_table('applications')

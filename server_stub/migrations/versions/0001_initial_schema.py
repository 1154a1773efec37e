"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 23:38:35.563871
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_kind', sa.String(length=10), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=False),
    sa.Column('client_address', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index(op.f('ix_audit_log_at'), 'audit_log', ['at'], unique=False)
    op.create_index(op.f('ix_audit_log_unit_id'), 'audit_log', ['unit_id'], unique=False)
    op.create_table('centre_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_name', sa.String(length=100), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('dictionary_version', sa.Integer(), nullable=False),
    sa.Column('initialised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_centre_settings'))
    )
    op.create_table('centre_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('failed_count', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_centre_users')),
    sa.UniqueConstraint('username', name=op.f('uq_centre_users_username'))
    )
    op.create_table('dictionary_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dictionary_entries')),
    sa.UniqueConstraint('name', 'code', name=op.f('uq_dictionary_entries_name_code'))
    )
    op.create_table('idempotency_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('principal', sa.String(length=60), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('response_status', sa.Integer(), nullable=True),
    sa.Column('response_body', sa.LargeBinary(), nullable=True),
    sa.Column('response_media_type', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_records')),
    sa.UniqueConstraint('principal', 'key', name=op.f('uq_idempotency_records_principal_key'))
    )
    op.create_index(op.f('ix_idempotency_records_created_at'), 'idempotency_records', ['created_at'], unique=False)
    op.create_table('login_nonces',
    sa.Column('value', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('client_address', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('value', name=op.f('pk_login_nonces'))
    )
    op.create_index(op.f('ix_login_nonces_expires_at'), 'login_nonces', ['expires_at'], unique=False)
    op.create_table('number_sequences',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('last_value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_number_sequences'))
    )
    op.create_table('policy_years',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('unit_ratio_min', sa.Integer(), nullable=False),
    sa.Column('unit_ratio_max', sa.Integer(), nullable=False),
    sa.Column('person_ratio_min', sa.Integer(), nullable=False),
    sa.Column('person_ratio_max', sa.Integer(), nullable=False),
    sa.Column('base_min', sa.BigInteger(), nullable=False),
    sa.Column('base_max', sa.BigInteger(), nullable=False),
    sa.Column('precision', sa.String(length=8), nullable=False),
    sa.Column('rounding_mode', sa.String(length=10), nullable=False),
    sa.Column('adjustment_month', sa.Integer(), nullable=False),
    sa.Column('max_remit_months', sa.Integer(), nullable=False),
    sa.Column('max_supplement_months', sa.Integer(), nullable=False),
    sa.Column('interest_rate', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_policy_years'))
    )
    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_account', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('status', sa.String(length=2), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('postcode', sa.String(length=6), nullable=False),
    sa.Column('email', sa.String(length=100), nullable=False),
    sa.Column('legal_rep_name', sa.String(length=50), nullable=False),
    sa.Column('legal_rep_id_type', sa.String(length=2), nullable=False),
    sa.Column('legal_rep_id_number', sa.String(length=30), nullable=False),
    sa.Column('contact_name', sa.String(length=50), nullable=False),
    sa.Column('contact_mobile', sa.String(length=20), nullable=False),
    sa.Column('contact_phone', sa.String(length=30), nullable=False),
    sa.Column('pay_day', sa.Integer(), nullable=False),
    sa.Column('industry', sa.String(length=10), nullable=False),
    sa.Column('economic_type', sa.String(length=10), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('unit_ratio', sa.Integer(), nullable=False),
    sa.Column('person_ratio', sa.Integer(), nullable=False),
    sa.Column('paid_through', sa.String(length=7), nullable=True),
    sa.Column('payee_bank', sa.String(length=100), nullable=False),
    sa.Column('payee_account', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('unit_account', name=op.f('uq_units_unit_account')),
    sa.UniqueConstraint('uscc', name=op.f('uq_units_uscc'))
    )
    op.create_table('departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_departments_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments')),
    sa.UniqueConstraint('unit_id', 'code', name=op.f('uq_departments_unit_id_code'))
    )
    op.create_index(op.f('ix_departments_unit_id'), 'departments', ['unit_id'], unique=False)
    op.create_table('journal_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('booked_on', sa.Date(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.String(length=200), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('interest', sa.BigInteger(), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=True),
    sa.Column('unallocated_change', sa.BigInteger(), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reverses_id'], ['journal_entries.id'], name=op.f('fk_journal_entries_reverses_id_journal_entries'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_journal_entries_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_entries')),
    sa.UniqueConstraint('serial', name=op.f('uq_journal_entries_serial'))
    )
    op.create_index('ix_journal_entries_unit_booked', 'journal_entries', ['unit_id', 'booked_on'], unique=False)
    op.create_table('operators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('login_name', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('mobile', sa.String(length=20), nullable=False),
    sa.Column('id_type', sa.String(length=2), nullable=False),
    sa.Column('id_number', sa.String(length=30), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('failed_count', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_operators_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operators')),
    sa.UniqueConstraint('unit_id', 'login_name', name=op.f('uq_operators_unit_id_login_name'))
    )
    op.create_index(op.f('ix_operators_unit_id'), 'operators', ['unit_id'], unique=False)
    op.create_table('ukey_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=64), nullable=False),
    sa.Column('fingerprint_sha256', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=400), nullable=False),
    sa.Column('key_type', sa.String(length=10), nullable=False),
    sa.Column('der', sa.LargeBinary(), nullable=False),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=False),
    sa.Column('not_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoke_reason', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_ukey_certificates_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ukey_certificates')),
    sa.UniqueConstraint('fingerprint_sha256', name=op.f('uq_ukey_certificates_fingerprint_sha256')),
    sa.UniqueConstraint('serial', name=op.f('uq_ukey_certificates_serial'))
    )
    op.create_index(op.f('ix_ukey_certificates_unit_id'), 'ukey_certificates', ['unit_id'], unique=False)
    op.create_index('uq_ukey_certificates_current', 'ukey_certificates', ['unit_id'], unique=True, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
    op.create_table('unit_accounts',
    sa.Column('unit_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('balance', sa.BigInteger(), nullable=False),
    sa.Column('unallocated', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_accounts_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_unit_accounts'))
    )
    op.create_table('auth_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('centre_user_id', sa.Integer(), nullable=True),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('previous_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('client_address', sa.String(length=64), nullable=False),
    sa.CheckConstraint("(kind = 'unit' AND operator_id IS NOT NULL AND centre_user_id IS NULL) OR (kind = 'centre' AND centre_user_id IS NOT NULL AND operator_id IS NULL)", name=op.f('ck_auth_sessions_one_principal')),
    sa.ForeignKeyConstraint(['centre_user_id'], ['centre_users.id'], name=op.f('fk_auth_sessions_centre_user_id_centre_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['certificate_id'], ['ukey_certificates.id'], name=op.f('fk_auth_sessions_certificate_id_ukey_certificates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_auth_sessions_operator_id_operators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_sessions')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_auth_sessions_token_sha256'))
    )
    op.create_index(op.f('ix_auth_sessions_centre_user_id'), 'auth_sessions', ['centre_user_id'], unique=False)
    op.create_index(op.f('ix_auth_sessions_operator_id'), 'auth_sessions', ['operator_id'], unique=False)
    op.create_table('employees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('person_account', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('id_type', sa.String(length=2), nullable=False),
    sa.Column('id_number', sa.String(length=30), nullable=False),
    sa.Column('gender', sa.String(length=1), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('mobile', sa.String(length=20), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=2), nullable=False),
    sa.Column('base', sa.BigInteger(), nullable=False),
    sa.Column('unit_ratio', sa.Integer(), nullable=False),
    sa.Column('person_ratio', sa.Integer(), nullable=False),
    sa.Column('unit_monthly', sa.BigInteger(), nullable=False),
    sa.Column('person_monthly', sa.BigInteger(), nullable=False),
    sa.Column('balance', sa.BigInteger(), nullable=False),
    sa.Column('first_month', sa.String(length=7), nullable=False),
    sa.Column('paid_through', sa.String(length=7), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_employees_department_id_departments'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_employees_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employees')),
    sa.UniqueConstraint('person_account', name=op.f('uq_employees_person_account'))
    )
    op.create_index(op.f('ix_employees_department_id'), 'employees', ['department_id'], unique=False)
    op.create_index(op.f('ix_employees_id_number'), 'employees', ['id_number'], unique=False)
    op.create_index('ix_employees_unit_status', 'employees', ['unit_id', 'status'], unique=False)
    op.create_index('uq_employees_active_id', 'employees', ['id_type', 'id_number'], unique=True, sqlite_where=sa.text("status = '01'"), postgresql_where=sa.text("status = '01'"))
    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('business', sa.String(length=50), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('read_by_operator_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['read_by_operator_id'], ['operators.id'], name=op.f('fk_messages_read_by_operator_id_operators'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_messages_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    op.create_index('ix_messages_unit_created', 'messages', ['unit_id', 'created_at'], unique=False)
    op.create_table('journal_details',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('booked_on', sa.Date(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('interest', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_journal_details_employee_id_employees'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['entry_id'], ['journal_entries.id'], name=op.f('fk_journal_details_entry_id_journal_entries'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_details'))
    )
    op.create_index(op.f('ix_journal_details_employee_id'), 'journal_details', ['employee_id'], unique=False)
    op.create_index(op.f('ix_journal_details_entry_id'), 'journal_details', ['entry_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_journal_details_entry_id'), table_name='journal_details')
    op.drop_index(op.f('ix_journal_details_employee_id'), table_name='journal_details')
    op.drop_table('journal_details')
    op.drop_index('ix_messages_unit_created', table_name='messages')
    op.drop_table('messages')
    op.drop_index('uq_employees_active_id', table_name='employees', sqlite_where=sa.text("status = '01'"), postgresql_where=sa.text("status = '01'"))
    op.drop_index('ix_employees_unit_status', table_name='employees')
    op.drop_index(op.f('ix_employees_id_number'), table_name='employees')
    op.drop_index(op.f('ix_employees_department_id'), table_name='employees')
    op.drop_table('employees')
    op.drop_index(op.f('ix_auth_sessions_operator_id'), table_name='auth_sessions')
    op.drop_index(op.f('ix_auth_sessions_centre_user_id'), table_name='auth_sessions')
    op.drop_table('auth_sessions')
    op.drop_table('unit_accounts')
    op.drop_index('uq_ukey_certificates_current', table_name='ukey_certificates', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
    op.drop_index(op.f('ix_ukey_certificates_unit_id'), table_name='ukey_certificates')
    op.drop_table('ukey_certificates')
    op.drop_index(op.f('ix_operators_unit_id'), table_name='operators')
    op.drop_table('operators')
    op.drop_index('ix_journal_entries_unit_booked', table_name='journal_entries')
    op.drop_table('journal_entries')
    op.drop_index(op.f('ix_departments_unit_id'), table_name='departments')
    op.drop_table('departments')
    op.drop_table('units')
    op.drop_table('policy_years')
    op.drop_table('number_sequences')
    op.drop_index(op.f('ix_login_nonces_expires_at'), table_name='login_nonces')
    op.drop_table('login_nonces')
    op.drop_index(op.f('ix_idempotency_records_created_at'), table_name='idempotency_records')
    op.drop_table('idempotency_records')
    op.drop_table('dictionary_entries')
    op.drop_table('centre_users')
    op.drop_table('centre_settings')
    op.drop_index(op.f('ix_audit_log_unit_id'), table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_at'), table_name='audit_log')
    op.drop_table('audit_log')

"""Every ORM model, imported once so that `Base.metadata` knows all tables (Alembic, tests)."""
from .audit.models import AuditEntry
from .auth.models import AuthSession, CentreUser, LoginNonce, Operator
from .departments.models import Department
from .employees.models import Employee
from .idempotency.models import IdempotencyRecord
from .ledger.models import JournalDetail, JournalEntry, UnitAccount
from .messages.models import Message
from .numbering.models import NumberSequence
from .orm import Base
from .reference.models import CentreSettings, DictionaryEntry, PolicyYear
from .ukeys.models import UkeyCertificate
from .units.models import Unit

__all__ = [
    "AuditEntry", "AuthSession", "Base", "CentreSettings", "CentreUser", "Department", "DictionaryEntry",
    "Employee", "IdempotencyRecord", "JournalDetail", "JournalEntry", "LoginNonce", "Message",
    "NumberSequence", "Operator", "PolicyYear", "UkeyCertificate", "Unit", "UnitAccount",
]

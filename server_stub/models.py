"""Every ORM model, imported once so that `Base.metadata` knows all tables (Alembic, tests)."""
from .applications.models import Application, ApplicationHold, ApplicationStep, ApplicationVersion
from .attachments.models import Attachment
from .audit.models import AuditEntry
from .auth.models import AuthSession, CentreUser, LoginNonce, Operator
from .departments.models import Department, DepartmentTransfer
from .employees.models import Employee, EmployeeBatch, EmployeeChange, EmployeeStatusChange
from .idempotency.models import IdempotencyRecord
from .ledger.models import JournalDetail, JournalEntry, UnitAccount
from .messages.models import Message
from .numbering.models import NumberSequence
from .orm import Base
from .remittance.models import AssessmentLine, Receipt, RemittanceAssessment
from .reference.models import CentreSettings, DictionaryEntry, PolicyYear
from .registrations.models import Registration
from .supplementary.models import SupplementaryBill, SupplementaryLine
from .ukeys.models import UkeyCertificate
from .units.models import Unit, UnitChange

__all__ = [
    "Application", "ApplicationHold", "ApplicationStep", "ApplicationVersion", "Attachment", "AuditEntry",
    "AuthSession", "Base", "CentreSettings", "CentreUser", "Department", "DepartmentTransfer",
    "DictionaryEntry", "Employee", "EmployeeBatch", "EmployeeChange", "EmployeeStatusChange",
    "IdempotencyRecord", "JournalDetail", "JournalEntry", "LoginNonce", "Message", "NumberSequence", "Operator",
    "PolicyYear", "Receipt", "Registration", "RemittanceAssessment", "AssessmentLine", "SupplementaryBill",
    "SupplementaryLine", "UkeyCertificate", "Unit",
    "UnitAccount", "UnitChange",
]

"""Who does a business and when (`Clerk`), and the records every employee business leaves: the signed
batch, the status log (账户状态变更) and the change log (客户信息变更), written in bulk (one statement per
table, however many rows)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import BigInteger, ColumnElement, Text, cast, func, insert, literal, select, type_coerce
from sqlalchemy.orm import Session

from services.dictionaries import PERSON_STATUS
from services.yearmonth import YearMonth

from ..audit import service as audit
from ..auth.models import Operator
from ..auth.service import UnitPrincipal
from ..messages import service as messages
from ..reference import service as reference
from ..units.models import Unit
from .bulk import insert_rows
from .models import CHANNEL_ONLINE, STATUS_ACTIVE, Employee, EmployeeBatch, EmployeeChange, EmployeeStatusChange
from .signatures import SignedSubmission


@dataclass(frozen=True)
class Clerk:
    """The operator doing a business for their unit, on the centre's business date."""
    unit: Unit
    operator: Operator
    actor: str                  # how the audit log names them ("单位账号/登录名")
    business_date: dt.date
    now: dt.datetime
    client_address: str = ""

    @classmethod
    def of(cls, *, session: Session, principal: UnitPrincipal, now: dt.datetime,
           client_address: str = "") -> "Clerk":
        return cls(principal.unit, principal.operator, principal.actor,
                   reference.business_date(session=session), now, client_address)


def status_label(code: str) -> str:
    return PERSON_STATUS.get(code, code)


def record_batch(*, session: Session, clerk: Clerk, type: str, row_count: int,
                 submission: SignedSubmission) -> int:
    batch = EmployeeBatch(unit_id=clerk.unit.id, operator_id=clerk.operator.id,
                          certificate_id=submission.certificate_id, type=type, row_count=row_count,
                          business_date=clerk.business_date, signed_path=submission.path[:100],
                          signed_body=submission.signed_body, signature=submission.signature,
                          created_at=clerk.now)
    session.add(batch)
    session.flush()
    return batch.id


@dataclass(slots=True)   # one per row of a batch: frozen dataclasses are ~20× slower to build
class StatusEntry:
    employee_id: int
    type: str
    effective_month: YearMonth
    new_status: str
    old_status: str = ""
    reason: str = ""
    base: Decimal | None = None


@dataclass(slots=True)
class ChangeEntry:
    employee_id: int
    item: str
    old: str
    new: str


def write_status_log(*, session: Session, clerk: Clerk, batch_id: int | None,
                     entries: Iterable[StatusEntry]) -> None:
    insert_rows(session=session, table=EmployeeStatusChange.__table__,
                columns=("employee_id", "type", "effective_month", "new_status", "old_status", "reason", "base"),
                rows=((e.employee_id, e.type, e.effective_month, e.new_status, e.old_status, e.reason, e.base)
                      for e in entries),
                same=_who(clerk, batch_id))


def write_change_log(*, session: Session, clerk: Clerk, batch_id: int | None, entries: Iterable[ChangeEntry],
                     channel: str = CHANNEL_ONLINE) -> None:
    """Public so that other businesses (缴存人信息变更 on approval, 基数调整) log their changes here too."""
    insert_rows(session=session, table=EmployeeChange.__table__, columns=("employee_id", "item", "old", "new"),
                rows=((e.employee_id, e.item[:40], e.old[:200], e.new[:200]) for e in entries),
                same={**_who(clerk, batch_id), "channel": channel})


def write_opening_logs(*, session: Session, clerk: Clerk, batch_id: int, first_account: str,
                       last_account: str) -> None:
    """The status log (开户 → 正常 from the first month, with the base) and the change log (开户,
    "姓名（正常，基数5000.00）") of the accounts just opened with 个人账号 first…last (a range reserved for
    this batch): what write_status_log / write_change_log would store, as two INSERT … SELECT from employees
    — binding 20,000 rows of log parameters from Python cost as much as inserting the employees."""
    e = Employee.__table__
    fen = type_coerce(e.c.base, BigInteger)                       # the stored integer, not Money's Decimal
    yuan = cast(fen // 100, Text) + "." + func.substr(cast(100 + fen % 100, Text), 2)   # fen > 0: "5000.00"
    opened = select().where(e.c.person_account.between(first_account, last_account)).order_by(e.c.person_account)
    who = _who(clerk, batch_id)
    for table, values in (
            (EmployeeStatusChange.__table__, {"employee_id": e.c.id, "type": "open", "effective_month": e.c.first_month,
                                              "new_status": STATUS_ACTIVE, "old_status": "", "reason": "",
                                              "base": e.c.base, **who}),
            (EmployeeChange.__table__, {"employee_id": e.c.id, "item": "开户", "old": "",
                                        "new": func.substr(e.c.name + "（正常，基数" + yuan + "）", 1, 200),
                                        **who, "channel": CHANNEL_ONLINE})):
        columns = [value if isinstance(value, ColumnElement) else literal(value, table.c[name].type)
                   for name, value in values.items()]
        session.execute(insert(table).from_select(list(values), opened.add_columns(*columns)))


def _who(clerk: Clerk, batch_id: int | None) -> dict:
    return {"unit_id": clerk.unit.id, "batch_id": batch_id, "changed_on": clerk.business_date,
            "operator_id": clerk.operator.id, "operator_name": clerk.operator.name, "created_at": clerk.now}


def notify(*, session: Session, clerk: Clerk, business: str, count: int) -> None:
    """The message each batch sends to the unit ("尊敬的xx，您已完成办理缴存人登记（N人）")."""
    messages.send(session=session, unit_ids=[clerk.unit.id], title=f"{business}办理成功",
                  body=f"尊敬的{clerk.unit.name}，您已完成办理{business}（{count}人）。",
                  business=business, now=clerk.now)


def audit_batch(*, session: Session, clerk: Clerk, action: str, detail: dict) -> None:
    audit.record(session=session, at=clerk.now, actor_kind="unit", actor=clerk.actor, unit_id=clerk.unit.id,
                 action=action, client_address=clerk.client_address, detail=detail)

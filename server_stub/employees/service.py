"""Reading employees and their logs (缴存人信息查询, SPEC 4.10), and the compact roster the client caches
for offline checks. Every query is scoped to the caller's unit."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from services.money import fmt_money
from services.policy import fmt_ratio

from ..departments.models import Department
from ..paging import PageParams, paginate
from .models import Employee, EmployeeChange, EmployeeStatusChange

STATUS_TYPES = ("open", "seal", "unseal")


def departments_by_id(*, session: Session, unit_id: int) -> dict[int, tuple[str, str]]:
    return {id_: (code, name) for id_, code, name in session.execute(
        select(Department.id, Department.code, Department.name).where(Department.unit_id == unit_id))}


@dataclass(frozen=True)
class EmployeeFilter:
    opened_from: dt.date | None = None
    opened_to: dt.date | None = None
    person_account: str | None = None
    status: str | None = None
    q: str | None = None
    department: str | None = None


def list_employees(*, session: Session, unit_id: int, params: PageParams,
                   where: EmployeeFilter) -> tuple[list[Employee], int]:
    statement = select(Employee).where(Employee.unit_id == unit_id)
    if where.opened_from:
        statement = statement.where(Employee.opened_on >= where.opened_from)
    if where.opened_to:
        statement = statement.where(Employee.opened_on <= where.opened_to)
    if where.person_account:
        statement = statement.where(Employee.person_account == where.person_account.strip())
    if where.status:
        statement = statement.where(Employee.status == where.status)
    if where.q and where.q.strip():
        term = where.q.strip()
        statement = statement.where(or_(Employee.name.contains(term, autoescape=True),
                                        Employee.id_number.startswith(term.upper(), autoescape=True),
                                        Employee.person_account.startswith(term, autoescape=True)))
    if where.department:
        statement = statement.where(Employee.department_id.in_(select(Department.id).where(
            Department.unit_id == unit_id, Department.code == where.department)))
    return paginate(session=session, statement=statement.order_by(Employee.person_account), params=params)


def _rows_page(*, session: Session, statement: Select, params: PageParams) -> tuple[list, int]:
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    rows = session.execute(statement.offset((params.page - 1) * params.page_size).limit(params.page_size)).all()
    return list(rows), int(total)


def _dated(statement: Select, column, date_from: dt.date | None, date_to: dt.date | None) -> Select:
    if date_from:
        statement = statement.where(column >= date_from)
    if date_to:
        statement = statement.where(column <= date_to)
    return statement


def list_status_changes(*, session: Session, unit_id: int, params: PageParams, person_account: str | None,
                        type: str | None, date_from: dt.date | None, date_to: dt.date | None) -> tuple[list, int]:
    """(EmployeeStatusChange, person_account, name, id_number) rows, newest first."""
    log = EmployeeStatusChange
    statement = (select(log, Employee.person_account, Employee.name, Employee.id_number)
                 .join(Employee, Employee.id == log.employee_id).where(log.unit_id == unit_id))
    if person_account:
        statement = statement.where(Employee.person_account == person_account.strip())
    if type:
        statement = statement.where(log.type == type)
    statement = _dated(statement, log.changed_on, date_from, date_to)
    return _rows_page(session=session, statement=statement.order_by(log.changed_on.desc(), log.id.desc()),
                      params=params)


def list_changes(*, session: Session, unit_id: int, params: PageParams, person_account: str | None,
                 date_from: dt.date | None, date_to: dt.date | None) -> tuple[list, int]:
    """(EmployeeChange, person_account, name) rows, newest first."""
    log = EmployeeChange
    statement = (select(log, Employee.person_account, Employee.name)
                 .join(Employee, Employee.id == log.employee_id).where(log.unit_id == unit_id))
    if person_account:
        statement = statement.where(Employee.person_account == person_account.strip())
    statement = _dated(statement, log.changed_on, date_from, date_to)
    return _rows_page(session=session, statement=statement.order_by(log.changed_on.desc(), log.id.desc()),
                      params=params)


# -- the roster ------------------------------------------------------------------------------------

ROSTER_FIELDS = ("person_account", "name", "id_type", "id_number", "status", "department", "base", "unit_ratio",
                 "person_ratio", "paid_through", "opened_on")


@dataclass(frozen=True)
class Roster:
    etag: str          # quoted, as sent in the ETag header
    body: bytes        # the JSON answer


def roster(*, session: Session, unit_id: int) -> Roster:
    """This unit's people, every status, ordered by 个人账号. The ETag is a hash of the content, so it
    changes exactly when something the client checks against changes, whoever changed it."""
    codes = {id_: code for id_, (code, _name) in departments_by_id(session=session, unit_id=unit_id).items()}
    statement = select(Employee.person_account, Employee.name, Employee.id_type, Employee.id_number,
                       Employee.status, Employee.department_id, Employee.base, Employee.unit_ratio,
                       Employee.person_ratio, Employee.paid_through, Employee.opened_on).where(
        Employee.unit_id == unit_id).order_by(Employee.person_account)
    rows = [[account, name, id_type, id_number, status, codes.get(department_id), fmt_money(base),
             fmt_ratio(unit_ratio), fmt_ratio(person_ratio), str(paid) if paid else None, opened.isoformat()]
            for (account, name, id_type, id_number, status, department_id, base, unit_ratio, person_ratio, paid,
                 opened) in session.execute(statement)]
    content = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    version = hashlib.sha256(content.encode("utf-8")).hexdigest()[:32]
    head = json.dumps({"version": version, "count": len(rows), "fields": ROSTER_FIELDS}, ensure_ascii=False,
                      separators=(",", ":"))
    return Roster(f'"{version}"', (head[:-1] + ',"rows":' + content + "}").encode("utf-8"))


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison of an If-None-Match header against our (strong) ETag."""
    if not if_none_match:
        return False
    candidates = [c.strip() for c in if_none_match.split(",")]
    return "*" in candidates or any(c.removeprefix("W/") == etag for c in candidates)


"""单位部门管理 (SPEC 4.11): departments (code unique in the unit; deleted only when nobody is in them)
and 部门调动 (move employees between departments, all or none, logged)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..employees.bulk import insert_rows, update_by_id
from ..employees.logs import ChangeEntry, Clerk, audit_batch, notify, write_change_log
from ..employees.lookup import Account, unit_accounts
from ..employees.models import STATUS_ACTIVE, STATUS_SEALED, Employee
from ..employees.rows import RowErrors, text
from ..errors import Problem
from ..paging import PageParams
from .models import Department, DepartmentTransfer

CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,20}")
MAX_NAME = 100
TRANSFER = "部门调动"
DEPARTMENT_ITEM = "所在部门"


@dataclass(frozen=True)
class DepartmentSummary:
    department: Department
    active_count: int
    sealed_count: int


def list_departments(*, session: Session, unit_id: int) -> list[DepartmentSummary]:
    counts = {department_id: (active, sealed) for department_id, active, sealed in session.execute(
        select(Employee.department_id, func.count().filter(Employee.status == STATUS_ACTIVE),
               func.count().filter(Employee.status == STATUS_SEALED))
        .where(Employee.unit_id == unit_id, Employee.department_id.is_not(None)).group_by(Employee.department_id))}
    departments = session.scalars(select(Department).where(Department.unit_id == unit_id).order_by(Department.code))
    return [DepartmentSummary(d, *counts.get(d.id, (0, 0))) for d in departments]


def get_department(*, session: Session, unit_id: int, code: str, lock: bool = False) -> Department:
    statement = select(Department).where(Department.unit_id == unit_id, Department.code == code)
    department = session.scalars(statement.with_for_update() if lock else statement).first()
    if department is None:
        raise Problem(404, "not_found", f"部门代码{code}不存在或不属于本单位")
    return department


def summary(*, session: Session, department: Department) -> DepartmentSummary:
    active, sealed = session.execute(select(
        func.count().filter(Employee.status == STATUS_ACTIVE), func.count().filter(Employee.status == STATUS_SEALED))
        .where(Employee.department_id == department.id)).one()
    return DepartmentSummary(department, active, sealed)


def _checked_name(name: str) -> str:
    name = text(name)
    if not name:
        raise _invalid("name", "department_name", "部门名称不能为空")
    if len(name) > MAX_NAME:
        raise _invalid("name", "department_name", f"部门名称不能超过{MAX_NAME}个字")
    return name


def _invalid(field_name: str, code: str, message: str) -> Problem:
    return Problem(422, "validation_error", message,
                   errors=[{"row": None, "field": field_name, "code": code, "message": message}])


def create_department(*, session: Session, clerk: Clerk, code: str, name: str) -> Department:
    code = text(code)
    if not CODE_PATTERN.fullmatch(code):
        raise _invalid("code", "department_code", "部门代码应为1–20位字母、数字、-或_")
    name = _checked_name(name)
    exists = select(Department.id).where(Department.unit_id == clerk.unit.id, Department.code == code)
    if session.scalar(exists) is not None:
        raise _exists(code)
    department = Department(unit_id=clerk.unit.id, code=code, name=name, created_at=clerk.now)
    session.add(department)
    try:
        session.flush()
    except IntegrityError:   # created meanwhile by a concurrent request
        raise _exists(code) from None
    audit_batch(session=session, clerk=clerk, action="department.create", detail={"code": code, "name": name})
    return department


def _exists(code: str) -> Problem:
    return Problem(409, "department_exists", f"部门代码{code}已存在，请使用其他代码")


def rename_department(*, session: Session, clerk: Clerk, code: str, name: str) -> Department:
    department = get_department(session=session, unit_id=clerk.unit.id, code=code, lock=True)
    old, department.name = department.name, _checked_name(name)
    audit_batch(session=session, clerk=clerk, action="department.rename",
                detail={"code": code, "old": old, "new": department.name})
    return department


def delete_department(*, session: Session, clerk: Clerk, code: str) -> None:
    """Refused (409 `department_not_empty`) while anyone, of any status, is in it."""
    department = get_department(session=session, unit_id=clerk.unit.id, code=code, lock=True)
    counts = summary(session=session, department=department)
    everyone = session.scalar(select(func.count()).where(Employee.department_id == department.id))
    if everyone:
        raise Problem(409, "department_not_empty",
                      f"部门“{department.name}”还有{everyone}名职工（正常{counts.active_count}人、封存"
                      f"{counts.sealed_count}人），不能删除：请先将他们调往其他部门")
    session.delete(department)
    session.flush()
    audit_batch(session=session, clerk=clerk, action="department.delete", detail={"code": code})


# -- 部门调动 -----------------------------------------------------------------------------------------

@dataclass(slots=True)
class Transferred:
    row: int
    account: Account
    from_code: str | None


def transfer(*, session: Session, clerk: Clerk, person_accounts: Sequence[str | None],
             to_department: str | None) -> list[Transferred]:
    """Move employees (正常 or 封存) of this unit to another department: all or none."""
    errors = RowErrors()
    if not person_accounts:
        raise Problem(422, "rows_empty", "请选择要调动的职工")
    target = session.scalars(select(Department).where(
        Department.unit_id == clerk.unit.id, Department.code == text(to_department)).with_for_update()).first()
    if target is None:
        errors.add(None, "to_department", "department_unknown",
                   f"调入部门{text(to_department)}不存在，请先设立该部门" if text(to_department) else "调入部门不能为空")
    accounts = unit_accounts(session=session, unit_id=clerk.unit.id, person_accounts={text(a) for a in person_accounts})
    departments = {d.id: d for d in session.scalars(select(Department).where(Department.unit_id == clerk.unit.id))}
    moves, first_row = [], {}
    for row_no, value in enumerate(person_accounts, start=1):
        number = text(value)
        account = accounts.get(number)
        if not number:
            errors.add(row_no, "person_accounts", "required", "个人账号不能为空")
        elif account is None:
            errors.add(row_no, "person_accounts", "not_found", f"个人账号{number}不存在或不属于本单位，请核对")
        elif number in first_row:
            errors.add(row_no, "person_accounts", "duplicate_in_batch", f"个人账号与第{first_row[number]}行重复")
        else:
            first_row[number] = row_no
            if target is not None and account.department_id == target.id:
                errors.add(row_no, "person_accounts", "same_department", f"{account.name}已在{target.name}，无需调动")
            else:
                moves.append((row_no, account))
    errors.raise_if_any(TRANSFER)
    return _move(session=session, clerk=clerk, moves=moves, target=target, departments=departments)


def _move(*, session: Session, clerk: Clerk, moves: list[tuple[int, Account]], target: Department,
          departments: dict[int, Department]) -> list[Transferred]:
    update_by_id(session=session, ids=[a.id for _, a in moves],
                 values=[{"department_id": target.id, "updated_at": clerk.now}] * len(moves))
    records, log, done = [], [], []
    for row_no, account in moves:
        source = departments.get(account.department_id)
        records.append((account.id, source.code if source else "", source.name if source else ""))
        log.append(ChangeEntry(account.id, DEPARTMENT_ITEM, source.name if source else "", target.name))
        done.append(Transferred(row_no, account, source.code if source else None))
    insert_rows(session=session, table=DepartmentTransfer.__table__, rows=records,
                columns=("employee_id", "from_code", "from_name"),
                same={"unit_id": clerk.unit.id, "to_code": target.code, "to_name": target.name,
                      "transferred_on": clerk.business_date, "operator_id": clerk.operator.id,
                      "operator_name": clerk.operator.name, "created_at": clerk.now})
    write_change_log(session=session, clerk=clerk, batch_id=None, entries=log)
    notify(session=session, clerk=clerk, business=TRANSFER, count=len(moves))
    audit_batch(session=session, clerk=clerk, action="department.transfer",
                detail={"to": target.code, "count": len(moves)})
    return done


def list_transfers(*, session: Session, unit_id: int, params: PageParams, date_from: dt.date | None,
                   date_to: dt.date | None, person_account: str | None) -> tuple[list, int]:
    """(DepartmentTransfer, person_account, name) rows, newest first."""
    statement = (select(DepartmentTransfer, Employee.person_account, Employee.name)
                 .join(Employee, Employee.id == DepartmentTransfer.employee_id)
                 .where(DepartmentTransfer.unit_id == unit_id))
    if date_from:
        statement = statement.where(DepartmentTransfer.transferred_on >= date_from)
    if date_to:
        statement = statement.where(DepartmentTransfer.transferred_on <= date_to)
    if person_account:
        statement = statement.where(Employee.person_account == person_account.strip())
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    rows = session.execute(statement.order_by(DepartmentTransfer.transferred_on.desc(), DepartmentTransfer.id.desc())
                           .offset((params.page - 1) * params.page_size).limit(params.page_size)).all()
    return list(rows), int(total)

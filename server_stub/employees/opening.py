"""缴存人登记 (SPEC 4.8): open personal accounts for a batch of rows, all or none.

Every row is checked (name, ID by services.identity on the business date, mobile, department, base and
ratios against the policy, first month), then the batch as a whole: duplicate IDs within it, and in one
query every 正常/封存 account the IDs already hold anywhere (one 正常 account per person across all
units; an ID sealed in this unit is pointed to 启封). Then the accounts are issued and inserted in bulk."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services import identity
from services.identity import ID_TYPE_RESIDENT, ID_TYPES
from services.money import ZERO
from services.policy import Policy, fmt_ratio, monthly_contribution
from services.yearmonth import YearMonth

from ..departments.models import Department
from ..errors import Problem
from ..numbering.service import next_person_accounts
from ..reference import service as reference
from .bulk import insert_rows
from .logs import ChangeEntry, Clerk, StatusEntry, audit_batch, notify, record_batch, write_change_log, \
    write_status_log
from .lookup import accounts_by_id
from .models import BATCH_OPEN, STATUS_ACTIVE, Employee
from .rows import RowErrors, latest_month, money_cell, month_cell, ratio_cell, text
from .schemas import OpenRow
from .signatures import SignedSubmission

BUSINESS = "缴存人登记"
MAX_NAME = 50
ELSEWHERE = "已在其他单位正常缴存，需原单位先办理封存"


@dataclass(slots=True)
class Opening:
    """One checked row, ready to insert."""
    row: int
    name: str
    id_type: str
    id_number: str
    gender: str
    birth_date: dt.date | None
    mobile: str
    department_id: int | None
    base: Decimal
    unit_ratio: Decimal
    person_ratio: Decimal
    first_month: YearMonth


def open_employees(*, session: Session, clerk: Clerk, rows: Sequence[OpenRow],
                   submission: SignedSubmission) -> list[tuple[int, str]]:
    """[(row, 个人账号)] of the opened accounts, in row order; 422 `rows_invalid` with every problem."""
    check_batch_size(rows, BUSINESS)
    check_unit_active(clerk, BUSINESS)
    policy = reference.policy_for(session=session, day=clerk.business_date)
    departments = dict(session.execute(select(Department.code, Department.id)
                                       .where(Department.unit_id == clerk.unit.id)).all())
    errors = RowErrors()
    bounds = _month_bounds(clerk, policy)
    openings = [o for o in (_check_row(i, row, clerk=clerk, policy=policy, departments=departments,
                                       bounds=bounds, errors=errors)
                            for i, row in enumerate(rows, start=1)) if o is not None]
    _check_ids(session=session, clerk=clerk, openings=openings, errors=errors)
    errors.raise_if_any(BUSINESS)
    return _insert(session=session, clerk=clerk, policy=policy, openings=openings, submission=submission)


def check_batch_size(rows: Sequence, business: str, limit: int = 50_000) -> None:
    if not rows:
        raise Problem(422, "rows_empty", f"{business}清册为空，请先录入清册")
    if len(rows) > limit:
        raise Problem(413, "too_many_rows", f"一次最多提交{limit}行（本次{len(rows)}行），请分批提交")


def check_unit_active(clerk: Clerk, business: str) -> None:
    if clerk.unit.status != "01":
        raise Problem(409, "unit_not_active", f"单位账户状态不是正常，不能办理{business}，请联系公积金中心")


def _month_bounds(clerk: Clerk, policy: Policy) -> tuple[YearMonth, YearMonth]:
    earliest = max(YearMonth.of(clerk.unit.opened_on), YearMonth.of(clerk.business_date) - policy.max_supplement_months)
    return earliest, latest_month(clerk.business_date)


def _check_row(row_no: int, row: OpenRow, *, clerk: Clerk, policy: Policy, departments: dict[str, int],
               bounds: tuple[YearMonth, YearMonth], errors: RowErrors) -> Opening | None:
    before = len(errors.items)
    name = text(row.name)
    if not name:
        errors.add(row_no, "name", "required", "姓名不能为空")
    elif len(name) > MAX_NAME:
        errors.add(row_no, "name", "too_long", f"姓名不能超过{MAX_NAME}个字")
    id_type = text(row.id_type) or ID_TYPE_RESIDENT
    id_number, gender, birth = "", "", None
    if id_type not in ID_TYPES:
        errors.add(row_no, "id_type", "id_type", f"证件类型代码不正确：{id_type}")
    else:
        check = identity.check_id(id_type, text(row.id_number), clerk.business_date)
        if not check.ok:
            errors.add(row_no, "id_number", check.code, check.message)
        else:
            id_number = check.value
            if id_type == ID_TYPE_RESIDENT:
                gender, birth = _gender_and_birth(id_number)
    mobile = text(row.mobile)
    if mobile:
        check = identity.check_mobile(mobile)
        if check.ok:
            mobile = check.value
        else:
            errors.add(row_no, "mobile", check.code, check.message)
    department_id = None
    department = text(row.department)
    if department:
        department_id = departments.get(department)
        if department_id is None:
            errors.add(row_no, "department", "department_unknown",
                       f"部门代码{department}不存在，请先在单位部门管理中设立该部门")
    base = money_cell(row.base, row=row_no, field_name="base", label="缴存基数", errors=errors)
    if base is not None and (reason := policy.check_base(base)):
        errors.add(row_no, "base", "base_out_of_range", reason)
    unit_ratio, person_ratio = _ratios(row_no, row, clerk=clerk, policy=policy, errors=errors)
    first_month = _first_month(row_no, row, clerk=clerk, bounds=bounds, errors=errors)
    if len(errors.items) > before:
        return None
    return Opening(row_no, name, id_type, id_number, gender, birth, mobile, department_id, base, unit_ratio,
                   person_ratio, first_month)


def _ratios(row_no: int, row: OpenRow, *, clerk: Clerk, policy: Policy,
            errors: RowErrors) -> tuple[Decimal | None, Decimal | None]:
    unit_ratio = (ratio_cell(row.unit_ratio, row=row_no, field_name="unit_ratio", label="单位缴存比例", errors=errors)
                  if text(row.unit_ratio) else clerk.unit.unit_ratio)
    person_ratio = (ratio_cell(row.person_ratio, row=row_no, field_name="person_ratio", label="个人缴存比例",
                               errors=errors)
                    if text(row.person_ratio) else clerk.unit.person_ratio)
    for field_name, label, ratio, low, high in (
            ("unit_ratio", "单位缴存比例", unit_ratio, policy.unit_ratio_min, policy.unit_ratio_max),
            ("person_ratio", "个人缴存比例", person_ratio, policy.person_ratio_min, policy.person_ratio_max)):
        if ratio is not None and not low <= ratio <= high:
            errors.add(row_no, field_name, "ratio_out_of_range",
                       f"{label}{fmt_ratio(ratio)}%不在{fmt_ratio(low)}%–{fmt_ratio(high)}%之间，请核对")
    return unit_ratio, person_ratio


def _gender_and_birth(number: str) -> tuple[str, dt.date]:
    """From a checked 18-digit resident ID: the 17th digit is odd for men; digits 7–14 are the birthday."""
    return ("1" if int(number[16]) % 2 else "2"), dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def _first_month(row_no: int, row: OpenRow, *, clerk: Clerk, bounds: tuple[YearMonth, YearMonth],
                 errors: RowErrors) -> YearMonth | None:
    if not text(row.first_month):
        paid = clerk.unit.paid_through
        return paid + 1 if paid is not None else YearMonth.of(clerk.business_date)
    month = month_cell(row.first_month, row=row_no, field_name="first_month", label="首次缴存年月", errors=errors)
    if month is None:
        return None
    earliest, latest = bounds
    if month < earliest:
        errors.add(row_no, "first_month", "month_too_early",
                   f"首次缴存年月{month}不能早于{earliest}（单位开户年月及补缴追溯期限），请核对")
    elif month > latest:
        errors.add(row_no, "first_month", "month_too_late", f"首次缴存年月{month}不能晚于{latest}，请核对")
    return month


def _check_ids(*, session: Session, clerk: Clerk, openings: list[Opening], errors: RowErrors) -> None:
    """Duplicates within the batch, then the accounts the IDs hold anywhere (one query)."""
    first_row: dict[tuple[str, str], int] = {}
    for opening in openings:
        key = (opening.id_type, opening.id_number)
        if key in first_row:
            errors.add(opening.row, "id_number", "duplicate_in_batch",
                       f"证件号码与第{first_row[key]}行重复，同一人只能登记一次")
        else:
            first_row[key] = opening.row
    holders = accounts_by_id(session=session, ids=first_row.keys())
    for opening in openings:
        for holder in holders.get((opening.id_type, opening.id_number), ()):
            here = holder.unit_id == clerk.unit.id
            if holder.status == STATUS_ACTIVE and not here:
                errors.add(opening.row, "id_number", "active_elsewhere", ELSEWHERE)
            elif holder.status == STATUS_ACTIVE:
                errors.add(opening.row, "id_number", "active_here",
                           f"该职工已在本单位正常缴存（个人账号{holder.person_account}），无需重复登记")
            elif here:
                errors.add(opening.row, "id_number", "sealed_here",
                           f"该职工在本单位已有封存账户（个人账号{holder.person_account}），请办理启封，不能重复登记")


def _insert(*, session: Session, clerk: Clerk, policy: Policy, openings: list[Opening],
            submission: SignedSubmission) -> list[tuple[int, str]]:
    accounts = next_person_accounts(session=session, count=len(openings))
    batch_id = record_batch(session=session, clerk=clerk, type=BATCH_OPEN, row_count=len(openings),
                            submission=submission)
    contribution = lru_cache(maxsize=None)(lambda base, unit_ratio, person_ratio: monthly_contribution(
        base, unit_ratio, person_ratio, policy))          # a big batch has a few hundred distinct bases
    month_before = lru_cache(maxsize=None)(lambda month: month - 1)
    rows = []
    for o, account in zip(openings, accounts):
        parts = contribution(o.base, o.unit_ratio, o.person_ratio)
        rows.append((account, o.name, o.id_type, o.id_number, o.gender, o.birth_date, o.mobile, o.department_id,
                     o.base, o.unit_ratio, o.person_ratio, parts.unit, parts.person, o.first_month,
                     month_before(o.first_month)))
    try:
        insert_rows(session=session, table=Employee.__table__, rows=rows, columns=(
            "person_account", "name", "id_type", "id_number", "gender", "birth_date", "mobile", "department_id",
            "base", "unit_ratio", "person_ratio", "unit_monthly", "person_monthly", "first_month", "paid_through"),
            same={"unit_id": clerk.unit.id, "status": STATUS_ACTIVE, "balance": ZERO,
                  "opened_on": clerk.business_date, "created_at": clerk.now, "updated_at": clerk.now})
    except IntegrityError:   # a concurrent request opened one of these IDs first (uq_employees_active_id)
        raise Problem(409, "conflict", f"{BUSINESS}未办理：其中有职工刚刚由其他请求登记，请刷新后重新提交") from None
    # the reserved 个人账号 are a range of their own: read the new ids back through its unique index
    issued = dict(session.connection().execute(select(Employee.person_account, Employee.id).where(
        Employee.person_account.between(accounts[0], accounts[-1]))).all())
    ids = [issued[account] for account in accounts]
    write_status_log(session=session, clerk=clerk, batch_id=batch_id, entries=[
        StatusEntry(employee_id, "open", o.first_month, STATUS_ACTIVE, base=o.base)
        for employee_id, o in zip(ids, openings)])
    write_change_log(session=session, clerk=clerk, batch_id=batch_id, entries=[
        ChangeEntry(employee_id, "开户", "", f"{o.name}（正常，基数{o.base:.2f}）")
        for employee_id, o in zip(ids, openings)])
    notify(session=session, clerk=clerk, business=BUSINESS, count=len(openings))
    audit_batch(session=session, clerk=clerk, action="employees.open",
                detail={"batch_id": batch_id, "count": len(openings)})
    return [(o.row, account) for o, account in zip(openings, accounts)]

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
from .logs import Clerk, audit_batch, notify, record_batch, write_opening_logs
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
    paid_through: YearMonth      # the month before the first


def open_employees(*, session: Session, clerk: Clerk, rows: Sequence[OpenRow],
                   submission: SignedSubmission) -> list[tuple[int, str]]:
    """[(row, 个人账号)] of the opened accounts, in row order; 422 `rows_invalid` with every problem."""
    check_batch_size(rows, BUSINESS)
    check_unit_active(clerk, BUSINESS)
    policy = reference.policy_for(session=session, day=clerk.business_date)
    departments = dict(session.execute(select(Department.code, Department.id)
                                       .where(Department.unit_id == clerk.unit.id)).all())
    errors = RowErrors()
    checker = _RowChecker(clerk, policy, departments, errors)
    openings = [o for o in (checker.check(i, row) for i, row in enumerate(rows, start=1)) if o is not None]
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


Problems = tuple[tuple[str, str, str], ...]     # (field, code, message) of one cell, without the row


class _RowChecker:
    """Checks the rows of one batch. Bases, ratios and months repeat from row to row (a few hundred distinct
    bases in 10,000 rows, one first month): each distinct cell is parsed and judged once and its outcome —
    the value and its problems — replayed for the rows that repeat it."""

    def __init__(self, clerk: Clerk, policy: Policy, departments: dict[str, int], errors: RowErrors) -> None:
        self.clerk, self.policy, self.departments, self.errors = clerk, policy, departments, errors
        self.bounds = _month_bounds(clerk, policy)
        self.business_date = clerk.business_date
        self.unit_ratios = (clerk.unit.unit_ratio, clerk.unit.person_ratio)
        paid = clerk.unit.paid_through
        self.default_month = paid + 1 if paid is not None else YearMonth.of(clerk.business_date)
        self.bases: dict[object, tuple[Decimal | None, Problems]] = {}
        self.ratios: dict[tuple, tuple[tuple[Decimal | None, Decimal | None], Problems]] = {}
        self.months: dict[object, tuple[tuple[YearMonth, YearMonth] | None, Problems]] = {}   # (first, before)
        self.births: dict[str, dt.date] = {}

    def check(self, row_no: int, row: OpenRow) -> Opening | None:
        errors = self.errors
        before = len(errors.items)
        name = text(row.name)
        if not name:
            errors.add(row_no, "name", "required", "姓名不能为空")
        elif len(name) > MAX_NAME:
            errors.add(row_no, "name", "too_long", f"姓名不能超过{MAX_NAME}个字")
        id_type = text(row.id_type) or ID_TYPE_RESIDENT
        id_number, gender, birth = "", "", None
        if id_type == ID_TYPE_RESIDENT:      # the usual row: no Check object for a good ID
            number, problem = identity.resident_id_problem(text(row.id_number), self.business_date)
            if problem is None:
                id_number = number
                gender = "1" if int(number[16]) % 2 else "2"      # the 17th digit is odd for men
                birth = self.births.get(number[6:14]) or self._birth(number)
            else:
                errors.add(row_no, "id_number", problem.code, problem.message)
        elif id_type not in ID_TYPES:
            errors.add(row_no, "id_type", "id_type", f"证件类型代码不正确：{id_type}")
        else:
            check = identity.check_id(id_type, text(row.id_number), self.business_date)
            if check.ok:
                id_number = check.value
            else:
                errors.add(row_no, "id_number", check.code, check.message)
        mobile = text(row.mobile)
        if mobile:
            number = identity.normal_mobile(mobile)
            if number is not None:
                mobile = number
            else:
                check = identity.check_mobile(mobile)
                errors.add(row_no, "mobile", check.code, check.message)
        department_id = None
        department = text(row.department)
        if department:
            department_id = self.departments.get(department)
            if department_id is None:
                errors.add(row_no, "department", "department_unknown",
                           f"部门代码{department}不存在，请先在单位部门管理中设立该部门")
        base, problems = self.bases.get(row.base) or self._judged(self.bases, row.base, self._base)
        if problems:
            self._add(row_no, problems)
        ratios = (row.unit_ratio, row.person_ratio)
        (unit_ratio, person_ratio), problems = self.ratios.get(ratios) or self._judged(self.ratios, ratios,
                                                                                       self._ratios)
        if problems:
            self._add(row_no, problems)
        months, problems = self.months.get(row.first_month) or self._judged(self.months, row.first_month,
                                                                            self._first_month)
        if problems:
            self._add(row_no, problems)
        if len(errors.items) > before:
            return None
        return Opening(row_no, name, id_type, id_number, gender, birth, mobile, department_id, base, unit_ratio,
                       person_ratio, *months)

    @staticmethod
    def _judged(cache: dict, raw, judge) -> tuple:
        """(value, problems) of a raw cell not seen before in this batch: judge(raw, scratch), remembered."""
        scratch = RowErrors()
        value = judge(raw, scratch)
        known = cache[raw] = value, tuple((e["field"], e["code"], e["message"]) for e in scratch.items)
        return known

    def _add(self, row_no: int, problems: Problems) -> None:
        for field_name, code, message in problems:
            self.errors.add(row_no, field_name, code, message)

    def _base(self, raw, errors: RowErrors) -> Decimal | None:
        base = money_cell(raw, row=None, field_name="base", label="缴存基数", errors=errors)
        if base is not None and (reason := self.policy.check_base(base)):
            errors.add(None, "base", "base_out_of_range", reason)
        return base

    def _ratios(self, raw: tuple, errors: RowErrors) -> tuple[Decimal | None, Decimal | None]:
        policy = self.policy
        raw_unit, raw_person = raw
        unit_ratio = (ratio_cell(raw_unit, row=None, field_name="unit_ratio", label="单位缴存比例", errors=errors)
                      if text(raw_unit) else self.unit_ratios[0])
        person_ratio = (ratio_cell(raw_person, row=None, field_name="person_ratio", label="个人缴存比例",
                                   errors=errors)
                        if text(raw_person) else self.unit_ratios[1])
        for field_name, label, ratio, low, high in (
                ("unit_ratio", "单位缴存比例", unit_ratio, policy.unit_ratio_min, policy.unit_ratio_max),
                ("person_ratio", "个人缴存比例", person_ratio, policy.person_ratio_min, policy.person_ratio_max)):
            if ratio is not None and not low <= ratio <= high:
                errors.add(None, field_name, "ratio_out_of_range",
                           f"{label}{fmt_ratio(ratio)}%不在{fmt_ratio(low)}%–{fmt_ratio(high)}%之间，请核对")
        return unit_ratio, person_ratio

    def _first_month(self, raw, errors: RowErrors) -> tuple[YearMonth, YearMonth] | None:
        """(首次缴存年月, the month before it: the new account's 缴至年月)."""
        if not text(raw):
            return self.default_month, self.default_month - 1
        month = month_cell(raw, row=None, field_name="first_month", label="首次缴存年月", errors=errors)
        if month is None:
            return None
        earliest, latest = self.bounds
        if month < earliest:
            errors.add(None, "first_month", "month_too_early",
                       f"首次缴存年月{month}不能早于{earliest}（单位开户年月及补缴追溯期限），请核对")
        elif month > latest:
            errors.add(None, "first_month", "month_too_late", f"首次缴存年月{month}不能晚于{latest}，请核对")
        return month, month - 1

    def _birth(self, number: str) -> dt.date:
        """Digits 7–14 of a checked resident ID: the birthday (remembered: birthdays repeat in a batch)."""
        birth = self.births[number[6:14]] = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        return birth


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
    rows = []
    for o, account in zip(openings, accounts):
        parts = contribution(o.base, o.unit_ratio, o.person_ratio)
        rows.append((account, o.name, o.id_type, o.id_number, o.gender, o.birth_date, o.mobile, o.department_id,
                     o.base, o.unit_ratio, o.person_ratio, parts.unit, parts.person, o.first_month, o.paid_through))
    try:
        insert_rows(session=session, table=Employee.__table__, rows=rows, columns=(
            "person_account", "name", "id_type", "id_number", "gender", "birth_date", "mobile", "department_id",
            "base", "unit_ratio", "person_ratio", "unit_monthly", "person_monthly", "first_month", "paid_through"),
            same={"unit_id": clerk.unit.id, "status": STATUS_ACTIVE, "balance": ZERO,
                  "opened_on": clerk.business_date, "created_at": clerk.now, "updated_at": clerk.now})
    except IntegrityError:   # a concurrent request opened one of these IDs first (uq_employees_active_id)
        raise Problem(409, "conflict", f"{BUSINESS}未办理：其中有职工刚刚由其他请求登记，请刷新后重新提交") from None
    # the reserved 个人账号 are a range of their own: the logs are copied from those rows in the database
    write_opening_logs(session=session, clerk=clerk, batch_id=batch_id, first_account=accounts[0],
                       last_account=accounts[-1])
    notify(session=session, clerk=clerk, business=BUSINESS, count=len(openings))
    audit_batch(session=session, clerk=clerk, action="employees.open",
                detail={"batch_id": batch_id, "count": len(openings)})
    return [(o.row, account) for o, account in zip(openings, accounts)]

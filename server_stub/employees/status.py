"""缴存人状态变更 (SPEC 4.9): 封存 (only 正常) and 启封 (only 封存, in this unit), each batch all or none.

The effective month is the first month without (封存) or with (启封) contribution, so it must come after
the employee's 缴至年月, and not later than next month. 启封 sets a new base within the policy, and is
refused while the person has a 正常 account in another unit."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from services.dictionaries import Dictionaries
from services.money import fmt_money
from services.policy import Policy, monthly_contribution
from services.yearmonth import YearMonth

from ..reference import service as reference
from .bulk import update_by_id
from .logs import ChangeEntry, Clerk, StatusEntry, audit_batch, notify, record_batch, status_label, \
    write_change_log, write_status_log
from .lookup import Account, accounts_by_id, unit_accounts
from .models import BATCH_SEAL, BATCH_UNSEAL, STATUS_ACTIVE, STATUS_SEALED
from .opening import ELSEWHERE, check_batch_size, check_unit_active
from .rows import RowErrors, latest_month, money_cell, month_cell, text
from .schemas import SealRow, UnsealRow
from .signatures import SignedSubmission

SEAL, UNSEAL = "缴存人封存", "缴存人启封"
STATUS_ITEM = "个人账户状态"


@dataclass(slots=True)
class Change:
    row: int
    account: Account
    reason: str
    month: YearMonth
    base: Decimal | None = None


def seal_employees(*, session: Session, clerk: Clerk, rows: Sequence[SealRow],
                   submission: SignedSubmission) -> list[tuple[int, Account]]:
    check_batch_size(rows, SEAL)
    errors = RowErrors()
    accounts = unit_accounts(session=session, unit_id=clerk.unit.id,
                             person_accounts={text(r.person_account) for r in rows})
    dictionaries = reference.dictionaries(session=session)
    changes = []
    for row_no, row, account in _rows_with_accounts(rows, accounts, errors):
        before = len(errors.items)
        if account is not None and account.status != STATUS_ACTIVE:
            errors.add(row_no, "person_account", "not_active",
                       f"该职工当前状态为{status_label(account.status)}，只有正常状态的职工可以封存")
        reason = _reason(row_no, row.reason, "seal_reason", "封存原因", dictionaries, errors)
        month = _month(row_no, row.effective_month, "封存年月", account, clerk, errors)
        if account is not None and len(errors.items) == before:
            changes.append(Change(row_no, account, reason, month))
    errors.raise_if_any(SEAL)
    _apply(session=session, clerk=clerk, changes=changes, new_status=STATUS_SEALED, submission=submission)
    return [(c.row, c.account) for c in changes]


def unseal_employees(*, session: Session, clerk: Clerk, rows: Sequence[UnsealRow],
                     submission: SignedSubmission) -> list[tuple[int, Account]]:
    check_batch_size(rows, UNSEAL)
    check_unit_active(clerk, UNSEAL)
    errors = RowErrors()
    accounts = unit_accounts(session=session, unit_id=clerk.unit.id,
                             person_accounts={text(r.person_account) for r in rows})
    dictionaries = reference.dictionaries(session=session)
    policy = reference.policy_for(session=session, day=clerk.business_date)
    holders = accounts_by_id(session=session, ids={(a.id_type, a.id_number) for a in accounts.values()})
    changes = []
    for row_no, row, account in _rows_with_accounts(rows, accounts, errors):
        before = len(errors.items)
        if account is not None and account.status != STATUS_SEALED:
            errors.add(row_no, "person_account", "not_sealed",
                       f"该职工当前状态为{status_label(account.status)}，只有封存状态的职工可以启封")
        elif account is not None and any(h.status == STATUS_ACTIVE and h.unit_id != clerk.unit.id
                                         for h in holders.get((account.id_type, account.id_number), ())):
            errors.add(row_no, "person_account", "active_elsewhere", ELSEWHERE)
        reason = _reason(row_no, row.reason, "unseal_reason", "启封原因", dictionaries, errors)
        month = _month(row_no, row.effective_month, "启封年月", account, clerk, errors)
        base = money_cell(row.base, row=row_no, field_name="base", label="缴存基数", errors=errors)
        if base is not None and (problem := policy.check_base(base)):
            errors.add(row_no, "base", "base_out_of_range", problem)
        if account is not None and len(errors.items) == before:
            changes.append(Change(row_no, account, reason, month, base))
    errors.raise_if_any(UNSEAL)
    _apply(session=session, clerk=clerk, changes=changes, new_status=STATUS_ACTIVE, submission=submission,
           policy=policy)
    return [(c.row, c.account) for c in changes]


def _rows_with_accounts(rows, accounts: dict[str, Account], errors: RowErrors):
    """(row number, row, this unit's account or None) for each row; unknown and repeated accounts noted."""
    first_row: dict[str, int] = {}
    for row_no, row in enumerate(rows, start=1):
        number = text(row.person_account)
        account = accounts.get(number)
        if not number:
            errors.add(row_no, "person_account", "required", "个人账号不能为空")
        elif account is None:
            errors.add(row_no, "person_account", "not_found", f"个人账号{number}不存在或不属于本单位，请核对")
        elif number in first_row:
            errors.add(row_no, "person_account", "duplicate_in_batch", f"个人账号与第{first_row[number]}行重复")
            account = None
        else:
            first_row[number] = row_no
        yield row_no, row, account


def _reason(row_no: int, value, dictionary: str, label: str, dictionaries: Dictionaries,
            errors: RowErrors) -> str:
    raw = text(value)
    if not raw:
        errors.add(row_no, "reason", "required", f"{label}不能为空")
        return ""
    code = dictionaries.code_for(dictionary, raw)
    if code is None:
        errors.add(row_no, "reason", "reason_unknown", f"{label}不正确：{raw}（请从下拉列表中选择）")
        return ""
    return code


def _month(row_no: int, value, label: str, account: Account | None, clerk: Clerk,
           errors: RowErrors) -> YearMonth | None:
    month = month_cell(value, row=row_no, field_name="effective_month", label=label, errors=errors)
    if month is None:
        return None
    latest = latest_month(clerk.business_date)
    if month > latest:
        errors.add(row_no, "effective_month", "month_too_late", f"{label}{month}不能晚于{latest}，请核对")
    elif account is not None and account.paid_through is not None and month <= account.paid_through:
        errors.add(row_no, "effective_month", "month_not_after_paid_through",
                   f"{label}{month}应晚于该职工的缴至年月{account.paid_through}，请核对")
    return month


def _apply(*, session: Session, clerk: Clerk, changes: list[Change], new_status: str,
           submission: SignedSubmission, policy: Policy | None = None) -> None:
    unsealing = new_status == STATUS_ACTIVE
    batch_id = record_batch(session=session, clerk=clerk, type=BATCH_UNSEAL if unsealing else BATCH_SEAL,
                            row_count=len(changes), submission=submission)
    values = []
    for c in changes:
        value = {"status": new_status, "updated_at": clerk.now}
        if unsealing:
            parts = monthly_contribution(c.base, c.account.unit_ratio, c.account.person_ratio, policy)
            value.update(base=c.base, unit_monthly=parts.unit, person_monthly=parts.person)
        values.append(value)
    update_by_id(session=session, ids=[c.account.id for c in changes], values=values)
    old_status = STATUS_SEALED if unsealing else STATUS_ACTIVE
    write_status_log(session=session, clerk=clerk, batch_id=batch_id, entries=[
        StatusEntry(c.account.id, "unseal" if unsealing else "seal", c.month, new_status, old_status, c.reason,
                    c.base) for c in changes])
    log = [ChangeEntry(c.account.id, STATUS_ITEM, status_label(old_status), status_label(new_status))
           for c in changes]
    if unsealing:
        log += [ChangeEntry(c.account.id, "缴存基数", fmt_money(c.account.base), fmt_money(c.base))
                for c in changes if c.base != c.account.base]
    write_change_log(session=session, clerk=clerk, batch_id=batch_id, entries=log)
    business = UNSEAL if unsealing else SEAL
    notify(session=session, clerk=clerk, business=business, count=len(changes))
    audit_batch(session=session, clerk=clerk, action="employees.unseal" if unsealing else "employees.seal",
                detail={"batch_id": batch_id, "count": len(changes)})


"""基数调整 (SPEC 4.4) on the centre: the checks of a `base_adjustment` application (at create, edit,
submit and approval) and its effect on approval.

Rules (services.contribution_rules, the ones the desk checks offline, plus what only the centre knows):
only in the policy's adjustment month by the business date (one refusal `not_adjustment_month`); each
row a 正常 employee of this unit, once; the new base within the policy year's limits and different from
the current one; `old_base` the base the centre has now (else the clerk worked from a stale list)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from services.contribution_rules import adjustment_month_problem, new_base_problem
from services.money import fmt_money, parse_money
from services.policy import monthly_contribution

from ..applications.hooks import Approval, Situation
from ..auth.models import Operator
from ..errors import Problem
from ..reference import service as reference
from ..remittance.service import next_month
from .logs import ChangeEntry, Clerk, status_label, write_change_log
from .models import STATUS_ACTIVE, Employee
from .rows import EmployeeRows

BUSINESS = "基数调整"
BASE_ITEM, MONTHLY_ITEM = "缴存基数", "月缴存额"


@dataclass(slots=True)
class Adjustment:
    row: int
    employee: Employee
    new_base: Decimal


def check(situation: Situation, payload: dict) -> list[Adjustment]:
    """At create, edit and submit: outside the adjustment month one refusal; else every problem of every
    row at once (422 `rows_invalid`, `row` = 1-based position in `rows`)."""
    policy = reference.policy_for(session=situation.session, day=situation.business_date)
    problem = adjustment_month_problem(policy, situation.business_date)
    if problem:
        raise Problem(422, "not_adjustment_month", problem,
                      errors=[{"row": None, "field": None, "code": "not_adjustment_month", "message": problem}])
    return _checked(situation, payload)


def _checked(situation: Situation, payload: dict) -> list[Adjustment]:
    session, unit = situation.session, situation.unit
    policy = reference.policy_for(session=session, day=situation.business_date)
    batch = EmployeeRows.load(session=session, unit_id=unit.id, rows=payload["rows"])
    errors = batch.errors
    first_row: dict[str, int] = {}
    adjustments = []
    for row_no, row, employee in batch:
        account = row["person_account"]
        if employee is not None and account in first_row:
            errors.add(row_no, "person_account", "duplicate_in_batch", f"个人账号与第{first_row[account]}行重复")
        elif employee is not None:
            first_row[account] = row_no
        if employee is not None and employee.status != STATUS_ACTIVE:
            errors.add(row_no, "person_account", "not_active",
                       f"该职工当前状态为{status_label(employee.status)}，只有正常状态的职工可以调整基数")
        old_base, new_base = parse_money(row["old_base"]), parse_money(row["new_base"])
        active = employee is not None and employee.status == STATUS_ACTIVE
        if active and old_base != employee.base:
            errors.add(row_no, "old_base", "old_base_stale",
                       f"原缴存基数{fmt_money(old_base)}与中心记录不符（中心记录为{fmt_money(employee.base)}），"
                       f"请刷新后重新录入")
        problem = new_base_problem(new_base, employee.base if active else None, policy)
        if problem is not None:
            errors.add(row_no, problem.field, problem.code, problem.message)
        if batch.clean():
            adjustments.append(Adjustment(row_no, employee, new_base))
    errors.raise_if_any(BUSINESS)
    return adjustments


def apply(approval: Approval) -> str:
    """The new bases take effect: each person's base and monthly parts (monthly_contribution with the policy
    in force on the business date and the person's own ratios, each part rounded separately) count for every
    month assessed from now on; the change log gets 缴存基数 and 月缴存额 (old → new, operator = who asked,
    channel 网上服务大厅).

    The rows are checked again, except the adjustment month: an application submitted in July may be
    approved after July. Months already assessed keep the amounts of their roster snapshot (they are not
    recomputed); the unit makes up the difference by a 补缴 with reason 4 (未按时调整年度基数)."""
    situation = approval.situation
    session, unit = situation.session, situation.unit
    adjustments = _checked(situation, approval.payload)
    policy = reference.policy_for(session=session, day=situation.business_date)
    log = []
    for a in adjustments:
        e = a.employee
        parts = monthly_contribution(a.new_base, e.unit_ratio, e.person_ratio, policy)
        log.append(ChangeEntry(e.id, BASE_ITEM, fmt_money(e.base), fmt_money(a.new_base)))
        if parts.total != e.monthly_total:
            log.append(ChangeEntry(e.id, MONTHLY_ITEM, fmt_money(e.monthly_total), fmt_money(parts.total)))
        e.base, e.unit_monthly, e.person_monthly = a.new_base, parts.unit, parts.person
        e.updated_at = situation.now
    session.flush()
    write_change_log(session=session, clerk=_clerk(session, approval), batch_id=None, entries=log)
    first = next_month(session=session, unit=unit)
    return f"{len(adjustments)}名职工的缴存基数已调整，自{first.display()}起的汇缴核定按新的月缴存额计算。"


def _clerk(session: Session, approval: Approval) -> Clerk:
    """The change log names the operator who asked for the adjustment."""
    operator = session.get(Operator, approval.application.operator_id)
    situation = approval.situation
    return Clerk(situation.unit, operator, operator.name, situation.business_date, situation.now)

"""Units: creating one (issuing its 单位账号 and opening its account), the home-page figures, and the
单位信息变更: checking a change list, applying it with its change-log rows (客户信息变更查询)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from services.dictionaries import Dictionaries
from services.money import ZERO

from ..employees.models import STATUS_ACTIVE, STATUS_SEALED, Employee
from ..errors import Problem
from ..ledger.models import UnitAccount
from ..numbering.service import next_unit_account
from ..orm import money_sum
from ..paging import PageParams, paginate
from . import fields
from .models import Unit, UnitChange

CHANNEL_ONLINE = "网上服务大厅"


@dataclass(frozen=True)
class UnitFigures:
    balance: Decimal
    unallocated: Decimal
    active_count: int
    sealed_count: int
    monthly_total: Decimal


def create_unit(*, session: Session, now: dt.datetime, **fields) -> Unit:
    """A new unit with a server-issued 单位账号 and an empty account."""
    unit = Unit(unit_account=next_unit_account(session=session), created_at=now, updated_at=now, **fields)
    session.add(unit)
    session.flush()
    session.add(UnitAccount(unit_id=unit.id, balance=ZERO, unallocated=ZERO, updated_at=now))
    session.flush()
    return unit


def find_unit(*, session: Session, unit_account: str) -> Unit | None:
    return session.scalars(select(Unit).where(Unit.unit_account == unit_account)).first()


def find_unit_by_uscc(*, session: Session, uscc: str) -> Unit | None:
    return session.scalars(select(Unit).where(Unit.uscc == uscc)).first()


def figures(*, session: Session, unit_id: int) -> UnitFigures:
    """余额, 暂存款, 缴存人数, 封存人数, 月缴存额合计, from the tables."""
    active = Employee.status == STATUS_ACTIVE
    active_count, sealed_count, monthly_total = session.execute(select(
        func.count().filter(active),
        func.count().filter(Employee.status == STATUS_SEALED),
        money_sum(case((active, Employee.unit_monthly + Employee.person_monthly), else_=0)),
    ).where(Employee.unit_id == unit_id)).one()
    account = session.get(UnitAccount, unit_id)
    return UnitFigures(
        balance=account.balance if account else ZERO, unallocated=account.unallocated if account else ZERO,
        active_count=active_count, sealed_count=sealed_count, monthly_total=monthly_total,
    )


# -- 单位信息变更 ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


def check_changes(*, unit: Unit, changes: list[dict], dictionaries: Dictionaries,
                  business_date: dt.date) -> list[FieldChange]:
    """The change list normalised, or 422 `unit_change_invalid` naming every bad item: a locked or unknown
    field, a field twice, an old value that is no longer the unit's, a new value equal to the old one or
    not valid for the field."""
    errors: list[dict] = []
    requested: dict[str, str] = {}
    for row, change in enumerate(changes, start=1):
        name, new = str(change.get("field", "")), fields.as_text(change.get("new"))
        if name in fields.LOCKED:
            _error(errors, row, name, "field_locked",
                   f"{fields.LOCKED[name]}不能在网上变更，如需变更请携带证明材料到公积金中心柜台办理")
        elif name not in fields.EDITABLE:
            _error(errors, row, name, "field_unknown", f"“{name}”不是可以变更的单位信息项目")
        elif name in requested:
            _error(errors, row, name, "field_repeated", f"{fields.LABELS[name]}重复填写，请只保留一项")
        else:
            requested[name] = new
    values = {name: fields.as_text(getattr(unit, name)) for name in fields.EDITABLE} | requested
    context = fields.Context(values, dictionaries, business_date)
    result = []
    for row, change in enumerate(changes, start=1):
        name = str(change.get("field", ""))
        if name not in requested or any(e["row"] == row for e in errors):
            continue
        unit_field = fields.EDITABLE[name]
        current, old = fields.as_text(getattr(unit, name)), fields.as_text(change.get("old"))
        new, problem = unit_field.check(requested[name], context)
        if old != current:
            _error(errors, row, name, "old_value_changed",
                   f"{unit_field.label}的原值与当前登记信息不一致（当前为“{current}”），请刷新后重新填写")
        elif new == current:
            _error(errors, row, name, "value_unchanged", f"{unit_field.label}的新值与原值相同，无需变更")
        elif problem:
            _error(errors, row, name, "value_invalid", problem)
        else:
            result.append(FieldChange(name, current, new))
    if errors:
        raise Problem(422, "unit_change_invalid", "单位信息变更内容有误：" + "；".join(e["message"] for e in errors),
                      errors=errors)
    return result


def _error(errors: list[dict], row: int, field: str, code: str, message: str) -> None:
    errors.append({"row": row, "field": field, "code": code, "message": message})


def apply_changes(*, session: Session, unit_id: int, changes: list[FieldChange], operator: str, channel: str,
                  changed_on: dt.date, now: dt.datetime, application_id: int | None = None) -> list[UnitChange]:
    """Set the fields and write one change-log row each (old = the value actually replaced)."""
    unit = session.get(Unit, unit_id, with_for_update=True)
    rows = []
    for change in changes:
        old = fields.as_text(getattr(unit, change.field))
        setattr(unit, change.field, int(change.new) if change.field == "pay_day" else change.new)
        rows.append(UnitChange(unit_id=unit_id, changed_on=changed_on, at=now, field=change.field,
                               item=fields.LABELS[change.field], old=old, new=change.new, operator=operator[:100],
                               channel=channel, application_id=application_id))
    unit.updated_at = now
    session.add_all(rows)
    session.flush()
    return rows


def list_changes(*, session: Session, unit_id: int, params: PageParams, day_from: dt.date | None = None,
                 day_to: dt.date | None = None) -> tuple[list[UnitChange], int]:
    statement = select(UnitChange).where(UnitChange.unit_id == unit_id)
    if day_from is not None:
        statement = statement.where(UnitChange.changed_on >= day_from)
    if day_to is not None:
        statement = statement.where(UnitChange.changed_on <= day_to)
    return paginate(session=session, statement=statement.order_by(UnitChange.changed_on.desc(), UnitChange.id.desc()),
                    params=params)

"""What approving a self-registration does, in the approval's transaction: the unit exists (with a
server-issued 单位账号 and an empty account) and so does its first operator (the argon2 hash given at
registration). The UKey comes next, from `gjj-centre issue-ukey`."""
from __future__ import annotations

from services.dictionaries import Dictionaries
from services.identity import ID_TYPES
from services.money import D

from ..applications.hooks import Approval, ChangeRow
from ..auth.models import Operator
from ..errors import Problem
from ..units import fields as unit_fields
from ..units import service as units
from .models import Registration

UNIT_FIELDS = ("name", "uscc", "address", "postcode", "email", "legal_rep_name", "legal_rep_id_type",
               "legal_rep_id_number", "contact_name", "contact_mobile", "contact_phone", "pay_day", "industry",
               "economic_type")
RATIO_LABELS = {"unit_ratio": "单位缴存比例（%）", "person_ratio": "个人缴存比例（%）"}
OPERATOR_LABELS = {"name": "经办人姓名", "id_type": "经办人证件类型", "id_number": "经办人证件号码",
                   "mobile": "经办人手机", "login_name": "经办人登录名"}


def approve(approval: Approval) -> str:
    situation, payload = approval.situation, approval.payload
    session = situation.session
    registration = session.get(Registration, approval.application.id, with_for_update=True)
    if units.find_unit_by_uscc(session=session, uscc=registration.uscc) is not None:
        raise Problem(409, "uscc_registered",
                      f"统一社会信用代码{registration.uscc}已有开户单位，不能重复开户；请选择不予受理并说明原因")
    unit = units.create_unit(
        session=session, now=situation.now, status="01", opened_on=situation.business_date, paid_through=None,
        unit_ratio=D(payload["unit_ratio"]), person_ratio=D(payload["person_ratio"]),
        **{name: (int(payload[name]) if name == "pay_day" else payload[name]) for name in UNIT_FIELDS})
    person = payload["operator"]
    operator = Operator(unit_id=unit.id, login_name=person["login_name"], name=person["name"], mobile=person["mobile"],
                        id_type=person["id_type"], id_number=person["id_number"],
                        password_hash=registration.password_hash, password_changed_at=situation.now,
                        created_at=situation.now)
    session.add(operator)
    session.flush()
    registration.unit_id = unit.id
    approval.application.unit_id = unit.id
    approval.application.operator_id = operator.id
    return (f"贵单位已开户，单位账号{unit.unit_account}，经办人登录名{operator.login_name}。"
            "请携带营业执照和经办人身份证件到公积金中心领取UKey，之后即可登录网上服务大厅。")


def describe(payload: dict, dictionaries: Dictionaries) -> list[ChangeRow]:
    """A new unit: every field is "— → value"."""
    rows = [ChangeRow(unit_fields.LABELS.get(name, name), "",
                      unit_fields.display(name, unit_fields.as_text(payload.get(name)), dictionaries))
            for name in UNIT_FIELDS]
    rows += [ChangeRow(label, "", str(payload.get(name, ""))) for name, label in RATIO_LABELS.items()]
    person = payload.get("operator", {})
    for name, label in OPERATOR_LABELS.items():
        value = str(person.get(name, ""))
        rows.append(ChangeRow(label, "", ID_TYPES.get(value, value) if name == "id_type" else value))
    return rows

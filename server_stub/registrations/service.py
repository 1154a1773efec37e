"""自主开户 (SPEC 4.13): a unit registers itself without a login. The answer is an application number and a
query code (kept only as SHA-256); with both, the applicant uploads the business licence, submits, looks up
the status, and corrects a returned registration. The flow is the common one (applications.service);
approval creates the unit and its first operator (registrations.apply). Rate limited per client address."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.identity import ID_TYPES, check_id, check_mobile, check_uscc
from services.money import D, MoneyError

from ..applications import catalogue
from ..applications import service as applications
from ..applications.hooks import Situation
from ..applications.models import DRAFT, RETURNED, Application
from ..attachments import service as attachments
from ..auth.passwords import MAX_LENGTH, MIN_LENGTH, Passwords
from ..config import CentreConfig
from ..errors import Problem
from ..reference import service as reference
from ..timefmt import hhmm
from ..units import fields as unit_fields
from ..units import service as units
from .models import Registration
from .schemas import RegistrationCreate

QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # no 0/O, 1/I
QUERY_CODE_LENGTH = 8
LOGIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{2,39}")
CHECKED_UNIT_FIELDS = ("address", "postcode", "email", "legal_rep_id_type", "legal_rep_id_number", "legal_rep_name",
                       "contact_name", "contact_mobile", "contact_phone", "pay_day", "industry", "economic_type")
NOT_FOUND = "申请编号或查询码不正确，请核对"


def applicant(payload: dict) -> applications.Actor:
    name = payload.get("operator", {}).get("name") or "自主开户申请人"
    return applications.Actor(name, "applicant", "applicant", "自主开户申请人")


def _kind():
    return catalogue.of(catalogue.REGISTRATION)


# -- checks ---------------------------------------------------------------------------------------

def check_registration(body: RegistrationCreate, where: Situation) -> dict:
    """The registration as stored (no password), or 422 listing every problem; a USCC whose check
    character does not match is 422 `uscc_checksum_warning` until the applicant confirms it."""
    data = body.model_dump(exclude={"operator"})
    data["contact_name"] = data["contact_name"] or body.operator.name
    data["contact_mobile"] = data["contact_mobile"] or body.operator.mobile
    errors: list[dict] = []

    def error(field: str, code: str, message: str) -> None:
        errors.append({"row": None, "field": field, "code": code, "message": message})

    name = data["name"].strip()
    if not name:
        error("name", "required", "单位名称不能为空")
    uscc = check_uscc(data["uscc"])
    if not uscc.ok and uscc.level == "error":
        error("uscc", uscc.code, uscc.message)
    values = {f: unit_fields.as_text(data[f]) for f in CHECKED_UNIT_FIELDS}
    context = unit_fields.Context(values, where.dictionaries, where.business_date)
    for field in CHECKED_UNIT_FIELDS:
        values[field], problem = unit_fields.EDITABLE[field].check(values[field], context)
        if problem:
            error(field, "invalid", problem)
    ratios = _ratios(data, where, error)
    person = _operator(body, where, error)
    if errors:
        raise Problem(422, "validation_error", "开户信息有误：" + "；".join(e["message"] for e in errors), errors=errors)
    if not uscc.ok and not body.uscc_confirmed:
        raise Problem(422, "uscc_checksum_warning", uscc.message,
                      errors=[{"row": None, "field": "uscc", "code": uscc.code, "message": uscc.message}])
    return {**values, "pay_day": int(values["pay_day"]), "name": name, "uscc": uscc.value,
            "uscc_confirmed": body.uscc_confirmed, **ratios, "operator": person}


def _ratios(data: dict, where: Situation, error) -> dict:
    try:
        unit_ratio, person_ratio = D(data["unit_ratio"]), D(data["person_ratio"])
    except (MoneyError, TypeError):
        error("unit_ratio", "invalid", "缴存比例应为数字（百分比），如12")
        return {}
    problem = reference.policy_for(session=where.session, day=where.business_date).check_ratios(unit_ratio,
                                                                                              person_ratio)
    if problem:
        error("unit_ratio", "ratio_out_of_range", problem)
    return {"unit_ratio": format(unit_ratio.normalize(), "f"), "person_ratio": format(person_ratio.normalize(), "f")}


def _operator(body: RegistrationCreate, where: Situation, error) -> dict:
    person = body.operator
    if not person.name.strip():
        error("operator.name", "required", "经办人姓名不能为空")
    if person.id_type not in ID_TYPES:
        error("operator.id_type", "invalid", f"经办人证件类型代码“{person.id_type}”不正确")
    identity = check_id(person.id_type, person.id_number, where.business_date)
    if person.id_type in ID_TYPES and not identity.ok:
        error("operator.id_number", identity.code, f"经办人{identity.message}")
    mobile = check_mobile(person.mobile)
    if not mobile.ok:
        error("operator.mobile", mobile.code, f"经办人{mobile.message}")
    if not LOGIN_NAME.fullmatch(person.login_name):
        error("operator.login_name", "invalid", "登录名应为3–40位字母、数字、下划线、点或减号，并以字母开头")
    password = person.password
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH or not re.search(r"[A-Za-z]", password) \
            or not re.search(r"\d", password):
        error("operator.password", "password_too_weak", f"登录密码应为{MIN_LENGTH}–{MAX_LENGTH}位，且同时包含字母和数字")
    return {"name": person.name.strip(), "id_type": person.id_type, "id_number": identity.value,
            "mobile": mobile.value, "login_name": person.login_name}


def _refuse_taken(session: Session, uscc: str, application_id: int | None = None) -> None:
    if units.find_unit_by_uscc(session=session, uscc=uscc) is not None:
        raise Problem(409, "uscc_registered",
                      "该统一社会信用代码已开户，不能重复申请；如需找回单位账号，请联系公积金中心")
    applications.refuse_in_flight(session=session, kind=_kind(), application_id=application_id,
                                  subjects=_kind().subjects(None, {"uscc": uscc}))


def _rate_limit(session: Session, config: CentreConfig, client_address: str, now: dt.datetime) -> None:
    window = dt.timedelta(minutes=config.registration_window_minutes)
    recent = list(session.scalars(select(Registration.created_at).where(
        Registration.client_address == client_address[:64], Registration.created_at > now - window)
        .order_by(Registration.created_at)))
    if len(recent) >= config.registration_limit:
        free_at = recent[len(recent) - config.registration_limit] + window
        raise Problem(429, "rate_limited",
                      f"本网络地址提交开户申请过于频繁（每{config.registration_window_minutes}分钟最多"
                      f"{config.registration_limit}次），请于{hhmm(free_at, config.timezone)}后再试",
                      headers={"Retry-After": str(max(1, int((free_at - now).total_seconds()) + 1))})


# -- the applicant's calls ------------------------------------------------------------------------

def register(*, session: Session, body: RegistrationCreate, passwords: Passwords, config: CentreConfig,
             now: dt.datetime, client_address: str) -> tuple[Application, str]:
    """A draft registration and its query code (shown once)."""
    _rate_limit(session, config, client_address, now)
    where = applications.situation(session=session, unit=None, now=now)
    payload = check_registration(body, where)
    _refuse_taken(session, payload["uscc"])
    application = applications.new_application(session=session, kind=_kind(), unit_id=None, operator_id=None,
                                               payload=payload, signed=None, business_date=where.business_date,
                                               now=now)
    query_code = "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))
    session.add(Registration(application_id=application.id, uscc=payload["uscc"], query_code_sha256=_digest(query_code),
                             password_hash=passwords.hash(body.operator.password), client_address=client_address[:64],
                             created_at=now))
    session.flush()
    applications.audit_action(session, application, applicant(payload), "registration.create", now, client_address)
    return application, query_code


def find(*, session: Session, application_no: str, query_code: str,
         lock: bool = False) -> tuple[Application, Registration]:
    statement = select(Application).where(Application.application_no == application_no,
                                          Application.type == catalogue.REGISTRATION)
    application = session.scalars(statement.with_for_update() if lock else statement).first()
    registration = session.get(Registration, application.id) if application is not None else None
    if registration is None or not hmac.compare_digest(registration.query_code_sha256, _digest(query_code)):
        raise Problem(404, "not_found", NOT_FOUND)
    return application, registration


def replace(*, session: Session, application_no: str, query_code: str, body: RegistrationCreate,
            passwords: Passwords, now: dt.datetime, client_address: str) -> Application:
    """Correct a draft or returned registration (the query code stays the same); then submit again."""
    application, registration = find(session=session, application_no=application_no, query_code=query_code,
                                     lock=True)
    applications.require_editable(application)
    payload = check_registration(body, applications.situation(session=session, unit=None, now=now))
    _refuse_taken(session, payload["uscc"], application.id)
    applications.add_version(session=session, application=application, payload=payload, signed=None,
                             operator_id=None, now=now)
    registration.uscc = payload["uscc"]
    registration.password_hash = passwords.hash(body.operator.password)
    applications.audit_action(session, application, applicant(payload), "registration.update", now, client_address)
    return application


def submit(*, session: Session, application_no: str, query_code: str, now: dt.datetime,
           client_address: str) -> Application:
    application, registration = find(session=session, application_no=application_no, query_code=query_code,
                                     lock=True)
    if application.status in (DRAFT, RETURNED):
        _refuse_taken(session, registration.uscc, application.id)
    payload = applications.payload_of(session=session, application=application)
    return applications.submit(session=session, application=application, actor=applicant(payload), unit=None,
                               now=now, client_address=client_address)


def remove_attachment(*, session: Session, application_no: str, query_code: str, attachment_id: int,
                      now: dt.datetime) -> None:
    application, _ = find(session=session, application_no=application_no, query_code=query_code, lock=True)
    applications.require_editable(application)
    attachments.remove(session=session, application_id=application.id, attachment_id=attachment_id)
    application.updated_at = now


def _digest(query_code: str) -> str:
    return hashlib.sha256(query_code.strip().upper().encode("utf-8")).hexdigest()

"""The approval workflow, once for every type: create (signed) → attachments → submit → 中心初审 →
(中心复审) → 办结, or 退回 (back in the unit's 待办: edit and resubmit, or 结束流程) or 不予受理. Every step
is recorded (who, node, decision, opinion, time) and every transition sends the unit a message. Approval
runs the type's apply hook in the same transaction."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.signing import submission_message

from ..attachments import service as attachments
from ..attachments.models import Attachment
from ..attachments.upload import Upload
from ..audit import service as audit
from ..auth.models import CentreUser, Operator
from ..auth.service import UnitPrincipal
from ..config import CentreConfig
from ..employees.signatures import verify_submission
from ..errors import Problem, not_found
from ..messages import service as messages
from ..numbering.service import next_value
from ..paging import PageParams, paginate
from ..reference import service as reference
from ..timefmt import zone
from ..ukeys.models import UkeyCertificate
from ..units.models import Unit
from . import catalogue
from .catalogue import ApplicationType
from .hooks import Approval, Situation
from .models import (APPROVED, DRAFT, ENDED, FINISHED, NODE_DONE, NODE_ENDED, NODE_FIRST, NODE_REJECTED,
                     NODE_SECOND, NODE_SUBMIT, PENDING, REJECTED, RETURNED, STATUS_LABELS, Application,
                     ApplicationHold, ApplicationStep, ApplicationVersion)

DECISIONS = {"approve": "审核通过", "return": "退回", "reject": "不予受理"}


@dataclass(frozen=True)
class Actor:
    """Who acts on an application, as the steps and the audit log name them."""
    name: str
    kind: str          # unit | centre | applicant
    ref: str           # operator:7 | centre:1 | applicant
    audit_name: str

    @classmethod
    def of_unit(cls, principal: UnitPrincipal) -> "Actor":
        return cls(principal.operator.name, "unit", f"operator:{principal.operator.id}", principal.actor)

    @classmethod
    def of_centre(cls, user: CentreUser) -> "Actor":
        return cls(user.name, "centre", f"centre:{user.id}", user.username)


@dataclass(frozen=True)
class Signed:
    """A verified UKey signature over a submission, as kept with the payload version."""
    signature: str
    signed_data: str
    certificate: UkeyCertificate


@dataclass(frozen=True)
class Detail:
    application: Application
    version: ApplicationVersion
    payload: dict
    steps: list[ApplicationStep]
    attachments: list[Attachment]
    initiator: Operator | None
    signer: Operator | None            # who signed the current version
    unit: Unit | None
    certificate: UkeyCertificate | None


# -- reading --------------------------------------------------------------------------------------

def kind_of(code: str, *, unit_business: bool = True) -> ApplicationType:
    kind = catalogue.TYPES.get(code)
    if kind is None or kind.unit_business != unit_business:
        choices = "、".join(catalogue.UNIT_TYPES)
        raise Problem(422, "type_unknown", f"业务类型“{code}”不正确，可选：{choices}")
    return kind


def get_for_unit(*, session: Session, unit_id: int, application_id: int, lock: bool = False) -> Application:
    application = session.get(Application, application_id, with_for_update=lock)
    if application is None or application.unit_id != unit_id:
        raise not_found("业务申请")
    return application


def get_any(*, session: Session, application_id: int, lock: bool = False) -> Application:
    application = session.get(Application, application_id, with_for_update=lock)
    if application is None:
        raise Problem(404, "not_found", "业务申请不存在")
    return application


def current_version(*, session: Session, application: Application) -> ApplicationVersion:
    return session.scalars(select(ApplicationVersion).where(
        ApplicationVersion.application_id == application.id,
        ApplicationVersion.version == application.version)).one()


def payload_of(*, session: Session, application: Application) -> dict:
    return catalogue.load_payload(current_version(session=session, application=application).payload)


def detail(*, session: Session, application: Application) -> Detail:
    version = current_version(session=session, application=application)
    steps = list(session.scalars(select(ApplicationStep).where(ApplicationStep.application_id == application.id)
                                 .order_by(ApplicationStep.at, ApplicationStep.id)))
    return Detail(
        application=application, version=version, payload=catalogue.load_payload(version.payload), steps=steps,
        attachments=attachments.list_for(session=session, application_id=application.id),
        initiator=session.get(Operator, application.operator_id) if application.operator_id else None,
        signer=session.get(Operator, version.operator_id) if version.operator_id else None,
        unit=session.get(Unit, application.unit_id) if application.unit_id else None,
        certificate=session.get(UkeyCertificate, version.certificate_id) if version.certificate_id else None)


def flow_of(application: Application, steps: list[ApplicationStep], config: CentreConfig) -> list[str]:
    """The nodes the client draws: 经办人提交 → 中心初审 → (中心复审) → 办结, or the way it ended."""
    nodes = [NODE_SUBMIT, NODE_FIRST]
    if catalogue.of(application.type).second_review(config) or any(s.node == NODE_SECOND for s in steps):
        nodes.append(NODE_SECOND)
    ending = {REJECTED: NODE_REJECTED, ENDED: NODE_ENDED}.get(application.status, NODE_DONE)
    return nodes + [ending]


def latest_opinion(steps: list[ApplicationStep]) -> str:
    decided = [s for s in steps if s.actor_kind == "centre" and s.opinion]
    return decided[-1].opinion if decided else ""


def list_for_unit(*, session: Session, unit_id: int, operator_id: int, box: str, params: PageParams,
                  type_code: str | None = None, status: str | None = None, day_from: dt.date | None = None,
                  day_to: dt.date | None = None, tz: str = "Asia/Shanghai") -> tuple[list[Application], int]:
    """待办 (returned to the unit), 已办 (finished), 我发起的 (started by this operator), newest first."""
    statement = select(Application).where(Application.unit_id == unit_id)
    if box == "todo":
        statement = statement.where(Application.status == RETURNED)
    elif box == "done":
        statement = statement.where(Application.status.in_(FINISHED))
    else:
        statement = statement.where(Application.operator_id == operator_id)
    return _filtered(session=session, statement=statement, params=params, type_code=type_code, status=status,
                     day_from=day_from, day_to=day_to, tz=tz)


def centre_queue(*, session: Session, params: PageParams, status: str | None = PENDING, type_code: str | None = None,
                 day_from: dt.date | None = None, day_to: dt.date | None = None,
                 tz: str = "Asia/Shanghai") -> tuple[list[Application], int]:
    """Everything submitted (drafts are the unit's own business), self-registrations included."""
    statement = select(Application).where(Application.status != DRAFT)
    return _filtered(session=session, statement=statement, params=params, type_code=type_code, status=status,
                     day_from=day_from, day_to=day_to, tz=tz, oldest_first=status == PENDING)


def _filtered(*, session: Session, statement, params: PageParams, type_code: str | None, status: str | None,
              day_from: dt.date | None, day_to: dt.date | None, tz: str, oldest_first: bool = False):
    if type_code:
        statement = statement.where(Application.type == type_code)
    if status:
        statement = statement.where(Application.status == status)
    if day_from is not None:
        statement = statement.where(Application.updated_at >= _start_of(day_from, tz))
    if day_to is not None:
        statement = statement.where(Application.updated_at < _start_of(day_to + dt.timedelta(days=1), tz))
    order = (Application.updated_at, Application.id) if oldest_first else \
        (Application.updated_at.desc(), Application.id.desc())
    return paginate(session=session, statement=statement.order_by(*order), params=params)


def _start_of(day: dt.date, tz: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), zone(tz)).astimezone(dt.timezone.utc)


# -- creating and changing ------------------------------------------------------------------------

def situation(*, session: Session, unit: Unit | None, now: dt.datetime) -> Situation:
    return Situation(session, unit, reference.dictionaries(session=session),
                     reference.business_date(session=session), now)


def check_payload(kind: ApplicationType, payload: dict) -> None:
    """The payload's shape (422 with every bad field, named from `payload.`). The payload itself is kept
    as sent: it is what the signature covers."""
    try:
        kind.payload_model.model_validate(payload)
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", "payload", *e["loc"])} for e in exc.errors()]) from None


def verify_signature(*, session: Session, principal: UnitPrincipal, method: str, path: str, body: dict,
                     now: dt.datetime) -> Signed:
    """The UKey signature of API.md "Signed submissions", checked against the session's certificate (the
    check employees' direct businesses use: 403 `bad_signature`)."""
    submission = verify_submission(session=session, principal=principal, method=method, path=path, body=body, now=now)
    return Signed(submission.signature.strip(), submission_message(method, path, body).decode("utf-8"),
                  session.get(UkeyCertificate, submission.certificate_id))


def next_application_no(*, session: Session, business_date: dt.date) -> str:
    day = business_date.strftime("%Y%m%d")
    return f"SQ{day}{next_value(session=session, name=f'application:{day}'):06d}"


def new_application(*, session: Session, kind: ApplicationType, unit_id: int | None, operator_id: int | None,
                    payload: dict, signed: Signed | None, business_date: dt.date, now: dt.datetime) -> Application:
    application = Application(
        application_no=next_application_no(session=session, business_date=business_date), type=kind.code,
        status=DRAFT, current_node=NODE_SUBMIT, unit_id=unit_id, operator_id=operator_id,
        title=kind.title(payload)[:200], version=0, created_at=now, updated_at=now)
    session.add(application)
    session.flush()
    add_version(session=session, application=application, payload=payload, signed=signed, operator_id=operator_id,
                now=now)
    return application


def add_version(*, session: Session, application: Application, payload: dict, signed: Signed | None,
                operator_id: int | None, now: dt.datetime) -> ApplicationVersion:
    application.version += 1
    application.title = catalogue.of(application.type).title(payload)[:200]
    application.updated_at = now
    row = ApplicationVersion(
        application_id=application.id, version=application.version, payload=catalogue.dump_payload(payload),
        signature=signed.signature if signed else "", signed_data=signed.signed_data if signed else "",
        certificate_id=signed.certificate.id if signed else None,
        certificate_serial=signed.certificate.serial if signed else "",
        certificate_fingerprint=signed.certificate.fingerprint_sha256 if signed else "",
        operator_id=operator_id, created_at=now)
    session.add(row)
    session.flush()
    return row


def create(*, session: Session, principal: UnitPrincipal, type_code: str, payload: dict, body: dict, method: str,
           path: str, now: dt.datetime, client_address: str) -> Application:
    """A draft: shape and current-data checks, not in flight elsewhere, the signature verified and kept."""
    kind = kind_of(type_code)
    check_payload(kind, payload)
    where = situation(session=session, unit=principal.unit, now=now)
    if kind.check:
        kind.check(where, payload)
    refuse_in_flight(session=session, kind=kind, subjects=kind.subjects(principal.unit.id, payload))
    signed = verify_signature(session=session, principal=principal, method=method, path=path, body=body,
                              now=now)
    application = new_application(session=session, kind=kind, unit_id=principal.unit.id,
                                  operator_id=principal.operator.id, payload=payload, signed=signed,
                                  business_date=where.business_date, now=now)
    audit_action(session, application, Actor.of_unit(principal), "application.create", now, client_address)
    return application


def replace_payload(*, session: Session, principal: UnitPrincipal, application_id: int, payload: dict, body: dict,
                    method: str, path: str, now: dt.datetime, client_address: str) -> Application:
    """修改后重新提交, first half: a new signed payload version of a draft or returned application."""
    application = get_for_unit(session=session, unit_id=principal.unit.id, application_id=application_id, lock=True)
    require_editable(application)
    kind = catalogue.of(application.type)
    check_payload(kind, payload)
    if kind.check:
        kind.check(situation(session=session, unit=principal.unit, now=now), payload)
    signed = verify_signature(session=session, principal=principal, method=method, path=path, body=body,
                              now=now)
    add_version(session=session, application=application, payload=payload, signed=signed,
                operator_id=principal.operator.id, now=now)
    audit_action(session, application, Actor.of_unit(principal), "application.update", now, client_address)
    return application


def require_editable(application: Application) -> None:
    if application.status == PENDING:
        raise Problem(409, "application_pending", "该业务正在中心审核中，不能修改、上传附件或结束流程")
    if application.status in FINISHED:
        raise Problem(409, "application_finished",
                      f"该业务已{STATUS_LABELS[application.status]}，不能再修改；如需办理请重新发起")


# -- attachments ----------------------------------------------------------------------------------

def check_upload(*, session: Session, application: Application, kind_code: str | None) -> str:
    """Before the bytes arrive: the application takes attachments, has room, and the kind fits its type."""
    require_editable(application)
    attachments.check_room(session=session, application_id=application.id)
    kind = catalogue.of(application.type)
    code = kind_code or kind.default_kind
    if code not in kind.attachment_kinds:
        choices = "、".join(f"{r.kind}（{r.label}）" for r in kind.attachment_kinds.values())
        raise Problem(422, "attachment_kind", f"附件类别“{code}”不适用于{kind.label}，可选：{choices}")
    return code


def add_attachment(*, session: Session, application_id: int, upload: Upload, kind_code: str, uploaded_by: str,
                   now: dt.datetime) -> Attachment:
    application = get_any(session=session, application_id=application_id, lock=True)
    check_upload(session=session, application=application, kind_code=kind_code)
    application.updated_at = now
    return attachments.record(session=session, application_id=application.id, stored=upload.file, label=upload.label,
                              kind=kind_code, uploaded_by=uploaded_by, now=now)


def remove_attachment(*, session: Session, principal: UnitPrincipal, application_id: int, attachment_id: int,
                      now: dt.datetime) -> None:
    application = get_for_unit(session=session, unit_id=principal.unit.id, application_id=application_id, lock=True)
    require_editable(application)
    attachments.remove(session=session, application_id=application.id, attachment_id=attachment_id)
    application.updated_at = now


# -- the flow -------------------------------------------------------------------------------------

def submit(*, session: Session, application: Application, actor: Actor, unit: Unit | None, now: dt.datetime,
           client_address: str) -> Application:
    """draft/returned → pending (中心初审). Call with the application locked."""
    if application.status == PENDING:
        raise Problem(409, "application_pending", "该业务已提交，正在等待中心审核，请勿重复提交")
    require_editable(application)
    kind = catalogue.of(application.type)
    if kind.apply is None:
        raise kind.not_supported()
    payload = payload_of(session=session, application=application)
    if kind.check:
        kind.check(situation(session=session, unit=unit, now=now), payload)
    missing = attachments.missing_required(session=session, application_id=application.id, rules=kind.attachments)
    if missing:
        raise Problem(422, "attachments_missing", f"请上传{'、'.join(missing)}后再提交审批")
    _take_holds(session=session, application=application, kind=kind,
                subjects=kind.subjects(application.unit_id, payload))
    again = application.submitted_at is not None
    application.status, application.current_node = PENDING, NODE_FIRST
    application.submitted_at = application.updated_at = now
    _step(session, application, NODE_SUBMIT, "resubmit" if again else "submit", actor, "", now)
    _notify(session, application, kind, "已重新提交" if again else "已提交",
            "等待公积金中心审核。", now)
    audit_action(session, application, actor, "application.submit", now, client_address)
    return application


def decide(*, session: Session, application_id: int, reviewer: CentreUser, decision: str, opinion: str,
           config: CentreConfig, now: dt.datetime, client_address: str) -> Application:
    """A reviewer's decision at the node the application waits at."""
    application = get_any(session=session, application_id=application_id, lock=True)
    if application.status != PENDING:
        raise Problem(409, "not_pending",
                      f"该业务当前状态为“{STATUS_LABELS[application.status]}”，不在待审核队列中，请刷新")
    if decision not in DECISIONS:
        raise Problem(422, "decision_invalid", "审批结论应为 approve（通过）、return（退回）或 reject（不予受理）")
    opinion = opinion.strip()
    if decision != "approve" and not opinion:
        raise Problem(422, "opinion_required", "退回或不予受理时请填写审批意见，说明原因和需要补正的内容")
    actor, node, kind = Actor.of_centre(reviewer), application.current_node, catalogue.of(application.type)
    if node == NODE_SECOND and _first_reviewer(session, application) == actor.ref:
        raise Problem(409, "same_reviewer", "复审须由初审以外的审核员办理")
    final = decision == "approve" and not (node == NODE_FIRST and kind.second_review(config))
    note = _apply(session, application, kind, actor, now) if final else None
    _step(session, application, node, decision, actor, opinion or "同意", now)
    application.updated_at = now
    if final:
        application.status, application.current_node, application.finished_at = APPROVED, NODE_DONE, now
        _step(session, application, NODE_DONE, "done", actor, "", now)
        _release_holds(session, application)
        _notify(session, application, kind, "已审核通过",
                f"审批意见：{opinion or '同意'}。{note or '变更已生效。'}", now)
    elif decision == "approve":
        application.current_node = NODE_SECOND
        _notify(session, application, kind, "已通过初审", "等待中心复审。", now)
    elif decision == "return":
        application.status, application.current_node = RETURNED, NODE_SUBMIT
        _notify(session, application, kind, "被退回",
                f"退回意见：{opinion}。请在待办中修改后重新提交，或结束流程。", now)
    else:
        application.status, application.current_node, application.finished_at = REJECTED, NODE_REJECTED, now
        _release_holds(session, application)
        _notify(session, application, kind, "不予受理", f"意见：{opinion}。", now)
    audit_action(session, application, actor, f"application.{decision}", now, client_address,
                 detail={"node": node, "opinion": opinion})
    return application


def _apply(session: Session, application: Application, kind: ApplicationType, actor: Actor,
           now: dt.datetime) -> str | None:
    """The type's apply hook (the change takes effect); its note is added to the message to the unit."""
    unit = session.get(Unit, application.unit_id) if application.unit_id else None
    initiator = session.get(Operator, application.operator_id) if application.operator_id else None
    return kind.apply(Approval(situation(session=session, unit=unit, now=now), application,
                               payload_of(session=session, application=application), actor.name,
                               initiator.name if initiator else ""))


def end(*, session: Session, principal: UnitPrincipal, application_id: int, now: dt.datetime,
        client_address: str) -> Application:
    """结束流程: a returned (or never submitted) application ends; what it held is free again."""
    application = get_for_unit(session=session, unit_id=principal.unit.id, application_id=application_id, lock=True)
    require_editable(application)
    actor = Actor.of_unit(principal)
    application.status, application.current_node = ENDED, NODE_ENDED
    application.finished_at = application.updated_at = now
    _step(session, application, NODE_ENDED, "end", actor, "", now)
    _release_holds(session, application)
    _notify(session, application, catalogue.of(application.type), "已结束", f"经办人{actor.name}已结束流程。", now)
    audit_action(session, application, actor, "application.end", now, client_address)
    return application


def _first_reviewer(session: Session, application: Application) -> str | None:
    step = session.scalars(select(ApplicationStep).where(
        ApplicationStep.application_id == application.id, ApplicationStep.node == NODE_FIRST,
        ApplicationStep.decision == "approve").order_by(ApplicationStep.id.desc())).first()
    return step.actor_ref if step else None


def _step(session: Session, application: Application, node: str, decision: str, actor: Actor, opinion: str,
          now: dt.datetime) -> None:
    session.add(ApplicationStep(application_id=application.id, node=node, decision=decision, actor=actor.name[:100],
                                actor_kind=actor.kind, actor_ref=actor.ref, opinion=opinion,
                                version=application.version, at=now))


def _notify(session: Session, application: Application, kind: ApplicationType, event: str, rest: str,
            now: dt.datetime) -> None:
    if application.unit_id is None:      # a registration not yet approved has no unit to tell
        return
    messages.send(session=session, unit_ids=[application.unit_id], business=kind.label, now=now,
                  title=f"{kind.label}申请{event}",
                  body=f"您的{kind.label}申请（业务编号{application.application_no}）{event}，{rest}")


def audit_action(session: Session, application: Application, actor: Actor, action: str, now: dt.datetime,
                 client_address: str, detail: dict | None = None) -> None:
    audit.record(session=session, at=now, actor_kind=actor.kind if actor.kind != "applicant" else "anonymous",
                 actor=actor.audit_name, unit_id=application.unit_id, action=action, client_address=client_address,
                 detail={"application_no": application.application_no, **(detail or {})})


# -- one in flight --------------------------------------------------------------------------------

def refuse_in_flight(*, session: Session, kind: ApplicationType, subjects: list[str],
                      application_id: int | None = None) -> None:
    held = session.scalars(select(ApplicationHold).where(ApplicationHold.subject.in_(subjects))).all()
    others = [h for h in held if h.application_id != application_id]
    if others:
        raise _in_flight(kind, others)


def _in_flight(kind: ApplicationType, holds: list[ApplicationHold]) -> Problem:
    errors = [{"row": None, "field": h.subject.split(":")[0], "code": "application_in_flight",
               "message": f"{_subject_text(h.subject)}：{kind.in_flight_message}"} for h in holds]
    return Problem(409, "application_in_flight", kind.in_flight_message, errors=errors)


def _subject_text(subject: str) -> str:
    what, value, _ = subject.split(":", 2)
    return {"person": f"个人账号{value}", "uscc": f"统一社会信用代码{value}"}.get(what, "本单位")


def _take_holds(*, session: Session, application: Application, kind: ApplicationType, subjects: list[str]) -> None:
    """Replace what this application holds by `subjects`; another application holding one is refused. The
    primary key settles two submissions racing (the second waits, then fails the insert)."""
    refuse_in_flight(session=session, kind=kind, subjects=subjects, application_id=application.id)
    _release_holds(session, application)
    try:
        with session.begin_nested():
            session.add_all(ApplicationHold(subject=s, application_id=application.id) for s in subjects)
    except IntegrityError:
        raise _in_flight(kind, [ApplicationHold(subject=s, application_id=0) for s in subjects]) from None


def _release_holds(session: Session, application: Application) -> None:
    session.execute(delete(ApplicationHold).where(ApplicationHold.application_id == application.id))

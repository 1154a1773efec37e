"""Applications as the API shows them (the unit's boxes, the centre's queue, the detail with its flow)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.dictionaries import Dictionaries

from ..attachments.models import Attachment
from ..auth.models import Operator
from ..config import CentreConfig
from ..timefmt import iso
from ..units.models import Unit
from . import catalogue
from .models import STATUS_LABELS, Application
from .schemas import (ApplicationDetail, ApplicationSummary, ApplicationTypePublic, AttachmentPublic,
                      AttachmentRulePublic, CentreApplicationDetail, CentreApplicationSummary, ChangeRowPublic,
                      SignaturePublic, StepPublic)
from .service import DECISIONS, Detail, flow_of, latest_opinion

DECISION_LABELS = {**DECISIONS, "submit": "提交", "resubmit": "重新提交", "done": "办结", "end": "结束流程"}
APPLICANT = "自主开户申请人"


def _names(session: Session, applications: list[Application]) -> tuple[dict[int, str], dict[int, Unit]]:
    operator_ids = {a.operator_id for a in applications if a.operator_id}
    unit_ids = {a.unit_id for a in applications if a.unit_id}
    names = dict(session.execute(select(Operator.id, Operator.name).where(Operator.id.in_(operator_ids))).all()) \
        if operator_ids else {}
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))} if unit_ids else {}
    return names, units


def _summary_fields(application: Application, names: dict[int, str], tz: str) -> dict:
    return dict(id=application.id, application_no=application.application_no, type=application.type,
                type_label=catalogue.of(application.type).label, title=application.title,
                status=application.status, status_label=STATUS_LABELS[application.status],
                current_node=application.current_node,
                initiator=names.get(application.operator_id, APPLICANT) if application.operator_id else APPLICANT,
                submitted_at=iso(application.submitted_at, tz), updated_at=iso(application.updated_at, tz))


def summaries(session: Session, applications: list[Application], tz: str) -> list[ApplicationSummary]:
    names, _ = _names(session, applications)
    return [ApplicationSummary(**_summary_fields(a, names, tz)) for a in applications]


def centre_summaries(session: Session, applications: list[Application], tz: str) -> list[CentreApplicationSummary]:
    names, units = _names(session, applications)
    return [CentreApplicationSummary(**_summary_fields(a, names, tz), **_unit_fields(a, units.get(a.unit_id)))
            for a in applications]


def _unit_fields(application: Application, unit: Unit | None) -> dict:
    if unit is not None:
        return {"unit_account": unit.unit_account, "unit_name": unit.name}
    return {"unit_account": None, "unit_name": application.title.split("：", 1)[-1]}


def attachment_public(row: Attachment, type_code: str, tz: str) -> AttachmentPublic:
    rule = catalogue.of(type_code).attachment_kinds.get(row.kind)
    return AttachmentPublic(attachment_id=row.id, kind=row.kind, kind_label=rule.label if rule else row.kind,
                            label=row.label,
                            media_type=row.media_type, size=row.size, sha256=row.sha256,
                            uploaded_at=iso(row.uploaded_at, tz))


def detail_public(item: Detail, config: CentreConfig, dictionaries: Dictionaries, *,
                  centre: bool = False) -> ApplicationDetail:
    application, tz = item.application, config.timezone
    kind = catalogue.of(application.type)
    fields = dict(
        id=application.id, application_no=application.application_no, type=application.type, type_label=kind.label,
        title=application.title, status=application.status, status_label=STATUS_LABELS[application.status],
        current_node=application.current_node, flow=flow_of(application, item.steps, config), payload=item.payload,
        changes=[ChangeRowPublic(item=r.item, old=r.old, new=r.new) for r in kind.describe(item.payload, dictionaries)],
        steps=[StepPublic(node=s.node, actor=s.actor, actor_kind=s.actor_kind, decision=s.decision,
                          decision_label=DECISION_LABELS.get(s.decision, s.decision), opinion=s.opinion,
                          at=iso(s.at, tz)) for s in item.steps],
        opinion=latest_opinion(item.steps),
        attachments=[attachment_public(a, application.type, tz) for a in item.attachments],
        required_attachments=[AttachmentRulePublic(kind=r.kind, label=r.label, required=r.required)
                              for r in kind.attachment_kinds.values()],
        signature=_signature(item, tz), initiator=item.initiator.name if item.initiator else APPLICANT,
        created_at=iso(application.created_at, tz), submitted_at=iso(application.submitted_at, tz),
        updated_at=iso(application.updated_at, tz), finished_at=iso(application.finished_at, tz))
    if centre:
        return CentreApplicationDetail(**fields, **_unit_fields(application, item.unit))
    return ApplicationDetail(**fields)


def _signature(item: Detail, tz: str) -> SignaturePublic | None:
    version = item.version
    if not version.signature:
        return None
    return SignaturePublic(
        signed=True, verified=True, signer=item.signer.name if item.signer else "",
        certificate_serial=version.certificate_serial,
        certificate_fingerprint=version.certificate_fingerprint,
        certificate_subject=item.certificate.subject if item.certificate else "",
        signed_at=iso(version.created_at, tz), version=version.version, signature=version.signature,
        signed_data=version.signed_data)


def types_public(config: CentreConfig) -> list[ApplicationTypePublic]:
    return [ApplicationTypePublic(
        type=t.code, label=t.label, supported=t.apply is not None, second_review=t.second_review(config),
        attachments=[AttachmentRulePublic(kind=r.kind, label=r.label, required=r.required)
                     for r in t.attachment_kinds.values()]) for t in catalogue.TYPES.values()]

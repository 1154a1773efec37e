"""Applications (审批业务): the business a unit (or a self-registering one) submits for the centre's
approval, each version of its signed payload, the flow steps, and what an application in flight holds."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..orm import Base, UtcDateTime

DRAFT, PENDING, RETURNED, APPROVED, REJECTED, ENDED = "draft", "pending", "returned", "approved", "rejected", "ended"
STATUSES = (DRAFT, PENDING, RETURNED, APPROVED, REJECTED, ENDED)
STATUS_LABELS = {DRAFT: "草稿", PENDING: "审核中", RETURNED: "已退回", APPROVED: "已办结", REJECTED: "不予受理",
                 ENDED: "已结束"}
FINISHED = (APPROVED, REJECTED, ENDED)

# Flow nodes (the flow chart the client draws) and the terminal nodes.
NODE_SUBMIT, NODE_FIRST, NODE_SECOND, NODE_DONE = "经办人提交", "中心初审", "中心复审", "办结"
NODE_REJECTED, NODE_ENDED = "不予受理", "结束流程"


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_unit_status", "unit_id", "status"),
        Index("ix_applications_status_updated", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_no: Mapped[str] = mapped_column(String(20), unique=True)    # 业务编号, "SQ" + YYYYMMDD + 6 digits
    type: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(12))
    current_node: Mapped[str] = mapped_column(String(20))                   # where it waits, or how it ended
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))  # None: a registration
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)                         # the current payload version
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)   # the latest submission
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class ApplicationVersion(Base):
    """One payload as submitted, with the UKey signature over it (kept for non-repudiation: a resubmission
    after 退回 adds a version, never overwrites the signed one)."""
    __tablename__ = "application_versions"
    __table_args__ = (UniqueConstraint("application_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="RESTRICT"))
    version: Mapped[int]
    payload: Mapped[str] = mapped_column(Text)                      # JSON
    signature: Mapped[str] = mapped_column(Text, default="")        # base64; "" when unsigned (registrations)
    signed_data: Mapped[str] = mapped_column(Text, default="")      # the exact signed text (gjj-sign|…)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("ukey_certificates.id", ondelete="RESTRICT"))
    certificate_serial: Mapped[str] = mapped_column(String(64), default="")
    certificate_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id", ondelete="RESTRICT"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ApplicationStep(Base):
    """One decision in the flow: who, at which node, what, with which opinion, when."""
    __tablename__ = "application_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="RESTRICT"), index=True)
    node: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(20))       # submit resubmit approve return reject end done
    actor: Mapped[str] = mapped_column(String(100))         # the person's name as shown
    actor_kind: Mapped[str] = mapped_column(String(10))     # unit | centre | applicant
    actor_ref: Mapped[str] = mapped_column(String(60))      # "operator:7", "centre:1", "applicant"
    opinion: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int | None]                             # the payload version decided on
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ApplicationHold(Base):
    """What an application in flight (pending or returned) holds: "unit:7:unit_info_change",
    "person:200100000003:base_adjustment", "uscc:…:registration". The primary key makes "one in flight"
    hold even for two submissions racing on PostgreSQL."""
    __tablename__ = "application_holds"

    subject: Mapped[str] = mapped_column(String(120), primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="RESTRICT"), index=True)

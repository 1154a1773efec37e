"""Attachments of an application: recording an upload (at most 20 an application), listing, finding one
for download, removing one, and checking that the kinds a type requires are there."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from fastapi.responses import FileResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import Problem
from .models import Attachment
from services.attachments import MAX_FILES

from .store import AttachmentStore, StoredFile


@dataclass(frozen=True)
class AttachmentRule:
    """A kind of attachment a type accepts; `required`: submit is refused without one."""
    kind: str
    label: str
    required: bool = False


OTHER = AttachmentRule("other", "其他材料")


def check_room(*, session: Session, application_id: int) -> None:
    count = session.scalar(select(func.count()).select_from(Attachment)
                           .where(Attachment.application_id == application_id)) or 0
    if count >= MAX_FILES:
        raise Problem(409, "attachment_limit", f"每笔业务最多上传{MAX_FILES}个附件，请先删除不需要的附件")


def record(*, session: Session, application_id: int, stored: StoredFile, label: str, kind: str,
           uploaded_by: str, now: dt.datetime) -> Attachment:
    """Call with the application row locked, after `check_room` under that lock."""
    row = Attachment(application_id=application_id, kind=kind, label=label, media_type=stored.media_type,
                     size=stored.size, sha256=stored.sha256, uploaded_at=now, uploaded_by=uploaded_by[:100])
    session.add(row)
    session.flush()
    return row


def list_for(*, session: Session, application_id: int) -> list[Attachment]:
    return list(session.scalars(select(Attachment).where(Attachment.application_id == application_id)
                                .order_by(Attachment.id)))


def get(*, session: Session, application_id: int, attachment_id: int) -> Attachment:
    row = session.get(Attachment, attachment_id)
    if row is None or row.application_id != application_id:
        raise Problem(404, "not_found", "附件不存在或不属于此业务")
    return row


def remove(*, session: Session, application_id: int, attachment_id: int) -> None:
    """The row goes; the stored file stays (other attachments may have the same content)."""
    session.delete(get(session=session, application_id=application_id, attachment_id=attachment_id))
    session.flush()


def missing_required(*, session: Session, application_id: int, rules: tuple[AttachmentRule, ...]) -> list[str]:
    """Labels of the required kinds with no attachment yet."""
    present = set(session.scalars(select(Attachment.kind).where(Attachment.application_id == application_id)))
    return [rule.label for rule in rules if rule.required and rule.kind not in present]


def file_response(store: AttachmentStore, row: Attachment) -> FileResponse:
    """The stored file, shown inline under its label; the browser must not guess another type."""
    path = store.path_of(row.sha256)
    if not path.exists():
        raise Problem(404, "not_found", "附件文件已不在存储中，请联系公积金中心")
    return FileResponse(path, media_type=row.media_type, headers={
        "Content-Disposition": f"inline; filename*=UTF-8''{quote(row.label)}",
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})

"""Approval businesses (API.md "Applications", docs/approvals.md) as the desk uses them: the home task
boxes and the detail, 结束流程, and 完成办理 of a business that needs the centre's approval — create (signed)
or, after 退回, replace the payload (signed), upload the 档案扫描 files, submit — resumable after a crash or
a lost answer because every step's Idempotency-Key is kept in the draft. Also 自主开户 (no session).

No widgets and no threads: the UI runs these through ui.ops; `Progress` is how it follows an upload."""
from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from services.signing import canonical_json

from .api import CentreClient, api_path
from .errors import ClientError
from .outbox import Submitter, sign_body
from .store import LocalStore
from .uploads import ScanFile, Spool, check_count, send_multipart, upload_body

UNIT_INFO_CHANGE = "unit_info_change"
BOXES = {"todo": "待办", "done": "已办", "initiated": "我发起的"}
STATUS_LABELS = {"draft": "草稿", "pending": "审核中", "returned": "已退回", "approved": "已办结",
                 "rejected": "不予受理", "ended": "已结束"}
TYPE_LABELS = {UNIT_INFO_CHANGE: "单位信息变更", "base_adjustment": "基数调整", "supplementary": "补缴",
               "employee_info_change": "缴存人信息变更", "registration": "自主开户"}
REQUIRED_MISSING = "请上传变更证明材料后再提交审批"
SCANS_OPTIONAL = frozenset({"employee_info_change"})   # types the centre takes without a 档案扫描 file


def _seg(value: Any) -> str:
    return quote(str(value), safe="")


class Applications:
    """One session's view of its unit's applications. `sign` is the UKey's sign (call it off the GUI
    thread: it runs in the token process)."""

    def __init__(self, api: CentreClient, store: LocalStore, unit_account: str,
                 sign: Callable[[bytes], bytes] | None = None) -> None:
        self.api = api
        self.store = store
        self.unit_account = unit_account
        self.sign = sign
        self.submitter = Submitter(api, store)
        self.spool = Spool.beside(store.path)

    # -- reading ----------------------------------------------------------------------------------
    def list(self, box: str, page: int = 1, page_size: int = 10, *, type: str | None = None,
             status: str | None = None, day_from: Any = None, day_to: Any = None) -> dict:
        """待办 / 已办 / 我发起的: {"items": [summary], "total", "page", "page_size"}, newest first."""
        return self.api.request("GET", "/applications", params={
            "box": box, "page": page, "page_size": page_size, "type": type or None, "status": status or None,
            "from": day_from, "to": day_to})

    def detail(self, application_id: int) -> dict:
        return self.api.request("GET", f"/applications/{_seg(application_id)}")

    def types(self) -> list[dict]:
        return self.api.request("GET", "/applications/types")

    def unit_changes(self, page: int = 1, page_size: int = 50, day_from: Any = None, day_to: Any = None) -> dict:
        """客户信息变更查询."""
        return self.api.request("GET", "/unit/changes", params={"page": page, "page_size": page_size,
                                                                "from": day_from, "to": day_to})

    # -- simple submissions (through the outbox) -------------------------------------------------
    def end(self, application_id: int, label: str = "") -> dict:
        """结束流程 of a returned (or never submitted) application."""
        return self.submitter.submit("POST", f"/applications/{_seg(application_id)}/end",
                                     unit_account=self.unit_account, label=f"结束流程 {label}".strip())

    def remove_attachment(self, application_id: int, attachment_id: int) -> dict:
        return self.submitter.submit("DELETE", f"/applications/{_seg(application_id)}/attachments/{_seg(attachment_id)}",
                                     unit_account=self.unit_account, label="删除档案扫描文件")

    # -- 完成办理 ---------------------------------------------------------------------------------
    def keyed(self, keys: dict[str, str], step: str, method: str, path: str, body: dict | None = None, *,
              signed: bool = False, label: str | None = None, upload: ScanFile | None = None,
              params: dict[str, str] | None = None, remember: Callable[[], None] = lambda: None) -> dict:
        """Send one step of a business once. Its key is chosen and kept in `keys[step]` (and `remember()`ed:
        the caller saves its draft) *before* the request is stored and sent, so a retry — after a lost
        answer, a crash, a restart — is the same request under the same key, which the centre answers from
        its record instead of doing it twice. A step the centre refused is sent afresh under a new key."""
        key = keys.get(step)
        item = self.store.outbox_item(key) if key else None
        if item is not None and item.status == "done":
            return item.response or {}
        if item is None or item.status == "failed":
            if item is not None or key is None:
                key = str(uuid.uuid4())
                keys[step] = key
                remember()
            if upload is not None:
                content = upload_body(self.spool, upload, params)
            else:
                content = dict(body or {})
                if signed:
                    if self.sign is None:
                        raise ClientError("需要UKey签名，请确认UKey已插入并已登录")
                    content = sign_body(method, path, content, self.sign)
            self.store.enqueue(self.unit_account, method, api_path(path), content or None, idempotency_key=key,
                               label=label)
        return self.submitter.send(key)

    def finish(self, draft: BusinessDraft, progress: Progress | None = None,
               save: Callable[[BusinessDraft], None] | None = None) -> dict:
        """完成办理 → 上传完成并提交审批: create or update the application, upload the files not yet there,
        submit. `save(draft)` is called whenever the draft learns something (a key, an id, an uploaded
        file), so an interrupted run resumes where it stopped. Returns the application's detail."""
        progress = progress or Progress()
        save = save or (lambda _d: None)
        remember = lambda: save(draft)  # noqa: E731
        name = TYPE_LABELS.get(draft.type, draft.type)
        if not draft.payload_rows():
            raise ClientError("待变更清册为空，请先填写变更内容并点击确定")
        check_count(len(draft.remote), len(draft.pending_files()))
        if not draft.files and not draft.remote and draft.type not in SCANS_OPTIONAL:
            raise ClientError(REQUIRED_MISSING)
        pending = draft.pending_files()
        progress.start(sum(f.size for f in pending), len(pending))

        progress.say("正在签名并提交业务内容…")
        if draft.application_id is None:
            answer = self.keyed(draft.keys, "create", "POST", "/applications",
                                {"type": draft.type, "payload": draft.payload}, signed=True, label=f"{name} 提交",
                                remember=remember)
            draft.application_id, draft.application_no = int(answer["id"]), answer.get("application_no")
            draft.sent_payload = _sent_payload(self.store, draft.keys["create"])
            save(draft)
        if draft.sent_payload != draft.payload:
            self.keyed(draft.keys, "update:" + _digest(draft.payload), "PUT", f"/applications/{draft.application_id}",
                       {"payload": draft.payload}, signed=True, label=f"{name} 修改", remember=remember)
            draft.sent_payload = draft.payload
            save(draft)

        for entry in draft.files:
            if entry.attachment_id is not None:
                continue
            progress.file(entry.file.label)
            answer = self.keyed(draft.keys, "upload:" + entry.file.sha256, "POST",
                                f"/applications/{draft.application_id}/attachments", upload=entry.file,
                                label=f"档案扫描 {entry.file.label}", remember=remember)
            entry.attachment_id = int(answer["attachment_id"])
            save(draft)
            progress.uploaded(entry.file.size)

        progress.say("正在提交审批…")
        self.keyed(draft.keys, "submit", "POST", f"/applications/{draft.application_id}/submit",
                   label=f"{name} 提交审批", remember=remember)
        detail = self.detail(draft.application_id)
        for entry in draft.files:
            self.spool.release(entry.file)
        progress.say("提交成功")
        return detail


def _digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _sent_payload(store: LocalStore, key: str) -> Any:
    item = store.outbox_item(key)
    return (item.body or {}).get("payload") if item is not None else None


# -- the draft of an approval business ----------------------------------------------------------------

@dataclass
class DraftFile:
    file: ScanFile
    attachment_id: int | None = None      # set once the centre has it


@dataclass
class BusinessDraft:
    """What the clerk prepared (kept in the local store, so it survives a restart) and how far 完成办理 got.
    `payload` is the type's payload (单位信息变更: {"changes": [{"field", "old", "new"}]}); `files` are the
    local scans; `remote` the attachments the centre already has (after 退回)."""
    type: str
    payload: dict = field(default_factory=dict)
    files: list[DraftFile] = field(default_factory=list)
    remote: list[dict] = field(default_factory=list)
    application_id: int | None = None
    application_no: str | None = None
    sent_payload: dict | None = None      # the payload the centre has (create / last PUT)
    returned_opinion: str = ""            # 修改后重新提交: what the centre asked for
    keys: dict[str, str] = field(default_factory=dict)

    def payload_rows(self) -> list:
        return list(self.payload.get("changes") or self.payload.get("rows") or [])

    def pending_files(self) -> list[ScanFile]:
        return [f.file for f in self.files if f.attachment_id is None]

    def to_json(self) -> dict:
        return {"type": self.type, "payload": self.payload,
                "files": [{**f.file.to_json(), "attachment_id": f.attachment_id} for f in self.files],
                "remote": self.remote, "application_id": self.application_id,
                "application_no": self.application_no, "sent_payload": self.sent_payload,
                "returned_opinion": self.returned_opinion, "keys": dict(self.keys)}

    @classmethod
    def from_json(cls, data: dict) -> BusinessDraft:
        return cls(type=data["type"], payload=dict(data.get("payload") or {}),
                   files=[DraftFile(ScanFile.from_json(f), f.get("attachment_id")) for f in data.get("files") or []],
                   remote=list(data.get("remote") or []), application_id=data.get("application_id"),
                   application_no=data.get("application_no"), sent_payload=data.get("sent_payload"),
                   returned_opinion=data.get("returned_opinion") or "", keys=dict(data.get("keys") or {}))

    @classmethod
    def from_application(cls, detail: dict) -> BusinessDraft:
        """修改后重新提交: the returned application's payload and attachments, ready to edit."""
        return cls(type=detail["type"], payload=json.loads(json.dumps(detail.get("payload") or {})),
                   remote=list(detail.get("attachments") or []), application_id=int(detail["id"]),
                   application_no=detail.get("application_no"), sent_payload=detail.get("payload"),
                   returned_opinion=detail.get("opinion") or "")


class Progress:
    """Where a 完成办理 is, readable from the GUI thread while the worker writes it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.text = ""
        self.total_bytes = 0
        self.done_bytes = 0
        self.count = 0
        self.index = 0

    def start(self, total_bytes: int, count: int) -> None:
        with self._lock:
            self.total_bytes, self.count, self.done_bytes, self.index = total_bytes, count, 0, 0

    def say(self, text: str) -> None:
        with self._lock:
            self.text = text

    def file(self, label: str) -> None:
        with self._lock:
            self.index += 1
            self.text = f"正在上传第{self.index}/{self.count}个文件：{label}"

    def uploaded(self, size: int) -> None:
        with self._lock:
            self.done_bytes += size

    def snapshot(self) -> tuple[str, int, int]:
        """(what is happening, bytes uploaded, bytes to upload)."""
        with self._lock:
            return self.text, self.done_bytes, self.total_bytes


# -- 自主开户 (no session: not through the outbox, which would keep the password) -----------------------

class Registrations:
    """POST /registrations and the calls that name the application number and its query code. A retry
    after the centre was unreachable passes the same `key` (the caller keeps it while the body is the same)."""

    def __init__(self, api: CentreClient) -> None:
        self.api = api

    def register(self, body: dict, key: str | None = None) -> dict:
        """{"application_no", "query_code", "status"}; 422 uscc_checksum_warning / validation_error."""
        return self.api.request("POST", "/registrations", json=body, idempotency_key=key)

    def update(self, application_no: str, query_code: str, body: dict, key: str | None = None) -> dict:
        return self.api.request("PUT", f"/registrations/{_seg(application_no)}", json=body,
                                params={"query_code": query_code}, idempotency_key=key)

    def upload(self, application_no: str, query_code: str, file: ScanFile, content: bytes,
               key: str | None = None) -> dict:
        return send_multipart(self.api, "POST", f"/registrations/{_seg(application_no)}/attachments", file, content,
                              key, params={"query_code": query_code})

    def submit(self, application_no: str, query_code: str, key: str | None = None) -> dict:
        return self.api.request("POST", f"/registrations/{_seg(application_no)}/submit",
                                params={"query_code": query_code}, idempotency_key=key)

    def status(self, application_no: str, query_code: str) -> dict:
        return self.api.request("GET", f"/registrations/{_seg(application_no.strip())}",
                                params={"query_code": query_code.strip()})


def new_key() -> str:
    return str(uuid.uuid4())


def canonical(body: dict) -> str:
    """The body as compared for "is this the same request?" (a new key when it changed)."""
    return canonical_json(body)

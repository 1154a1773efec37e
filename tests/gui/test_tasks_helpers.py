"""Shared by test_tasks_*, test_unit_change*, test_registration*: a mock centre that also knows applications
(the real one is in tests/integration/test_approval_e2e.py), sample application details, and a helper that
acts on a modal dialog once it is on screen (exec() runs its own event loop)."""

from __future__ import annotations

import copy
import json

import httpx
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui.support import MockCentre, _json, _problem

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
UNIT_FIELDS = {"address": "示范市西湖区文三路90号", "postcode": "310012", "email": "hr@example.cn",
               "legal_rep_name": "陈建国", "legal_rep_id_type": "01", "legal_rep_id_number": "110102197501018678",
               "contact_name": "王经办", "contact_mobile": "13800138000", "contact_phone": "0571-88886666",
               "pay_day": 15, "industry": "I", "economic_type": "140", "opened_on": "2015-03-01"}
SIGNATURE = {"signed": True, "verified": True, "signer": "王经办", "certificate_serial": "5A3F9C01D2",
             "certificate_fingerprint": "ab" * 32, "certificate_subject": "CN=测试科技有限公司,UID=100100000001",
             "signed_at": "2026-07-01T09:30:00+08:00", "version": 1, "signature": "AAAA", "signed_data": "gjj-sign|…"}


def detail(id_: int = 1, status: str = "pending", **changes) -> dict:
    """An application as GET /applications/{id} shows it (单位信息变更 of the address)."""
    steps = [{"node": "经办人提交", "actor": "王经办", "actor_kind": "unit", "decision": "submit",
              "decision_label": "提交", "opinion": "", "at": "2026-07-01T09:30:00+08:00"}]
    node, flow_end, opinion, label = "中心初审", "办结", "", "审核中"
    if status in ("returned", "approved", "ended"):
        steps.append({"node": "中心初审", "actor": "审核员", "actor_kind": "centre",
                      "decision": "approve" if status == "approved" else "return",
                      "decision_label": "审核通过" if status == "approved" else "退回修改",
                      "opinion": "同意变更" if status == "approved" else "请补充房产证明",
                      "at": "2026-07-01T10:05:00+08:00"})
        opinion = steps[-1]["opinion"]
    if status == "returned":
        node, label = "经办人提交", "已退回"
    elif status == "approved":
        node, label = "办结", "已办结"
        steps.append({"node": "办结", "actor": "系统", "actor_kind": "centre", "decision": "done",
                      "decision_label": "办结", "opinion": "", "at": "2026-07-01T10:05:00+08:00"})
    elif status == "ended":
        node, flow_end, label = "结束流程", "结束流程", "已结束"
    base = {"id": id_, "application_no": f"20260701{id_:06d}", "type": "unit_info_change", "type_label": "单位信息变更",
            "title": "单位信息变更：单位地址", "status": status, "status_label": label, "current_node": node,
            "flow": ["经办人提交", "中心初审", flow_end],
            "payload": {"changes": [{"field": "address", "old": UNIT_FIELDS["address"], "new": "示范市滨江区网商路699号"}]},
            "changes": [{"item": "单位地址", "old": UNIT_FIELDS["address"], "new": "示范市滨江区网商路699号"}],
            "steps": steps, "opinion": opinion,
            "attachments": [{"attachment_id": 11, "kind": "supporting", "kind_label": "变更证明材料", "label": "门牌证明.pdf",
                             "media_type": "application/pdf", "size": 48213, "sha256": "0" * 64,
                             "uploaded_at": "2026-07-01T09:29:00+08:00"}],
            "required_attachments": [{"kind": "supporting", "label": "变更证明材料", "required": True}],
            "signature": dict(SIGNATURE), "initiator": "王经办", "created_at": "2026-07-01T09:28:00+08:00",
            "submitted_at": "2026-07-01T09:30:00+08:00", "updated_at": "2026-07-01T10:05:00+08:00",
            "finished_at": "2026-07-01T10:05:00+08:00" if status in ("approved", "ended") else None}
    base.update(changes)
    return base


class AppsCentre(MockCentre):
    """MockCentre + /applications (boxes, detail, create, attachments, submit, end) and the unit's fields."""

    def __init__(self) -> None:
        super().__init__()
        self.unit.update(UNIT_FIELDS)
        self.applications: dict[int, dict] = {}
        self.uploads: list[tuple[str, bytes]] = []  # (content type, body) of each upload received

    def add(self, application: dict) -> dict:
        self.applications[application["id"]] = application
        return application

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        if not path.startswith("/applications"):
            return super().handle(request)
        self.calls.append((request.method, path))
        if not self.online:
            raise httpx.ConnectError("centre down", request=request)
        parts = path.strip("/").split("/")
        if request.method == "GET" and len(parts) == 1:
            return _json(self._box(request.url.params))
        if request.method == "POST" and len(parts) == 1:
            body = json.loads(request.content)
            if not body.get("signature"):
                return _problem(403, {"code": "bad_signature", "detail": "缺少UKey签名"})
            new = detail(max(self.applications, default=0) + 1, "draft", payload=body["payload"], attachments=[],
                         status_label="草稿", current_node="经办人提交")
            self.add(new)
            return httpx.Response(201, json={k: new[k] for k in ("id", "application_no", "type", "status", "current_node")})
        application = self.applications.get(int(parts[1]))
        if application is None:
            return _problem(404, {"code": "not_found", "detail": "业务不存在"})
        if request.method == "GET" and len(parts) == 2:
            return _json(copy.deepcopy(application))
        action = parts[2] if len(parts) > 2 else ""
        if request.method == "POST" and action == "end":
            application.update(status="ended", status_label="已结束", current_node="结束流程",
                               flow=application["flow"][:-1] + ["结束流程"])
            return _json({k: application[k] for k in ("id", "application_no", "type", "status", "current_node")})
        if request.method == "POST" and action == "attachments":
            self.uploads.append((request.headers["content-type"], request.read()))
            row = {"attachment_id": 100 + len(self.uploads), "kind": "supporting", "kind_label": "变更证明材料",
                   "label": "证明.pdf", "media_type": "application/pdf", "size": len(PDF), "sha256": "1" * 64,
                   "uploaded_at": "2026-07-01T09:29:00+08:00"}
            application["attachments"].append(row)
            return httpx.Response(201, json=row)
        if request.method == "POST" and action == "submit":
            application.update(status="pending", status_label="审核中", current_node="中心初审")
            return _json({k: application[k] for k in ("id", "application_no", "type", "status", "current_node")})
        return _problem(404, {"code": "not_found", "detail": "没有这个接口"})

    def _box(self, params) -> dict:
        box = params.get("box")
        wanted = {"todo": {"returned"}, "done": {"approved", "rejected", "ended"}}.get(box)
        items = [a for a in self.applications.values() if wanted is None or a["status"] in wanted]
        if params.get("status"):
            items = [a for a in items if a["status"] == params["status"]]
        items.sort(key=lambda a: a["id"], reverse=True)
        page, size = int(params.get("page", 1)), int(params.get("page_size", 10))
        keys = ("id", "application_no", "type", "type_label", "title", "status", "status_label", "current_node",
                "initiator", "submitted_at", "updated_at")
        return {"items": [{k: a[k] for k in keys} for a in items[(page - 1) * size: page * size]],
                "total": len(items), "page": page, "page_size": size}


def when_visible(find, act, interval: int = 20) -> QTimer:
    """Run `act(widget)` once `find()` returns a visible widget (from inside a modal dialog's loop)."""
    timer = QTimer()
    timer.setInterval(interval)

    def check():
        widget = find()
        if widget is not None and widget.isVisible():
            timer.stop()
            act(widget)

    timer.timeout.connect(check)
    timer.start()
    return timer


def in_dialog(find, open_it, act, wait=None) -> None:
    """`open_it()` opens a dialog; once `find()` shows it, `act(dialog)` runs (from inside a modal dialog's loop),
    then the dialog is closed unless it is busy (an upload carrying on). A dialog that does not block
    `open_it`: `wait(done)` waits until `done()`."""
    done = {}

    def run(dialog):
        try:
            act(dialog)
        finally:
            done["ok"] = True
            if dialog.isVisible() and not getattr(dialog, "busy", False):
                dialog.reject()

    timer = when_visible(find, run)
    open_it()
    if wait is not None:
        wait(lambda: "ok" in done)
    timer.stop()
    assert done


def visible(cls, parent=None):
    """The visible top-level (or child of `parent`) widget of class `cls`, if any."""
    pool = parent.findChildren(cls) if parent is not None else QApplication.topLevelWidgets()
    return next((w for w in pool if isinstance(w, cls) and w.isVisible()), None)


def message_box():
    return visible(QMessageBox)


def click_box_button(box: QMessageBox, text: str) -> str:
    shown = box.text()
    next(b for b in box.buttons() if b.text() == text).click()
    return shown

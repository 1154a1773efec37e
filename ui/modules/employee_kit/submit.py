"""Submitting a 清册: ask, sign on the UKey and send in the background (through the outbox), then either
clear the submitted rows and say so, mark every row the centre refused with its reason, or — when the
centre did not answer — keep the 清册 and remember the waiting submission, which the next click re-sends
with the same Idempotency-Key (applied once)."""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from client.draft_list import READY
from client.employees import EmployeesClient, SubmissionPending, row_problems
from client.errors import ApiError, CentreUnreachable, ClientError, SessionExpired
from ui.errors import message_for
from ui.modules.employee_kit.dialogs import confirm
from ui.modules.employee_kit.draft_panel import DraftPanel
from ui.modules.employee_kit.hub import EmployeeHub
from ui.modules.employee_kit.table import selected_rows
from ui.ops import Op

log = logging.getLogger("gjj_desk.ui")
SHOWN = 2   # refused rows quoted in the message (all are marked in the 清册, with the reason as tool tip)


class DraftSubmission(QObject):
    done = Signal(object, object)    # (the centre's answer, the rows submitted)

    def __init__(self, hub: EmployeeHub, panel: DraftPanel, *, business: str, identity: str,
                 send: Callable[[EmployeesClient, list[dict], Any], dict], selected_only: bool = False,
                 signed: bool = True, options: Callable[[], Any] | None = None,
                 parent: QObject | None = None) -> None:
        """`identity`: the row key naming a person (id_number / person_account); `send(client, rows,
        options)` runs in the background with what `options()` read from the form on the GUI thread (it may
        raise ClientError with the reason); `selected_only`: send the selected rows when some are selected."""
        super().__init__(parent or panel)
        self.hub, self.panel, self.business, self.identity = hub, panel, business, identity
        self.send, self.selected_only, self.signed = send, selected_only, signed
        self.options = options or (lambda: None)
        self.button = panel.submit_button.text()
        self.busy = False
        panel.submit_clicked.connect(lambda: self.run())

    def rows_to_send(self) -> list[int]:
        draft = self.panel.model.draft
        chosen = selected_rows(self.panel.table) if self.selected_only else []
        return chosen or list(range(len(draft)))

    def run(self, *, ask: Callable[..., bool] = confirm) -> None:
        if self.busy:
            return
        model = self.panel.model
        pending = model.draft.meta.get("pending")
        indices = self.rows_to_send()
        if not indices:
            self.panel.message.show_error("清册中没有记录，请先录入清册或批量导入")
            return
        rows = [model.draft[i] for i in indices]
        try:
            options = self.options()
        except ClientError as exc:
            self.panel.message.show_error(exc.message)
            return
        if pending:
            text = f"上次提交的{self.business}（{len(pending.get('ids') or [])}人）尚未得到公积金中心确认，现在重新发送吗？"
            if not ask(self.panel, self.business, text, "重新发送", name="confirmSubmit"):
                return
            job = (self._resend, pending["key"])
        else:
            scope = "选中的" if len(indices) < len(model.draft) else "清册中全部"
            sign = "，提交时将使用UKey签名" if self.signed else ""
            text = f"确定为{scope}{len(rows)}人办理{self.business}吗？全部通过才办理{sign}。"
            if not ask(self.panel, self.business, text, self.button, name="confirmSubmit"):
                return
            job = (self._send, [self._clean(r) for r in rows], options)
        self.busy = True
        self.panel.submit_button.setEnabled(False)
        self.panel.message.clear_message()
        ids = [r.get(self.identity) for r in rows] if not pending else list(pending.get("ids") or [])
        (Op(self.panel, *job)
         .with_progress("正在提交公积金中心…" if not self.signed else "正在使用UKey签名并提交…")
         .success(lambda answer: self._succeeded(answer, ids, rows))
         .failure(lambda exc: self._failed(exc, indices, ids))
         .run())

    @staticmethod
    def _clean(row: dict) -> dict:
        return {k: v for k, v in row.items() if not k.startswith("_")}

    def _send(self, rows: list[dict], options: Any) -> dict:
        return self.send(self.hub.client(), rows, options)

    def _resend(self, key: str) -> dict:
        return self.hub.client().resend(key, self.button)

    # -- outcomes -----------------------------------------------------------------------------------
    def _succeeded(self, answer: dict, ids: Sequence[Any], rows: list[dict]) -> None:
        self.busy = False
        model = self.panel.model
        wanted = set(ids)
        model.remove([i for i, r in enumerate(model.draft.rows) if r.get(self.identity) in wanted])
        model.set_meta("pending", None)
        model.set_statuses({i: (READY, "") for i in range(len(model.draft)) if model.draft.status(i) != READY})
        self.panel.update_summary()
        self.panel.message.show_info(f"已完成办理{self.business}（{len(wanted)}人）")
        self.done.emit(answer, rows)
        self.hub.announce()

    def _failed(self, exc: BaseException, indices: list[int], ids: list[Any]) -> None:
        self.busy = False
        self.panel.update_summary()
        model = self.panel.model
        if isinstance(exc, SubmissionPending):
            model.set_meta("pending", {"key": exc.key, "ids": ids})
            self.panel.update_summary()
            self.panel.message.show_error(exc.message)
            self.hub.main._background_failed(CentreUnreachable())  # noqa: SLF001 - the offline banner
            return
        if isinstance(exc, SessionExpired):
            self.hub.main._background_failed(exc)  # noqa: SLF001 - back to the login window
            return
        if isinstance(exc, ApiError) and exc.errors:
            by_row, general = row_problems(exc, len(indices))
            model.set_statuses({i: (READY, "") for i in range(len(model.draft)) if model.draft.status(i) != READY})
            refused = {indices[i]: msgs for i, msgs in by_row.items()}
            self.panel.mark_refused(refused)
            if not refused:
                self.panel.message.show_error("；".join([exc.message, *general]))
                return
            shown = [f"清册第{i + 1}行 {'；'.join(msgs)}" for i, msgs in sorted(refused.items())[:SHOWN]]
            more = f"……（共{len(refused)}行）" if len(refused) > SHOWN else ""
            self.panel.message.show_error(
                f"未办理（全部未生效）：{len(refused)}行有误，已标红，请修改或删除后重新提交。"
                + "；".join(shown + general) + more)
            first = model.index(min(refused), 0)
            QTimer.singleShot(0, self.panel.table, lambda: self.panel.table.scrollTo(first))  # after the re-layout
            return
        if isinstance(exc, ApiError) and model.draft.meta.get("pending"):
            model.set_meta("pending", None)  # settled (refused) at the centre: a new submission may follow
        self.panel.message.show_error(message_for(exc))

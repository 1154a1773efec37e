"""The 清册 box of an approval batch page: the employee kit's box (table, totals, 【删除】 asking first), whose
submit button also stays off while the business cannot be submitted (基数调整 outside the adjustment month)."""
from __future__ import annotations

from ui.modules.employee_kit.draft_panel import DraftPanel


class ApprovalDraftPanel(DraftPanel):
    blocked = False

    def set_blocked(self, blocked: bool, reason: str = "") -> None:
        self.blocked = blocked
        self.submit_button.setToolTip(reason if blocked else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        super()._update_buttons()
        if self.blocked:
            self.submit_button.setEnabled(False)

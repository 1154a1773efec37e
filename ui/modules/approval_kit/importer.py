"""批量导入 of an approval batch business: the employee kit's dialog (template, background read with progress
and 取消, every bad row with its reason, the annotated error workbook), reading through
client.approval_batches.import_rows (基数调整 / 补缴 rows with the current bases and names of the roster)."""
from __future__ import annotations

from client.approval_batches import import_rows
from ui.modules.employee_kit.importer import ImportDialog


class ApprovalImportDialog(ImportDialog):
    def _read(self, path: str, ctx, options: dict, cancel):
        """Background: the engine reads and checks; its progress crosses to the GUI thread as a signal."""
        return import_rows(path, self.business, ctx, cancel=cancel,
                           progress=lambda done, total: self.progressed.emit(done, total))

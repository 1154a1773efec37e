"""【打印】 and 【分享】 of a query list. 打印 builds the printing report (printing.query_report) in the
background and opens the preview; 分享 saves the list as Excel (.xlsx), CSV or PDF — text cells that a
spreadsheet would read as a formula are written as text (client.employees.export_*)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from client.employees import ExportColumn, export_csv, export_xlsx
from ui.modules.employee_kit.dialogs import save_path
from ui.ops import Op

FORMATS = {"xlsx": ("Excel 工作簿 (*.xlsx)", "导出为Excel（.xlsx）"), "csv": ("CSV 文件 (*.csv)", "导出为CSV（.csv）"),
           "pdf": ("PDF 文件 (*.pdf)", "导出为PDF（.pdf）")}


class ListSharing:
    """打印 and 分享 buttons for one query page."""

    def __init__(self, parent: QWidget, *, title: str, report: str, columns: Sequence[ExportColumn],
                 rows: Callable[[], list[dict]], conditions: Callable[[], list[tuple[str, str]]],
                 context: Callable[[], Any], message: Callable[[str], None]) -> None:
        """`report`: the printing.QUERY_REPORTS kind; `context()` the printing.PrintContext; `message(text)`
        tells the clerk where the file went."""
        self.parent, self.title, self.report, self.columns = parent, title, report, list(columns)
        self.rows, self.conditions, self.context, self.message = rows, conditions, context, message
        self.print_button = QPushButton("打印")
        self.print_button.setObjectName("printList")
        self.print_button.clicked.connect(lambda: self.print())
        self.share_button = QPushButton("分享")
        self.share_button.setObjectName("shareList")
        menu = QMenu(self.share_button)
        for kind, (_filter, text) in FORMATS.items():
            menu.addAction(text, lambda k=kind: self.share(k))
        self.share_button.setMenu(menu)
        self.set_enabled(False)

    def set_enabled(self, enabled: bool) -> None:
        self.print_button.setEnabled(enabled)
        self.share_button.setEnabled(enabled)

    def _pdf(self, rows: list[dict], conditions, ctx) -> bytes:
        from printing.documents import query_report  # noqa: PLC0415 - reportlab only when printing
        from ui.printing_dialogs import build_pdf  # noqa: PLC0415

        return build_pdf(query_report, self.report, rows, ctx, conditions)

    def print(self) -> Op | None:
        rows = self.rows()
        if not rows:
            return None
        from ui.printing_dialogs import print_document  # noqa: PLC0415

        conditions, ctx = self.conditions(), self.context()
        return (Op(self.parent, self._pdf, rows, conditions, ctx).with_progress("正在生成打印文件…")
                .success(lambda pdf: print_document(self.parent, pdf, self.title)).run())

    def share(self, kind: str, path: str | None = None) -> Op | None:
        rows = self.rows()
        if not rows:
            return None
        file_filter, _text = FORMATS[kind]
        path = path or save_path(self.parent, f"分享{self.title}", f"{self.title}.{kind}", file_filter)
        if not path:
            return None
        conditions, ctx = self.conditions(), self.context()
        lines = [f"单位：{ctx.unit_name}（{ctx.unit_account}）"]
        if conditions:
            lines.append("查询条件：" + "；".join(f"{k}：{v}" for k, v in conditions if v))

        def write() -> str:
            if kind == "xlsx":
                export_xlsx(path, self.columns, rows, title=self.title, header_lines=lines)
            elif kind == "csv":
                export_csv(path, self.columns, rows)
            else:
                from ui.printing_dialogs import write_pdf  # noqa: PLC0415

                write_pdf(path, self._pdf(rows, conditions, ctx))
            return path

        return (Op(self.parent, write).with_progress("正在导出…")
                .success(lambda p: self.message(f"已导出{len(rows)}条记录：{p}")).run())

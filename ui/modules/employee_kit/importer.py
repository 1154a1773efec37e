"""批量导入: download the template, pick the filled workbook, read and check it in the background (progress,
取消), put the good rows into the 清册 and list every bad row with its reason — exportable as the annotated
error workbook (the engine's: the rows, a 错误信息 column, red cells with comments)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QProgressDialog,
                               QPushButton, QVBoxLayout, QWidget)

from client.employees import import_rows
from ui.modules.employee_kit.dialogs import open_path, save_path
from ui.modules.employee_kit.hub import EmployeeHub
from ui.modules.employee_kit.table import Col, RowsModel, make_table
from ui.ops import Op
from ui.widgets import InlineMessage

PROBLEM_COLUMNS = [Col("row", "行号", 60, "int"), Col("column", "列", 110), Col("message", "问题", 600)]
XLSX_FILTER = "Excel 工作簿 (*.xlsx *.xls)"


class ImportDialog(QDialog):
    progressed = Signal(int, int)       # (rows read, rows in the sheet), emitted by the background read

    def __init__(self, hub: EmployeeHub, business: str, title: str,
                 add_rows: Callable[[list[dict]], list[tuple[int, str]]], *, options: QWidget | None = None,
                 options_value: Callable[[], dict[str, Any]] | None = None, parent: QWidget | None = None) -> None:
        """`add_rows(rows)` puts the good rows into the 清册 and returns (Excel row, reason) for any it
        refused (e.g. already in the 清册); `options` (e.g. the ratios of 登记) shows above the file and
        `options_value()` gives import_rows' keywords (or raises ClientError with the reason)."""
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(f"批量导入 — {title}")
        self.setMinimumSize(860, 580)
        self.hub, self.business, self.title = hub, business, title
        self.add_rows = add_rows
        self.options_value = options_value or (lambda: {})
        self.result = None
        self.added = 0
        self.op: Op | None = None
        self._running = False
        steps = QLabel(f"① 下载模板并按说明填写；② 选择填好的文件；③ 点击【开始导入】。全部问题会一次列出，"
                       f"没有问题的行加入{title}清册，有问题的行可导出为错误清单，修改后再次导入。")
        steps.setWordWrap(True)
        steps.setObjectName("hint")
        self.template_button = QPushButton("下载模板")
        self.template_button.clicked.connect(lambda: self.download_template())
        self.file = QLineEdit()
        self.file.setObjectName("importFile")
        self.file.setPlaceholderText("选择填好的 .xlsx 或 .xls 文件")
        browse = QPushButton("选择文件…")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        template_row = QHBoxLayout()
        template_row.setSpacing(12)
        template_row.addWidget(self.template_button)
        template_hint = QLabel("模板中有填写说明和下拉列表；请勿修改表头")
        template_hint.setObjectName("hint")
        template_row.addWidget(template_hint)
        template_row.addStretch(1)
        form.addRow("导入模板：", template_row)
        if options is not None:
            form.addRow("缴存比例：", options)
        form.addRow("导入文件：", file_row)
        self.start_button = QPushButton("开始导入")
        self.start_button.setObjectName("primary")
        self.start_button.clicked.connect(lambda: self.start())
        self.message = InlineMessage()
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.problems = RowsModel(PROBLEM_COLUMNS, parent=self)
        self.problem_table = make_table(self.problems, multi=False, stretch="message")
        self.problem_table.setObjectName("importProblems")
        self.problem_table.setVisible(False)
        self.export_button = QPushButton("导出错误清单")
        self.export_button.setObjectName("exportErrors")
        self.export_button.clicked.connect(lambda: self.export_errors())
        self.export_button.setVisible(False)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(steps)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem_table, 1)
        layout.addLayout(buttons)
        self.progressed.connect(self._progress)

    # -- the template -------------------------------------------------------------------------------
    def download_template(self, path: str | None = None) -> Op | None:
        path = path or save_path(self, "保存导入模板", f"{self.title}导入模板.xlsx", XLSX_FILTER)
        if not path:
            return None
        session = self.hub.session
        departments = self.hub.department_names()

        def write() -> str:
            from services.batch import write_template  # noqa: PLC0415

            return str(write_template(self.business, path, dictionaries=session.dictionaries,
                                      departments=departments, policy=session.policy))

        self.op = (Op(self, write).with_progress("正在生成模板…")
                   .success(lambda p: self.message.show_info(f"模板已保存：{p}")).run())
        return self.op

    def _browse(self) -> None:
        path = open_path(self, "选择导入文件", XLSX_FILTER)
        if path:
            self.file.setText(path)

    # -- the import ---------------------------------------------------------------------------------
    def start(self) -> Op | None:
        path = self.file.text().strip()
        if not path:
            self.message.show_error("请先选择要导入的文件")
            return None
        if not Path(path).is_file():
            self.message.show_error(f"找不到文件：{path}，请重新选择")
            return None
        try:
            options = self.options_value()
        except Exception as exc:  # noqa: BLE001 - a ClientError with the reason
            self.message.show_error(getattr(exc, "message", str(exc)))
            return None
        self.message.clear_message()
        ctx = self.hub.entry_context()
        self.start_button.setEnabled(False)
        self._running = True
        op = Op(self, lambda: self._read(path, ctx, options, op.cancel_event))
        self.op = (op.with_progress(f"正在读取并校验{Path(path).name}…", cancellable=True)
                   .success(self._imported).failure(self._import_failed))
        op.run()
        for dialog in self.findChildren(QProgressDialog):  # the helper's dialog: 取消 ends the import
            dialog.canceled.connect(self._cancelled)
        return op

    def _cancelled(self) -> None:
        """The progress dialog's 取消 (it also reports a close when the work is done: then nothing)."""
        if not self._running:
            return
        self._running = False
        self.start_button.setEnabled(True)
        self.message.show_info("已取消导入，清册未改变")

    def _read(self, path: str, ctx, options: dict, cancel):
        """Background: the engine reads and checks; its progress crosses to the GUI thread as a signal."""
        return import_rows(path, self.business, ctx, progress=lambda done, total: self.progressed.emit(done, total),
                           cancel=cancel, **options)

    def _progress(self, done: int, total: int) -> None:
        for dialog in self.findChildren(QProgressDialog):
            if total:
                dialog.setRange(0, total)
                dialog.setValue(min(done, total))
            dialog.setLabelText(f"正在读取并校验…已处理 {done:,} / {total:,} 行")

    def _import_failed(self, exc: BaseException) -> None:
        from ui.errors import message_for  # noqa: PLC0415

        self._running = False
        self.start_button.setEnabled(True)
        text = message_for(exc)
        if text:
            self.message.show_error(text)

    def _imported(self, outcome) -> None:
        self._running = False
        self.message.clear_message()
        self.start_button.setEnabled(True)
        result, rows = outcome
        self.result = result
        refused = self.add_rows(rows)
        self.added = len(rows) - len(refused)
        problems = [{"row": p.row, "column": p.column, "message": p.message} for p in result.problems]
        problems += [{"row": row, "column": "", "message": reason} for row, reason in refused]
        problems.sort(key=lambda p: p["row"])
        self.problems.set_rows(problems)
        bad = len(result.bad_rows) + len(refused)
        text = f"共读取 {result.total_rows} 行：{self.added} 行已加入{self.title}清册"
        if bad:
            text += f"；{bad} 行有问题（共 {len(problems)} 处），未加入清册，请修改后重新导入"
            if result.truncated:
                text += "（问题太多，只列出前面一部分）"
        self.summary.setText(text + "。")
        self.problem_table.setVisible(bool(problems))
        self.export_button.setVisible(bool(result.bad_rows))
        if not bad:
            self.message.show_info("全部通过校验，已加入清册")

    def export_errors(self, path: str | None = None) -> Op | None:
        if self.result is None or not self.result.bad_rows:
            return None
        path = path or save_path(self, "导出错误清单", f"{self.title}错误清单.xlsx", "Excel 工作簿 (*.xlsx)")
        if not path:
            return None
        result, dictionaries = self.result, self.hub.session.dictionaries

        def write() -> str:
            from services.batch import write_error_workbook  # noqa: PLC0415

            return str(write_error_workbook(result, path, dictionaries=dictionaries))

        self.op = (Op(self, write).with_progress("正在导出错误清单…")
                   .success(lambda p: self.message.show_info(f"错误清单已保存：{p}。修改后可直接再次导入")).run())
        return self.op

"""roster_view: a 100,000-row 开户清册 shown in the 缴存人登记 tab's 清册 box — the way the tab shows a stored
清册: client.draft_list.DraftList.from_snapshot (its sums and refused count come with the stored form), the
DraftTableModel formatting money / ratios / months / gender / departments as it paints, the tab's table
set-up and the totals line — vs a bare QAbstractTableModel returning str() of the same dicts in a default
QTableView of the same size. Each side: build the model and the view over the rows already in memory
(the stored form decoded beforehand for ours, the list for the bare one), show it, paint it, scroll to the
end and paint again. Offscreen, same process, alternated, median of N (default 5)."""
from __future__ import annotations

import os
import time

from bench.common import report

ROWS = 100_000
SIZE = (1240, 560)


def sample_rows(count: int = ROWS) -> list[dict]:
    """清册 rows as 单个录入 / 批量导入 make them (JSON-safe values)."""
    rows = []
    for i in range(count):
        base = 3000 + (i * 37) % 20000
        unit = round(base * 12 / 100)
        rows.append({"name": f"职工{i:06d}", "id_type": "01", "id_number": f"110101199{i % 10}0101{i % 1000:03d}X",
                     "gender": "1" if i % 2 else "2", "birth_date": "1990-01-01", "mobile": f"138{i:08d}",
                     "department": f"0{1 + i % 4}", "base": f"{base}.00", "unit_ratio": "12", "person_ratio": "12",
                     "unit_monthly": f"{unit}.00", "person_monthly": f"{unit}.00", "monthly": f"{2 * unit}.00",
                     "first_month": "2025-03", "source": f"导入第{i + 2}行", "_status": "ready"})
    return rows


class _Hub:
    """What the columns ask of the tab's hub: department names."""

    names = {"01": "综合管理部", "02": "研发中心", "03": "市场销售部", "04": "财务部"}

    def department_name(self, code):
        return self.names.get(code) or (code or "")


def run(repeat: int | None = None) -> str:
    repeat = repeat or 5
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication, QTableView  # noqa: PLC0415

    from client.draft_list import DraftList  # noqa: PLC0415
    from ui.modules.employee_kit.draft_panel import DraftPanel  # noqa: PLC0415
    from ui.modules.employee_kit.table import DraftTableModel  # noqa: PLC0415
    from ui.modules.employee_open.tab import MONEY_KEYS, columns  # noqa: PLC0415

    from PySide6.QtCore import qInstallMessageHandler  # noqa: PLC0415

    qInstallMessageHandler(lambda *_args: None)   # the offscreen plugin's notes would interleave the result line
    app = QApplication.instance() or QApplication([])
    rows = sample_rows()
    stored = DraftList(rows, money_keys=MONEY_KEYS).snapshot()   # what the keeper saved
    cols = columns(_Hub())
    keys = [c.key for c in cols]

    class Bare(QAbstractTableModel):
        def __init__(self, data):
            super().__init__()
            self.rows = data

        def rowCount(self, parent=QModelIndex()):  # noqa: N802
            return len(self.rows)

        def columnCount(self, parent=QModelIndex()):  # noqa: N802
            return len(keys)

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.DisplayRole:
                return str(self.rows[index.row()].get(keys[index.column()], ""))
            return None

    def show(widget, view) -> None:
        widget.resize(*SIZE)
        widget.show()
        widget.grab()
        view.scrollToBottom()
        widget.grab()
        app.processEvents()

    def ours() -> None:
        model = DraftTableModel(DraftList.from_snapshot(stored, money_keys=MONEY_KEYS), cols)
        panel = DraftPanel("开户清册", model, "完成办理", totals=[("base", "缴存基数"), ("monthly", "月缴存额")])
        show(panel, panel.table)
        panel.close()
        panel.deleteLater()
        model.deleteLater()

    def bare() -> None:
        model = Bare(rows)
        view = QTableView()
        view.setModel(model)
        show(view, view)
        view.close()
        view.deleteLater()
        model.deleteLater()

    ours()
    bare()
    ours_times, bare_times = [], []
    for _ in range(repeat):
        for fn, times in ((ours, ours_times), (bare, bare_times)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
            app.processEvents()
    ours_times.sort()
    bare_times.sort()
    note = f"roster_view: {ROWS} rows × {len(cols)} columns, view {SIZE[0]}×{SIZE[1]}"
    return report("roster_view", ours_times[len(ours_times) // 2], bare_times[len(bare_times) // 2], note)

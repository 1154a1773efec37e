"""End to end through the 汇缴 tab against a real `gjj-centre` with a real SoftHSM UKey and the real login
window (the fixtures of test_login_e2e.py): the breakdown of the next month, 汇缴核定 of two months signed on
the UKey, the view moving on, 汇缴核定查询 with 明细, deleting the latest (and the centre refusing the earlier
one), and the 汇补缴书 printed to PDF."""
from __future__ import annotations

import subprocess

import httpx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from services.chinese_amount import chinese_amount
from services.money import D
from tests.gui.test_employees_e2e import answer_next_box, centre_db, login, settle, tab
from tests.gui.test_login_e2e import real_centre, real_desk, softhsm, ukey  # noqa: F401 - the shared fixtures
from ui.printing_dialogs import PrintPreview

LEFT = Qt.MouseButton.LeftButton
BUSINESS_DATE = "2026-05-12"


def move_business_date(real_centre, day: str) -> None:
    """The centre's clerk moves the business date on (demo mode), so that more than one month is payable."""
    token = httpx.post(real_centre.api + "/centre/login", json=real_centre.creds["reviewer"]).json()["token"]
    moved = httpx.post(real_centre.api + "/centre/business-date", json={"date": day},
                       headers={"Authorization": f"Bearer {token}"})
    assert moved.status_code == 200, moved.text


def centre_assessments(real_centre) -> list[str]:
    with centre_db(real_centre) as db:
        return [r[0] for r in db.execute("SELECT month FROM remittance_assessments ORDER BY month")]


def table_texts(table) -> list[list[str]]:
    return [[table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def open_preview(qtbot) -> PrintPreview:
    found: list[PrintPreview] = []

    def shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, PrintPreview) and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=15000)
    return found[0]


def test_breakdown_assess_two_months_query_detail_delete_and_print(qtbot, real_centre, ukey, real_desk, tmp_path):
    start = httpx.get(real_centre.api + "/business-date").json()["date"]
    # two months later than the demo's history: the next month and the one after are both payable
    year, month = int(start[:4]), int(start[5:7]) + 2
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    move_business_date(real_centre, f"{year:04d}-{month:02d}-{start[8:10] if int(start[8:10]) <= 28 else '28'}")
    main = login(qtbot, real_centre, ukey, real_desk)
    page = tab(main, "汇缴")
    sheet = page.assess
    qtbot.waitUntil(lambda: sheet.next is not None, timeout=10000)
    nxt = sheet.next
    unit_name = main.session.unit["name"]
    # the breakdown: 上月 + 本月增加 − 本月减少 = 本月汇缴, the people behind each difference
    rows = table_texts(sheet.breakdown)
    assert [r[0] for r in rows] == ["上月汇缴", "本月增加", "本月减少", "本月汇缴"]
    assert D(rows[0][2].replace(",", "")) + D(rows[1][2].replace(",", "")) - D(rows[2][2].replace(",", "")) \
        == D(rows[3][2].replace(",", "")) == nxt.amount
    assert sheet.month.text() == nxt.month.display() and sheet.headcount.text() == f"{nxt.headcount}人"
    assert sheet.people.rowCount() == len(nxt.added.people) + len(nxt.removed.people)
    assert nxt.choosable >= 2 and sheet.months.maximum() == nxt.choosable
    first, second = str(nxt.month), str(nxt.month + 1)

    # two months: the range and the total follow the choice; 汇缴核定 asks, signs, and says 核定成功
    sheet.months.setValue(2)
    assert "共2个月" in sheet.range.text()
    assert sheet.total_words.text() == f"大写：{chinese_amount(nxt.amount * 2)}"
    asked: list[str] = []
    answer_next_box("汇缴核定", asked)
    qtbot.mouseClick(sheet.assess_button, LEFT)
    qtbot.waitUntil(lambda: sheet.message.text() == "核定成功", timeout=15000)
    assert "提交时将使用UKey签名" in asked[0]
    assert centre_assessments(real_centre) == [first, second]
    qtbot.waitUntil(lambda: sheet.next is not None and str(sheet.next.month) == str(nxt.month + 2), timeout=10000)

    # 汇缴核定查询: both unallocated, 明细 opens the roster
    query = page.query
    page.sheets.setCurrentWidget(query)
    qtbot.waitUntil(lambda: query.table.rowCount() == 2, timeout=10000)
    months = [r[0] for r in table_texts(query.table)]
    assert months == [nxt.month.display(), (nxt.month + 1).display()]
    assert query.select_month(first)
    qtbot.mouseClick(query.detail_button, LEFT)
    qtbot.waitUntil(lambda: getattr(query, "detail_dialog", None) is not None and query.detail_dialog.isVisible(),
                    timeout=10000)
    dialog = query.detail_dialog
    assert dialog.table.rowCount() == nxt.headcount
    assert dialog.totals.text().startswith(f"合计：{nxt.headcount}人")
    dialog.accept()

    # 打印 the 汇补缴书 of the first month, saved as PDF: the unit and the amount in capitals
    qtbot.mouseClick(query.print_button, LEFT)
    preview = open_preview(qtbot)
    path = tmp_path / "slip.pdf"
    with qtbot.waitSignal(preview.saved, timeout=10000):
        preview.save_to(str(path))
    preview.close()
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "")
    assert unit_name in text and chinese_amount(nxt.amount) in text
    assert "汇补缴书" in text and "业务流水号" in text
    first_row = query.items[0]
    assert first_row["serial"] in text and first_row["verification_code"] in text

    # 删除 the earlier one: the centre refuses with its reason, nothing deleted
    settle(qtbot)
    assert query.select_month(first)
    answer_next_box("删除")
    qtbot.mouseClick(query.delete_button, LEFT)
    qtbot.waitUntil(lambda: "只能删除最近一次未分配的汇缴核定" in query.message.text(), timeout=10000)
    assert centre_assessments(real_centre) == [first, second]
    # the latest: deleted, the list and the next month follow
    assert query.select_month(second)
    asked.clear()
    answer_next_box("删除", asked)
    qtbot.mouseClick(query.delete_button, LEFT)
    qtbot.waitUntil(lambda: query.message.text() == "核定删除成功", timeout=10000)
    assert "删除" in asked[0] and (nxt.month + 1).display() in asked[0]
    assert centre_assessments(real_centre) == [first]
    qtbot.waitUntil(lambda: query.table.rowCount() == 1, timeout=10000)
    qtbot.waitUntil(lambda: str(sheet.next.month) == second, timeout=10000)
    settle(qtbot)

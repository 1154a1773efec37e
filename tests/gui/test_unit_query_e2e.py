"""End to end through 单位信息查询 (SPEC 4.7) against a real `gjj-centre` on loopback with a real SoftHSM UKey
and the real login window (the fixtures of test_login_e2e.py): the account summary agrees with GET /unit,
the chart has one point per month, the journal lists the demo's monthly 汇缴 entries, 明细 sums to the
entry, and a printed report (saved as PDF from the preview) says what the screen said."""
from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal

from PySide6.QtWidgets import QApplication

from services.money import D, fmt_money_display
from tests.gui.support import log_in
from tests.gui.test_employees_e2e import centre_db, settle
from tests.gui.test_login_e2e import real_centre, real_desk, softhsm, ukey  # noqa: F401 - the shared fixtures
from tests.integration.hsm_fixtures import TEST_PIN


def _login(qtbot, real_centre, ukey, real_desk):
    ukey(0)
    desk = real_desk(qtbot)
    creds = real_centre.creds["units"][0]
    return log_in(qtbot, desk, unit_account=creds["unit_account"], login_name=creds["login_name"],
                  password=creds["password"], pin=TEST_PIN)


def _centre_unit(real_centre) -> dict:
    creds = real_centre.creds["units"][0]
    with centre_db(real_centre) as db:
        unit_id, = db.execute("SELECT id FROM units WHERE unit_account = ?", (creds["unit_account"],)).fetchone()
        remittances = db.execute("SELECT COUNT(*) FROM journal_entries WHERE unit_id = ? AND type = 'remittance'",
                                 (unit_id,)).fetchone()[0]
    return {"remittances": remittances}


def _previews():
    from ui.printing_dialogs import PrintPreview

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, PrintPreview) and w.isVisible()]


def _pdf_text(qtbot, preview, path) -> str:
    preview.save_to(str(path))
    qtbot.waitUntil(path.exists, timeout=10000)
    settle(qtbot)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_account_summary_chart_journal_detail_and_print(qtbot, real_centre, ukey, real_desk, tmp_path):
    main = _login(qtbot, real_centre, ukey, real_desk)
    page = main.modules["单位信息查询"]
    main.tabs.setCurrentWidget(page)
    business_date = main.session.business_date
    opened = dt.date.fromisoformat(str(main.session.unit["opened_on"])[:10])

    # -- 账户信息查询: the whole life of the account → agrees with GET /unit --------------------------
    account = page.account
    page.sheets.setCurrentWidget(account)
    assert account.dates.value()[1] == business_date              # around the centre's date, not the PC's
    account.dates.set(opened, business_date)
    account.query()
    qtbot.waitUntil(lambda: account.overview is not None, timeout=15000)
    settle(qtbot)
    unit = main.api.unit()
    assert account.figure("closing_balance") == fmt_money_display(D(unit["balance"]))
    assert account.figure("unallocated") == fmt_money_display(D(unit["unallocated"]))
    summary = account.overview.summary
    assert summary["closing_balance"] == summary["opening_balance"] + summary["increase"] - summary["decrease"]
    months = (business_date.year - opened.year) * 12 + business_date.month - opened.month + 1
    assert len(account.chart.points) == months == account.chart.series.count()   # one point per month
    assert account.chart.points[-1].balance == D(unit["balance"])
    assert "月末余额" in account.chart.chart().title() and "按业务流水" in account.chart.chart().title()

    # 打印 → the preview → saved as PDF, its text says the same figures
    account.print_report()
    settle(qtbot)
    qtbot.waitUntil(lambda: bool(_previews()), timeout=15000)
    preview = _previews()[0]
    text = _pdf_text(qtbot, preview, tmp_path / "summary.pdf")
    preview.close()
    assert "单位账户信息查询" in text and main.session.unit_name in text
    assert fmt_money_display(D(unit["balance"])) in text and fmt_money_display(D(unit["unallocated"])) in text
    assert f"{opened.isoformat()} 至 {business_date.isoformat()}" in text

    # -- 业务流水查询: the demo's monthly 汇缴 entries, then 明细 -------------------------------------------
    journal = page.journal
    page.sheets.setCurrentWidget(journal)
    journal.type.setCurrentIndex(journal.type.findData("remittance"))
    journal.dates.set(opened, business_date)
    journal.query()
    qtbot.waitUntil(lambda: journal.model.rowCount() > 0, timeout=15000)
    settle(qtbot)
    rows = journal.model.rows
    assert len(rows) == _centre_unit(real_centre)["remittances"] >= 12
    assert all(r["type"] == "remittance" and r["summary"].endswith("汇缴") for r in rows)
    assert len({r["month"] for r in rows}) == len(rows)              # one per month
    assert journal.count.text().startswith(f"共 {len(rows)} 笔")

    assert not journal.detail_button.isEnabled()
    journal.table.selectRow(0)
    assert journal.detail_button.isEnabled()
    journal.show_detail()
    dialog = journal.detail_dialog
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=15000)
    settle(qtbot)
    details = dialog.model.rows
    assert len(details) == rows[0]["headcount"]
    assert sum((D(d["amount"]) for d in details), Decimal("0")) == D(rows[0]["amount"])
    assert {d["type_label"] for d in details} == {"汇缴"}
    assert all(d["person_account"] and d["name"] for d in details)
    dialog.print_report()
    settle(qtbot)
    qtbot.waitUntil(lambda: bool(_previews()), timeout=15000)
    preview = _previews()[0]
    text = _pdf_text(qtbot, preview, tmp_path / "detail.pdf")
    preview.close()
    dialog.close()
    assert "业务流水明细" in text and rows[0]["serial"] in text and details[0]["name"] in text
    assert f"共 {len(details)} 人" in text or f"共{len(details)}人" in text.replace(" ", "")

    # the journal list prints too
    journal.print_report()
    settle(qtbot)
    qtbot.waitUntil(lambda: bool(_previews()), timeout=15000)
    for preview in _previews():
        preview.close()


def _add_change(real_centre, changed_on: dt.date, item: str, old: str, new: str, field: str = "contact_mobile") -> None:
    """A 客户信息变更 row as the centre writes it when a change takes effect (the demo has none)."""
    creds = real_centre.creds["units"][0]
    with centre_db(real_centre) as db:
        unit_id, = db.execute("SELECT id FROM units WHERE unit_account = ?", (creds["unit_account"],)).fetchone()
        db.execute("INSERT INTO unit_changes (unit_id, changed_on, at, field, item, old, new, operator, channel) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, '张丽', '网上服务大厅')",
                   (unit_id, changed_on.isoformat(), f"{changed_on.isoformat()} 02:00:00.000000", field, item, old, new))


def test_change_log_lists_the_unit_changes_of_the_range_and_prints(qtbot, real_centre, ukey, real_desk, tmp_path):
    main = _login(qtbot, real_centre, ukey, real_desk)
    page = main.modules["单位信息查询"]
    changes = page.changes
    business_date = main.session.business_date
    start, end = changes.dates.value()
    assert end == business_date and start.day == 1 and start < business_date
    _add_change(real_centre, business_date - dt.timedelta(days=3), "联系人手机", "13800000001", "13900000002")
    _add_change(real_centre, start - dt.timedelta(days=40), "单位地址", "示范市老街1号", "示范市新街8号")
    changes.query()
    qtbot.waitUntil(lambda: changes.queried, timeout=15000)
    settle(qtbot)
    assert changes.model.rowCount() == 1                       # the older change is outside the default range
    row = changes.model.rows[0]
    assert (row["item"], row["old"], row["new"], row["operator"], row["channel"]) == (
        "联系人手机", "13800000001", "13900000002", "张丽", "网上服务大厅")
    assert changes.count.text() == "共 1 条"
    changes.dates.set(dt.date(2000, 1, 1), business_date)
    changes.query()
    qtbot.waitUntil(lambda: changes.model.rowCount() == 2, timeout=15000)
    settle(qtbot)
    assert [r["item"] for r in changes.model.rows] == ["联系人手机", "单位地址"]     # newest first
    # a change elsewhere in the desk (changed("unit")) queries the sheet again
    _add_change(real_centre, business_date, "所属行业", "I", "M", field="industry")
    main.changed.emit("unit")
    qtbot.waitUntil(lambda: changes.model.rowCount() == 3, timeout=15000)
    settle(qtbot)
    industry = changes.model.rows[0]
    assert industry["item"] == "所属行业"
    assert industry["old"].startswith("I ") and industry["new"].startswith("M ")   # the code with its label
    changes.print_report()
    settle(qtbot)
    qtbot.waitUntil(lambda: bool(_previews()), timeout=15000)
    preview = _previews()[0]
    text = _pdf_text(qtbot, preview, tmp_path / "changes.pdf")
    preview.close()
    assert "单位客户信息变更查询" in text and "示范市新街8号" in text and "13900000002" in text
    assert "M " in text
    # a reversed range is said at once, nothing is asked
    changes.dates.set(business_date, dt.date(2000, 1, 1))
    assert changes.query() is None
    assert changes.message.text() == "截止日期不能早于起始日期，请重新选择"

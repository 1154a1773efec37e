"""基数调整 (SPEC 4.4) and 补缴 (SPEC 4.6) through the desk, against a real `gjj-centre` on loopback with real
SoftHSM UKeys and the real login window: the notice and the blocked buttons outside the adjustment month,
single entry with its preview, batch import of a template-made workbook with a bad row, delete with
confirmation, the 清册 surviving a new tab, and end to end: 提交审批 with a scan → a pending application with
the expected payload → two reviewers approve (中心初审, 中心复审) → the employee's base changed / the 补缴
bill exists, the 补缴凭条 and the 汇补缴书 previews. One centre for the module (business date 2026-06-15 at
init; the July tests move it with POST /centre/business-date before logging in)."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt

from client.approval_batches import SPLIT_RULE
from services.contribution_rules import split_total
from services.policy import DEMO_POLICY, monthly_contribution
from tests.gui.test_employees_e2e import answer_next_box, settle, tab, type_text
from tests.gui.test_employees_e2e import login as employees_login
from tests.gui.test_login_e2e import real_desk, softhsm, ukey  # noqa: F401 - the shared fixtures
from tests.gui.test_tasks_helpers import PDF, visible, when_visible
from tests.support.centre import init_centre, running_centre

LEFT = Qt.MouseButton.LeftButton
JUNE, JULY = dt.date(2026, 6, 15), dt.date(2026, 7, 10)


@pytest.fixture(scope="module")
def real_centre(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("centre")
    creds = init_centre(data_dir, business_date=JUNE)
    with running_centre(data_dir) as centre:
        centre.creds = creds
        yield centre


def centre_token(real_centre, reviewer: dict | None = None) -> str:
    body = reviewer or real_centre.creds["reviewer"]
    answer = httpx.post(real_centre.api + "/centre/login", json={"username": body["username"],
                                                                 "password": body["password"]})
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


def set_business_date(real_centre, day: dt.date) -> None:
    answer = httpx.post(real_centre.api + "/centre/business-date", json={"date": day.isoformat()},
                        headers={"Authorization": f"Bearer {centre_token(real_centre)}"})
    assert answer.status_code == 200, answer.text


def login(qtbot, real_centre, ukey, real_desk, day: dt.date, unit: int = 0):
    """The centre's business date set to `day`, then the employees tabs' login (the hub loaded), settled."""
    set_business_date(real_centre, day)
    main = employees_login(qtbot, real_centre, ukey, real_desk, unit)
    settle(qtbot)
    return main


def active_people(main, count: int):
    return [e for e in main._employee_hub.roster.entries if e.status == "01" and e.base][:count]


def centre_db(real_centre) -> sqlite3.Connection:
    return sqlite3.connect(Path(real_centre.data_dir) / "centre.db")


def money(value) -> str:
    return f"{Decimal(value):,.2f}"


def import_workbook(qtbot, page, workbook: Path):
    """【批量导入】 of `workbook` on `page`: (the dialog, its problems as (row, column, message))."""
    dialog = page.open_import()
    dialog.file.setText(str(workbook))
    qtbot.mouseClick(dialog.start_button, LEFT)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=15000)
    return dialog, [(r["row"], r["column"], r["message"]) for r in dialog.problems.rows]


# -- 基数调整 outside the adjustment month ----------------------------------------------------------------
def test_base_adjustment_outside_july_says_so_and_blocks_entry_import_and_submit(qtbot, real_centre, ukey,
                                                                                real_desk):
    main = login(qtbot, real_centre, ukey, real_desk, JUNE)
    page = tab(main, "基数调整")
    assert page.notice.isVisible()
    assert page.notice.text() == ("基数调整只能在每年7月办理，当前为6月（业务日期2026年6月15日），现在不能录入、导入或"
                                  "提交基数调整；清册中已有的记录会保留，可在调整月份提交。")
    form = page.form
    assert not form.enter_button.isEnabled() and not form.import_button.isEnabled()
    assert not form.new_base.isEnabled()
    assert not page.panel.submit_button.isEnabled()
    # the picker still shows what a person pays now
    person = active_people(main, 1)[0]
    form.picker.choose(person)
    assert form.name.text() == person.name and form.id_number.text() == person.id_number
    assert form.current_base.text() == f"{money(person.base)} 元"
    # a click that gets through anyway is refused with the same reason
    page.finish()
    assert page.panel.message.text() == "基数调整只能在每年7月办理，当前为6月"
    assert page.open_import() is None
    # 补缴 is not limited to a month
    supplementary = tab(main, "补缴").entry
    assert not supplementary.notice.isVisible()
    assert supplementary.form.enter_button.isEnabled()


# -- 基数调整 in July: single entry, import, delete, the 清册 kept ------------------------------------------
def test_base_adjustment_single_entry_import_delete_and_the_draft_survives(qtbot, real_centre, ukey, real_desk,
                                                                          tmp_path):
    from services.batch import write_template
    from ui.modules.base_adjust.tab import BaseAdjustTab

    main = login(qtbot, real_centre, ukey, real_desk, JULY)
    page = tab(main, "基数调整")
    assert not page.notice.isVisible() and page.form.enter_button.isEnabled()
    form, model, panel = page.form, page.model, page.panel
    policy = main.session.policy
    first, second, third = active_people(main, 3)
    sealed = next(e for e in main._employee_hub.roster.entries if e.status == "02")
    # single entry: the person's current base and monthly amount, then the new amount previewed
    type_text(qtbot, form.picker.edit, first.person_account)
    assert form.picker.matches[0] == first
    form.picker.choose(form.picker.matches[0])
    ratios = Decimal(first.unit_ratio), Decimal(first.person_ratio)
    now = monthly_contribution(Decimal(first.base), *ratios, policy)
    assert form.current_base.text() == f"{money(first.base)} 元"
    assert form.current_monthly.text() == (f"单位 {money(now.unit)} 元 + 个人 {money(now.person)} 元 = "
                                           f"{money(now.total)} 元（单位 {first.unit_ratio}%，个人 {first.person_ratio}%）")
    qtbot.keyClicks(form.new_base, "8888.88")
    new = monthly_contribution(Decimal("8888.88"), *ratios, policy)   # each part rounded to the yuan
    assert new.unit == new.unit.quantize(Decimal("1"))
    assert form.preview.text().startswith(f"单位 {money(new.unit)} 元 + 个人 {money(new.person)} 元 = "
                                          f"{money(new.total)} 元（")
    qtbot.mouseClick(form.enter_button, LEFT)
    assert model.rowCount() == 1
    assert form.message.text() == (f"{first.name}（个人账号{first.person_account}）已录入基数调整清册：缴存基数 "
                                   f"{money(first.base)} → 8,888.88 元")
    assert [model.text(0, k) for k in ("person_account", "name", "old_base", "new_base", "old_monthly",
                                       "new_monthly", "source")] == [
        first.person_account, first.name, money(first.base), "8,888.88", money(now.total), money(new.total), "录入"]
    # wrong entries never reach the 清册: every reason at once
    form.picker.choose(first)
    qtbot.keyClicks(form.new_base, "100")
    qtbot.mouseClick(form.enter_button, LEFT)
    assert model.rowCount() == 1
    assert form.message.text() == "该职工已在清册第1行，不能重复录入；如需修改请先删除该行；缴存基数100.00低于下限2420.00，请核对"
    form.picker.clear()
    form.new_base.clear()

    # batch import: template-made workbook, bad rows listed with their reasons, good ones into the 清册
    workbook = write_template("base", tmp_path / "基数调整.xlsx", rows=[
        [second.person_account, second.name, "", "9000"],
        [third.person_account, "", "", "100"],
        [first.person_account, "", "", "9500"],
        [sealed.person_account, "", "", "6000"],
        [second.person_account, "错名字", "", "9100"],
    ])
    dialog, problems = import_workbook(qtbot, page, workbook)
    assert problems == [
        (3, "调整后缴存基数", "缴存基数100.00低于下限2420.00，请核对"),
        (4, "", "该职工已在基数调整清册第1行，未重复加入"),
        (5, "个人账号", "该职工当前状态为封存，只有正常状态的职工可以调整基数"),
        (6, "个人账号", "个人账号与第2行重复"),
        (6, "姓名", f"姓名与个人账号不符（该账号登记的姓名为{second.name}），请核对")]
    assert dialog.summary.text().startswith("共读取 5 行：1 行已加入基数调整清册；4 行有问题")
    errors = tmp_path / "基数调整错误清单.xlsx"
    dialog.export_errors(str(errors))
    settle(qtbot)
    from openpyxl import load_workbook

    written = [row for row in load_workbook(errors)["基数调整"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert [(row[0], row[-2]) for row in written] == [(third.person_account, 3), (sealed.person_account, 5),
                                                       (second.person_account, 6)]
    dialog.accept()
    assert [model.draft[i]["person_account"] for i in range(model.rowCount())] == [first.person_account,
                                                                                    second.person_account]
    assert model.text(1, "source") == "导入第2行" and model.text(1, "new_base") == "9,000.00"
    totals = monthly_contribution(Decimal("9000"), Decimal(second.unit_ratio), Decimal(second.person_ratio), policy)
    assert panel.summary.text().startswith("共 2 人　｜　现月缴存额合计 ")
    assert f"调整后月缴存额合计 {money(new.total + totals.total)} 元" in panel.summary.text()

    # delete with confirmation: 取消 keeps the row, 删除 removes it
    model.append([dict(model.draft[1], person_account=third.person_account, name=third.name, source="录入")])
    panel.table.selectRow(2)
    asked: list[str] = []
    answer_next_box("取消", asked)
    qtbot.mouseClick(panel.delete_button, LEFT)
    assert model.rowCount() == 3 and asked == [f"确定从清册中删除“{third.name}”这条记录吗？"]
    panel.table.selectRow(2)
    answer_next_box("删除")
    qtbot.mouseClick(panel.delete_button, LEFT)
    assert model.rowCount() == 2 and panel.message.text() == "已从清册中删除1条记录"
    settle(qtbot)
    qtbot.waitUntil(lambda: not page.keeper.busy, timeout=5000)

    # the 清册 is in the local store: a new tab shows it again
    again = BaseAdjustTab(main)
    try:
        qtbot.waitUntil(lambda: again.keeper.is_loaded, timeout=5000)
        assert again.rows() == page.rows()
        assert again.panel.summary.text() == panel.summary.text()
    finally:
        settle(qtbot)
        again.deleteLater()


# -- 补缴: single entry (both ways of giving the amount), import ------------------------------------------
def test_supplementary_single_entry_split_by_ratio_and_import(qtbot, real_centre, ukey, real_desk, tmp_path):
    from services.batch import write_template

    main = login(qtbot, real_centre, ukey, real_desk, JULY)
    policy = main.session.policy
    page = tab(main, "补缴").entry
    form, model = page.form, page.model
    people = active_people(main, 6)
    first, second = people[4], people[5]
    # the month rule follows the centre's business date when it moves during the session
    assert form.rule.text().startswith("补缴年月须为已过去的月份，最早2024-07（最长补缴24个月）")
    main.follow_business_date(dt.date(2026, 9, 1))
    assert form.rule.text().startswith("补缴年月须为已过去的月份，最早2024-09（")
    main.follow_business_date(JULY)
    # a total split by the person's ratios, shown as typed
    form.picker.choose(first)
    assert form.name.text() == first.name and form.id_number.text() == first.id_number
    form.reason.setCurrentIndex(form.reason.findText("漏缴"))
    qtbot.keyClicks(form.from_month, "2026-04")
    qtbot.keyClicks(form.to_month, "2026-06")
    form.by_total.setChecked(True)
    assert not form.unit_amount.isEnabled() and form.total.isEnabled()
    qtbot.keyClicks(form.total, "1000.01")
    unit, own = split_total(Decimal("1000.01"), Decimal(first.unit_ratio), Decimal(first.person_ratio))
    assert form.preview.text() == (f"按缴存比例 单位{first.unit_ratio}% : 个人{first.person_ratio}% 拆分：单位 "
                                   f"{money(unit)} 元，个人 {money(own)} 元（共3个月）。{SPLIT_RULE}")
    qtbot.mouseClick(form.enter_button, LEFT)
    assert form.message.text() == "录入成功，补缴金额1,000.01元"
    assert [model.text(0, k) for k in ("person_account", "reason_label", "months_text", "months", "unit_amount",
                                       "person_amount", "total", "entered_as")] == [
        first.person_account, "漏缴", "2026-04 至 2026-06", "3", money(unit), money(own), "1,000.01", "合计按比例拆分"]
    # the unit part and the individual part typed
    form.picker.choose(second)
    form.by_parts.setChecked(True)
    qtbot.keyClicks(form.from_month, "2026-05")
    qtbot.keyClicks(form.unit_amount, "300")
    qtbot.keyClicks(form.person_amount, "280.50")
    assert form.preview.text() == "补缴金额合计：580.50 元（共1个月）"
    qtbot.mouseClick(form.enter_button, LEFT)
    assert form.message.text() == "录入成功，补缴金额580.50元" and model.rowCount() == 2
    # overlapping months of the same person, a month not yet past, amounts over the cap
    form.picker.choose(first)
    qtbot.keyClicks(form.from_month, "2026-06")
    qtbot.keyClicks(form.to_month, "2026-07")
    qtbot.keyClicks(form.unit_amount, "99999")
    qtbot.mouseClick(form.enter_button, LEFT)
    assert model.rowCount() == 2
    assert form.message.text() == "补缴年月2026-07不是已过去的月份（当前为2026-07），只能补缴2026-06及以前的月份"
    assert form.to_month.styleSheet() and not form.from_month.styleSheet()   # the field in question outlined
    form.to_month.setText("2026-06")
    qtbot.mouseClick(form.enter_button, LEFT)
    cap = monthly_contribution(DEMO_POLICY.base_max, Decimal(first.unit_ratio), Decimal(first.person_ratio), policy)
    assert form.message.text() == ("补缴年月与清册第1行（2026-04至2026-06）重叠：同一职工同一月份只能补缴一次；"
                                   f"单位补缴金额99999.00超过按缴存基数上限35811.00计算的1个月最高额{cap.unit:.2f}，请核对")
    form.picker.clear()
    for edit in (form.from_month, form.to_month, form.unit_amount, form.person_amount, form.total):
        edit.clear()

    # batch import with the template, one row overlapping the 清册, one not past, one without amounts
    workbook = write_template("supplementary", tmp_path / "补缴.xlsx", rows=[
        [people[0].person_account, "", "", "少缴(基数/比例差额)", "2026-01", "2026-02", "200", "150.50", ""],
        [first.person_account, "", "", "漏缴", "2026-05", "", "10", "10", ""],
        [people[1].person_account, "", "", "其他", "2026-08", "", "", "", "100"],
        [people[2].person_account, "", "", "漏缴", "2026-03", "", "", "", ""],
        [people[3].person_account, "", "", "漏缴", "2026-02", "2026-03", "", "", "801"],
    ])
    dialog, problems = import_workbook(qtbot, page, workbook)
    assert problems == [
        (3, "", "补缴年月与补缴清册第1行重叠：同一职工同一月份只能补缴一次，未加入"),
        (4, "补缴起始年月", "补缴年月2026-08不是已过去的月份（当前为2026-07），只能补缴2026-06及以前的月份"),
        (5, "补缴金额合计", "请填写单位补缴金额和个人补缴金额，或填写补缴金额合计")]
    dialog.accept()
    assert model.rowCount() == 4
    split = split_total(Decimal("801"), Decimal(people[3].unit_ratio), Decimal(people[3].person_ratio))
    assert [model.text(3, k) for k in ("unit_amount", "person_amount", "source")] == [
        money(split[0]), money(split[1]), "导入第6行"]
    assert model.text(2, "reason_label") == "少缴(基数/比例差额)"
    assert page.panel.summary.text().startswith("共 4 条　｜　单位补缴金额合计 ")


# -- end to end: 提交审批 → pending → 中心初审 + 中心复审 → in effect -----------------------------------------
def submit_with_scan(qtbot, page, scan: Path | None, print_it: bool = False) -> dict:
    """Click the 清册's submit button, add `scan` in 档案上传, 上传完成并提交审批, answer the 提交成功 dialog
    (打印 or 不打印). Returns what was seen."""
    from PySide6.QtWidgets import QLabel

    from ui.modules.unit_change.scan import ScanDialog
    from ui.modules.unit_change.success import SubmittedDialog

    seen: dict = {}

    def on_success(dialog):
        seen["number"] = dialog.findChild(QLabel, "applicationNo").text().removeprefix("业务编号：")
        seen["question"] = dialog.findChild(QLabel, "printQuestion").text()
        (dialog.print_button if print_it else dialog.close_button).click()

    def act(dialog):
        seen["title"] = dialog.windowTitle()
        seen["texts"] = [label.text() for label in dialog.findChildren(QLabel)]
        seen["files"] = dialog.list.count()
        if scan is not None:
            dialog.submit()                  # nothing added yet: refused, says what to add
            seen["missing"] = dialog.error.text()
            dialog.add_paths([str(scan)])
            qtbot.waitUntil(lambda: dialog.list.count() == 1 and not dialog.busy, timeout=5000)
        when_visible(lambda: visible(SubmittedDialog), on_success)
        dialog.submit()

    timer = when_visible(lambda: visible(ScanDialog), act)
    qtbot.mouseClick(page.panel.submit_button, LEFT)
    timer.stop()
    qtbot.waitUntil(lambda: "number" in seen, timeout=30000)
    settle(qtbot)
    return seen


def second_reviewer(real_centre) -> dict:
    from tests.support.centre import run_centre

    if not hasattr(real_centre, "second"):
        real_centre.second = json.loads(run_centre(real_centre.data_dir, "add-reviewer", "--username", "fuhe01",
                                                   "--name", "复审员", "--json").stdout)
    return real_centre.second


def pending_application(real_centre, type_code: str, number: str) -> dict:
    api = httpx.Client(base_url=real_centre.api, headers={"Authorization": f"Bearer {centre_token(real_centre)}"})
    queue = api.get("/centre/applications", params={"type": type_code, "status": "pending"}).json()["items"]
    application_id = next(a["id"] for a in queue if a["application_no"] == number)
    return api.get(f"/centre/applications/{application_id}").json()


def approve_twice(real_centre, application_id: int) -> list[str]:
    statuses = []
    for reviewer, opinion in ((None, "材料齐全，同意"), (second_reviewer(real_centre), "复核无误")):
        answer = httpx.post(f"{real_centre.api}/centre/applications/{application_id}/decision",
                            json={"decision": "approve", "opinion": opinion},
                            headers={"Authorization": f"Bearer {centre_token(real_centre, reviewer)}"})
        assert answer.status_code == 200, answer.text
        statuses.append(answer.json()["status"])
    return statuses


def preview_shown(qtbot) -> str:
    """The title of the print preview that opened (closed again)."""
    from ui.printing_dialogs import PrintPreview

    qtbot.waitUntil(lambda: visible(PrintPreview) is not None, timeout=20000)
    preview = visible(PrintPreview)
    title = preview.windowTitle()
    preview.close()
    return title


def test_base_adjustment_submitted_approved_by_two_reviewers_changes_the_base(qtbot, real_centre, ukey, real_desk,
                                                                             tmp_path):
    main = login(qtbot, real_centre, ukey, real_desk, JULY)
    page = tab(main, "基数调整")
    form, model = page.form, page.model
    people = active_people(main, 9)[7:9]
    for person, base in zip(people, ("7777.77", "12345.00")):
        form.picker.choose(person)
        qtbot.keyClicks(form.new_base, base)
        qtbot.mouseClick(form.enter_button, LEFT)
    assert model.rowCount() == 2
    settle(qtbot)
    scan = tmp_path / "工资发放明细.pdf"
    scan.write_bytes(PDF)
    seen = submit_with_scan(qtbot, page, scan, print_it=True)
    assert seen["title"] == "档案上传 — 基数调整"
    assert any(text.startswith("请上传工资发放明细或基数调整审批表的扫描件") and "中心初审、复审" in text
               for text in seen["texts"])
    assert seen["missing"] == "请上传工资发放明细或基数调整审批表后再提交审批"
    assert seen["question"] == "完成办理，是否打印业务回执？"
    assert preview_shown(qtbot) == "打印预览 — 基数调整业务回执（共1页）"
    assert model.rowCount() == 0
    assert page.panel.message.text() == (f"已提交基数调整审批（业务编号{seen['number']}，2人），"
                                         "审批进度可在首页“我发起的”中查看")

    application = pending_application(real_centre, "base_adjustment", seen["number"])
    assert application["status"] == "pending"
    assert application["payload"] == {"rows": [
        {"person_account": p.person_account, "old_base": f"{Decimal(p.base):.2f}", "new_base": base}
        for p, base in zip(people, ("7777.77", "12345.00"))]}
    assert approve_twice(real_centre, application["id"]) == ["pending", "approved"]
    with centre_db(real_centre) as db:
        bases = dict(db.execute("SELECT person_account, base FROM employees WHERE person_account IN (?, ?)",
                                [p.person_account for p in people]).fetchall())
    assert bases == {people[0].person_account: 777777, people[1].person_account: 1234500}   # fen
    # the desk's roster follows once the approval's message arrives
    qtbot.waitUntil(lambda: main._employee_hub.roster.get(people[0].person_account).base == "7777.77",
                    timeout=20000)


def test_supplementary_submitted_prints_the_slip_approved_becomes_a_bill(qtbot, real_centre, ukey, real_desk,
                                                                        tmp_path):
    main = login(qtbot, real_centre, ukey, real_desk, JULY)
    owner = tab(main, "补缴")
    page = owner.entry
    form, model = page.form, page.model
    people = active_people(main, 12)[10:12]
    form.picker.choose(people[0])
    form.reason.setCurrentIndex(form.reason.findText("漏缴"))
    qtbot.keyClicks(form.from_month, "2026-03")
    qtbot.keyClicks(form.to_month, "2026-04")
    form.by_total.setChecked(True)
    qtbot.keyClicks(form.total, "801.00")
    qtbot.mouseClick(form.enter_button, LEFT)
    form.picker.choose(people[1])
    form.reason.setCurrentIndex(form.reason.findText("其他"))
    form.by_parts.setChecked(True)
    qtbot.keyClicks(form.from_month, "2026-05")
    qtbot.keyClicks(form.unit_amount, "120")
    qtbot.keyClicks(form.person_amount, "100")
    qtbot.mouseClick(form.enter_button, LEFT)
    assert model.rowCount() == 2
    settle(qtbot)
    unit, own = split_total(Decimal("801.00"), Decimal(people[0].unit_ratio), Decimal(people[0].person_ratio))
    scan = tmp_path / "补缴证明.pdf"
    scan.write_bytes(PDF)
    seen = submit_with_scan(qtbot, page, scan, print_it=True)
    assert seen["missing"] == "请上传补缴证明材料（工资发放明细等）后再提交审批"
    assert seen["question"] == "提交审批完成，是否打印凭条？"
    assert preview_shown(qtbot) == "打印预览 — 住房公积金补缴凭条（共1页）"
    assert model.rowCount() == 0

    application = pending_application(real_centre, "supplementary", seen["number"])
    assert application["payload"] == {"rows": [
        {"person_account": people[0].person_account, "reason": "1", "from_month": "2026-03", "to_month": "2026-04",
         "unit_amount": f"{unit:.2f}", "person_amount": f"{own:.2f}"},
        {"person_account": people[1].person_account, "reason": "9", "from_month": "2026-05", "to_month": "2026-05",
         "unit_amount": "120.00", "person_amount": "100.00"}]}
    assert approve_twice(real_centre, application["id"]) == ["pending", "approved"]
    with centre_db(real_centre) as db:
        bill = db.execute("SELECT b.headcount, b.amount, b.status FROM supplementary_bills b JOIN applications a "
                          "ON a.id = b.application_id WHERE a.application_no = ?", (seen["number"],)).fetchone()
        lines = db.execute("SELECT COUNT(*) FROM supplementary_lines l JOIN supplementary_bills b ON b.id = l.bill_id "
                           "JOIN applications a ON a.id = b.application_id WHERE a.application_no = ?",
                           (seen["number"],)).fetchone()[0]
    assert bill == (2, 80100 + 22000, "unallocated") and lines == 3

    # 补缴书查询: the bill, its 明细 and its 汇补缴书
    bills = owner.bills
    owner.sheets.setCurrentWidget(bills)
    qtbot.waitUntil(lambda: any(r.get("application_no") == seen["number"] for r in bills.model.rows), timeout=15000)
    row = next(i for i, r in enumerate(bills.model.rows) if r["application_no"] == seen["number"])
    assert bills.model.text(row, "amount") == "1,021.00" and bills.model.text(row, "headcount") == "2"
    assert bills.model.text(row, "status") == "待缴款"
    bills.table.selectRow(row)
    shown: dict = {}

    def look(dialog):
        shown["lines"] = [(dialog.model.text(i, "person_account"), dialog.model.text(i, "month"),
                           dialog.model.text(i, "line_total")) for i in range(dialog.model.rowCount())]
        shown["total"] = dialog.findChild(QLabel, "billTotal").text()
        dialog.accept()

    from PySide6.QtWidgets import QLabel

    from ui.modules.supplementary.bills import BillDialog

    timer = when_visible(lambda: visible(BillDialog), look)
    bills.show_detail()
    qtbot.waitUntil(lambda: "lines" in shown, timeout=15000)
    timer.stop()
    assert sorted(shown["lines"])[-1] == (people[1].person_account, "2026年05月", "220.00")
    assert len(shown["lines"]) == 3
    assert shown["total"] == (f"共 2 人，3 笔（每人每月一笔）：单位 {money(unit + 120)} 元，个人 {money(own + 100)} 元，"
                              "合计 1,021.00 元")
    bills.print_bill()
    assert preview_shown(qtbot) == "打印预览 — 住房公积金汇补缴书（共1页）"


def test_a_returned_supplementary_comes_back_into_the_list_and_is_resubmitted(qtbot, real_centre, ukey, real_desk,
                                                                            tmp_path):
    main = login(qtbot, real_centre, ukey, real_desk, JULY)
    owner = tab(main, "补缴")
    page = owner.entry
    form = page.form
    first, second = active_people(main, 14)[12:14]

    def enter(person, month: str, unit: str, own: str) -> None:
        form.picker.choose(person)
        form.reason.setCurrentIndex(form.reason.findText("漏缴"))
        form.by_parts.setChecked(True)
        qtbot.keyClicks(form.from_month, month)
        qtbot.keyClicks(form.unit_amount, unit)
        qtbot.keyClicks(form.person_amount, own)
        qtbot.mouseClick(form.enter_button, LEFT)

    enter(first, "2026-02", "50", "50")
    settle(qtbot)
    scan = tmp_path / "补缴证明.pdf"
    scan.write_bytes(PDF)
    number = submit_with_scan(qtbot, page, scan)["number"]
    application = pending_application(real_centre, "supplementary", number)
    answer = httpx.post(f"{real_centre.api}/centre/applications/{application['id']}/decision",
                        json={"decision": "return", "opinion": "请补充二月份的工资发放明细"},
                        headers={"Authorization": f"Bearer {centre_token(real_centre)}"})
    assert answer.status_code == 200, answer.text

    # 待办 → 修改后重新提交: the tab that edits 补缴 is this one; the rows come back with the names
    from ui.tasks.context import TaskContext

    detail = main.api.request("GET", f"/applications/{application['id']}")
    editor = TaskContext(main).editor_for("supplementary")
    assert editor is owner
    assert editor.edit_application(detail)
    assert owner.sheets.currentWidget() is page
    assert page.rows() == [dict(page.rows()[0], person_account=first.person_account, name=first.name,
                                unit_amount="50.00", person_amount="50.00", source="退回的申请")]
    assert page.banner.isVisible() and page.banner.text() == (
        f"正在修改退回的业务（业务编号{number}）。中心审批意见：请补充二月份的工资发放明细")
    enter(second, "2026-03", "60", "40")
    settle(qtbot)
    seen = submit_with_scan(qtbot, page, None)
    assert seen["files"] == 1 and seen["number"] == number          # the file the centre has; the same application
    assert not page.banner.isVisible() and page.model.rowCount() == 0
    again = pending_application(real_centre, "supplementary", number)
    assert [r["person_account"] for r in again["payload"]["rows"]] == [first.person_account, second.person_account]
    assert [s["decision"] for s in again["steps"]] == ["submit", "return", "resubmit"]

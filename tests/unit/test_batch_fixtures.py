"""Every fixture workbook in tests/fixtures/batch (saved by openpyxl and by LibreOffice Calc): the exact
Excel row, column header, code and message of each problem, and the values of the rows that are good."""
import datetime as dt
from decimal import Decimal

import pytest

from services.batch import (FORMULA_WITHOUT_VALUE, HIDDEN_ROW, ID_AS_NUMBER, TEMPLATE_OUTDATED, OpenRow,
                            WorkbookRefused, import_workbook)
from services.yearmonth import YearMonth

from .test_batch_support import fixture, found, offline, rid, with_roster

NEW1, NEW2, NEW3 = rid("19960606", "081"), rid("19970707", "092"), rid("19981010", "103")


def test_clean_workbook_gives_rows_ready_for_the_centre():
    result = import_workbook(fixture("open_clean.xlsx"), "open", offline(unit_ratio="12", person_ratio="12"))
    assert result.ok and result.total_rows == 3 and result.bad_rows == []
    assert [r.to_api() for r in result.rows] == [
        {"name": "陈明", "id_type": "01", "id_number": NEW1, "mobile": "13912345678", "department": "01",
         "base": "5000.00", "unit_ratio": "12", "person_ratio": "12", "first_month": "2026-07"},
        {"name": "林芳", "id_type": "01", "id_number": NEW2, "mobile": "13812345678", "department": "",
         "base": "6500.50", "unit_ratio": "12", "person_ratio": "12", "first_month": "2026-08"},
        {"name": "黄伟", "id_type": "03", "id_number": "E12345678", "mobile": "", "department": "",
         "base": "8000.00", "unit_ratio": "12", "person_ratio": "12"},
    ]
    assert [r.row for r in result.rows] == [2, 3, 4]
    first = result.rows[0]
    assert first.contribution(offline().policy).total == Decimal("1200.00")
    assert OpenRow.from_record(first.to_record()) == first


def test_libreoffice_file_with_harmless_noise_is_repaired():
    result = import_workbook(fixture("open_noise_libreoffice.xlsx"), "open", offline())
    assert found(result) == []
    rows = result.rows
    assert [r.name for r in rows] == ["周杰", "吴敏", "Zhang San", "郑强"]
    assert rows[0].id_number == NEW1                                   # full-width digits
    assert rows[1].id_number.endswith("X") and rows[1].id_number == rows[1].id_number.upper()
    assert rows[2].id_type == "03" and rows[2].id_number == "E12345678"
    assert rows[3].id_number == NEW2                                   # trailing spaces and NBSP
    assert [r.mobile for r in rows] == ["13912345678", "13812345679", "", "13812345670"]
    assert [r.base for r in rows] == [Decimal("12345.60"), Decimal("5000.00"), Decimal("6000.00"), Decimal("5000.50")]
    assert {r.first_month for r in rows} == {YearMonth(2026, 7)}       # 2026年7月, 202607, a date cell, 2026-07


def test_id_stored_as_a_number_libreoffice():
    result = import_workbook(fixture("trap_id_number_libreoffice.xlsx"), "open", offline())
    assert found(result) == [(3, "证件号码", "id_stored_as_number", ID_AS_NUMBER)]
    assert [r.row for r in result.rows] == [2, 4]
    # LibreOffice kept 15 significant digits: the clerk sees what was lost
    assert result.bad_rows[0].row == 3 and result.bad_rows[0].cells[2] == "110105199707071000"


def test_formula_without_cached_value():
    result = import_workbook(fixture("trap_formula_openpyxl.xlsx"), "open", offline())
    assert found(result) == [(3, "缴存基数", "formula_without_value", FORMULA_WITHOUT_VALUE)]


def test_formula_with_cached_value_saved_by_libreoffice_is_taken():
    result = import_workbook(fixture("formula_cached_libreoffice.xlsx"), "open", offline())
    assert result.ok and [r.base for r in result.rows] == [Decimal("5000.00"), Decimal("6000.00")]


def test_merged_cells_libreoffice():
    result = import_workbook(fixture("trap_merged_libreoffice.xlsx"), "open", offline())
    message = "该单元格位于合并单元格E2:E4中，合并后只有第一格有值：请取消合并，并在每一行分别填写"
    assert found(result) == [(3, "部门", "merged_cell", message), (4, "部门", "merged_cell", message)]
    assert [(r.row, r.department) for r in result.rows] == [(2, "01")]


def test_hidden_row_libreoffice():
    result = import_workbook(fixture("trap_hidden_row_libreoffice.xlsx"), "open", offline())
    assert found(result) == [(3, "", "hidden_row", HIDDEN_ROW)]
    assert [r.row for r in result.rows] == [2, 4]


def test_legacy_xls_saved_by_libreoffice():
    result = import_workbook(fixture("open_legacy.xls"), "open", offline())
    assert found(result) == [
        (3, "缴存基数", "base_out_of_range", "缴存基数1000.00低于下限2420.00，请核对"),
        (4, "证件号码", "id_stored_as_number", ID_AS_NUMBER),
    ]
    assert [(r.row, r.name, r.mobile) for r in result.rows] == [(2, "陈明", "13912345678")]


def test_open_against_the_roster_departments_and_policy():
    result = import_workbook(fixture("open_roster.xlsx"), "open", with_roster())
    assert found(result) == [
        (3, "证件号码", "active_here", "该职工已在本单位正常缴存（个人账号A001），无需重复登记"),
        (4, "证件号码", "sealed_here", "该职工在本单位已有封存账户（个人账号A002），请办理启封，不能重复登记"),
        (5, "证件号码", "active_elsewhere", "已在其他单位正常缴存，需原单位先办理封存"),
        (6, "首次缴存年月", "month_too_early", "首次缴存年月2024-01不能早于2024-07（单位开户年月及补缴追溯期限），请核对"),
        (7, "首次缴存年月", "month_too_late", "首次缴存年月2026-09不能晚于2026-08，请核对"),
        (8, "部门", "department_unknown", "部门99不存在，请先在单位部门管理中设立该部门"),
    ]
    assert [(r.row, r.department) for r in result.rows] == [(2, "02")]     # 技术部 by name → its code


def test_seal_rules():
    result = import_workbook(fixture("seal_rules.xlsx"), "seal", with_roster())
    assert found(result) == [
        (3, "个人账号", "not_active", "该职工当前状态为封存，只有正常状态的职工可以封存"),
        (4, "个人账号", "not_found", "个人账号A999不存在或不属于本单位，请核对"),
        (5, "个人账号", "duplicate_in_batch", "个人账号与第2行重复"),
        (6, "姓名", "name_mismatch", "姓名与个人账号不符（该账号登记的姓名为王三），请核对"),
        (6, "封存原因", "reason_unknown", "封存原因不正确：辞职（请从下拉列表中选择）"),
        (6, "封存年月", "month_not_after_paid_through", "封存年月2026-06应晚于该职工的缴至年月2026-06，请核对"),
        (7, "封存年月", "month_too_late", "封存年月2026-09不能晚于2026-08，请核对"),
    ]
    assert [r.to_api() for r in result.rows] == [{"person_account": "A001", "reason": "2", "effective_month": "2026-07"}]
    assert (result.rows[0].name, result.rows[0].id_number) == ("张一", rid("19850312", "011"))


def test_unseal_rules():
    result = import_workbook(fixture("unseal_rules.xlsx"), "unseal", with_roster())
    assert found(result) == [
        (3, "个人账号", "not_sealed", "该职工当前状态为正常，只有封存状态的职工可以启封"),
        (4, "证件号码", "id_mismatch", "证件号码与个人账号不符，请核对"),
        (4, "启封年月", "month_not_after_paid_through", "启封年月2026-06应晚于该职工的缴至年月2026-06，请核对"),
        (4, "缴存基数", "base_out_of_range", "缴存基数50000.00高于上限35811.00，请核对"),
        (5, "个人账号", "duplicate_in_batch", "个人账号与第2行重复"),
        (6, "个人账号", "active_elsewhere", "已在其他单位正常缴存，需原单位先办理封存"),
        (6, "启封原因", "required", "启封原因不能为空"),
        (6, "缴存基数", "required", "缴存基数不能为空"),
    ]
    assert [r.to_api() for r in result.rows] == [
        {"person_account": "A002", "reason": "1", "effective_month": "2026-07", "base": "6000.00"}]


def test_base_adjustment_rules():
    result = import_workbook(fixture("base_rules.xlsx"), "base", with_roster())
    assert found(result) == [
        (3, "调整后缴存基数", "base_unchanged", "调整后缴存基数与现缴存基数8000.00相同，无需调整，请删除该行"),
        (4, "个人账号", "not_active", "该职工当前状态为封存，只有正常状态的职工可以调整基数"),
        (5, "调整后缴存基数", "base_out_of_range", "缴存基数2000.00低于下限2420.00，请核对"),
        (6, "个人账号", "not_active", "该职工当前状态为封存，只有正常状态的职工可以调整基数"),
        (6, "证件号码", "id_mismatch", "证件号码与个人账号不符，请核对"),
        (6, "调整后缴存基数", "money_format", "调整后缴存基数格式不正确：abc（应为金额，如5000.00）"),
    ]
    assert [r.to_api() for r in result.rows] == [{"person_account": "A001", "old_base": "5000.00", "new_base": "6000.00"}]


def test_supplementary_rules():
    result = import_workbook(fixture("supplementary_rules.xlsx"), "supplementary", with_roster())
    assert found(result) == [
        (3, "补缴起始年月", "duplicate_month", "补缴年月与第2行重叠：同一职工同一月份只能补缴一次"),
        (4, "补缴起始年月", "before_opening", "补缴起始年月2025-09早于该职工的开户年月2025-11，请核对"),
        (5, "补缴起始年月", "month_not_past",
         "补缴年月2026-07不是已过去的月份（当前为2026-07），只能补缴2026-06及以前的月份"),
        (6, "补缴起始年月", "month_too_early", "补缴起始年月2024-01超过最长补缴期限24个月（最早2024-07），请核对"),
        (7, "单位补缴金额", "amount_over_cap",
         "单位补缴金额99999.00超过按缴存基数上限35811.00计算的1个月最高额1791.00，请核对"),
        (8, "补缴金额合计", "amount_required", "请填写单位补缴金额和个人补缴金额，或填写补缴金额合计"),
        (9, "补缴金额合计", "total_mismatch", "补缴金额合计300.00不等于单位与个人补缴金额之和200.00，请核对"),
        (10, "补缴终止年月", "month_range", "补缴终止年月2026-01早于起始年月2026-02，请核对"),
    ]
    assert [r.to_api() for r in result.rows] == [
        {"person_account": "A001", "reason": "1", "from_month": "2026-01", "to_month": "2026-03",
         "unit_amount": "1800.00", "person_amount": "1800.00"}]
    assert result.rows[0].months == 3 and result.rows[0].total == Decimal("3600.00")


def test_supplementary_total_is_split_by_the_employees_ratios(tmp_path):
    from services.batch import write_template
    path = write_template("supplementary", tmp_path / "s.xlsx", rows=[
        ["A003", None, None, "漏缴", "2026-01", None, None, None, "1001"]])
    result = import_workbook(path, "supplementary", with_roster())
    assert result.ok
    assert (result.rows[0].unit_amount, result.rows[0].person_amount) == (Decimal("500.50"), Decimal("500.50"))


def test_without_a_roster_the_checks_that_need_it_are_skipped():
    result = import_workbook(fixture("seal_rules.xlsx"), "seal", offline())
    assert found(result) == [
        (5, "个人账号", "duplicate_in_batch", "个人账号与第2行重复"),
        (6, "封存原因", "reason_unknown", "封存原因不正确：辞职（请从下拉列表中选择）"),
        (7, "封存年月", "month_too_late", "封存年月2026-09不能晚于2026-08，请核对"),
    ]


@pytest.mark.parametrize("name, business, code, message", [
    ("template_outdated.xlsx", "open", "template_outdated", TEMPLATE_OUTDATED),
    ("template_foreign.xlsx", "open", "template_foreign",
     "该文件不是从本系统下载的“缴存人登记”导入模板：请下载模板，把数据填入模板后再导入"),
    ("template_seal_for_open.xlsx", "open", "template_business",
     "这是“缴存人封存”的导入模板，不能用于“缴存人登记”：请下载“缴存人登记”模板"),
    ("empty_template.xlsx", "open", "empty_sheet", "工作表“缴存人登记”中只有表头、没有数据：请填写数据后再导入"),
    ("headers_mismatch.xlsx", "open", "headers_mismatch",
     "表头与“缴存人登记”模板不符：缺少列“证件号码”、“缴存基数”；无法识别的列“证件编号”、“备注2”。请使用下载的模板，不要修改表头"),
    ("corrupt.xlsx", "open", "corrupt", "文件已损坏，无法读取：请用Excel打开后重新保存，再导入"),
    ("not_spreadsheet.xlsx", "open", "not_spreadsheet",
     "该文件是文本文件（如CSV），不是Excel工作簿：请把内容复制到本系统下载的模板中再导入"),
    ("encrypted.xlsx", "open", "encrypted",
     "工作簿设置了打开密码，无法读取：请在Excel中取消密码（文件→信息→保护工作簿→用密码进行加密，清空密码）后再导入"),
    ("encrypted_libreoffice.xls", "open", "encrypted",
     "工作簿设置了打开密码，无法读取：请在Excel中取消密码（文件→信息→保护工作簿→用密码进行加密，清空密码）后再导入"),
    ("zip_bomb.xlsx", "open", "zip_bomb",
     "文件内容异常（解压后体积远大于文件本身），已拒绝读取：请用Excel重新保存模板后再导入"),
])
def test_refused_files(name, business, code, message):
    with pytest.raises(WorkbookRefused) as caught:
        import_workbook(fixture(name), business, offline())
    assert (caught.value.code, caught.value.message) == (code, message)


def test_fixture_business_date_is_the_one_the_tests_use():
    import json
    data = json.loads(fixture("roster.json").read_text(encoding="utf-8"))
    assert dt.date.fromisoformat(data["business_date"]) == dt.date(2026, 7, 15)

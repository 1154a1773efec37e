"""The engine around the rows: refusals made at test time (a lying zip header, 200,001 rows, a stray cell
far right, other file kinds), every problem reported, progress and cancel, the template, the error workbook."""
import io
import struct
import subprocess
import sys
import threading
import zipfile

import openpyxl
import pytest

from services.batch import (BUSINESSES, ImportCancelled, WorkbookRefused, import_workbook, write_error_workbook,
                            write_template)
from services.batch import engine
from services.batch.stamp import MARK

from .test_batch_support import fixture, found, offline, rid, with_roster

ROW = ["陈明", None, rid("19960606", "081"), None, None, "5000", "2026-07"]


def refused(path, business="open", ctx=None) -> tuple[str, str]:
    with pytest.raises(WorkbookRefused) as caught:
        import_workbook(path, business, ctx or offline())
    return caught.value.code, caught.value.message


# -- refusals --------------------------------------------------------------------------------------------
def test_a_zip_member_larger_than_its_header_says_is_a_bomb(tmp_path):
    """The declared sizes pass; the data inflates past them: refused before calamine reads it."""
    clean = fixture("open_clean.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(clean)) as source:
        infos = [(i, source.read(i)) for i in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in infos:
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b" " * 5_000_000 + b"</worksheet>")
            out.writestr(info.filename, data)
    raw = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as lying:
        info = lying.getinfo("xl/worksheets/sheet1.xml")
        true_size = info.file_size
    small = struct.pack("<I", 1000)
    raw[info.header_offset + 22:info.header_offset + 26] = small                     # local header
    at = raw.rfind(b"xl/worksheets/sheet1.xml") - 46                                  # its directory entry
    assert raw[at:at + 4] == b"PK\x01\x02" and struct.unpack("<I", raw[at + 24:at + 28])[0] == true_size
    raw[at + 24:at + 28] = small
    path = tmp_path / "lying.xlsx"
    path.write_bytes(bytes(raw))
    assert refused(path)[0] == "zip_bomb"


def test_more_than_200000_rows_is_refused(tmp_path):
    path = write_template("open", tmp_path / "big.xlsx", rows=(["x"] for _ in range(200_001)))
    assert refused(path) == ("too_many_rows", "数据超过200000行（一次最多导入200000行）：请分成多个文件导入")


def test_a_stray_cell_far_to_the_right_is_refused_before_calamine_allocates_it(tmp_path):
    row = ROW + [None] * (16_384 - len(ROW) - 1) + ["x"]
    path = write_template("open", tmp_path / "wide.xlsx", rows=[row])
    code, message = refused(path)
    assert code == "too_many_columns" and "第64列以后还有内容" in message


def _zip(path, members: dict) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


@pytest.mark.parametrize("members, code, words", [
    ({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}, "unsupported_format",
     "不支持OpenDocument表格（.ods）"),
    ({"[Content_Types].xml": "<x/>", "word/document.xml": "<x/>"}, "not_spreadsheet", "该文件是Word文档"),
    ({"a.txt": "hello"}, "not_spreadsheet", "该文件是压缩包"),
    ({"xl/workbook.bin": "x"}, "unsupported_format", "不支持Excel二进制工作簿（.xlsb）"),
])
def test_other_zip_files(tmp_path, members, code, words):
    path = tmp_path / "x.xlsx"
    _zip(path, members)
    got_code, message = refused(path)
    assert got_code == code and message.startswith(words)


@pytest.mark.parametrize("content, code, words", [
    (b"", "empty_file", "文件是空的"),
    (b"%PDF-1.4\n%...", "not_spreadsheet", "该文件是PDF文档"),
    (b"<html><table><tr><td>1</td></tr></table></html>", "not_spreadsheet", "该文件是网页或XML文件"),
    ("姓名,证件号码\n陈明,1\n".encode("gb18030"), "not_spreadsheet", "该文件是文本文件（如CSV）"),
    (bytes(range(256)) * 4, "not_spreadsheet", "该文件不是Excel工作簿"),
])
def test_files_that_are_not_workbooks(tmp_path, content, code, words):
    path = tmp_path / "x.xls"
    path.write_bytes(content)
    got_code, message = refused(path)
    assert got_code == code and message.startswith(words)


def test_missing_file_and_folder(tmp_path):
    assert refused(tmp_path / "nope.xlsx")[0] == "not_found"
    assert refused(tmp_path)[0] == "not_spreadsheet"


def test_a_sheet_with_nothing_in_it(tmp_path):
    book = openpyxl.load_workbook(fixture("empty_template.xlsx"))
    book["缴存人登记"].delete_rows(1)
    book.save(tmp_path / "blank.xlsx")
    assert refused(tmp_path / "blank.xlsx") == ("empty_sheet", "工作表“缴存人登记”是空的：请在模板中填写数据后再导入")


def test_chosen_ratios_outside_the_policy_are_refused_before_reading():
    with pytest.raises(engine.BatchError, match="单位缴存比例13%不在5%–12%之间"):
        import_workbook(fixture("open_clean.xlsx"), "open", offline(unit_ratio="13", person_ratio="12"))


# -- every problem ---------------------------------------------------------------------------------------
def test_every_problem_of_every_row_is_reported(tmp_path):
    bad = ["名" * 51, "火星证", "12345", "1234", "99", "-5", "2026-13"]
    rows = [bad] * 40 + [ROW]
    path = write_template("open", tmp_path / "bad.xlsx", rows=rows)
    result = import_workbook(path, "open", offline(departments={"01": "财务部"}))
    assert len(result.problems) == 40 * 6             # 证件号码 is not checked when 证件类型 is wrong
    assert {p.row for p in result.problems} == set(range(2, 42))
    assert {p.column for p in result.problems} == {"姓名", "证件类型", "手机号码", "部门", "缴存基数", "首次缴存年月"}
    assert [r.row for r in result.rows] == [42]
    assert len(result.bad_rows) == 40 and result.total_rows == 41


def test_problems_are_capped_with_a_last_word(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "MAX_PROBLEMS", 10)
    path = write_template("open", tmp_path / "bad.xlsx", rows=[["", None, "1", None, None, "1", None]] * 20)
    result = import_workbook(path, "open", offline())
    assert result.truncated and len(result.problems) == 11
    assert result.problems[-1].code == "too_many_problems"


def test_blank_rows_and_title_rows_above_the_header(tmp_path):
    book = openpyxl.load_workbook(fixture("open_clean.xlsx"))
    sheet = book["缴存人登记"]
    sheet.insert_rows(3, 2)          # two blank rows between the data
    book.save(tmp_path / "gaps.xlsx")
    result = import_workbook(tmp_path / "gaps.xlsx", "open", offline())
    assert result.ok and [r.row for r in result.rows] == [2, 5, 6]


# -- progress and cancel -----------------------------------------------------------------------------------
def test_progress_is_reported(monkeypatch):
    monkeypatch.setattr(engine, "PROGRESS_EVERY", 1)
    seen = []
    import_workbook(fixture("open_clean.xlsx"), "open", offline(), progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (4, 4) and len(seen) >= 3


def test_cancel_with_an_event(monkeypatch):
    monkeypatch.setattr(engine, "PROGRESS_EVERY", 1)
    event = threading.Event()
    with pytest.raises(ImportCancelled):
        import_workbook(fixture("open_clean.xlsx"), "open", offline(), progress=lambda *_: event.set(), cancel=event)


def test_cancel_with_a_callable_before_reading():
    with pytest.raises(ImportCancelled) as caught:
        import_workbook(fixture("open_clean.xlsx"), "open", offline(), cancel=lambda: True)
    assert caught.value.message == "已取消导入"


# -- the template ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", sorted(BUSINESSES))
def test_template_layout(tmp_path, key):
    spec = BUSINESSES[key]
    path = write_template(key, tmp_path / f"{key}.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [spec.title, "填写说明", "_lists", "_gjj"]
    sheet = book[spec.title]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == spec.headers
    for index, column in enumerate(spec.columns, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        assert (sheet.column_dimensions[letter].number_format == "@") == column.text_format
        assert sheet.cell(1, index).comment is not None
    lists = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert lists == {f"list_{c.key}" for c in spec.columns if c.dictionary}
    for name in lists:
        assert name in book.defined_names
    assert book["_gjj"].sheet_state == "veryHidden" and book["_lists"].sheet_state == "hidden"
    assert [c.value for c in book["_gjj"][1]] == [MARK, key, spec.version]
    assert "不要合并单元格" in "".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row)


def test_template_lists_departments_and_policy(tmp_path):
    path = write_template("open", tmp_path / "t.xlsx", departments={"01": "财务部", "02": "技术部"},
                          policy=offline().policy)
    book = openpyxl.load_workbook(path)
    assert [c.value for c in book["_lists"]["B"]][:2] == ["财务部", "技术部"]
    text = "".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row)
    assert "缴存基数2420.00–35811.00元" in text


def test_the_id_column_keeps_18_digits_as_text(tmp_path):
    """A value typed into the template's ID column stays text (the column is formatted "@")."""
    path = write_template("open", tmp_path / "t.xlsx", rows=[ROW])
    assert import_workbook(path, "open", offline()).rows[0].id_number == ROW[2]


# -- the error workbook ------------------------------------------------------------------------------------
def test_error_workbook_marks_every_bad_cell_and_imports_again(tmp_path):
    result = import_workbook(fixture("unseal_rules.xlsx"), "unseal", with_roster())
    path = write_error_workbook(result, tmp_path / "errors.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["缴存人启封"]
    headers = [c.value for c in sheet[1]]
    assert headers == BUSINESSES["unseal"].headers + ["原行号", "错误信息"]
    lines = list(sheet.iter_rows(min_row=2))
    assert [line[6].value for line in lines] == [3, 4, 5, 6]
    row4 = lines[1]
    red = {c.column_letter for c in row4 if c.fill.fgColor.rgb.endswith("FFC7CE")}
    assert red == {"C", "E", "F", "H"}       # 证件号码, 启封年月, 缴存基数, and the 错误信息 column
    assert row4[4].comment.text == "启封年月2026-06应晚于该职工的缴至年月2026-06，请核对"
    assert row4[7].value == ("证件号码：证件号码与个人账号不符，请核对；启封年月：启封年月2026-06应晚于该职工的缴至年月"
                             "2026-06，请核对；缴存基数：缴存基数50000.00高于上限35811.00，请核对")
    assert [c.value for c in lines[0]][:6] == ["A001", None, None, "1", "2026-07", "6000"]
    again = import_workbook(path, "unseal", with_roster())    # 原行号 and 错误信息 are ignored
    expected = [(p.column, p.code) for p in result.problems if p.code != "duplicate_in_batch"]
    assert [(p.column, p.code) for p in again.problems] == expected
    assert [p.row for p in again.problems] == [2, 3, 3, 3, 5, 5, 5]
    assert [r.row for r in again.rows] == [4]    # row 5's twin (row 2) is not in the error workbook


# -- packaging -------------------------------------------------------------------------------------------
def test_importing_the_engine_is_cheap():
    code = ("import sys, services.batch; "
            "assert not {'openpyxl', 'python_calamine', 'PySide6'} & set(sys.modules), sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_found_helper_orders_by_row_then_template_column():
    result = import_workbook(fixture("base_rules.xlsx"), "base", with_roster())
    assert found(result) == sorted(found(result), key=lambda p: (p[0], BUSINESSES["base"].headers.index(p[1])))

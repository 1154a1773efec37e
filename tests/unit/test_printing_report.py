"""The one report builder: the frame on every page, tables whose header repeats on each page, 本页小计 and a
correct 合计 on the last page, wrapping instead of cutting off, the empty list — read back with pdftotext."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest

from printing.report import Column, PageFrame, Report, format_value
from printing.samples import context
from services.money import fmt_money_display

FRAME = PageFrame("测试清单", unit_name="示范市智联科技有限公司", unit_account="100100000001",
                  conditions="记账日期：2024-01-01 至 2024-06-30；业务类型：全部", operator="张丽",
                  printed_at=dt.datetime(2024, 7, 15, 9, 30))
COLUMNS = [Column("account", "个人账号", 1.3), Column("name", "姓名", 1.0),
           Column("unit", "单位月缴存额", 1.1, "money", total=True),
           Column("person", "个人月缴存额", 1.1, "money", total=True)]


def pdf_pages(pdf: bytes, raw: bool = False) -> list[str]:
    """The text of each page, in order: as laid out (-layout) or in drawing order (-raw: a wrapped cell's
    lines follow each other)."""
    mode = "-raw" if raw else "-layout"
    text = subprocess.run(["pdftotext", mode, "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return text.decode().split("\f")[:-1]


def people(count: int) -> list[dict]:
    return [{"account": f"2001{i:08d}", "name": "张伟" if i % 2 else "李娜",
             "unit": Decimal(f"{100 + i % 37}.{i % 100:02d}"), "person": Decimal(f"{80 + i % 11}.05")}
            for i in range(1, count + 1)]


def amounts(line: str) -> list[Decimal]:
    return [Decimal(t.replace(",", "")) for t in re.findall(r"\d[\d,]*\.\d\d", line)]


def test_every_page_carries_the_frame():
    pages = pdf_pages(Report(FRAME).table(COLUMNS, people(200)).build())
    assert len(pages) > 3
    for number, page in enumerate(pages, 1):
        assert "测试清单" in page
        assert "单位名称：示范市智联科技有限公司" in page and "单位账号：100100000001" in page
        assert "查询条件：记账日期：2024-01-01 至 2024-06-30；业务类型：全部" in page
        assert "经办人：张丽" in page and "打印时间：2024-07-15 09:30" in page
        assert re.search(rf"第\s*{number}\s*页\s*/\s*共\s*{len(pages)}\s*页", page)


def test_a_long_table_repeats_its_header_and_ends_with_the_correct_total():
    rows = people(500)
    pages = pdf_pages(Report(FRAME).table(COLUMNS, rows, numbered=True, count_unit="人").build())
    assert len(pages) >= 10
    header = re.compile(r"序号\s+个人账号\s+姓名\s+单位月缴存额\s+个人月缴存额")
    assert all(header.search(page) for page in pages)
    unit_total = sum(r["unit"] for r in rows)
    person_total = sum(r["person"] for r in rows)
    total_line = next(line for line in pages[-1].splitlines() if "合计" in line)
    assert "合计（共500人）" in total_line
    assert amounts(total_line) == [unit_total, person_total]
    assert fmt_money_display(unit_total) in total_line
    assert all("合计（共" not in page for page in pages[:-1])
    # every row is printed once, in order
    numbers = [int(m.group(1)) for page in pages for m in re.finditer(r"^\s*(\d+)\s+2001\d{8}", page, re.M)]
    assert numbers == list(range(1, 501))


def test_each_page_has_a_subtotal_of_its_own_rows():
    pages = pdf_pages(Report(FRAME).table(COLUMNS, people(300), numbered=True, count_unit="人").build())
    seen = 0
    for page in pages:
        lines = page.splitlines()
        rows = [amounts(line) for line in lines if re.match(r"^\s*\d+\s+2001\d{8}", line)]
        subtotal = next(line for line in lines if "本页小计" in line)
        assert f"本页小计（{len(rows)}人）" in subtotal
        assert amounts(subtotal) == [sum(r[0] for r in rows), sum(r[1] for r in rows)]
        seen += len(rows)
    assert seen == 300


def test_a_table_on_one_page_has_only_the_total():
    page, = pdf_pages(Report(FRAME).table(COLUMNS, people(3), count_unit="人").build())
    assert "本页小计" not in page
    assert "合计（共3人）" in page


def test_long_text_wraps_inside_its_cell_instead_of_being_cut():
    address = "示范市高新技术产业开发区创新大道一百八十八号智联科技大厦十八层一八零一室（东侧电梯上楼）"
    rows = [{"item": "单位地址", "old": "示范市高新区科技路1号", "new": address}]
    columns = [Column("item", "变更项目", 1.0), Column("old", "变更前", 1.5), Column("new", "变更后", 1.5)]
    pdf = Report(FRAME).table(columns, rows).build()
    page, = pdf_pages(pdf, raw=True)
    assert address in re.sub(r"\s+", "", page)
    laid_out, = pdf_pages(pdf)
    first = next(line for line in laid_out.splitlines() if "示范市高新技术" in line)
    assert "东侧" not in first and "单位地址" not in first  # the long value went on over more lines
    assert not any(line.strip().startswith("）") for line in laid_out.splitlines())  # no line starts with ）


def test_a_cell_taller_than_a_page_continues_on_the_next():
    text = "很长的说明文字。" * 400
    pages = pdf_pages(Report(FRAME).table([Column("note", "说明", 1.0)], [{"note": text}], numbered=True).build())
    assert len(pages) >= 2
    body = re.sub(r"\s+", "", "".join(pdf_pages(Report(FRAME).table(
        [Column("note", "说明", 1.0)], [{"note": text}], numbered=True).build(), raw=True)))
    assert body.count("很") == 400 and body.count("。") == 400
    assert "合计（共1条）" in pages[-1]  # one row, however many pages it takes


def test_an_empty_list_says_so():
    page, = pdf_pages(Report(FRAME).table(COLUMNS, []).build())
    assert "无符合条件的记录" in page
    assert "合计（共0条）" in page


def test_fields_and_notes_print_with_the_table():
    page, = pdf_pages(Report(FRAME).fields([("期初余额（元）", "1,000.00"), ("本期增加（元）", "250.50"),
                                            ("单位未分配金额（元）", "0.00")])
                      .table(COLUMNS, people(2)).paragraph("说明：测试。").build())
    assert re.search(r"期初余额（元）\s+1,000.00\s+本期增加（元）\s+250.50", page)
    assert "单位未分配金额（元）" in page and "说明：测试。" in page


def test_landscape_pages():
    pdf = Report(PageFrame("横向", landscape=True)).table(COLUMNS, people(2)).build()
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > height


def test_money_is_exact_and_never_float():
    rows = [{"account": "1", "name": "甲", "unit": "0.10", "person": "0.20"} for _ in range(3)]
    page, = pdf_pages(Report(FRAME).table(COLUMNS, rows).build())
    assert amounts(next(line for line in page.splitlines() if "合计" in line)) == [Decimal("0.30"), Decimal("0.60")]
    with pytest.raises(TypeError):
        Report(FRAME).table(COLUMNS, [{"account": "1", "name": "甲", "unit": 0.1, "person": 0.2}]).build()


@pytest.mark.parametrize(("kind", "value", "text"), [
    ("money", Decimal("1234.5"), "1,234.50"), ("money", "10020.50", "10,020.50"), ("money", None, ""),
    ("int", 7, "7"), ("ratio", "7.5", "7.5%"), ("date", "2024-07-15T09:30:00+08:00", "2024-07-15"),
    ("date", dt.date(2024, 7, 1), "2024-07-01"), ("month", "2024-07", "2024-07"), ("text", "张三", "张三"),
])
def test_values_are_shown_by_kind(kind, value, text):
    assert format_value(Column("k", "k", kind=kind), value) == text


def test_the_print_time_defaults_to_now():
    page, = pdf_pages(Report(PageFrame("现在")).table(COLUMNS, people(1)).build())
    assert f"打印时间：{dt.datetime.now():%Y-%m-%d}" in page


def test_the_context_fills_the_frame():
    ctx = context()
    assert (ctx.unit_name, ctx.unit_account, ctx.operator) == ("示范市智联科技有限公司", "100100000001", "张丽")


def test_numbers_never_wrap_five_digit_row_numbers_and_big_totals():
    rows = people(10_001)
    rows[0]["unit"] = Decimal("987654321.99")
    pages = pdf_pages(Report(FRAME).table(COLUMNS, rows, numbered=True, count_unit="人").build())
    last = pages[-1]
    assert re.search(r"^\s*10001\s+200100010001\s", last, re.M)
    total_line = next(line for line in last.splitlines() if "合计（共" in line)
    assert amounts(total_line)[0] == sum(r["unit"] for r in rows)
    assert re.search(r"^\s*9999\s+200100009999\s", "".join(pages), re.M)

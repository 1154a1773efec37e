"""Every printed document, read back: its text (pdftotext), its pages rendered to PNG (pdftoppm, not blank),
the 汇补缴书's two copies with the QR code carrying serial + verification code, and the API JSON shapes the
documents are fed from."""
from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from dataclasses import replace
from decimal import Decimal

import pytest
from PIL import Image

from printing import (QUERY_REPORTS, Assessment, BusinessReceipt, ChangeRow, PrintContext, PrintingError,
                      RemittanceSlip, SupplementarySlip, SupplementPart, account_summary_report, business_receipt,
                      journal_detail_report, query_report, remittance_slip, roster_appendix, supplementary_slip)
from printing import samples
from printing.slip import MM, QR_QUIET, QR_SIZE, qr_modules, qr_origin, qr_payload
from tests.unit.test_printing_report import amounts, pdf_pages

CTX = samples.context()
DPI = 200


def render(pdf: bytes, page: int = 1, dpi: int = 40) -> Image.Image:
    png = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-"],
                         input=pdf, capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png)).convert("L")


def ink(image: Image.Image) -> float:
    """Share of the page that is not white."""
    histogram = image.histogram()
    return 1 - sum(histogram[200:]) / (image.width * image.height)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- the 汇补缴书 ------------------------------------------------------------------------------------------

def test_the_slip_has_two_copies_with_everything_the_bank_needs():
    slip = samples.remittance_slip_data()
    pdf = remittance_slip(slip, CTX)
    page, = pdf_pages(pdf)
    text = flat(pdf_pages(pdf, raw=True)[0])
    assert text.count("住房公积金汇补缴书") == 2
    assert "第一联单位留存" in text and "第二联银行收款凭证" in text
    for expected in ("示范市智联科技有限公司", "100100000001", "2024年07月至2024年09月（共3个月）",
                     "业务流水号：HJ20240715000123", "核定日期：2024年07月15日", "验证码：8F3K2Q7M",
                     "示范市住房公积金管理中心", "622202100100" "4567890", "中国建设银行股份有限公司示范市分行营业部",
                     "2024年07月25日", "漏缴；新录用未及时开户", "经办人：张丽", "¥1,030,020.50",
                     "人民币壹佰零叁万零贰拾元伍角整", "汇缴1,020,000.00元（3个月）", "补缴10,020.50元"):
        assert text.count(expected) == 2, expected
    assert "沿虚线剪开" in text
    # 上月 / 增加 / 减少 / 本月 / 补缴: headcount and amount
    assert re.search(r"人数\s+198\s+3\s+1\s+200\s+2", page)
    assert amounts(next(line for line in page.splitlines() if "金额（元）" in line)) == [
        Decimal("336600.00"), Decimal("5100.00"), Decimal("1700.00"), Decimal("340000.00"), Decimal("10020.50")]


def test_the_slip_total_is_the_remittance_of_every_month_plus_the_supplement():
    slip = samples.remittance_slip_data()
    assert slip.remittance_total == Decimal("1020000.00")
    assert slip.total == Decimal("1030020.50")
    only_month = replace(slip, months=("2024-07",), supplement=None)
    text = flat(pdf_pages(remittance_slip(only_month, CTX))[0])
    assert "汇缴年月2024年07月" in text and "¥340,000.00" in text and "人民币叁拾肆万元整" in text
    assert "补缴原因" not in text


def test_a_supplement_only_slip():
    slip = replace(samples.remittance_slip_data(), months=(), supplement=SupplementPart(1, Decimal("0.50"), "少缴"))
    text = flat(pdf_pages(remittance_slip(slip, CTX))[0])
    assert "无（本缴书仅含补缴）" in text and "人民币伍角整" in text and "¥0.50" in text
    assert "审批日期" in text and "核定日期" not in text


@pytest.mark.parametrize("copy", [0, 1])
def test_the_qr_code_of_each_copy_carries_serial_and_verification_code(copy):
    slip = samples.remittance_slip_data()
    payload = qr_payload(slip.serial, slip.verification_code)
    assert payload == "GJJHBJ|HJ20240715000123|8F3K2Q7M"
    image = render(remittance_slip(slip, CTX), dpi=DPI)
    modules = qr_modules(payload)
    n = len(modules)
    unit = QR_SIZE / (n + 2 * QR_QUIET)
    x0, y0 = qr_origin(copy)
    page_height = 297 * MM
    scale = DPI / 72
    for r in range(n):
        for c in range(n):
            x = (x0 + (c + QR_QUIET + 0.5) * unit) * scale
            y = (page_height - (y0 + QR_SIZE - (r + QR_QUIET + 0.5) * unit)) * scale
            dark = image.getpixel((round(x), round(y))) < 128
            assert dark == modules[r][c], (r, c)
    # the quiet zone is white: one module outside the code on every side
    for x, y in ((x0 + (QR_QUIET - 1) * unit, y0 + QR_SIZE / 2), (x0 + QR_SIZE / 2, y0 + (QR_QUIET - 1) * unit)):
        assert image.getpixel((round(x * scale), round((page_height - y) * scale))) > 200


@pytest.mark.parametrize(("field", "value", "named"), [
    ("verification_code", "", "验证码"), ("serial", "", "业务流水号"),
])
def test_a_slip_the_bank_cannot_verify_is_not_printed(field, value, named):
    with pytest.raises(PrintingError) as caught:
        remittance_slip(replace(samples.remittance_slip_data(), **{field: value}), CTX)
    assert named in caught.value.message


def test_a_slip_without_the_payee_account_is_not_printed():
    slip = samples.remittance_slip_data()
    with pytest.raises(PrintingError, match="收款账号"):
        remittance_slip(replace(slip, payee=replace(slip.payee, account="")), CTX)


def test_a_slip_too_long_for_half_a_page_is_refused_not_cut_off():
    slip = samples.remittance_slip_data()
    long_reason = replace(slip, supplement=SupplementPart(2, Decimal("1.00"), "漏缴。" * 300))
    with pytest.raises(PrintingError, match="超出了半张A4纸"):
        remittance_slip(long_reason, CTX)
    fits = replace(slip, supplement=SupplementPart(2, Decimal("1.00"), "漏缴；" * 25))  # two lines of reason
    assert "漏缴；漏缴；" in flat(pdf_pages(remittance_slip(fits, CTX), raw=True)[0])


def test_the_slip_with_its_roster_appendix():
    roster = samples.roster(90)
    pages = pdf_pages(remittance_slip(samples.remittance_slip_data(), CTX, roster))
    assert len(pages) >= 3
    assert "住房公积金汇补缴书" in pages[0]
    assert all("住房公积金汇缴清册（汇补缴书附件）" in p for p in pages[1:])
    assert all("业务流水号：HJ20240715000123" in p for p in pages[1:])
    total_line = next(line for line in pages[-1].splitlines() if "合计（共" in line)
    assert "合计（共90人）" in total_line
    assert amounts(total_line) == [sum(r.unit_monthly for r in roster), sum(r.person_monthly for r in roster),
                                   sum(r.monthly for r in roster)]


def test_the_slip_from_the_api():
    unit = {"unit_account": "100100000001", "name": "示范市智联科技有限公司", "operator": {"name": "张丽"}}
    assessments = [{"id": "18", "month": "2024-08", "headcount": 200, "amount": "340000.00"},
                   {"id": "17", "month": "2024-07", "headcount": 200, "amount": "340000.00",
                    "assessed_at": "2024-07-15T09:25:00+08:00", "serial": "HJ20240715000123",
                    "verification_code": "8F3K2Q7M", "deadline": "2024-07-25",
                    "payee": {"name": "示范市住房公积金管理中心", "account": "6222021001004567890", "bank": "建行"}}]
    next_month = {"month": "2024-07", "headcount": 200, "amount": "340000.00",
                  "last": {"headcount": 198, "amount": "336600.00"}, "added": {"headcount": 3, "amount": "5100.00"},
                  "removed": {"headcount": 1, "amount": "1700.00"}}
    slip = RemittanceSlip.from_api(unit, list(reversed(assessments)), next_month)
    assert slip.months == ("2024-07", "2024-08")
    assert slip.serial == "HJ20240715000123" and slip.verification_code == "8F3K2Q7M"
    assert slip.last.headcount == 198 and slip.removed.amount == Decimal("1700.00")
    assert slip.total == Decimal("680000.00") and slip.clerk == "张丽"
    assert slip.deadline == dt.date(2024, 7, 25) and slip.assessed_on == dt.date(2024, 7, 15)
    assert "人民币陆拾捌万元整" in flat(pdf_pages(remittance_slip(slip))[0])


# -- the other documents -----------------------------------------------------------------------------------

def test_the_supplementary_slip():
    slip = samples.supplementary_slip_data()
    page, = pdf_pages(supplementary_slip(slip, CTX))
    text = flat(page)
    assert "住房公积金补缴凭条" in text and "SQ20240715000045" in text and "已提交，待中心审批" in text
    assert "补缴人数6人" in text and "¥20,400.00" in text and "人民币贰万零肆佰元整" in text
    assert "2024-01至2024-03" in text and "少缴(基数/比例差额)" in text
    assert amounts(next(line for line in page.splitlines() if "合计" in line)) == [
        Decimal("10200.00"), Decimal("10200.00"), Decimal("20400.00")]
    assert "不作缴款凭证" in text


def test_the_supplementary_slip_from_the_api():
    application = {"id": "SQ1", "type": "supplementary", "status": "pending", "submitted_at": "2024-07-15T09:28:00+08:00",
                   "payload": {"rows": [{"person_account": "200100000001", "reason": "漏缴", "from_month": "2024-01",
                                         "to_month": "2024-01", "unit_amount": "850.00", "person_amount": "850.00"}]}}
    slip = SupplementarySlip.from_api(application, {"200100000001": "张伟"})
    assert slip.rows[0].name == "张伟" and slip.total == Decimal("1700.00") and slip.rows[0].months == "2024-01"


def test_the_business_receipt():
    text = flat(pdf_pages(business_receipt(samples.receipt_data(), CTX))[0])
    for expected in ("住房公积金业务办理回执", "业务名称单位信息变更", "申请编号SQ20240715000046", "已提交，待中心审批",
                     "变更内容", "示范市高新区科技路1号", "示范市高新区创新大道188号智联大厦18层", "13912345678",
                     "“我发起的”"):
        assert expected in text, expected


def test_a_receipt_with_detail_rows_for_a_direct_business():
    receipt = BusinessReceipt("缴存人登记", "LS20240715000200", "办理成功", "2024-07-15T10:00:00+08:00",
                              number_label="业务流水号",
                              detail_columns=(("name", "姓名", "text"), ("id_number", "证件号码", "text"),
                                              ("person_account", "个人账号", "text"), ("base", "缴存基数", "money")),
                              details=({"name": "王芳", "id_number": "110105199003070023",
                                        "person_account": "200100000201", "base": "6000.00"},))
    text = flat(pdf_pages(business_receipt(receipt, CTX))[0])
    assert "办理明细" in text and "200100000201" in text and "6,000.00" in text and "我发起的" not in text
    assert "合计（共1条）" in text
    text = flat(pdf_pages(business_receipt(replace(receipt, detail_unit="人"), CTX))[0])
    assert "合计（共1人）" in text


def test_the_receipt_of_an_application_from_the_api():
    receipt = BusinessReceipt.from_application(
        {"id": "SQ9", "status": "pending", "submitted_at": "2024-07-15T09:29:00+08:00",
         "payload": {"changes": [{"field": "邮政编码", "old": "100000", "new": "100101"}]}}, "单位信息变更")
    assert receipt.changes == (ChangeRow("邮政编码", "100000", "100101"),)
    assert receipt.result == "已提交，待中心审批" and receipt.number_label == "申请编号"


API_ROWS = {
    "unit_changes": ({"changed_on": "2024-07-02", "item": "单位地址", "old": "科技路1号", "new": "创新大道188号",
                      "operator": "张丽", "channel": "网上服务大厅"}, ["单位地址", "创新大道188号", "网上服务大厅"]),
    "journal": ({"serial": "LS20240115000001", "booked_on": "2024-01-15", "summary": "汇缴", "amount": "340000.00",
                 "interest": "0.00", "headcount": 200, "type": "remittance"}, ["LS20240115000001", "340,000.00"]),
    "journal_details": ({"person_account": "200100000001", "name": "张伟", "booked_on": "2024-01-15",
                         "amount": "1700.00", "interest": "1.25", "type": "汇缴"}, ["张伟", "1,700.00", "1.25"]),
    "employees": ({"person_account": "200100000001", "name": "张伟", "id_type": "01", "id_number": "110105199001010000",
                   "department": "研发部", "status": "02", "base": "8500.00", "unit_ratio": "12", "person_ratio": "7.5",
                   "unit_monthly": "1020.00", "person_monthly": "638.00", "balance": "12345.67",
                   "paid_through": "2024-06", "opened_on": "2019-03-01"},
                  ["封存", "12%/7.5%", "1,658.00", "12,345.67", "2024-06", "2019-03-01"]),
    "employee_changes": ({"changed_on": "2024-06-03", "person_account": "200100000003", "name": "李娜",
                          "item": "学历", "old": "专科", "new": "本科"}, ["李娜", "学历", "专科", "本科"]),
    "status_changes": ({"person_account": "200100000009", "name": "周强", "type": "seal", "reason": "离职/解除劳动合同",
                        "effective_month": "2024-06", "changed_on": "2024-06-05", "operator": "张丽"},
                       ["周强", "封存", "离职/解除劳动合同", "2024-06"]),
    "assessments": ({"id": "17", "month": "2024-07", "headcount": 200, "amount": "340000.00", "status": "unallocated",
                     "assessed_at": "2024-07-15T01:25:00+00:00"}, ["2024-07", "未分配", "340,000.00"]),
    "department_transfers": ({"person_account": "200100000004", "name": "赵敏", "from_department": "市场部",
                              "to_department": "研发部", "transferred_on": "2024-03-01", "operator": "张丽"},
                             ["赵敏", "市场部", "研发部", "2024-03-01"]),
}


def test_every_query_report_kind_is_tested():
    assert set(API_ROWS) == set(QUERY_REPORTS)


@pytest.mark.parametrize("kind", sorted(API_ROWS))
def test_each_query_report_prints_its_rows_from_the_api(kind):
    row, expected = API_ROWS[kind]
    pdf = query_report(kind, [row, row], CTX, {"日期": "2024-01-01 至 2024-06-30", "类型": ""})
    page, = pdf_pages(pdf)
    text = flat(page)
    assert QUERY_REPORTS[kind].title in text
    assert "查询条件：日期：2024-01-01至2024-06-30" in text and "类型：" not in text
    for value in expected:
        assert text.count(value) >= 2, value
    assert f"合计（共2{QUERY_REPORTS[kind].count_unit}）" in text
    assert ink(render(pdf)) > 0.01


def test_the_account_summary():
    pdf = account_summary_report({"opening_balance": "1000.00", "increase": "250.50", "decrease": "0.50",
                                  "closing_balance": "1250.00", "unallocated": "3.00"}, CTX, {"日期": "2024年"})
    text = flat(pdf_pages(pdf)[0])
    for expected in ("单位账户信息查询", "期初余额（元）1,000.00", "本期增加（元）250.50", "本期减少（元）0.50",
                     "期末余额（元）1,250.00", "单位未分配金额（元）3.00"):
        assert expected in text, expected


def test_the_journal_detail():
    entry = {"serial": "LS20240115000001", "booked_on": "2024-01-15", "summary": "汇缴", "amount": "3400.00",
             "interest": "0.00", "headcount": 2}
    details = [API_ROWS["journal_details"][0], {**API_ROWS["journal_details"][0], "name": "王芳"}]
    page, = pdf_pages(journal_detail_report(entry, details, CTX))
    assert "业务流水号" in page and "LS20240115000001" in page and "王芳" in page
    assert amounts(next(line for line in page.splitlines() if "合计" in line)) == [Decimal("3400.00"), Decimal("2.50")]


def test_the_roster_appendix_from_the_api():
    assessment = {"id": "17", "month": "2024-07", "headcount": 2, "amount": "3400.00", "serial": "HJ1",
                  "roster": [{"person_account": "200100000001", "name": "张伟", "id_number": "110105199001010000",
                              "base": "8500.00", "unit_monthly": "850.00", "person_monthly": "850.00"},
                             {"person_account": "200100000002", "name": "王芳", "id_number": "11010519900101002X",
                              "base": "8500.00", "unit_monthly": "850.00", "person_monthly": "850.00"}]}
    page, = pdf_pages(roster_appendix(assessment, CTX))
    assert "住房公积金汇缴清册" in page and "汇缴年月：2024年07月；业务流水号：HJ1" in page
    assert "查询条件" not in page
    assert amounts(next(line for line in page.splitlines() if "合计（共" in line)) == [
        Decimal("1700.00"), Decimal("1700.00"), Decimal("3400.00")]
    assert Assessment.from_api(assessment).roster[1].monthly == Decimal("1700.00")


def test_the_print_context_from_the_unit():
    ctx = PrintContext.from_api({"unit_account": "100100000001", "name": "示范", "operator": {"name": "张丽"}})
    assert (ctx.unit_name, ctx.unit_account, ctx.operator) == ("示范", "100100000001", "张丽")


def test_every_sample_document_renders_to_png(tmp_path):
    for path in samples.write_all(tmp_path):
        pdf = path.read_bytes()
        pages = pdf_pages(pdf)
        for number in range(1, len(pages) + 1):
            image = render(pdf, number)
            assert 0.01 < ink(image) < 0.5, (path.name, number)

"""Sample data for every printed document: the installer's self-test renders the slip from it, and
``python -m printing.samples OUTDIR`` writes one PDF per document to look at (docs/printing.md).
The sample unit and people are the demo centre's kind of data, not real ones."""
from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

from printing import documents, slip
from printing.model import (AccountSummary, Assessment, BusinessReceipt, ChangeLogEntry, ChangeRow,
                            DepartmentTransfer, EmployeeRow, HeadcountAmount, JournalDetail, JournalEntry, Payee,
                            PrintContext, RemittanceSlip, RosterRow, StatusChange, SupplementarySlip,
                            SupplementaryRow, SupplementPart)

UNIT_NAME = "示范市智联科技有限公司"
UNIT_ACCOUNT = "100100000001"
PRINTED_AT = dt.datetime(2024, 7, 15, 9, 30)
SURNAMES = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何高林罗欧阳"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"]
DEPARTMENTS = ["研发部", "市场部", "财务部", "综合管理部（行政、人事、后勤）"]


def context() -> PrintContext:
    return PrintContext(UNIT_NAME, UNIT_ACCOUNT, "张丽", PRINTED_AT)


def person_name(i: int) -> str:
    if i % 97 == 13:
        return "欧阳娜娜·买买提江"
    return SURNAMES[i % 20] + GIVEN[(i * 7) % len(GIVEN)]


def roster(count: int = 120) -> list[RosterRow]:
    rows = []
    for i in range(count):
        base = Decimal(2420 + (i * 137) % 30000)
        unit = (base * Decimal("0.10")).quantize(Decimal("1"))
        rows.append(RosterRow(f"2001{i + 1:08d}", person_name(i), f"1101051990{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i % 1000:03d}X"[:18],
                              base.quantize(Decimal("0.01")), unit.quantize(Decimal("0.01")),
                              unit.quantize(Decimal("0.01"))))
    return rows


def remittance_slip_data() -> RemittanceSlip:
    return RemittanceSlip(
        unit_name=UNIT_NAME, unit_account=UNIT_ACCOUNT, months=("2024-07", "2024-08", "2024-09"),
        last=HeadcountAmount(198, Decimal("336600.00")), added=HeadcountAmount(3, Decimal("5100.00")),
        removed=HeadcountAmount(1, Decimal("1700.00")), current=HeadcountAmount(200, Decimal("340000.00")),
        supplement=SupplementPart(2, Decimal("10020.50"), "漏缴；新录用未及时开户"),
        payee=Payee("示范市住房公积金管理中心", "6222 0210 0100 4567 890", "中国建设银行股份有限公司示范市分行营业部"),
        deadline=dt.date(2024, 7, 25), clerk="张丽", assessed_on=dt.date(2024, 7, 15),
        serial="HJ20240715000123", verification_code="8F3K2Q7M")


def supplementary_slip_data() -> SupplementarySlip:
    reasons = ["漏缴", "少缴(基数/比例差额)", "新录用未及时开户"]
    rows = tuple(SupplementaryRow(f"2001{i + 1:08d}", person_name(i), reasons[i % 3], "2024-01",
                                  "2024-03" if i % 2 else "2024-01", Decimal("850.00") * (3 if i % 2 else 1),
                                  Decimal("850.00") * (3 if i % 2 else 1)) for i in range(6))
    return SupplementarySlip("SQ20240715000045", rows, "2024-07-15T09:28:00+08:00", "pending")


def receipt_data() -> BusinessReceipt:
    return BusinessReceipt(
        "单位信息变更", "SQ20240715000046", "已提交，待中心审批", "2024-07-15T09:29:00+08:00", number_label="申请编号",
        fields=(("档案扫描", "已上传3个文件"), ("数字签名", "已使用单位UKey签名")),
        changes=(ChangeRow("单位地址", "示范市高新区科技路1号", "示范市高新区创新大道188号智联大厦18层"),
                 ChangeRow("经办人手机", "13800000000", "13912345678"),
                 ChangeRow("发薪日", "10", "15")))


def employees(count: int = 40) -> list[EmployeeRow]:
    return [EmployeeRow(r.person_account, r.name, r.id_number, DEPARTMENTS[i % 4], "01" if i % 9 else "02", r.base,
                        "10", "10", r.unit_monthly, r.person_monthly, r.base * 3, "2024-06", "2019-03-01")
            for i, r in enumerate(roster(count))]


def journal() -> list[JournalEntry]:
    return [JournalEntry(f"LS2024{m:02d}15{i:06d}", f"2024-{m:02d}-15", "汇缴" if i % 3 else "补缴（漏缴）",
                         Decimal("340000.00") if i % 3 else Decimal("10020.50"), Decimal("0.00"), 200 if i % 3 else 2)
            for m in range(1, 7) for i in range(1, 4)]


def write_all(out: Path) -> list[Path]:
    """Every document as a PDF in ``out``; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    ctx = context()
    items = {
        "01-remittance-slip": slip.remittance_slip(remittance_slip_data(), ctx),
        "02-remittance-slip-with-roster": slip.remittance_slip(remittance_slip_data(), ctx, roster(60)),
        "03-supplementary-slip": documents.supplementary_slip(supplementary_slip_data(), ctx),
        "04-business-receipt": documents.business_receipt(receipt_data(), ctx),
        "05-roster": documents.roster_appendix(Assessment("17", "2024-07", 120, Decimal("0"), serial="HJ20240715000123",
                                                          roster=tuple(roster(120))), ctx),
        "06-account-summary": documents.account_summary_report(
            AccountSummary(Decimal("1234567.89"), Decimal("340000.00"), Decimal("12000.00"), Decimal("1562567.89"),
                           Decimal("5100.00")), ctx, {"日期": "2024-01-01 至 2024-06-30"}),
        "07-journal": documents.query_report("journal", journal(), ctx,
                                             {"业务类型": "全部", "记账日期": "2024-01-01 至 2024-06-30"}),
        "08-journal-details": documents.journal_detail_report(journal()[1], [
            JournalDetail(r.person_account, r.name, "2024-01-15", r.monthly, Decimal("0.00"), "汇缴")
            for r in roster(30)], ctx),
        "09-employees": documents.query_report("employees", employees(), ctx, {"开户日期": "2019-01-01 至 2024-07-15"}),
        "10-unit-changes": documents.query_report("unit_changes", [
            ChangeLogEntry("2024-07-02", "单位地址", "示范市高新区科技路1号", "示范市高新区创新大道188号智联大厦18层",
                           "张丽", "网上服务大厅"),
            ChangeLogEntry("2024-05-20", "经办人手机", "13800000000", "13912345678", "张丽", "网上服务大厅")],
            ctx, {"变更日期": "2024-01-01 至 2024-07-15"}),
        "11-employee-changes": documents.query_report("employee_changes", [
            ChangeLogEntry("2024-06-03", "学历", "专科", "本科", person_account="200100000003", name="李娜")], ctx),
        "12-status-changes": documents.query_report("status_changes", [
            StatusChange("200100000009", "周强", "seal", "离职/解除劳动合同", "2024-06", "2024-06-05", "张丽"),
            StatusChange("200100000010", "徐磊", "unseal", "正常(重新入职/复薪)", "2024-07", "2024-07-01", "张丽")],
            ctx, {"类型": "全部"}),
        "13-assessments": documents.query_report("assessments", [
            Assessment("17", "2024-07", 200, Decimal("340000.00"), "unallocated", "2024-07-15T09:25:00+08:00",
                       "HJ20240715000123")], ctx, {"状态": "未分配"}),
        "14-department-transfers": documents.query_report("department_transfers", [
            DepartmentTransfer("200100000004", "赵敏", "市场部", "研发部", "2024-03-01", "张丽")], ctx),
    }
    paths = []
    for name, pdf in items.items():
        path = out / f"{name}.pdf"
        path.write_bytes(pdf)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "gjj-print-samples")):
        print(p)

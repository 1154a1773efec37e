"""The 汇补缴书: two copies of the same slip on one A4 page, a dashed cut line between them, each with the
serial number, the verification code and a QR code carrying both, the total in figures and in capitals.
The 清册 may follow on the next pages as the appendix (``remittance_slip(slip, roster=…)``).

QR payload: ``GJJHBJ|<业务流水号>|<验证码>`` (ASCII; what a bank's scanner reads to look the slip up).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.graphics.barcode import qrencoder

from printing.documents import month_text, roster_report
from printing.fonts import PrintingError
from printing.layout import MM, PAGE_PORTRAIT, Cell, Document, Grid
from printing.model import PrintContext, RemittanceSlip, RosterRow
from services.chinese_amount import chinese_amount
from services.money import fmt_money_display

TITLE = "住房公积金汇补缴书"
COPIES = ("第一联　单位留存", "第二联　银行收款凭证")
QR_SIZE = 24 * MM
QR_QUIET = 4  # modules of white around the code
GRID_OFFSET = 56  # points from the top of a copy to its grid
MARGIN_X = 15 * MM
SIZE = 10
STAMP_WIDTH = 44 * MM
STAMP_HEIGHT = 22 * MM
NOTE = "请在缴款期限前持本缴书到收款银行缴款。银行凭业务流水号和验证码（或扫描右上角二维码）核对无误后收款，并在第二联加盖印章。"


def qr_payload(serial: str, verification_code: str) -> str:
    return f"GJJHBJ|{serial}|{verification_code}"


def date_text(day: dt.date | None) -> str:
    return f"{day.year}年{day.month:02d}月{day.day:02d}日" if day else ""


def months_text(months: Sequence[str]) -> str:
    if not months:
        return "无（本缴书仅含补缴）"
    if len(months) == 1:
        return month_text(months[0])
    return f"{month_text(months[0])} 至 {month_text(months[-1])}（共{len(months)}个月）"


def check_slip(slip: RemittanceSlip) -> None:
    """A slip the bank cannot verify or pay is not printed: say what the centre did not send."""
    missing = [label for label, value in (("业务流水号", slip.serial), ("验证码", slip.verification_code),
                                          ("收款单位", slip.payee.name), ("收款账号", slip.payee.account),
                                          ("开户银行", slip.payee.bank)) if not value]
    if missing:
        raise PrintingError(f"公积金中心未提供{'、'.join(missing)}，无法打印汇补缴书；请刷新后重试，如仍不能打印请联系中心")
    if not slip.months and slip.supplement is None:
        raise PrintingError("汇补缴书既无汇缴月份也无补缴，无法打印")


def remittance_slip(slip: RemittanceSlip, ctx: PrintContext | None = None,
                    roster: Sequence[RosterRow] | None = None) -> bytes:
    """The 汇补缴书 as PDF bytes: two copies on page 1; with ``roster``, the 清册 appendix after it."""
    check_slip(slip)
    doc = Document(TITLE, PAGE_PORTRAIT)
    printed_at = (ctx.printed_at if ctx else None) or dt.datetime.now()
    copies = [_copy_parts(doc, slip, label) for label in COPIES]
    doc.raise_problems()
    if GRID_OFFSET + copies[0]["grid"].height + 20 + STAMP_HEIGHT > PAGE_PORTRAIT[1] / 2 - 12 * MM:
        raise PrintingError("汇补缴书的内容超出了半张A4纸（补缴原因或名称过长），无法完整打印；请缩短补缴原因后重试")
    for n, parts in enumerate(copies):
        _draw_copy(doc, slip, parts, top=copy_top(n), printed_at=printed_at)
    _cut_line(doc, PAGE_PORTRAIT[1] / 2)
    if roster:
        ctx = ctx or PrintContext(slip.unit_name, slip.unit_account, slip.clerk, printed_at)
        month = slip.months[0] if len(slip.months) == 1 else ""
        roster_report(roster, ctx, month, slip.serial, appendix=True).draw(doc, new_page=True)
    return doc.finish()


def copy_top(n: int) -> float:
    """The top of copy ``n`` (0 or 1) on the page, in points from the bottom."""
    height = PAGE_PORTRAIT[1]
    return height - n * height / 2 - 9 * MM


def qr_origin(n: int) -> tuple[float, float]:
    """The bottom-left corner of copy ``n``'s QR code (quiet zone included): right-aligned, just above the grid."""
    return PAGE_PORTRAIT[0] - MARGIN_X - QR_SIZE, copy_top(n) - GRID_OFFSET + 1


def _copy_parts(doc: Document, slip: RemittanceSlip, label: str) -> dict:
    width = doc.pagesize[0] - 2 * MARGIN_X
    first = 68.0
    rest = (width - first) / 5
    widths = [first] + [rest] * 5
    money = fmt_money_display
    sup = slip.supplement
    L = lambda text: Cell(text, shade=True, align="center")  # noqa: E731 - a label cell
    R = lambda text: Cell(text, align="right")  # noqa: E731 - a number cell
    rows = [
        [L("单位名称"), Cell(slip.unit_name, span=3), L("单位账号"), Cell(slip.unit_account)],
        [L("汇缴年月"), Cell(months_text(slip.months), span=5)],
        [L("项目"), *(L(t) for t in ("上月汇缴", "本月增加", "本月减少", "本月汇缴", "补缴"))],
        [L("人数"), *(R(str(v.headcount)) for v in (slip.last, slip.added, slip.removed, slip.current)),
         R(str(sup.headcount) if sup else "0")],
        [L("金额（元）"), *(R(money(v.amount)) for v in (slip.last, slip.added, slip.removed, slip.current)),
         R(money(sup.amount) if sup else "0.00")],
    ]
    if sup is not None and sup.reason:
        rows.append([L("补缴原因"), Cell(sup.reason, span=5)])
    parts = [f"汇缴 {money(slip.remittance_total)} 元"
             + (f"（{len(slip.months)}个月）" if len(slip.months) > 1 else "")] if slip.months else []
    if sup is not None:
        parts.append(f"补缴 {money(sup.amount)} 元")
    rows += [
        [L("合计（小写）"), Cell(f"¥{money(slip.total)}", span=2, size=SIZE + 1.5, bold=True),
         Cell("其中：" + "，".join(parts), span=3)],
        [L("合计（大写）"), Cell(f"人民币{chinese_amount(slip.total)}", span=5, size=SIZE + 1.5, bold=True)],
        [L("收款单位"), Cell(slip.payee.name, span=2), L("缴款期限"),
         Cell(date_text(slip.deadline) or "以中心通知为准", span=2)],
        [L("收款账号"), Cell(slip.payee.account, span=2), L("开户银行"), Cell(slip.payee.bank, span=2)],
    ]
    return {"label": doc.check(label), "grid": Grid(doc, widths, rows, size=SIZE, min_height=6.8 * MM),
            "clerk": doc.check(slip.clerk, "经办人")}


def _draw_copy(doc: Document, slip: RemittanceSlip, parts: dict, top: float, printed_at: dt.datetime) -> None:
    left = MARGIN_X
    right = doc.pagesize[0] - MARGIN_X
    # title, copy label, serial / date on the left of the QR code
    doc.text((left + right) / 2, top - 16, TITLE, 17, "center", bold=True)
    doc.text(left, top - 34, parts["label"], SIZE)
    doc.text(left, top - 50, f"业务流水号：{slip.serial}", SIZE)
    # a 补缴-only slip dates from the centre's approval, not from an assessment
    date_label = "核定日期" if slip.months else "审批日期"
    doc.text(left + 62 * MM, top - 50, f"{date_label}：{date_text(slip.assessed_on)}", SIZE)
    grid_top = top - GRID_OFFSET
    _qr(doc, qr_payload(slip.serial, slip.verification_code), right - QR_SIZE, grid_top + 1)  # = qr_origin
    height = parts["grid"].draw(left, grid_top)
    # under the grid: clerk, code, print time and the note on the left; the bank's stamp box on the right
    y = grid_top - height - 14
    doc.text(left, y, f"经办人：{parts['clerk']}", SIZE)
    doc.text(left + 45 * MM, y, f"验证码：{slip.verification_code}", SIZE, bold=True)
    doc.text(right, y, f"打印时间：{printed_at:%Y-%m-%d %H:%M}", SIZE, "right")
    note_width = right - left - STAMP_WIDTH - 6 * MM
    for line in doc.wrap(NOTE, note_width, SIZE - 1):
        y -= 13
        doc.text(left, y, line, SIZE - 1)
    box_top = grid_top - height - 20
    c = doc.canvas
    c.saveState()
    c.setLineWidth(0.5)
    c.setDash([2, 2])
    c.rect(right - STAMP_WIDTH, box_top - STAMP_HEIGHT, STAMP_WIDTH, STAMP_HEIGHT, stroke=1, fill=0)
    c.restoreState()
    doc.text(right - STAMP_WIDTH / 2, box_top - STAMP_HEIGHT + 4, "收款银行盖章", SIZE - 1.5, "center")


def qr_modules(payload: str) -> list[list[bool]]:
    """The QR code of ``payload`` (error correction M) as rows of dark (True) / light modules."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(payload)
    code.make()
    n = code.getModuleCount()
    return [[bool(code.isDark(r, c)) for c in range(n)] for r in range(n)]


def _qr(doc: Document, payload: str, x: float, y: float) -> None:
    """The QR code as filled rectangles, a run of dark modules per rectangle (no seams), with the quiet zone
    of 4 modules inside QR_SIZE."""
    modules = qr_modules(payload)
    n = len(modules)
    unit = QR_SIZE / (n + 2 * QR_QUIET)
    c = doc.canvas
    path = c.beginPath()
    for r, row in enumerate(modules):
        top = y + QR_SIZE - (r + QR_QUIET) * unit
        col = 0
        while col < n:
            if not row[col]:
                col += 1
                continue
            end = col
            while end < n and row[end]:
                end += 1
            path.rect(x + (col + QR_QUIET) * unit, top - unit, (end - col) * unit, unit)
            col = end
    c.saveState()
    c.setFillGray(0)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def _cut_line(doc: Document, y: float) -> None:
    width = doc.pagesize[0]
    doc.hline(8 * MM, width / 2 - 16 * MM, y, 0.6, dash=(4, 3))
    doc.hline(width / 2 + 16 * MM, width - 8 * MM, y, 0.6, dash=(4, 3))
    doc.text(width / 2, y - 3, "沿虚线剪开", 8, "center")

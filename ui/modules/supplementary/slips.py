"""The printed papers of 补缴, built in the background: the 补缴凭条 after 完成办理 (printing.supplementary_slip)
and the 汇补缴书 of an approved 补缴 (printing.remittance_slip with only the 补缴 part filled in)."""
from __future__ import annotations

from typing import Any

from services.money import D


def _money(value: Any):
    return D(str(value if value not in (None, "") else "0"))


def receipt_slip_pdf(detail: dict, rows: list[dict], unit: dict, operator: str, dictionaries) -> bytes:
    """The 补缴凭条 of a submitted 补缴: what the centre has (the application's payload), with the names of the
    清册 and the reasons' labels."""
    from printing import PrintContext, SupplementaryRow, SupplementarySlip, supplementary_slip  # noqa: PLC0415

    names = {r.get("person_account"): r.get("name") or "" for r in rows}
    items = (detail.get("payload") or {}).get("rows") or rows
    slip = SupplementarySlip(
        application_id=str(detail.get("application_no") or detail.get("id") or ""),
        rows=tuple(SupplementaryRow(str(r.get("person_account") or ""), str(names.get(r.get("person_account")) or ""),
                                    dictionaries.label("supplement_reason", str(r.get("reason") or "")),
                                    str(r.get("from_month") or ""), str(r.get("to_month") or ""),
                                    _money(r.get("unit_amount")), _money(r.get("person_amount"))) for r in items),
        submitted_at=str(detail.get("submitted_at") or detail.get("updated_at") or ""),
        status=str(detail.get("status") or "pending"))
    return supplementary_slip(slip, PrintContext.from_api(unit, operator))


def bill_slip_pdf(api, bill_id: int, operator: str) -> bytes:
    """The 汇补缴书 of one approved 补缴 (GET /supplementary/bills/{id} and GET /unit): two copies, the 补缴
    headcount, amount and reasons, payee, deadline, 补缴书编号 and 验证码 (QR code)."""
    import datetime as dt  # noqa: PLC0415

    from client.approval_batches import bill_detail, bill_reasons  # noqa: PLC0415
    from printing import Payee, PrintContext, RemittanceSlip, SupplementPart, remittance_slip  # noqa: PLC0415

    bill = bill_detail(api, bill_id)
    unit = api.unit()
    payee = bill.get("payee") or {}

    def day(value: Any) -> dt.date | None:
        return dt.date.fromisoformat(str(value)[:10]) if value else None

    slip = RemittanceSlip(
        unit_name=str(unit.get("name") or ""), unit_account=str(unit.get("unit_account") or ""), months=(),
        supplement=SupplementPart(int(bill.get("headcount") or 0), _money(bill.get("amount")), bill_reasons(bill)),
        payee=Payee(str(payee.get("name") or ""), str(payee.get("account") or ""), str(payee.get("bank") or "")),
        deadline=day(bill.get("deadline")), clerk=operator, assessed_on=day(bill.get("approved_on")),
        serial=str(bill.get("serial") or ""), verification_code=str(bill.get("verification_code") or ""))
    return remittance_slip(slip, PrintContext.from_api(unit, operator))

"""The 汇补缴书 of one assessment, built in the background (it fetches the assessment with its roster and
the unit): two copies with the 清册 appendix, and the roster alone (汇缴清册) for 明细's 打印清册."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from client.remittance import RemittanceClient


def slip_pdf(client: Callable[[], RemittanceClient], assessment_id: Any, operator: str) -> bytes:
    from printing import PrintContext, RemittanceSlip, RosterRow, remittance_slip  # noqa: PLC0415

    remit = client()
    detail = remit.assessment(assessment_id)
    unit = remit.unit()
    # 核定日期 is the centre's business date of the assessment (assessed_on), not the server clock's day
    dated = {**detail, "assessed_at": detail.get("assessed_on") or detail.get("assessed_at")}
    # 上月 / 本月增加 / 本月减少 as the centre kept them with the assessment
    slip = RemittanceSlip.from_api(unit, [dated], detail.get("breakdown"), clerk=operator)
    roster = [RosterRow.from_api(r) for r in detail.get("roster") or ()]
    return remittance_slip(slip, PrintContext.from_api(unit, operator), roster)


def roster_pdf(client: Callable[[], RemittanceClient], detail: dict, operator: str) -> bytes:
    from printing import PrintContext, roster_appendix  # noqa: PLC0415

    return roster_appendix(detail, PrintContext.from_api(client().unit(), operator))

"""Amounts in Chinese capitals (大写金额) as slips and receipts print them, e.g. 10020.50 → 壹万零贰拾元伍角整.

The rules are those of the payment and settlement rules (《支付结算办法》附件): 壹拾 is written out
(10 → 壹拾元整); a run of zeros inside the whole-yuan part is one 零 (1,000,001 → 壹佰万零壹元整), also across
万/亿 (100,010,000 → 壹亿零壹万元整); 整 follows 元 or 角 when there are no 分; when 角 is 0 and 分 is
not, 零 follows 元 (16,409.02 → 壹万陆仟肆佰零玖元零贰分). Where the rules allow a 零 or not after 元 whose
digit is 0 and 角 is not, we write none (1,680.32 → 壹仟陆佰捌拾元叁角贰分; the official example form).
"""
from __future__ import annotations

from decimal import Decimal

from services.money import CENT, D, MoneyError

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")          # inside a group of four digits
GROUP_UNITS = ("", "万", "亿", "万亿")          # groups of four, from the right
LIMIT = Decimal(10) ** 16                      # 万亿 is the largest group


def chinese_amount(value: object) -> str:
    """The 大写 of an amount in yuan (Decimal, int or str; never float), exact to the fen.

    Raises MoneyError for more than two decimal places or an amount of 10^16 yuan or more. A negative
    amount gets the prefix 负 (a reversal), e.g. -5 → 负伍元整.
    """
    amount = D(value)
    if amount != amount.quantize(CENT):
        raise MoneyError(f"金额精度超过分，无法转换为大写：{value}")
    if abs(amount) >= LIMIT:
        raise MoneyError(f"金额过大，无法转换为大写：{value}")
    sign = "负" if amount < 0 else ""
    fen_total = int(abs(amount) * 100)
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)

    if yuan == 0 and cents == 0:
        return "零元整"
    text = _whole_yuan(yuan) + "元" if yuan else ""
    if jiao:
        text += DIGITS[jiao] + "角"
    elif fen and yuan:
        text += "零"  # 元 then 分 with no 角: the 零 is required
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return sign + text


def _whole_yuan(number: int) -> str:
    """The whole-yuan part (> 0) without 元: groups of four digits from the left, one 零 per run of zeros."""
    groups = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    out = []
    zero_pending = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_pending = bool(out)
            continue
        digits = f"{group:04d}"
        for position, char in enumerate(digits):
            digit = int(char)
            if digit == 0:
                zero_pending = bool(out)
                continue
            if zero_pending:
                out.append("零")
                zero_pending = False
            out.append(DIGITS[digit] + SMALL_UNITS[3 - position])
        out.append(GROUP_UNITS[index])
        zero_pending = digits[-1] == "0"
    return "".join(out)

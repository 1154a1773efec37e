"""The version stamp a template carries in a hidden sheet, and what a workbook's stamp means for an import.

Sheet `_gjj`, row 1: "gjj-desk-template", the business key, the template version. An older version is
refused ("模板版本已过期，请重新下载"); a workbook without the stamp is not one of our templates."""
from __future__ import annotations

from .problems import TEMPLATE_OUTDATED, WorkbookRefused

STAMP_SHEET = "_gjj"
LIST_SHEET = "_lists"
INSTRUCTIONS_SHEET = "填写说明"
MARK = "gjj-desk-template"
SERVICE_SHEETS = (STAMP_SHEET, LIST_SHEET, INSTRUCTIONS_SHEET)


def check_stamp(first_row: list | None, business) -> None:
    """Refuse a workbook whose stamp row (None: no stamp sheet) does not name this business and version."""
    if not first_row or str(first_row[0]).strip() != MARK:
        raise WorkbookRefused("template_foreign",
                              f"该文件不是从本系统下载的“{business.title}”导入模板：请下载模板，把数据填入模板后再导入")
    key = str(first_row[1]).strip() if len(first_row) > 1 else ""
    if key != business.key:
        from .businesses import BUSINESSES  # noqa: PLC0415 (cycle)
        other = BUSINESSES.get(key)
        name = f"“{other.title}”" if other else "其他业务"
        raise WorkbookRefused("template_business",
                              f"这是{name}的导入模板，不能用于“{business.title}”：请下载“{business.title}”模板")
    try:
        version = int(float(first_row[2])) if len(first_row) > 2 else 0
    except (TypeError, ValueError):
        version = 0
    if version < business.version:
        raise WorkbookRefused("template_outdated", TEMPLATE_OUTDATED)
    if version > business.version:
        raise WorkbookRefused("template_newer", "模板版本比本程序新：请升级gjj-desk后再导入，或用本程序重新下载模板")


def pick_data_sheet(names: list[str], business) -> str | None:
    """The sheet named after the business; else the first sheet that is not one of the template's own."""
    if business.title in names:
        return business.title
    return next((n for n in names if n not in SERVICE_SHEETS), None)

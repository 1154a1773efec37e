"""The batch-import engine (登记, 封存, 启封, 基数调整, 补缴): templates, reading and checking filled
workbooks offline, the error workbook. Pure: no Qt, no HTTP, no database. See docs/batch.md.

    ctx = BatchContext(policy, dictionaries, business_date, roster=..., departments=...)
    result = import_workbook(path, "open", ctx, progress=cb, cancel=event)
    result.rows        # good rows (OpenRow …), each with .to_api()
    result.problems    # every Problem(sheet, row, column, code, message)
    write_error_workbook(result, "错误清单.xlsx")

Importing this package is cheap: openpyxl is loaded only when a workbook is written, python-calamine
only when one is read."""
from __future__ import annotations

from pathlib import Path

from .businesses import (BUSINESSES, BaseRow, Business, Column, OpenRow, SealRow, SupplementaryRow, UnsealRow,
                         base_adjustment_month_problem, business)
from .context import BatchContext, Person, roster_from_items
from .engine import MAX_PROBLEMS, MAX_ROWS, BadRow, ImportResult, import_workbook
from .problems import (FORMULA_WITHOUT_VALUE, HIDDEN_ROW, ID_AS_NUMBER, TEMPLATE_OUTDATED, BatchError,
                       ImportCancelled, Problem, WorkbookRefused)

__all__ = [
    "BUSINESSES", "BadRow", "BaseRow", "BatchContext", "BatchError", "Business", "Column", "FORMULA_WITHOUT_VALUE",
    "HIDDEN_ROW", "ID_AS_NUMBER", "ImportCancelled", "ImportResult", "MAX_PROBLEMS", "MAX_ROWS", "OpenRow",
    "Person", "Problem", "SealRow", "SupplementaryRow", "TEMPLATE_OUTDATED", "UnsealRow", "WorkbookRefused",
    "base_adjustment_month_problem", "business", "import_workbook", "roster_from_items", "write_error_workbook",
    "write_template",
]


def write_template(business: str | Business, path: str | Path, **kwargs) -> Path:
    """Write the import template of `business` (see template.write_template for the keywords)."""
    from .template import write_template as write  # noqa: PLC0415  (openpyxl only when needed)

    return write(business, path, **kwargs)


def write_error_workbook(result: ImportResult, path: str | Path, **kwargs) -> Path:
    """Write the annotated error workbook of an import (see template.write_error_workbook)."""
    from .template import write_error_workbook as write  # noqa: PLC0415

    return write(result, path, **kwargs)

"""Writing workbooks with openpyxl (write-only mode, so that 200,000 rows stay small in memory): the
template of a business, and the error workbook of an import (its bad rows, a 错误信息 column, red cells with
comments) — itself a valid template, so the clerk fixes it and imports it again."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from services.dictionaries import Dictionaries, default_dictionaries
from services.money import fmt_money
from services.policy import Policy, fmt_ratio

from .businesses import Business, business as business_named
from .engine import MAX_ROWS, ImportResult
from .stamp import INSTRUCTIONS_SHEET, LIST_SHEET, MARK, STAMP_SHEET

AUTHOR = "gjj-desk"
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
OPTIONAL_FILL = PatternFill("solid", fgColor="E7EEF7")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ERROR_FONT = Font(color="9C0006")
BOLD = Font(bold=True)
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
EXTRA_HEADERS = ("原行号", "错误信息")     # the error workbook's own columns; an import ignores them


def write_template(business: str | Business, path: str | Path, *, dictionaries: Dictionaries | None = None,
                   departments: Mapping[str, str] | None = None, policy: Policy | None = None,
                   rows: Iterable[Sequence[Any]] = (), version: int | None = None) -> Path:
    """Write the import template of a business. Drop-down lists come from `dictionaries` (default: the
    built-in ones) and `departments` (code → name; no list when None); `policy` puts its limits into the
    instructions. `rows` pre-fills data rows (tests, benchmarks); `version` overrides the stamp (tests)."""
    spec = business_named(business) if isinstance(business, str) else business
    dictionaries = dictionaries or default_dictionaries()
    book = _Book(spec, dictionaries, departments)
    sheet = book.data_sheet()
    for values in rows:
        sheet.append([_cell_value(v) for v in values])
    book.finish(policy, version)
    return book.save(path)


def write_error_workbook(result: ImportResult, path: str | Path, *, dictionaries: Dictionaries | None = None,
                         departments: Mapping[str, str] | None = None) -> Path:
    """The rows of `result` that have problems, as the clerk wrote them, with 原行号 and 错误信息 columns;
    each bad cell red with a comment saying what is wrong. Re-importable once fixed."""
    spec = result.business
    book = _Book(spec, dictionaries or default_dictionaries(), departments, extra=EXTRA_HEADERS)
    sheet = book.data_sheet()
    by_row = result.problems_by_row()
    position = {h: i for i, h in enumerate(spec.headers)}
    for bad in result.bad_rows:
        problems = by_row.get(bad.row, [])
        per_cell: dict[int, list[str]] = {}
        for problem in problems:
            if problem.column in position:
                per_cell.setdefault(position[problem.column], []).append(problem.message)
        line = []
        for index, text in enumerate(bad.cells):
            cell = WriteOnlyCell(sheet, value=text or None)
            if index in per_cell:
                cell.fill = ERROR_FILL
                cell.font = ERROR_FONT
                cell.comment = _comment("\n".join(per_cell[index]))
            line.append(cell)
        line.append(bad.row)
        message = WriteOnlyCell(sheet, value="；".join(
            f"{p.column}：{p.message}" if p.column else p.message for p in problems))
        message.font, message.fill = ERROR_FONT, ERROR_FILL
        message.alignment = Alignment(wrap_text=True, vertical="top")
        line.append(message)
        sheet.append(line)
    book.finish(None, None)
    return book.save(path)


def _cell_value(value: Any) -> Any:
    return value if value is None or isinstance(value, (str, int, float)) else str(value)


def _comment(text: str) -> Comment:
    comment = Comment(text, AUTHOR)
    comment.width, comment.height = 260, 40 + 18 * (len(text) // 16 + text.count("\n"))
    return comment


class _Book:
    def __init__(self, spec: Business, dictionaries: Dictionaries, departments: Mapping[str, str] | None,
                 extra: Sequence[str] = ()) -> None:
        self.spec, self.dictionaries, self.departments, self.extra = spec, dictionaries, departments, extra
        self.workbook = Workbook(write_only=True)
        self.sheet = None

    def data_sheet(self):
        spec = self.spec
        sheet = self.sheet = self.workbook.create_sheet(spec.title)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(spec.columns, start=1):
            dimension = sheet.column_dimensions[get_column_letter(index)]
            dimension.width = column.width
            if column.text_format:
                dimension.number_format = "@"
        for offset, title in enumerate(self.extra):
            sheet.column_dimensions[get_column_letter(len(spec.columns) + offset + 1)].width = \
                10 if title == "原行号" else 60
        self._validations(sheet)
        header = []
        for column in spec.columns:
            cell = WriteOnlyCell(sheet, value=column.header)
            cell.font, cell.border = BOLD, BOX
            cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
            cell.alignment = Alignment(horizontal="center")
            cell.comment = _comment(("必填。" if column.required else "选填。") + column.help)
            header.append(cell)
        for title in self.extra:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font, cell.border, cell.fill = Font(bold=True, color="9C0006"), BOX, ERROR_FILL
            header.append(cell)
        sheet.append(header)
        return sheet

    def _lists(self) -> list[tuple[str, list[str]]]:
        """(defined name, labels) for each drop-down column, in column order."""
        lists = []
        for column in self.spec.columns:
            if column.dictionary:
                labels = list(self.dictionaries.tables.get(column.dictionary, {}).values())
                lists.append((column.key, labels))
            elif column.kind == "department" and self.departments:
                lists.append((column.key, list(self.departments.values())))
        return lists

    def _validations(self, sheet) -> None:
        for index, column in enumerate(self.spec.columns, start=1):
            if not (column.dictionary or column.kind == "department" and self.departments):
                continue
            validation = DataValidation(type="list", formula1=f"list_{column.key}", allow_blank=True,
                                        showErrorMessage=True, errorTitle="请从下拉列表选择",
                                        error=f"{column.header}请从下拉列表中选择")
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.data_validations.append(validation)

    def finish(self, policy: Policy | None, version: int | None) -> None:
        self._instructions(policy)
        lists = self.workbook.create_sheet(LIST_SHEET)
        lists.sheet_state = "hidden"
        columns = self._lists()
        height = max((len(labels) for _, labels in columns), default=0)
        for r in range(height):
            lists.append([labels[r] if r < len(labels) else None for _, labels in columns])
        for index, (key, labels) in enumerate(columns, start=1):
            letter = get_column_letter(index)
            self.workbook.defined_names[f"list_{key}"] = DefinedName(
                f"list_{key}", attr_text=f"'{LIST_SHEET}'!${letter}$1:${letter}${max(len(labels), 1)}")
        stamp = self.workbook.create_sheet(STAMP_SHEET)
        stamp.sheet_state = "veryHidden"
        stamp.append([MARK, self.spec.key, self.spec.version if version is None else version])

    def _instructions(self, policy: Policy | None) -> None:
        spec = self.spec
        sheet = self.workbook.create_sheet(INSTRUCTIONS_SHEET)
        sheet.column_dimensions["A"].width = 18
        sheet.column_dimensions["B"].width = 10
        sheet.column_dimensions["C"].width = 90
        title = WriteOnlyCell(sheet, value=f"“{spec.title}”批量导入模板 填写说明")
        title.font = Font(bold=True, size=14)
        sheet.append([title])
        sheet.append([])
        for number, note in enumerate((*spec.notes, *_policy_notes(policy), *_general_notes()), start=1):
            sheet.append([f"{number}.", None, note])
        sheet.append([])
        head = [WriteOnlyCell(sheet, value=v) for v in ("列名", "是否必填", "填写要求")]
        for cell in head:
            cell.font, cell.fill, cell.border = BOLD, OPTIONAL_FILL, BOX
        sheet.append(head)
        for column in spec.columns:
            allowed = ""
            if column.dictionary:
                table = self.dictionaries.tables.get(column.dictionary, {})
                allowed = "；可选：" + "、".join(table.values())
            sheet.append([column.header, "必填" if column.required else "选填", column.help + allowed])

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        self.workbook.save(path)
        return path


def _policy_notes(policy: Policy | None) -> list[str]:
    if policy is None:
        return []
    return [f"{policy.year}年度政策：缴存基数{fmt_money(policy.base_min)}–{fmt_money(policy.base_max)}元，"
            f"单位缴存比例{fmt_ratio(policy.unit_ratio_min)}%–{fmt_ratio(policy.unit_ratio_max)}%，"
            f"个人缴存比例{fmt_ratio(policy.person_ratio_min)}%–{fmt_ratio(policy.person_ratio_max)}%，"
            f"最长补缴{policy.max_supplement_months}个月。"]


def _general_notes() -> tuple[str, ...]:
    from .businesses import NOTES_GENERAL  # noqa: PLC0415

    return NOTES_GENERAL

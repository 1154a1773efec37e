"""The import: refuse what cannot be read, read the data sheet with python-calamine, repair the harmless
noise, explain the Excel traps, check every row against the policy, the dictionaries and the roster, and
return every problem with its sheet, Excel row and column header — never only the first."""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.gc_pause import collector_paused
from services.identity import ID_TYPE_RESIDENT, check_mobile, normal_mobile

from . import cells
from .businesses import MAX_CODE, MAX_NAME, Business, Column, business as business_named
from .cells import CellError
from .container import CORRUPT, ENCRYPTED, inspect, too_many_rows_message
from .context import BatchContext
from .problems import (FORMULA_WITHOUT_VALUE, HIDDEN_ROW, BatchError, ImportCancelled, Problem,
                       WorkbookRefused, merged_cell)
from .stamp import STAMP_SHEET, check_stamp, pick_data_sheet

MAX_ROWS = 200_000
MAX_PROBLEMS = 200_000
PROGRESS_EVERY = 1_000
IGNORED_HEADERS = frozenset({"序号", "错误信息", "原行号", "备注"})

Progress = Callable[[int, int], None]          # (rows read, rows in the sheet)
Cancel = threading.Event | Callable[[], bool] | None


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row with problems, as the clerk wrote it: `cells` are the texts under the template's columns
    (in `ImportResult.headers` order), for the list of refused rows and the error workbook."""
    row: int
    cells: tuple[str, ...]


@dataclass
class ImportResult:
    business: Business
    sheet: str
    headers: list[str]                  # the template's column headers, in order
    rows: list = field(default_factory=list)            # good rows (OpenRow, SealRow, …) in file order
    problems: list[Problem] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    total_rows: int = 0                 # non-empty data rows read
    truncated: bool = False             # more than MAX_PROBLEMS problems: only the first are listed

    @property
    def ok(self) -> bool:
        return not self.problems

    def problems_by_row(self) -> dict[int, list[Problem]]:
        grouped: dict[int, list[Problem]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.row, []).append(problem)
        return grouped


def import_workbook(path: str | Path, business: str | Business, context: BatchContext, *,
                    progress: Progress | None = None, cancel: Cancel = None) -> ImportResult:
    """Read and check a filled template. Raises WorkbookRefused (with the Chinese reason) when the file
    cannot be checked at all, ImportCancelled when `cancel` is set; otherwise every problem is in the
    result and only rows without any problem are in `result.rows`."""
    spec = business_named(business) if isinstance(business, str) else business
    _check_options(spec, context)
    cancelled = _cancel_check(cancel)
    container = inspect(path, lambda names: pick_data_sheet(names, spec))
    if cancelled():
        raise ImportCancelled()
    workbook = _open(path)
    try:
        names = workbook.sheet_names
        check_stamp(_stamp_row(workbook, names), spec)
        sheet_name = container.sheet if container.sheet in names else pick_data_sheet(names, spec)
        if sheet_name is None:
            raise WorkbookRefused("empty_sheet", f"工作簿中没有“{spec.title}”工作表，请使用下载的模板")
        sheet = _sheet(workbook, sheet_name)
        reader = _SheetReader(spec, context, sheet_name, sheet, container.scan, progress, cancelled)
        return reader.run()
    finally:
        workbook.close()


def _check_options(spec: Business, context: BatchContext) -> None:
    if spec.key == "open" and context.unit_ratio is not None and context.person_ratio is not None:
        reason = context.policy.check_ratios(context.unit_ratio, context.person_ratio)
        if reason:
            raise BatchError("ratio_out_of_range", reason + "，请重新选择缴存比例")


def _cancel_check(cancel: Cancel) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    if hasattr(cancel, "is_set"):
        return cancel.is_set
    return cancel


def _open(path: str | Path):
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError  # noqa: PLC0415

    try:
        return CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise WorkbookRefused("encrypted", ENCRYPTED) from None
    except (CalamineError, OSError, ValueError):
        raise WorkbookRefused("corrupt", CORRUPT) from None


def _sheet(workbook, name: str):
    from python_calamine import CalamineError  # noqa: PLC0415

    try:
        return workbook.get_sheet_by_name(name)
    except (CalamineError, ValueError):
        raise WorkbookRefused("corrupt", CORRUPT) from None


def _stamp_row(workbook, names: list[str]) -> list | None:
    if STAMP_SHEET not in names:
        return None
    try:
        rows = _sheet(workbook, STAMP_SHEET).to_python(skip_empty_area=False, nrows=1)
    except WorkbookRefused:
        return None
    return rows[0] if rows else None


def header_key(text: Any) -> str:
    """A header cell as compared with the template's: no spaces, half-width, no required-field star."""
    return cells.code(text).strip("*＊").replace("（", "(").replace("）", ")")


class _Invalid:
    """A memoised parse failure (no exception in the hot loop for a repeated bad value)."""
    __slots__ = ("code", "message")

    def __init__(self, code: str, message: str) -> None:
        self.code, self.message = code, message


_MISSING = object()


def _parse(parse: Callable[[Any, dict], Any], raw: Any, values: dict) -> Any:
    try:
        return parse(raw, values)
    except CellError as exc:
        return _Invalid(exc.code, exc.message)


class _SheetReader:
    def __init__(self, spec: Business, ctx: BatchContext, sheet_name: str, sheet, scan, progress, cancelled):
        self.spec, self.ctx, self.sheet_name, self.sheet = spec, ctx, sheet_name, sheet
        self.scan, self.progress, self.cancelled = scan, progress, cancelled
        self.result = ImportResult(spec, sheet_name, spec.headers)
        self.problem_count = 0

    # -- the whole sheet ---------------------------------------------------------------------------------
    def run(self) -> ImportResult:
        sheet, spec = self.sheet, self.spec
        start = sheet.start
        if start is None:
            raise WorkbookRefused("empty_sheet", f"工作表“{self.sheet_name}”是空的：请在模板中填写数据后再导入")
        last_row = sheet.end[0] + 1                 # Excel row number of the last row with data
        self.first_col = start[1]
        rows = iter(sheet.iter_rows())               # yields from Excel row 1; columns from start[1]
        header_row, header = self._find_header(rows, last_row)
        if last_row - header_row > MAX_ROWS:
            raise WorkbookRefused("too_many_rows", too_many_rows_message(MAX_ROWS))
        plan = self._plan(header)
        traps, trap_rows = self._traps(header_row, last_row)
        hidden = self.scan.hidden_rows if self.scan else set()
        with collector_paused():   # see services/gc_pause.py: a fifth of the loop for 10^5 rows
            self._read_rows(rows, header_row, last_row, plan, traps, trap_rows, hidden)
        if self.result.total_rows == 0:
            raise WorkbookRefused("empty_sheet", f"工作表“{self.sheet_name}”中只有表头、没有数据：请填写数据后再导入")
        order = {h: i for i, h in enumerate(spec.headers)}
        self.result.problems.sort(key=lambda p: (p.row, order.get(p.column, -1)))
        if self.result.truncated:
            self.result.problems.append(Problem(
                self.sheet_name, self.result.bad_rows[-1].row, "", "too_many_problems",
                f"问题超过{MAX_PROBLEMS}个，只列出了前{MAX_PROBLEMS}个：请先修改这些问题后重新导入"))
        return self.result

    def _find_header(self, rows, last_row: int) -> tuple[int, list]:
        for number, row in enumerate(rows, start=1):
            if any(not cells.is_blank(c) for c in row):
                return number, row
        raise WorkbookRefused("empty_sheet", f"工作表“{self.sheet_name}”是空的：请在模板中填写数据后再导入")

    def _plan(self, header: list) -> list[tuple[Column, int, Callable]]:
        """Match the header row to the template's columns; refuse, naming them, missing or unknown ones."""
        spec = self.spec
        by_key: dict[str, Column] = {}
        for column in spec.columns:
            for name in (column.header, *column.aliases):
                by_key[header_key(name)] = column
        found: dict[str, int] = {}
        unknown, repeated = [], []
        for index, text in enumerate(header):
            key = header_key(text)
            if not key or key in IGNORED_HEADERS:
                continue
            column = by_key.get(key)
            if column is None:
                unknown.append(cells.text(text))
            elif column.key in found:
                repeated.append(column.header)
            else:
                found[column.key] = index
        missing = [c.header for c in spec.columns if c.required and c.key not in found]
        if missing or unknown or repeated:
            parts = []
            if missing:
                parts.append("缺少列" + "、".join(f"“{h}”" for h in missing))
            if unknown:
                parts.append("无法识别的列" + "、".join(f"“{h}”" for h in unknown))
            if repeated:
                parts.append("重复的列" + "、".join(f"“{h}”" for h in repeated))
            raise WorkbookRefused("headers_mismatch",
                                  f"表头与“{spec.title}”模板不符：{'；'.join(parts)}。请使用下载的模板，不要修改表头")
        parsers = _Parsers(self.ctx)
        return [(c.key, c.header, c.required, found[c.key], parsers.for_column(c),
                 {"": None} if c.kind in _Parsers.MEMOISED else None)
                for c in spec.columns if c.key in found]

    def _traps(self, header_row: int, last_row: int) -> tuple[dict, set]:
        """Cells calamine reads as empty for a reason the clerk should hear: merged cells (all but the
        first cell of the range) and formulas saved without their result. (row, index in row) → problem."""
        traps: dict[tuple[int, int], tuple[str, str]] = {}
        for (r0, c0), (r1, c1) in self.sheet.merged_cell_ranges or ():
            if r1 + 1 <= header_row:
                continue
            ref = f"{_col_letters(c0)}{r0 + 1}:{_col_letters(c1)}{r1 + 1}"
            for r in range(max(r0 + 1, header_row + 1), min(r1 + 1, last_row) + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0 + 1, c0):
                        traps[(r, c - self.first_col)] = ("merged_cell", merged_cell(ref))
        for r, c in self.scan.formula_cells if self.scan else ():
            if r > header_row:
                traps.setdefault((r, c - self.first_col), ("formula_without_value", FORMULA_WITHOUT_VALUE))
        return traps, {r for r, _ in traps}

    # -- rows --------------------------------------------------------------------------------------------
    def _read_rows(self, rows, header_row: int, last_row: int, plan, traps: dict, trap_rows: set,
                   hidden: set) -> None:
        result, spec, ctx = self.result, self.spec, self.ctx
        build = spec.build
        sheet_name = self.sheet_name
        state: dict[str, Any] = {}
        row_problems: list[Problem] = []
        failed: set[str] = set()
        current = [0]

        def add(column: str, code: str, message: str) -> None:
            row_problems.append(Problem(sheet_name, current[0], column, code, message))

        state["failed"] = failed
        state["row_failed"] = lambda: bool(row_problems)
        total_rows = last_row
        progress, cancelled = self.progress, self.cancelled
        good = result.rows.append
        number = header_row
        read = 0
        for row in rows:
            number += 1
            if number % PROGRESS_EVERY == 0:
                if cancelled():
                    raise ImportCancelled()
                if progress is not None:
                    progress(number, total_rows)
                plan = _without_useless_memos(plan, read)
            if _blank_row(row):
                continue
            read += 1
            current[0] = number
            values: dict[str, Any] = {}
            if failed:
                failed.clear()
            if row_problems:
                row_problems.clear()
            if number in hidden:
                add("", "hidden_row", HIDDEN_ROW)
            width = len(row)
            in_traps = number in trap_rows
            for key, header, required, index, parse, memo in plan:
                raw = row[index] if index < width else ""
                if in_traps and (number, index) in traps:
                    code, message = traps[(number, index)]
                    if raw == "" or code == "merged_cell":
                        add(header, code, message)
                        failed.add(key)
                        values[key] = None
                        continue
                if memo is not None and raw.__class__ is not bool:   # the memo knows "" → None
                    value = memo.get(raw, _MISSING)
                    if value is _MISSING:
                        value = memo[raw] = _parse(parse, raw, values)
                elif raw == "":
                    value = None
                else:
                    try:
                        value = parse(raw, values)
                    except CellError as exc:
                        value = _Invalid(exc.code, exc.message)
                if value is None:
                    if required:
                        add(header, "required", f"{header}不能为空")
                        failed.add(key)
                elif value.__class__ is _Invalid:
                    add(header, value.code, value.message)
                    failed.add(key)
                    value = None
                values[key] = value
            record = build(values, number, ctx, add, state)
            if record is None and not row_problems:
                add("", "incomplete", "该行内容不完整，请核对")
            if row_problems or record is None:
                self._bad(row, row_problems, plan)
            else:
                good(record)
        result.total_rows = read
        if progress is not None:
            progress(total_rows, total_rows)

    def _bad(self, row: list, row_problems: list[Problem], plan) -> None:
        result = self.result
        if not row_problems:
            return
        number = row_problems[0].row
        by_key = {key: index for key, _, _, index, _, _ in plan}
        width = len(row)
        texts = tuple(cells.display(row[by_key[c.key]]) if c.key in by_key and by_key[c.key] < width else ""
                      for c in self.spec.columns)
        result.bad_rows.append(BadRow(number, texts))
        room = MAX_PROBLEMS - len(result.problems)
        if len(row_problems) <= room:
            result.problems.extend(row_problems)
            return
        result.problems.extend(row_problems[:max(room, 0)])
        result.truncated = True


def _without_useless_memos(plan: list, read: int) -> list:
    """Stop memoising a column whose values hardly repeat (more distinct values than half the rows read,
    e.g. bases that are each person's own wage): there the memo only costs an insert per row."""
    if read < PROGRESS_EVERY or all(memo is None or len(memo) * 2 <= read for *_, memo in plan):
        return plan
    return [(*column, None if memo is not None and len(memo) * 2 > read else memo) for *column, memo in plan]


def _blank_row(row: list) -> bool:
    for value in row:
        if value == "":
            continue
        if type(value) is not str:
            return False
        stripped = value.strip()
        if stripped and (stripped.isprintable() or cells.text(stripped)):   # printable: not only zero-widths
            return False
    return True


def _col_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class _Parsers:
    """One parser per column kind: raw cell (and the row's values so far) → value or None (blank); a bad
    cell raises CellError. The reader memoises the kinds in MEMOISED (repetitive: types, reasons,
    departments, months, amounts) by raw value."""

    MEMOISED = frozenset({"id_type", "reason", "department", "month", "base", "amount"})

    def __init__(self, ctx: BatchContext) -> None:
        self.ctx = ctx

    def for_column(self, column: Column) -> Callable[[Any, dict], Any]:
        return getattr(self, "_" + column.kind)(column)

    def _name(self, column: Column):
        def parse(raw, values):
            value = cells.text(raw)
            if len(value) > MAX_NAME:
                raise CellError("too_long", f"{column.header}不能超过{MAX_NAME}个字")
            return value or None
        return parse

    def _id_type(self, column: Column):
        dictionaries = self.ctx.dictionaries

        def parse(raw, values):
            value = cells.digits(raw) if isinstance(raw, (int, float)) else cells.text(raw)
            if not value:
                return None
            code = dictionaries.code_for(column.dictionary or "id_type", value)
            if code is None and value.isdigit() and len(value) == 1:
                code = dictionaries.code_for(column.dictionary or "id_type", value.zfill(2))
            if code is None:
                raise CellError("id_type", f"证件类型不正确：{value}（请从下拉列表中选择）")
            return code
        return parse

    def _id_number(self, column: Column):
        def parse(raw, values):
            return cells.id_number(raw, resident=values.get("id_type") in (None, ID_TYPE_RESIDENT))
        return parse

    def _mobile(self, column: Column):
        def parse(raw, values):
            value = cells.digits(raw)
            if value is None:
                return None
            number = normal_mobile(value)
            if number is None:
                check = check_mobile(value)
                raise CellError(check.code, check.message)
            return number
        return parse

    def _department(self, column: Column):
        departments = self.ctx.departments
        by_name = {name: code for code, name in departments.items()} if departments else {}

        def parse(raw, values):
            value = cells.digits(raw) if isinstance(raw, (int, float)) else cells.text(raw)
            if not value:
                return None
            if departments is None:
                if len(value) > MAX_CODE:
                    raise CellError("too_long", f"部门代码不能超过{MAX_CODE}个字符")
                return value
            if value in departments:
                return value
            if value in by_name:
                return by_name[value]
            raise CellError("department_unknown", f"部门{value}不存在，请先在单位部门管理中设立该部门")
        return parse

    def _base(self, column: Column):
        policy = self.ctx.policy

        def parse(raw, values):
            value = cells.amount(raw, column.header)
            if value is None:
                return None
            if value <= 0:
                raise CellError("money_positive", f"{column.header}应大于0")
            reason = policy.check_base(value)
            if reason:
                raise CellError("base_out_of_range", reason)
            return value
        return parse

    def _amount(self, column: Column):
        def parse(raw, values):
            value = cells.amount(raw, column.header)
            if value is not None and value < 0:
                raise CellError("money_negative", f"{column.header}不能为负数")
            return value
        return parse

    def _month(self, column: Column):
        def parse(raw, values):
            return cells.month(raw, column.header)
        return parse

    def _account(self, column: Column):
        def parse(raw, values):
            value = cells.account(raw, column.header)
            if value is not None and len(value) > MAX_CODE:
                raise CellError("too_long", f"{column.header}不能超过{MAX_CODE}个字符")
            return value
        return parse

    def _reason(self, column: Column):
        dictionaries = self.ctx.dictionaries

        def parse(raw, values):
            value = cells.digits(raw) if isinstance(raw, (int, float)) else cells.text(raw)
            if not value:
                return None
            code = dictionaries.code_for(column.dictionary, value)
            if code is None:
                raise CellError("reason_unknown", f"{column.header}不正确：{value}（请从下拉列表中选择）")
            return code
        return parse

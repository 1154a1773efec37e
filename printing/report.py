"""The one report builder every printed list and receipt is made with.

    Report(PageFrame("业务流水查询", unit_name=…, unit_account=…, conditions=…, operator=…))
        .fields([("期初余额", "1,000.00"), …])
        .table(columns, rows, count_unit="笔")
        .build()                                   → PDF bytes

Each page carries the frame: the title, 单位名称 / 单位账号, the query conditions, and at the foot the 经办人,
the print time and 第 x 页 / 共 y 页. Tables repeat their header on every page, carry a 本页小计 at the foot of
each page when they span pages, and end with the 合计 of their money and count columns. Text wraps inside
its cell (nothing is cut off); every character is checked against the fonts before anything is drawn.

Tables are laid out and drawn directly on the canvas (one text object per page) rather than with platypus,
so that a 100,000-row roster costs about what drawing its strings on a bare canvas costs (bench/pdf_roster.py).
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate
from operator import attrgetter
from typing import Any

from printing.fonts import FontSet
from printing.layout import (GRID_LINE, MM, PAGE_LANDSCAPE, PAGE_PORTRAIT, SHADE, Cell, Document, Grid, TextRun,
                             baseline)
from services.money import CENT, D, fmt_money_display

MARGIN_X = 14 * MM
MARGIN_TOP = 12 * MM
MARGIN_BOTTOM = 10 * MM
TITLE_SIZE = 16
FRAME_SIZE = 9
FOOTER_HEIGHT = 8 * MM
BLOCK_GAP = 4 * MM

EMPTY_TEXT = "无符合条件的记录"
_AMOUNT = re.compile(r"^[¥-]?[\d,]+\.\d{2}$")
NUMERIC_KINDS = frozenset({"money", "int", "ratio", "date", "datetime", "month"})


@dataclass(frozen=True)
class PageFrame:
    """What every page of a report carries."""
    title: str
    unit_name: str = ""
    unit_account: str = ""
    conditions: str = ""          # e.g. "记账日期：2024-01-01 至 2024-06-30；业务类型：全部"
    conditions_label: str = "查询条件"  # "" prints the conditions as they are
    operator: str = ""            # 经办人
    printed_at: dt.datetime | None = None  # None: now
    landscape: bool = False

    @property
    def pagesize(self):
        return PAGE_LANDSCAPE if self.landscape else PAGE_PORTRAIT


@dataclass(frozen=True)
class Column:
    """A table column: the key of the value in each row (dict key or attribute), its header, its relative
    width, how values are shown (``kind``), and whether the 合计 row sums it."""
    key: str
    title: str
    width: float = 1.0
    kind: str = "text"            # text | money | int | ratio | date | datetime | month
    total: bool = False
    align: str | None = None      # default: right for money/int/ratio, centre for dates, left for text
    fmt: Callable[[Any], str] | None = None  # e.g. a dictionary label for a code

    @property
    def alignment(self) -> str:
        if self.align:
            return self.align
        if self.kind in ("money", "int", "ratio"):
            return "right"
        if self.kind in ("date", "datetime", "month"):
            return "center"
        return "left"


def fmt_timestamp(value: Any) -> str:
    """An API timestamp (ISO 8601 with offset) in local time, to the minute: "2024-07-15 09:30"."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone()
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def money_value(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else D(value)  # D refuses float


def format_value(column: Column, value: Any) -> str:
    if column.fmt is not None:
        return column.fmt(value)
    if value is None or value == "":
        return ""
    kind = column.kind
    if kind == "money":
        return fmt_money_display(money_value(value))
    if kind == "ratio":
        return f"{value}%"
    if kind == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]
    if kind == "datetime":
        return fmt_timestamp(value)
    return str(value)


# -- blocks -----------------------------------------------------------------------------------------------

@dataclass
class Chunk:
    """A piece of a block placed on one page: its height and how to draw it at (x, y top)."""
    height: float
    draw: Callable[[float, float], None]


class Block:
    done = False

    def prepare(self, doc: Document, width: float, body_height: float) -> None:
        raise NotImplementedError

    def take(self, available: float) -> Chunk | None:
        """The next piece that fits in ``available`` points, or None when nothing fits."""
        raise NotImplementedError


class FieldsBlock(Block):
    """Label / value pairs in a ruled grid, ``per_row`` pairs a row; labels shaded. A pair given as
    (label, value, True) takes a whole row (a long value such as an amount in capitals)."""

    def __init__(self, pairs: Sequence[tuple[str, str] | tuple[str, str, bool]], per_row: int = 2) -> None:
        self.pairs = list(pairs)
        self.per_row = per_row
        self.start = 0

    def prepare(self, doc, width, body_height):
        self.doc = doc
        size = FRAME_SIZE + 1
        pad = 2.5
        # Labels as wide as the longest one (so none wraps), between 30% and 45% of each pair's width.
        pair_width = width / self.per_row
        longest = max((doc.width(doc.check(p[0]), size) for p in self.pairs), default=0.0)
        label = min(max(longest + 2 * pad + 6, pair_width * 0.3), pair_width * 0.45)
        widths = [label, pair_width - label] * self.per_row
        rows: list[list[Cell]] = []
        row: list[Cell] = []
        for pair in self.pairs:
            label_text, value, wide = (*pair, False)[:3]
            if row and (wide or len(row) == 2 * self.per_row):
                rows.append(self._close(row))
                row = []
            align = "right" if _AMOUNT.match(value or "") and not wide else "left"
            row += [Cell(label_text, shade=True, align="center"), Cell(value, align=align)]
            if wide:
                rows.append(self._close(row))
                row = []
        if row:
            rows.append(self._close(row))
        self.grid = Grid(doc, widths, rows, size=size, pad=pad, min_height=7 * MM)
        self.heights = self.grid.row_heights()
        self.done = not self.heights

    def _close(self, row: list[Cell]) -> list[Cell]:
        """A short last row: its last value spans the rest of the grid."""
        missing = 2 * self.per_row - len(row)
        if missing:
            row[-1] = Cell(row[-1].text, span=1 + missing, align=row[-1].align)
        return row

    def take(self, available):
        used, end = 0.0, self.start
        while end < len(self.heights) and used + self.heights[end] <= available:
            used += self.heights[end]
            end += 1
        if end == self.start:
            return None
        start, self.start = self.start, end
        self.done = end >= len(self.heights)
        return Chunk(used, lambda x, y: self.grid.draw(x, y, start, end))


class ParagraphBlock(Block):
    """Wrapped text (notes on a receipt); splits between lines."""

    def __init__(self, text: str, size: float = FRAME_SIZE, leading: float = 1.5) -> None:
        self.source = text
        self.size = size
        self.lh = size * leading
        self.start = 0

    def prepare(self, doc, width, body_height):
        self.doc = doc
        self.lines = doc.wrap(doc.check(self.source), width, self.size)
        self.done = not self.lines

    def take(self, available):
        count = min(int(available // self.lh), len(self.lines) - self.start)
        if count <= 0:
            return None
        lines = self.lines[self.start:self.start + count]
        self.start += count
        self.done = self.start >= len(self.lines)

        def draw(x, y):
            top = y
            for line in lines:
                self.doc.text(x, baseline(top, self.size, self.lh), line, self.size)
                top -= self.lh
        return Chunk(count * self.lh, draw)


class SpacerBlock(Block):
    def __init__(self, height: float) -> None:
        self.height = height

    def prepare(self, doc, width, body_height):
        self.done = False

    def take(self, available):
        self.done = True
        return Chunk(min(self.height, available), lambda x, y: None)


class TableBlock(Block):
    """A ruled table: header on every page, 本页小计 per page when it spans pages, 合计 at the end."""

    PAD = 2.0
    LEADING = 1.3

    def __init__(self, columns: Sequence[Column], rows: Iterable[Any], *, numbered: bool = False,
                 count_unit: str = "条", page_subtotals: bool = True, size: float = FRAME_SIZE,
                 caption: str = "", totals: bool | None = None) -> None:
        """``totals``: print the 合计 row (the count and the sums of ``Column.total`` columns); default yes."""
        columns = list(columns)
        if numbered:
            columns.insert(0, Column("#", "序号", 0.45, kind="int", align="center"))
        self.columns = columns
        self.numbered = numbered
        self.source_rows = rows
        self.count_unit = count_unit
        # 本页小计 only where there is something to sum; the 合计 row (with the count) unless totals=False
        self.page_subtotals = page_subtotals and any(c.total for c in columns)
        self.size = size
        self.caption = caption
        self.has_totals = True if totals is None else totals
        self.start = 0
        self.chunks = 0

    # -- preparing: format, check, measure ----------------------------------------------------------

    def prepare(self, doc, width, body_height):
        self.doc = doc
        fonts = doc.fonts
        size, pad = self.size, self.PAD
        self.lh = size * self.LEADING
        cells, totals, count = self._format(doc)
        self.totals = totals
        self.count = count
        self.widths = self._widths(doc, width, cells)
        self.xs = list(accumulate([0.0] + self.widths))
        self.width = width
        inner = [w - 2 * pad for w in self.widths]
        header_lines = [doc.wrap(doc.check(c.title), iw, size) for c, iw in zip(self.columns, inner)]
        self.header_lines = header_lines
        self.header_height = max(len(lines) for lines in header_lines) * self.lh + 2 * pad
        self.caption_height = 6 * MM if self.caption else 0.0

        # Lines per row: a cell is measured only when it might not fit (every glyph is at most 1.18 em).
        limit = [iw / (size * 1.18) for iw in inner]
        max_lines = max(1, int((body_height - self.header_height - 3 * (self.lh + 2 * pad)) // self.lh))
        rows: list[tuple[str, ...] | None] = []
        wrapped: dict[int, list[list[str]]] = {}
        continued: set[int] = set()  # rows that carry on a cell too tall for one page
        lines_per_row: list[int] = []
        primary = fonts.primary
        blank = ("",) * len(self.columns)
        for values in cells:
            wrap = None
            for i, text in enumerate(values):
                if len(text) > limit[i] or "\n" in text:
                    w = primary.width(text, size) if fonts.covers(text) else fonts.width(text, size)
                    if w > inner[i] or "\n" in text:
                        wrap = wrap or [[t] for t in values]
                        wrap[i] = doc.wrap(text, inner[i], size)
            if wrap is None:
                rows.append(values)
                lines_per_row.append(1)
                continue
            n = max(len(w) for w in wrap)
            part = values
            while n > max_lines:
                wrapped[len(rows)] = [w[:max_lines] for w in wrap]
                rows.append(part)
                lines_per_row.append(max_lines)
                wrap = [w[max_lines:] for w in wrap]
                n -= max_lines
                part = blank
                continued.add(len(rows))
            wrapped[len(rows)] = wrap
            rows.append(part)
            lines_per_row.append(n)
        if not rows:
            rows.append(None)  # drawn as 无符合条件的记录
            lines_per_row.append(1)
        self.rows = rows
        self.wrapped = wrapped
        self.continued = continued
        row_extra = 2 * pad
        self.offsets = list(accumulate((n * self.lh + row_extra for n in lines_per_row), initial=0.0))
        self.total_row_height = self.lh + 2 * pad
        self.done = False

    def _widths(self, doc: Document, width: float, cells: list[tuple[str, ...]]) -> list[float]:
        """Column widths from the weights, except that numbers never wrap: a number column (序号, money, dates
        …) too narrow for its longest value or its total is widened, and the text columns give up the room
        (down to 40% of their share). 序号 is exactly as wide as its largest number."""
        size, gap = self.size, 2 * self.PAD + 1.5
        weight = sum(c.width for c in self.columns)
        widths = [width * c.width / weight for c in self.columns]
        fixed: dict[int, float] = {}
        for i, column in enumerate(self.columns):
            if column.kind not in NUMERIC_KINDS or column.fmt is not None:
                continue
            longest = max(cells, key=lambda row, i=i: len(row[i]))[i] if cells else ""
            need = max(doc.width(longest, size), doc.width(self.totals.get(i, ""), size)) + gap
            if self.numbered and i == 0:
                fixed[i] = max(need, doc.width(column.title, size) + gap)
            elif need > widths[i]:
                fixed[i] = need
        flexible = [i for i, c in enumerate(self.columns) if i not in fixed and c.kind not in NUMERIC_KINDS]
        if not fixed or not flexible:
            return widths
        for i, w in fixed.items():
            widths[i] = w
        pool = sum(widths[i] for i in flexible)
        spare = max(width - sum(widths), -0.6 * pool)
        for i in flexible:
            widths[i] += spare * widths[i] / pool
        return widths

    def _format(self, doc: Document):
        """Every row as a tuple of strings; sums of the total columns; text checked for coverage."""
        columns = self.columns[1:] if self.numbered else self.columns
        rows = list(self.source_rows)
        if rows and isinstance(rows[0], Mapping):
            getters = [(lambda r, k=c.key: r.get(k)) for c in columns]
        else:
            getters = [attrgetter(c.key) for c in columns]
        fonts = doc.fonts
        totals: dict[int, Any] = {}
        offset = 1 if self.numbered else 0
        formatted = []
        plain = [c.fmt is None and c.kind == "text" for c in columns]
        money = [c.fmt is None and c.kind == "money" for c in columns]
        checked = [c.kind not in NUMERIC_KINDS or c.fmt is not None for c in columns]
        sums: list[Any] = [Decimal(0) if c.kind == "money" else 0 if c.total else None for c in columns]
        for n, row in enumerate(rows, 1):
            values = []
            for i, (column, get) in enumerate(zip(columns, getters)):
                value = get(row)
                if money[i]:
                    amount = None if value is None or value == "" else (
                        value if isinstance(value, Decimal) else D(value)).quantize(CENT, ROUND_HALF_UP)  # D: no float
                    text = "" if amount is None else f"{amount:,.2f}"
                    if amount is not None and column.total:
                        sums[i] += amount
                elif plain[i]:
                    text = "" if value is None else str(value)
                    if column.total and value not in (None, ""):
                        sums[i] += int(value)
                else:
                    text = format_value(column, value)
                    if column.total and value not in (None, ""):
                        sums[i] += int(value)
                if checked[i] and not fonts.covers(text):
                    text = doc.check(text, f"第{n}行 {column.title}")
                values.append(text)
            if self.numbered:
                values.insert(0, str(n))
            formatted.append(tuple(values))
        for i, column in enumerate(columns):
            if column.total:
                totals[i + offset] = (fmt_money_display(sums[i]) if column.kind == "money" else str(sums[i]))
        return formatted, totals, len(rows)

    # -- paginating ---------------------------------------------------------------------------------

    def take(self, available):
        header = self.caption_height if self.start == 0 else 0.0
        header += self.header_height
        trow = self.total_row_height if self.has_totals else 0.0
        base = self.offsets[self.start]
        remaining = self.offsets[-1] - base
        # Everything left, with the 合计 (and the 本页小计 when the table already spans pages)?
        sub = self.total_row_height if self.page_subtotals else 0.0
        closing = trow + (sub if self.chunks > 0 else 0.0)
        if header + remaining + closing <= available:
            end, last = len(self.rows), True
        else:
            room = available - header - sub
            end = bisect_right(self.offsets, base + room) - 1
            last = False
            if end >= len(self.rows):  # all rows fit but not the 合计: leave one row to go with it
                end = len(self.rows) - 1
            if end <= self.start:
                return None
        start = self.start
        subtotal = self.page_subtotals and (not last or self.chunks > 0)
        total = last and self.has_totals
        first = self.start == 0
        self.start = end
        self.chunks += 1
        self.done = last
        height = header + (self.offsets[end] - base) + self.total_row_height * (subtotal + total)

        def draw(x, y):
            self._draw(x, y, start, end, first, subtotal, total)
        return Chunk(height, draw)

    # -- drawing ------------------------------------------------------------------------------------

    def _draw(self, x, y, start, end, first, subtotal, total):
        doc, c = self.doc, self.doc.canvas
        size, pad, lh = self.size, self.PAD, self.lh
        xs = [x + off for off in self.xs]
        right = xs[-1]
        if first and self.caption:
            doc.text(x, y - 4.2 * MM, self.caption, FRAME_SIZE + 1, bold=True)
            y -= self.caption_height
        top = y
        run = TextRun(doc)
        path = c.beginPath()
        # header
        hh = self.header_height
        c.setFillGray(SHADE)
        c.rect(x, y - hh, right - x, hh, stroke=0, fill=1)
        c.setFillGray(0)
        for i, lines in enumerate(self.header_lines):
            line_top = y - (hh - len(lines) * lh) / 2
            cx = (xs[i] + xs[i + 1]) / 2
            for line in lines:
                run.put(cx - doc.width(line, size) / 2, baseline(line_top, size, lh), line, size)
                line_top -= lh
        y -= hh
        path.moveTo(x, y)
        path.lineTo(right, y)
        # rows
        aligns = [col.alignment for col in self.columns]
        width_of = self.doc.fonts.primary.width
        covers = self.doc.fonts.covers
        fonts = self.doc.fonts
        wrapped = self.wrapped
        for r in range(start, end):
            values = self.rows[r]
            if values is None:
                run.put((x + right - doc.width(EMPTY_TEXT, size)) / 2, baseline(y - pad, size, lh), EMPTY_TEXT, size)
                y -= lh + 2 * pad
                path.moveTo(x, y)
                path.lineTo(right, y)
                continue
            lines_here = wrapped.get(r)
            n = 1 if lines_here is None else max(len(w) for w in lines_here)
            row_h = n * lh + 2 * pad
            for i, text in enumerate(values if lines_here is None else lines_here):
                cell_lines = (text,) if lines_here is None else text
                line_top = y - pad - (n - len(cell_lines)) * lh / 2
                align = aligns[i]
                for line in cell_lines:
                    if line:
                        if align == "left":
                            tx = xs[i] + pad
                        else:
                            w = width_of(line, size) if covers(line) else fonts.width(line, size)
                            tx = xs[i + 1] - pad - w if align == "right" else (xs[i] + xs[i + 1] - w) / 2
                        run.put(tx, baseline(line_top, size, lh), line, size)
                    line_top -= lh
            y -= row_h
            path.moveTo(x, y)
            path.lineTo(right, y)
        body_bottom = y
        # 本页小计 / 合计 rows: the label spans the columns before the first summed one
        extra = []
        if subtotal:
            sums = self._sums(start, end)
            extra.append((f"本页小计（{self._count(start, end)}{self.count_unit}）", sums))
        if total:
            extra.append((f"合计（共{self.count}{self.count_unit}）", self.totals))
        span_end = min(self.totals) if self.totals else len(self.columns)
        tr_h = self.total_row_height
        for label, sums in extra:
            line_top = y - pad
            run.put(xs[0] + pad, baseline(line_top, size, lh), label, size)
            for i, text in sums.items():
                w = width_of(text, size)
                run.put(xs[i + 1] - pad - w, baseline(line_top, size, lh), text, size)
            y -= tr_h
            path.moveTo(x, y)
            path.lineTo(right, y)
        run.end()
        # verticals: through the header and rows; in the total rows only after the label span
        for i, vx in enumerate(xs):
            path.moveTo(vx, top)
            path.lineTo(vx, body_bottom if 0 < i < span_end else y)
        path.moveTo(x, top)
        path.lineTo(right, top)
        c.setLineWidth(GRID_LINE)
        c.drawPath(path, stroke=1, fill=0)

    def _count(self, start: int, end: int) -> int:
        """Source rows among rows[start:end] (the continuation of a too-tall row does not count again)."""
        return end - start - sum(1 for r in self.continued if start <= r < end)

    def _sums(self, start: int, end: int) -> dict[int, str]:
        out = {}
        for i, column in enumerate(self.columns):
            if not column.total:
                continue
            if column.kind == "money":
                total = sum((D(v) for v in (self.rows[r][i] for r in range(start, end) if self.rows[r]) if v),
                            Decimal(0))
                out[i] = fmt_money_display(total)
            else:
                out[i] = str(sum(int(v) for v in (self.rows[r][i] for r in range(start, end) if self.rows[r]) if v))
        return out


# -- the report -------------------------------------------------------------------------------------------

@dataclass
class Report:
    frame: PageFrame
    blocks: list[Block] = field(default_factory=list)

    def fields(self, pairs: Sequence[tuple[str, str] | tuple[str, str, bool]], per_row: int = 2) -> Report:
        self.blocks.append(FieldsBlock(pairs, per_row))
        return self

    def table(self, columns: Sequence[Column], rows: Iterable[Any], **options) -> Report:
        self.blocks.append(TableBlock(columns, rows, **options))
        return self

    def paragraph(self, text: str, size: float = FRAME_SIZE) -> Report:
        self.blocks.append(ParagraphBlock(text, size))
        return self

    def spacer(self, height_mm: float) -> Report:
        self.blocks.append(SpacerBlock(height_mm * MM))
        return self

    def build(self, fonts: FontSet | None = None) -> bytes:
        doc = Document(self.frame.title, self.frame.pagesize, fonts)
        self.draw(doc)
        return doc.finish()

    def draw(self, doc: Document, new_page: bool = False) -> int:
        """Lay the blocks out and draw them onto ``doc`` (after its current page when ``new_page``).
        Nothing is drawn when a character cannot be printed: ``UnprintableText`` is raised first.
        Returns the number of pages."""
        pw, ph = self.frame.pagesize
        width = pw - 2 * MARGIN_X
        printed_at = self.frame.printed_at or dt.datetime.now()
        frame_texts = self._frame_texts(doc, printed_at, width)
        head_height = self._head_height(frame_texts)
        body_top = ph - MARGIN_TOP - head_height
        body_bottom = MARGIN_BOTTOM + FOOTER_HEIGHT
        body_height = body_top - body_bottom

        pages: list[list[tuple[float, Chunk]]] = [[]]
        y = body_top
        for block in self.blocks:
            block.prepare(doc, width, body_height)
            while not block.done:
                chunk = block.take(y - body_bottom)
                if chunk is None:
                    if not pages[-1]:
                        raise ValueError("a block does not fit on an empty page")
                    pages.append([])
                    y = body_top
                    continue
                pages[-1].append((y, chunk))
                y -= chunk.height + BLOCK_GAP
        doc.raise_problems()

        total = len(pages)
        for number, placed in enumerate(pages, 1):
            if new_page or number > 1:
                doc.new_page(self.frame.pagesize)
            self._draw_frame(doc, frame_texts, number, total, width)
            for top, chunk in placed:
                chunk.draw(MARGIN_X, top)
        return total

    # -- the frame ----------------------------------------------------------------------------------

    def _frame_texts(self, doc: Document, printed_at: dt.datetime, width: float) -> dict[str, Any]:
        f = self.frame
        unit = doc.check(f"单位名称：{f.unit_name}", "单位名称") if f.unit_name else ""
        account = doc.check(f"单位账号：{f.unit_account}") if f.unit_account else ""
        label = f"{f.conditions_label}：" if f.conditions_label else ""
        conditions = doc.check(label + f.conditions, "查询条件") if f.conditions else ""
        cond_lines = doc.wrap(conditions, width, FRAME_SIZE) if conditions else []
        operator = doc.check(f"经办人：{f.operator}", "经办人") if f.operator else ""
        return {"title": doc.check(f.title, "标题"), "unit": unit, "account": account, "conditions": cond_lines,
                "foot": "　　".join(t for t in (operator, f"打印时间：{printed_at:%Y-%m-%d %H:%M}") if t)}

    @staticmethod
    def _head_height(texts: dict[str, Any]) -> float:
        height = TITLE_SIZE + 4 * MM
        if texts["unit"] or texts["account"]:
            height += FRAME_SIZE * 1.6
        height += len(texts["conditions"]) * FRAME_SIZE * 1.5
        return height + 2 * MM

    def _draw_frame(self, doc: Document, texts: dict[str, Any], number: int, total: int, width: float) -> None:
        pw, ph = self.frame.pagesize
        left, right = MARGIN_X, MARGIN_X + width
        y = ph - MARGIN_TOP - TITLE_SIZE
        doc.text(pw / 2, y, texts["title"], TITLE_SIZE, "center", bold=True)
        y -= 4 * MM + FRAME_SIZE * 0.6
        if texts["unit"] or texts["account"]:
            doc.text(left, y, texts["unit"], FRAME_SIZE)
            doc.text(right, y, texts["account"], FRAME_SIZE, "right")
            y -= FRAME_SIZE * 1.6
        for line in texts["conditions"]:
            doc.text(left, y, line, FRAME_SIZE)
            y -= FRAME_SIZE * 1.5
        foot_y = MARGIN_BOTTOM + 2 * MM
        doc.hline(left, right, MARGIN_BOTTOM + FOOTER_HEIGHT - 2 * MM, 0.4)
        doc.text(left, foot_y, texts["foot"], FRAME_SIZE)
        doc.text(right, foot_y, f"第 {number} 页 / 共 {total} 页", FRAME_SIZE, "right")

"""Drawing on a reportlab canvas with the checked fonts: the ``Document`` (canvas + fonts + the problems
found), text placement (left / right / centre, pseudo-bold), line wrapping for CJK text, and the cell grid
the report tables and the slip forms are both drawn with.

Every text goes through ``Document.check`` (coverage) before it is drawn; ``Document.finish`` refuses to
return a PDF while any character could not be drawn.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import FontSet, MissingChar, UnprintableText, clean, font_set

MM = 72 / 25.4
PAGE_PORTRAIT = A4
PAGE_LANDSCAPE = landscape(A4)
GRID_LINE = 0.5
SHADE = 0.92  # grey of header / label cells

# A line never starts with closing punctuation (禁则): the character before moves down with it.
_NO_LINE_START = frozenset("，。、；：？！）》」』】〕”’,.;:?!)]}%％")
_NO_LINE_END = frozenset("（《「『【〔“‘([{¥￥")


@dataclass(frozen=True)
class Cell:
    """One cell of a grid row: its text, how many columns it spans, alignment, label shading, size."""
    text: str = ""
    span: int = 1
    align: str = "left"   # left | right | center
    shade: bool = False
    size: float | None = None
    bold: bool = False


class Document:
    """A PDF being drawn: the canvas, the font set, and the characters that could not be drawn."""

    def __init__(self, title: str, pagesize=PAGE_PORTRAIT, fonts: FontSet | None = None,
                 author: str = "gjj-desk") -> None:
        self.fonts = fonts or font_set()
        self.buffer = io.BytesIO()
        # The embedded font from the first operator on: no Helvetica reference for a printer to substitute.
        self.canvas = Canvas(self.buffer, pagesize=pagesize, pageCompression=1,
                             initialFontName=self.fonts.primary.name, initialFontSize=9)
        self.canvas.setTitle(title)
        self.canvas.setAuthor(author)
        self.canvas.setCreator("gjj-desk")
        self.pagesize = pagesize
        self.problems: list[MissingChar] = []

    # -- coverage -----------------------------------------------------------------------------------

    def check(self, text: str, where: str = "") -> str:
        """``text`` as it will be drawn; a character no font has is recorded (``finish`` then refuses)."""
        text = clean(text)
        if not self.fonts.covers(text):
            for char in self.fonts.missing(text):
                self.problems.append(MissingChar(char, f"{where}“{text}”" if where else f"“{text}”"))
        return text

    def raise_problems(self) -> None:
        if self.problems:
            raise UnprintableText(self.problems)

    def finish(self) -> bytes:
        """The PDF bytes; raises UnprintableText instead when any character could not be drawn."""
        self.raise_problems()
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()

    def new_page(self, pagesize=None) -> None:
        self.canvas.showPage()
        if pagesize is not None and pagesize != self.pagesize:
            self.pagesize = pagesize
            self.canvas.setPageSize(pagesize)

    # -- measuring ----------------------------------------------------------------------------------

    def width(self, text: str, size: float) -> float:
        return self.fonts.width(text, size)

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        """``text`` broken into lines no wider than ``width`` (at newlines, between CJK characters, at spaces
        inside Latin text when one is near, never before closing or after opening punctuation)."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            if self.width(paragraph, size) <= width:
                lines.append(paragraph)
                continue
            lines.extend(self._wrap_paragraph(paragraph, width, size))
        return lines or [""]

    def _wrap_paragraph(self, text: str, width: float, size: float) -> list[str]:
        lines = []
        line = ""
        used = 0.0
        for char in text:
            w = self.fonts.width(char, size)
            if used + w <= width or not line:
                line += char
                used += w
                continue
            carry = ""
            if char in _NO_LINE_START and len(line) > 1:
                line, carry = line[:-1], line[-1]
            elif char.isascii() and char.isalnum() and " " in line[-12:]:
                cut = line.rfind(" ")
                line, carry = line[:cut], line[cut + 1:]
            if len(line) > 1 and line[-1] in _NO_LINE_END:
                line, carry = line[:-1], line[-1] + carry
            lines.append(line.rstrip())
            line = carry + char
            used = self.fonts.width(line, size)
        if line:
            lines.append(line)
        return lines

    # -- drawing ------------------------------------------------------------------------------------

    def text(self, x: float, y: float, text: str, size: float, align: str = "left", bold: bool = False,
             where: str = "") -> float:
        """Draw one line with its baseline at ``y``; ``x`` is the left, right or centre point. Returns the
        drawn width."""
        text = self.check(text, where)
        if not text:
            return 0.0
        width = self.width(text, size)
        if align == "right":
            x -= width
        elif align == "center":
            x -= width / 2
        run = TextRun(self)
        if bold:
            self.canvas.saveState()
            self.canvas.setLineWidth(size * 0.035)
            run.tx.setTextRenderMode(2)
        run.put(x, y, text, size)
        run.end()
        if bold:
            self.canvas.restoreState()
        return width

    def hline(self, x1: float, x2: float, y: float, width: float = GRID_LINE, dash: Sequence[float] | None = None) -> None:
        c = self.canvas
        c.saveState()
        c.setLineWidth(width)
        if dash:
            c.setDash(list(dash))
        c.line(x1, y, x2, y)
        c.restoreState()


def baseline(line_top: float, size: float, leading: float) -> float:
    """The baseline of a line whose box (``leading`` tall) starts at ``line_top``: glyphs centred in the box."""
    return line_top - (leading - size) / 2 - size * 0.8


class Grid:
    """Rows of cells drawn as a ruled grid (the slip forms, the label/value blocks of reports). Cells wrap;
    a row is as tall as its tallest cell (at least ``min_height``); text is centred vertically."""

    def __init__(self, doc: Document, widths: Sequence[float], rows: Sequence[Sequence[Cell]], size: float = 9,
                 pad: float = 2.5, min_height: float = 0.0, leading: float = 1.35, where: str = "") -> None:
        self.doc = doc
        self.widths = list(widths)
        self.pad = pad
        self.rows = []  # (height, [(offset, width, cell, lines, size)])
        for row in rows:
            cells = []
            col = 0
            height = min_height
            for cell in row:
                w = sum(self.widths[col:col + cell.span])
                cell_size = cell.size or size
                lines = doc.wrap(doc.check(cell.text, where), w - 2 * pad, cell_size)
                height = max(height, len(lines) * cell_size * leading + 2 * pad)
                cells.append((sum(self.widths[:col]), w, cell, lines, cell_size))
                col += cell.span
            self.rows.append((height, cells))
        self.leading = leading

    @property
    def height(self) -> float:
        return sum(h for h, _ in self.rows)

    def row_heights(self) -> list[float]:
        return [h for h, _ in self.rows]

    def draw(self, x: float, y: float, start: int = 0, end: int | None = None) -> float:
        """Draw rows[start:end] with the top-left corner at (x, y); returns the height drawn."""
        c = self.doc.canvas
        top = y
        c.setLineWidth(GRID_LINE)
        for height, cells in self.rows[start:end]:
            for offset, w, cell, lines, size in cells:
                cx = x + offset
                if cell.shade:
                    c.setFillGray(SHADE)
                    c.rect(cx, y - height, w, height, stroke=0, fill=1)
                    c.setFillGray(0)
                c.rect(cx, y - height, w, height, stroke=1, fill=0)
                lh = size * self.leading
                line_top = y - (height - len(lines) * lh) / 2
                tx = {"left": cx + self.pad, "right": cx + w - self.pad, "center": cx + w / 2}[cell.align]
                for line in lines:
                    self.doc.text(tx, baseline(line_top, size, lh), line, size, cell.align, cell.bold)
                    line_top -= lh
            y -= height
        return top - y


class TextRun:
    """One PDF text object for many strings (one BT … ET per page of a table, not one per cell: the bare
    canvas's drawString makes one per string). Switches to a fallback font only for the characters that
    need it."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.fonts = doc.fonts
        self.tx = doc.canvas.beginText()
        self._font: str | None = None
        self._size: float | None = None

    def put(self, x: float, y: float, text: str, size: float) -> None:
        """Draw already-checked ``text`` with its baseline starting at (x, y)."""
        tx = self.tx
        tx.setTextOrigin(x, y)
        if self.fonts.covers(text):
            runs = ((self.fonts.primary, text),)
        else:
            runs = [(face, run) for face, run in self.fonts.runs(text) if face is not None]
        for face, run in runs:
            if face.name != self._font or size != self._size:
                tx.setFont(face.name, size)
                self._font, self._size = face.name, size
            if len(runs) == 1:
                tx._textOut(run)  # no cursor advance needed: every string is placed by setTextOrigin
            else:
                tx.textOut(run)

    def end(self) -> None:
        self.doc.canvas.drawText(self.tx)

"""pdf_roster: a 100,000-row 清册 printed by the report builder (page frame, header on every page, 本页小计,
合计, coverage check of every cell, wrapping, money formatting from Decimal) vs reportlab drawing the same
cell strings on a bare canvas (one drawString per cell, the same font, page size and page breaks, strings
formatted beforehand). Same process, alternated, median of N (default 3)."""
from __future__ import annotations

import io
import time

from bench.common import report

ROWS = 100_000


def _bare(lines: list[tuple[str, ...]], xs: list[float], per_page: int, font: str) -> bytes:
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415
    from reportlab.pdfgen.canvas import Canvas  # noqa: PLC0415

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    y = top = A4[1] - 100
    for n, cells in enumerate(lines, 1):
        if n % per_page == 1:  # a new page starts with the default font
            canvas.setFont(font, 9)
        for x, text in zip(xs, cells):
            canvas.drawString(x, y, text)
        y -= 15.7
        if n % per_page == 0:
            canvas.showPage()
            y = top
    canvas.save()
    return buffer.getvalue()


def run(repeat: int | None = None) -> str:
    repeat = repeat or 3
    from printing.documents import roster_report  # noqa: PLC0415
    from printing.fonts import font_set  # noqa: PLC0415
    from printing.samples import context, roster  # noqa: PLC0415

    fonts = font_set()
    rows = roster(ROWS)
    ctx = context()
    lines = [(str(n), r.person_account, r.name, r.id_number, f"{r.base:,.2f}", f"{r.unit_monthly:,.2f}",
              f"{r.person_monthly:,.2f}", f"{r.monthly:,.2f}") for n, r in enumerate(rows, 1)]
    xs = [45.0, 70.0, 135.0, 185.0, 300.0, 360.0, 420.0, 480.0]

    def ours() -> bytes:
        return roster_report(rows, ctx).build()

    pdf = ours()  # warm up, and learn the page breaks
    pages = pdf.count(b"/Type /Page\n")
    per_page = -(-ROWS // max(pages, 1))

    def bare() -> bytes:
        return _bare(lines, xs, per_page, fonts.primary.name)

    bare()
    ours_times, bare_times = [], []
    for _ in range(repeat):
        for fn, times in ((ours, ours_times), (bare, bare_times)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    ours_times.sort()
    bare_times.sort()
    note = f"pdf_roster: {ROWS} rows, {pages} pages, {len(pdf) / 1e6:.1f} MB"
    return report("pdf_roster", ours_times[len(ours_times) // 2], bare_times[len(bare_times) // 2], note)

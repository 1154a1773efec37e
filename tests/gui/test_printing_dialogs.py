"""The print preview the module tabs open with print_document(): pages drawn through QtPdf, the printer list
with the last printer remembered, copies, 打印 in the background, 另存为PDF, and a document that cannot be
printed (a character no font has) reported to the clerk by name before anything is printed."""
from __future__ import annotations

import dataclasses

import pytest
import shiboken6
from PySide6.QtCore import QSize
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import QToolBar, QWidget

import ui.printing_dialogs as pd
from client.settings import Settings, load_settings
from printing import documents, samples
from printing.fonts import make_font_set
from tests.gui.support import wait_ops

JI = "\U00020BB7"


class FakeDesk:
    def __init__(self, last_printer=None):
        self.settings = Settings(last_printer=last_printer)


class Window(QWidget):
    """Stands for the main window: tabs find the desk through their window."""

    def __init__(self, desk):
        super().__init__()
        self.desk = desk


@pytest.fixture
def pdf():
    return documents.roster_report(samples.roster(60), samples.context()).build()  # 2 pages


@pytest.fixture
def printers(monkeypatch):
    found = {"names": ["办公室-HP", "财务室-Canon", "test"], "default": "财务室-Canon"}
    monkeypatch.setattr(pd, "available_printers", lambda: (list(found["names"]), found["default"]))
    return found


@pytest.fixture
def window(qtbot):
    w = Window(FakeDesk())
    qtbot.addWidget(w)
    return w


def open_preview(qtbot, qapp, window, pdf, title="汇缴清册"):
    dialog = pd.print_document(window, pdf, title)
    wait_ops(qapp)
    return dialog


def close(qapp, dialog):
    if shiboken6.isValid(dialog):
        dialog.reject()
    wait_ops(qapp)


def test_the_preview_shows_every_page_through_qtpdf(qtbot, qapp, window, pdf, printers):
    dialog = open_preview(qtbot, qapp, window, pdf)
    try:
        assert dialog.isVisible()
        assert dialog.windowTitle() == "打印预览 — 汇缴清册（共2页）"
        preview = dialog.findChild(QPrintPreviewWidget)
        preview.updatePreview()
        assert preview.pageCount() == 2
        image = preview.grab().toImage()
        assert not image.isNull()
    finally:
        close(qapp, dialog)


def test_qts_own_print_and_page_setup_buttons_are_replaced(qtbot, qapp, window, pdf, printers):
    dialog = open_preview(qtbot, qapp, window, pdf)
    try:
        visible = [a.text() for a in dialog.findChild(QToolBar).actions() if a.isVisible() and a.text()]
        assert visible[-3:] == ["打印", "另存为PDF", "关闭"]
        assert all(t not in visible for t in ("Print", "Page setup", "页面设置"))
    finally:
        close(qapp, dialog)


def test_the_printer_list_prefers_the_last_printer_then_the_default(qtbot, qapp, window, pdf, printers):
    dialog = open_preview(qtbot, qapp, window, pdf)
    try:
        box = dialog.printer_box
        assert [box.itemText(i) for i in range(box.count())] == printers["names"]
        assert box.currentText() == "财务室-Canon"  # nothing remembered yet: the system default
    finally:
        close(qapp, dialog)
    window.desk.settings = Settings(last_printer="办公室-HP")
    dialog = open_preview(qtbot, qapp, window, pdf)
    try:
        assert dialog.printer_box.currentText() == "办公室-HP"
    finally:
        close(qapp, dialog)


def test_printing_sends_the_pdf_and_remembers_the_printer(qtbot, qapp, window, pdf, printers, monkeypatch):
    jobs = []
    monkeypatch.setattr(pd, "print_pdf", lambda data, name, copies, title, method, cancel: jobs.append(
        (data, name, copies, title)) or "test-1")
    dialog = open_preview(qtbot, qapp, window, pdf)
    printed = []
    dialog.printed.connect(printed.append)
    dialog.printer_box.setCurrentText("test")
    dialog.copies_box.setValue(2)
    dialog.print_action.trigger()
    wait_ops(qapp)
    assert jobs == [(pdf, "test", 2, "汇缴清册")]
    assert printed == ["test"]
    assert window.desk.settings.last_printer == "test"
    assert load_settings().last_printer == "test"  # written to the settings file (on the worker)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=3000)


def test_a_refused_job_is_reported_and_the_preview_stays(qtbot, qapp, window, pdf, printers, monkeypatch):
    def refuse(*_args):
        raise pd.PrintFailed("打印机“test”拒绝了打印任务，请检查打印机状态后重试")

    shown = []
    monkeypatch.setattr(pd, "print_pdf", refuse)
    monkeypatch.setattr("ui.errors.show_error", lambda parent, exc: shown.append(exc.message))
    dialog = open_preview(qtbot, qapp, window, pdf)
    try:
        dialog.print_action.trigger()
        wait_ops(qapp)
        assert shown == ["打印机“test”拒绝了打印任务，请检查打印机状态后重试"]
        assert dialog.isVisible() and dialog.print_action.isEnabled()
    finally:
        close(qapp, dialog)


def test_without_printers_it_says_so_and_offers_pdf(qtbot, qapp, window, pdf, printers, monkeypatch):
    printers["names"], printers["default"] = [], ""
    told = []
    monkeypatch.setattr(pd.QMessageBox, "information", lambda parent, title, text: told.append(text))
    dialog = open_preview(qtbot, qapp, window, pdf)
    try:
        assert not dialog.print_action.isEnabled()
        assert dialog.printer_box.currentText() == pd.NO_PRINTER
        assert "另存为PDF" in dialog.status.text()
        assert dialog.print_now() is None
        assert told == [pd.NO_PRINTER_MESSAGE]
    finally:
        close(qapp, dialog)


def test_save_as_pdf(qtbot, qapp, window, pdf, printers, monkeypatch, tmp_path):
    target = tmp_path / "清册"
    monkeypatch.setattr(pd.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF 文件 (*.pdf)"))
    dialog = open_preview(qtbot, qapp, window, pdf)
    try:
        saved = []
        dialog.saved.connect(saved.append)
        dialog.save_action.trigger()
        wait_ops(qapp)
        assert saved == [str(tmp_path / "清册.pdf")]
        assert (tmp_path / "清册.pdf").read_bytes() == pdf
        assert "已保存" in dialog.status.text()
        assert dialog.isVisible()  # saving does not end the preview
    finally:
        close(qapp, dialog)


def test_a_landscape_document_previews_in_landscape(qtbot, qapp, window, printers):
    pdf = documents.query_report("employees", samples.employees(5), samples.context())
    dialog = open_preview(qtbot, qapp, window, pdf, "缴存人账户信息查询")
    try:
        layout = dialog._printer.pageLayout()
        assert layout.orientation() == layout.Orientation.Landscape
    finally:
        close(qapp, dialog)


def test_print_later_builds_in_the_background_then_previews(qtbot, qapp, window, printers, monkeypatch):
    opened = []
    monkeypatch.setattr(pd, "print_document", lambda parent, data, title: opened.append((parent, data[:5], title)))
    pd.print_later(window, documents.supplementary_slip, "补缴凭条", samples.supplementary_slip_data(), samples.context())
    wait_ops(qapp)
    assert opened == [(window, b"%PDF-", "补缴凭条")]


def test_a_character_no_font_has_is_named_to_the_clerk_before_printing(qtbot, qapp, window, printers, monkeypatch):
    shown = []
    opened = []
    monkeypatch.setattr("ui.ops.show_error", lambda parent, exc: shown.append(exc))
    monkeypatch.setattr(pd, "print_document", lambda *a: opened.append(a))
    rows = samples.roster(3)
    rows[1] = dataclasses.replace(rows[1], name=f"{JI}祥")
    fonts = make_font_set([])
    pd.print_later(window, lambda: documents.roster_report(rows, samples.context()).build(fonts), "汇缴清册")
    wait_ops(qapp)
    assert opened == []
    assert len(shown) == 1
    from ui.errors import message_for

    message = message_for(shown[0])
    assert JI in message and "U+20BB7" in message and "第2行 姓名" in message


def test_pages_are_painted_onto_a_printer(qapp, tmp_path, pdf):
    """The Windows path: QtPdf renders each page onto a QPrinter (here a PDF file printer)."""
    document, buffer = pd.load_pdf(pdf)
    try:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "out.pdf"))
        printer.setFullPage(True)
        printer.setPageLayout(pd.page_layout(document))
        assert pd.paint_pages(printer, document, 100) == 2
    finally:
        document.close()
        pd.dispose(document, buffer)
    printed, buffer = pd.load_pdf((tmp_path / "out.pdf").read_bytes())
    try:
        assert printed.pageCount() == 2
        size = printed.pagePointSize(0)
        assert (round(size.width()), round(size.height())) == (595, 842)  # A4, full page
        # on white paper: QtPdf renders on a transparent background, which must not print black
        page = printed.render(0, QSize(298, 421))
        assert [page.pixelColor(x, y).name() for x, y in ((4, 4), (149, 415), (293, 4))] == ["#ffffff"] * 3
    finally:
        printed.close()
        pd.dispose(printed, buffer)


def test_a_broken_pdf_is_refused_with_a_message(qapp):
    with pytest.raises(pd.PrintFailed, match="无法打开"):
        pd.load_pdf(b"not a pdf")


def test_file_names_for_saving():
    assert pd.safe_file_name("汇缴清册 2024/07") == "汇缴清册_2024_07"
    assert pd.safe_file_name("  ") == "打印"

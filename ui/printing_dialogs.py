"""Printing from the desk: a print preview (QPrintPreviewDialog, the PDF's pages drawn through QtPdf) with the
local printer list (the last printer used is remembered in ``settings.last_printer``), the number of copies,
【打印】 and 【另存为PDF】.

    print_document(parent, pdf_bytes, "汇补缴书")              # a document already built
    print_later(parent, lambda: printing.query_report(...), "业务流水查询")   # build in the background first

Printing runs in the background (ui.ops). Where CUPS is (Linux, macOS) the PDF itself is sent to the chosen
queue with ``lp``: the printer gets the vector pages and the text stays text. Elsewhere (Windows) every page is
rendered by QtPdf at the printer's resolution (at most 300 dpi) onto a ``QPrinter`` for that printer.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (QBuffer, QByteArray, QCoreApplication, QIODevice, QLibraryInfo, QMarginsF, QRect, QSize,
                            Qt, QTranslator, Signal)
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import (QComboBox, QFileDialog, QLabel, QMessageBox, QSpinBox, QToolBar, QWidget)

from client.errors import ClientError
from ui.ops import Op

log = logging.getLogger("gjj_desk.ui")

PREVIEW_DPI = 110
PRINT_MAX_DPI = 300
MAX_PREVIEW_PAGES = 60  # a 2,000-page roster previews its first pages; 打印 prints all
NO_PRINTER = "（本机未安装打印机）"
NO_PRINTER_MESSAGE = "本机没有可用的打印机。请先在系统中添加打印机，或点击“另存为PDF”保存后再打印。"


class PrintFailed(ClientError):
    """The printer or the spooler refused the job; the message says what to do."""


# -- work that runs in the background (no widgets) ---------------------------------------------------------

def load_pdf(pdf: bytes) -> tuple[QPdfDocument, QBuffer]:
    """A QtPdf document over ``pdf`` (the buffer must live as long as the document)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(None)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PrintFailed("打印文件无法打开，请重新生成后再试")
    return document, buffer


def dispose(*objects) -> None:
    """Delete Qt objects made on a worker thread there and then (never left to the garbage collector)."""
    for obj in objects:
        if obj is not None and shiboken6.isValid(obj):
            shiboken6.delete(obj)


def page_layout(document: QPdfDocument) -> QPageLayout:
    """The page size and orientation of the document's first page (A4 portrait or landscape)."""
    size = document.pagePointSize(0)
    orientation = (QPageLayout.Orientation.Landscape if size.width() > size.height()
                   else QPageLayout.Orientation.Portrait)
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0))


def paint_pages(printer: QPrinter, document: QPdfDocument, dpi: int, last: int | None = None,
                cancel: threading.Event | None = None) -> int:
    """Draw the document's pages onto ``printer``, each rendered at ``dpi`` and scaled to the full page.
    Returns the number of pages drawn."""
    count = document.pageCount() if last is None else min(last, document.pageCount())
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed("无法连接打印机，请检查打印机是否开机、联网，然后重试")
    try:
        target = printer.pageLayout().fullRectPixels(printer.resolution())
        for index in range(count):
            if cancel is not None and cancel.is_set():
                break
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            image = document.render(index, QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72)))
            if image.format() != QImage.Format.Format_Grayscale8:
                image = _on_white(image)
            painter.drawImage(_fit(target, image.size()), image)
        return count
    finally:
        painter.end()


def _on_white(image: QImage) -> QImage:
    """The page on white paper, without alpha: QtPdf renders onto a transparent background, and dropping the
    alpha channel as it is turns every blank pixel black (a black page in the preview and on the printer)."""
    page = QImage(image.size(), QImage.Format.Format_RGB888)
    page.fill(Qt.GlobalColor.white)
    painter = QPainter(page)
    painter.drawImage(0, 0, image)
    painter.end()
    return page


def _fit(target: QRect, size: QSize) -> QRect:
    scaled = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
    x = target.x() + (target.width() - scaled.width()) // 2
    y = target.y() + (target.height() - scaled.height()) // 2
    return QRect(x, y, scaled.width(), scaled.height())


def available_printers() -> tuple[list[str], str]:
    """The local printers and the system default (may be ""). Where CUPS takes the PDF (``lp``), ask CUPS
    itself with ``lpstat``, as ``lp`` will: Qt's printer list is read once per process and would miss a
    scheduler or queue that appeared later (CUPS_SERVER, a printer added while the desk runs)."""
    if spools_pdf() and shutil.which("lpstat"):
        try:
            c_locale = {**os.environ, "LC_ALL": "C"}
            names = subprocess.run(["lpstat", "-e"], capture_output=True, text=True, timeout=10,
                                   env=c_locale).stdout.split()
            default = subprocess.run(["lpstat", "-d"], capture_output=True, text=True, timeout=10,
                                     env=c_locale).stdout
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("lpstat failed: %r", exc)
        else:
            # "system default destination: NAME" (or "no system default destination")
            default = default.split(":", 1)[1].strip() if ":" in default else ""
            return names, default if default in names else ""
    return list(QPrinterInfo.availablePrinterNames()), QPrinterInfo.defaultPrinterName()


def spools_pdf() -> bool:
    """CUPS takes the PDF itself (Linux, macOS): ``lp`` is there."""
    return sys.platform != "win32" and shutil.which("lp") is not None


def print_pdf(pdf: bytes, printer_name: str, copies: int = 1, title: str = "gjj-desk", method: str = "auto",
              cancel: threading.Event | None = None) -> str:
    """Print ``pdf`` on the local printer ``printer_name``; returns the spooler's job id when it tells one.
    ``method``: "cups" (send the PDF with lp), "qt" (render through QtPdf onto a QPrinter), "auto"."""
    if method == "auto":
        method = "cups" if spools_pdf() else "qt"
    if method == "cups":
        return _print_with_lp(pdf, printer_name, copies, title)
    return _print_with_qt(pdf, printer_name, copies, title, cancel)


def _print_with_lp(pdf: bytes, printer_name: str, copies: int, title: str) -> str:
    command = ["lp", "-d", printer_name, "-n", str(copies), "-t", title, "-o", "media=A4", "-"]
    try:
        done = subprocess.run(command, input=pdf, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("lp failed: %r", exc)
        raise PrintFailed("打印服务没有响应，请稍后重试；如多次出现请联系管理员") from exc
    if done.returncode != 0:
        log.warning("lp refused the job: %s", done.stderr.decode(errors="replace").strip())
        raise PrintFailed(f"打印机“{printer_name}”拒绝了打印任务，请检查打印机状态后重试")
    match = re.search(r"request id is (\S+)", done.stdout.decode(errors="replace"))
    return match.group(1) if match else ""


def _print_with_qt(pdf: bytes, printer_name: str, copies: int, title: str,
                   cancel: threading.Event | None) -> str:
    info = QPrinterInfo.printerInfo(printer_name)
    if info.isNull():
        raise PrintFailed(f"找不到打印机“{printer_name}”，请重新选择")
    document, buffer = load_pdf(pdf)
    try:
        printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        printer.setCopyCount(copies)
        printer.setFullPage(True)
        printer.setPageLayout(page_layout(document))
        paint_pages(printer, document, min(printer.resolution(), PRINT_MAX_DPI), cancel=cancel)
        return ""
    finally:
        document.close()
        dispose(document, buffer)


def write_pdf(path: str, pdf: bytes) -> str:
    """Save ``pdf`` at ``path`` (a temporary file first, then renamed: never half a file)."""
    target = Path(path)
    temporary = target.with_name(target.name + ".part")
    try:
        temporary.write_bytes(pdf)
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ClientError(f"无法保存到“{target}”：{exc.strerror or exc}。请换一个文件夹再试") from exc
    return str(target)


def safe_file_name(title: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", title).strip("_") or "打印"


# -- settings: where the last printer is remembered --------------------------------------------------------

class _PrinterMemory:
    """``last_printer`` of the desk's settings (the running Desk when there is one, else the settings file)."""

    def __init__(self, desk: Any | None) -> None:
        self.desk = desk

    def last(self) -> str | None:
        if self.desk is not None:
            return self.desk.settings.last_printer
        from client.settings import load_settings  # noqa: PLC0415

        return load_settings().last_printer

    def remember(self, name: str) -> Callable[[], None]:
        """Record ``name`` now (in memory); the returned function writes the file (call it on a worker)."""
        from client.settings import load_settings, save_settings  # noqa: PLC0415

        if self.desk is not None:
            self.desk.settings = dataclasses.replace(self.desk.settings, last_printer=name)
            settings = self.desk.settings
            return lambda: save_settings(settings)
        return lambda: save_settings(dataclasses.replace(load_settings(), last_printer=name))


def _find_desk(widget: QWidget | None) -> Any | None:
    while widget is not None:
        desk = getattr(widget, "desk", None)
        if desk is not None and hasattr(desk, "settings"):
            return desk
        widget = widget.parentWidget()
    return None


# -- Qt's own dialog texts in Chinese ----------------------------------------------------------------------

_translator: QTranslator | None = None


def install_qt_translations() -> None:
    """Qt's standard dialogs (the preview toolbar's tooltips, the file dialog) in Chinese; once per program."""
    global _translator
    if _translator is not None:
        return
    translator = QTranslator(QCoreApplication.instance())
    if translator.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        QCoreApplication.installTranslator(translator)
    _translator = translator


# -- the preview -------------------------------------------------------------------------------------------

class PrintPreview(QPrintPreviewDialog):
    """The document's pages as they will print, with the printer list, 份数, 打印, 另存为PDF."""

    printed = Signal(str)   # the printer's name, once the job was handed to it
    saved = Signal(str)     # the file the PDF was saved to

    def __init__(self, parent: QWidget | None, pdf: bytes, title: str, desk: Any | None = None) -> None:
        install_qt_translations()
        document, buffer = load_pdf(pdf)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # the preview needs no printer driver
        printer.setFullPage(True)
        printer.setPageLayout(page_layout(document))
        super().__init__(printer, parent)
        self._document, self._buffer = document, buffer
        self._printer = printer  # the dialog does not own it
        self.pdf = pdf
        self.title = title
        self.memory = _PrinterMemory(desk if desk is not None else _find_desk(parent))
        self.page_count = self._document.pageCount()
        self.setObjectName("printPreview")
        note = f"（共{self.page_count}页" + (f"，预览前{MAX_PREVIEW_PAGES}页，打印时打印全部）" if
                                            self.page_count > MAX_PREVIEW_PAGES else "）")
        self.setWindowTitle(f"打印预览 — {title}{note}")
        self.resize(1180, 760)   # the whole toolbar: 份数, 打印, 另存为PDF, 关闭 not hidden behind its "»"
        self.paintRequested.connect(self._paint)
        self._build_toolbar()
        self.finished.connect(self._release)
        Op(self, self._printers_and_last).success(self._show_printers).failure(self._no_printers).run()

    # -- toolbar ----------------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        toolbar = self.findChild(QToolBar)
        actions = [a for a in toolbar.actions() if not a.isSeparator()]
        # Qt's own 打印 / 页面设置 / 纵向 / 横向 print through its own path and change a fixed layout: hidden.
        for action in actions[-2:] + [a for a in actions if a.text() in ("Portrait", "Landscape", "纵向", "横向")]:
            action.setVisible(False)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" 打印机："))
        self.printer_box = QComboBox()
        self.printer_box.setObjectName("printerBox")
        self.printer_box.setMinimumWidth(220)
        self.printer_box.addItem("正在查找打印机…")
        self.printer_box.setEnabled(False)
        toolbar.addWidget(self.printer_box)
        toolbar.addWidget(QLabel(" 份数："))
        self.copies_box = QSpinBox()
        self.copies_box.setObjectName("copiesBox")
        self.copies_box.setRange(1, 99)
        toolbar.addWidget(self.copies_box)
        self.print_action = toolbar.addAction("打印")
        self.print_action.setObjectName("printAction")
        self.print_action.setEnabled(False)
        self.print_action.triggered.connect(lambda: self.print_now())
        self.save_action = toolbar.addAction("另存为PDF")
        self.save_action.setObjectName("saveAction")
        self.save_action.triggered.connect(lambda: self.ask_save())
        close = toolbar.addAction("关闭")
        close.triggered.connect(self.reject)
        self.status = QLabel("")
        self.status.setObjectName("printStatus")
        self.status.setContentsMargins(8, 2, 8, 4)
        self.layout().addWidget(self.status)   # under the pages: in the toolbar it would push 打印 out of sight

    def _printers_and_last(self) -> tuple[list[str], str, str | None]:
        names, default = available_printers()
        return names, default, self.memory.last()

    def _show_printers(self, found: tuple[list[str], str, str | None]) -> None:
        names, default, last = found
        self.printer_box.clear()
        if not names:
            self.printer_box.addItem(NO_PRINTER)
            self.status.setText(" 未找到打印机，可另存为PDF")
            return
        self.printer_box.addItems(names)
        chosen = last if last in names else default if default in names else names[0]
        self.printer_box.setCurrentText(chosen)
        self.printer_box.setEnabled(True)
        self.print_action.setEnabled(True)

    def _no_printers(self, exc: BaseException) -> None:
        log.warning("listing printers failed: %r", exc)
        self._show_printers(([], "", None))

    # -- pages ------------------------------------------------------------------------------------

    def _paint(self, printer: QPrinter) -> None:
        paint_pages(printer, self._document, PREVIEW_DPI, last=MAX_PREVIEW_PAGES)

    def _release(self) -> None:
        document, buffer = self._document, self._buffer
        self._document = self._buffer = None
        if document is not None:
            document.close()
            document.deleteLater()
        if buffer is not None:
            buffer.deleteLater()

    # -- actions ----------------------------------------------------------------------------------

    def selected_printer(self) -> str | None:
        name = self.printer_box.currentText()
        return name if self.printer_box.isEnabled() and name and name != NO_PRINTER else None

    def print_now(self, method: str = "auto") -> Op | None:
        name = self.selected_printer()
        if name is None:
            QMessageBox.information(self, "打印", NO_PRINTER_MESSAGE)
            return None
        write_settings = self.memory.remember(name)
        copies = self.copies_box.value()
        pdf, title = self.pdf, self.title

        def job(op_cancel: threading.Event) -> str:
            write_settings()
            return print_pdf(pdf, name, copies, title, method, op_cancel)

        self.print_action.setEnabled(False)
        self.status.setText(f" 正在发送到“{name}”…")
        op = Op(self, lambda: job(op.cancel_event))
        op.success(lambda _job: self._printed(name)).failure(self._print_failed)
        # not cancellable: ui.ops drops the result of a cancellable op when its progress dialog closes
        op.with_progress(f"正在打印（共{self.page_count}页）…").run()
        return op

    def _printed(self, name: str) -> None:
        self.status.setText(f" 已发送到“{name}”")
        self.printed.emit(name)
        self.accept()

    def _print_failed(self, exc: BaseException) -> None:
        from ui.errors import show_error  # noqa: PLC0415

        self.print_action.setEnabled(True)
        self.status.setText("")
        show_error(self, exc)

    def ask_save(self) -> None:
        documents = Path.home() / "Documents"
        folder = documents if documents.is_dir() else Path.home()
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        path, _ = QFileDialog.getSaveFileName(self, "另存为PDF", str(folder / f"{safe_file_name(self.title)}-{stamp}.pdf"),
                                              "PDF 文件 (*.pdf)")
        if path:
            self.save_to(path if path.lower().endswith(".pdf") else path + ".pdf")

    def save_to(self, path: str) -> Op:
        return Op(self, write_pdf, path, self.pdf).success(self._saved).run()

    def _saved(self, path: str) -> None:
        self.status.setText(f" 已保存：{path}")
        self.saved.emit(path)


# -- entry points for the module tabs ----------------------------------------------------------------------

def print_document(parent: QWidget | None, pdf_bytes: bytes, title: str, desk: Any | None = None) -> PrintPreview:
    """Show the print preview of ``pdf_bytes`` (made by ``printing``): the clerk prints it on a local printer
    or saves it as PDF. Returns the (window-modal, already open) dialog."""
    dialog = PrintPreview(parent, pdf_bytes, title, desk)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def build_pdf(build: Callable[..., bytes], *args: Any) -> bytes:
    """Run a ``printing`` document function; its refusals (a character no font has, a slip the bank cannot
    verify) become errors the clerk reads."""
    from printing.fonts import PrintingError  # noqa: PLC0415

    try:
        return build(*args)
    except PrintingError as exc:
        raise ClientError(exc.message) from exc


def print_later(parent: QWidget, build: Callable[..., bytes], title: str, *args: Any) -> Op:
    """Build the document in the background (a 100,000-row roster takes seconds), then preview it."""
    return (Op(parent, build_pdf, build, *args)
            .success(lambda pdf: print_document(parent, pdf, title))
            .with_progress("正在生成打印文件…")
            .run())

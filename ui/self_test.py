"""``gjj-desk --self-test``: proves an installed client (also the frozen bundle) works on this PC, without a
display or a login. It starts Qt offscreen, loads the embedded font and renders a 汇补缴书, loads PyKCS11 and
the configured UKey driver (in the token process, as the desk does), opens the slip with QtPdf and renders its
page, and lists the printers. One line on stdout (or in <log dir>/self-test.txt when there is no console, as
with the Windows bundle); exit status 0 when every step passed, 1 otherwise.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

REPORT_FILE = "self-test.txt"


class StepFailed(Exception):
    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}：{reason}")


def run() -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt loads: never needs a display
    found: list[str] = []
    try:
        pdf = _font_and_slip(found)
        _ukey_driver(found)
        _qtpdf(pdf, found)
        _printers(found)
    except StepFailed as exc:
        return _report(f"gjj-desk 自检失败：{exc}", 1)
    return _report("gjj-desk 自检通过：" + "；".join(found), 0)


def _step(name: str):
    """Run a step; any error becomes StepFailed naming the step (the one line says where it broke)."""
    def wrap(fn):
        def run_step(*args):
            try:
                return fn(*args)
            except StepFailed:
                raise
            except Exception as exc:  # noqa: BLE001 - reported, not raised: this is the self-test
                reason = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
                raise StepFailed(name, reason) from exc
        return run_step
    return wrap


@_step("打印字体与汇补缴书")
def _font_and_slip(found: list[str]) -> bytes:
    from printing import font_set, remittance_slip  # noqa: PLC0415
    from printing.fonts import PRIMARY_FONT_LABEL  # noqa: PLC0415
    from printing.samples import context, remittance_slip_data  # noqa: PLC0415

    fonts = font_set()
    pdf = remittance_slip(remittance_slip_data(), context())
    found.append(f"字体 {PRIMARY_FONT_LABEL}（{len(fonts.primary.chars)}字）")
    found.append(f"汇补缴书 {len(pdf) // 1024} KB")
    return pdf


@_step("UKey驱动")
def _ukey_driver(found: list[str]) -> None:
    import PyKCS11  # noqa: PLC0415 - the wrapper's C extension must be in the bundle

    from client.settings import load_settings  # noqa: PLC0415

    PyKCS11.PyKCS11Lib()
    module = load_settings().pkcs11_module
    if not module:
        found.append("PyKCS11 已加载（未配置UKey驱动）")
        return
    if not Path(module).is_file():
        raise StepFailed("UKey驱动", f"找不到 {module}，请在【服务器设置】中选择UKey厂商的PKCS#11驱动")
    from hsm import TokenClient  # noqa: PLC0415

    token = TokenClient(module, call_timeout=20)
    try:
        tokens = token.list_tokens()  # loads the driver in the token process, as the desk does
    finally:
        token.close()
    found.append(f"UKey驱动 {Path(module).name} 已加载（{len(tokens)}个UKey）")


@_step("QtPdf")
def _qtpdf(pdf: bytes, found: list[str]) -> None:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize  # noqa: PLC0415
    from PySide6.QtGui import QGuiApplication, QImage  # noqa: PLC0415
    from PySide6.QtPdf import QPdfDocument  # noqa: PLC0415

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(None)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise StepFailed("QtPdf", f"无法打开汇补缴书（{document.status().name}）")
    image = document.render(0, QSize(298, 421)).convertToFormat(QImage.Format.Format_Grayscale8)
    dark = sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
               if image.pixelColor(x, y).value() < 128)
    pages = document.pageCount()
    document.close()
    if dark < 200:
        raise StepFailed("QtPdf", "渲染出的页面是空白的")
    found.append(f"QtPdf 渲染 {pages}页")
    del app


@_step("打印机")
def _printers(found: list[str]) -> None:
    from PySide6.QtPrintSupport import QPrinterInfo  # noqa: PLC0415

    names = QPrinterInfo.availablePrinterNames()
    found.append(f"打印机 {len(names)}台" + (f"（默认：{QPrinterInfo.defaultPrinterName()}）"
                                          if QPrinterInfo.defaultPrinterName() else ""))


def _report(line: str, status: int) -> int:
    if sys.stdout is not None:
        print(line, flush=True)
    else:  # a windowed executable has no console
        from client.settings import app_dirs  # noqa: PLC0415

        (app_dirs().log / REPORT_FILE).write_text(line + "\n", encoding="utf-8")
    return status

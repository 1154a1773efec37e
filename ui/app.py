"""``gjj-desk``: the clerk's desktop client. Without a sub-command it opens the login window.

Start-up is kept lean (a benchmark compares it with a bare QMainWindow): the HTTP client, cryptography,
keyring and the main window are imported when first needed, and the token process starts after the
login window is on screen. ``GJJ_DESK_EXIT_AFTER_SHOWN=1`` quits as soon as the login window is shown.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable
from pathlib import Path

APP_NAME = "gjj-desk"
ORGANISATION = "住房公积金管理中心"
EXIT_AFTER_SHOWN_ENV = "GJJ_DESK_EXIT_AFTER_SHOWN"
FONT_FAMILIES = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei",
                 "Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "sans-serif"]

# Sub-commands plug in here: each registers itself on the sub-parser and sets ``func(args) -> int``.
SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []

from ui import cli_batch  # noqa: E402  (argparse only; the engine is imported when a command runs)

SUBCOMMANDS.append(cli_batch.register)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=APP_NAME, description="住房公积金单位网上服务大厅 桌面客户端（不带命令时打开登录窗口）")
    parser.add_argument("--self-test", action="store_true",
                        help="自检（无需显示器与登录）：字体与汇补缴书、UKey驱动、QtPdf、打印机；输出一行结果，通过时退出码为0")
    if SUBCOMMANDS:
        sub = parser.add_subparsers(dest="command", metavar="命令")
        for register in SUBCOMMANDS:
            register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()  # the token process is a child of this program (also when frozen)
    argv = sys.argv[1:] if argv is None else list(argv)
    args, qt_args = build_parser().parse_known_args(argv)
    if args.self_test:
        from ui.self_test import run as self_test  # noqa: PLC0415

        return self_test()
    func = getattr(args, "func", None)
    if func is not None:
        return int(func(args) or 0)
    return run_gui(qt_args)


def resources_dir() -> Path:
    import resources  # noqa: PLC0415

    return Path(resources.__file__).parent


LOG_FILE = "gjj-desk.log"
LOG_MAX_BYTES = 2_000_000


def setup_logging(log_dir: Path) -> None:
    """Log to log_dir/gjj-desk.log; a file grown past 2 MB is moved to gjj-desk.log.1 at start-up (plain
    FileHandler: logging.handlers costs 13 ms of start-up for socket/pickle/queue)."""
    path = log_dir / LOG_FILE
    try:
        if path.stat().st_size > LOG_MAX_BYTES:
            os.replace(path, path.with_name(LOG_FILE + ".1"))
    except OSError:
        pass
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def route_qt_messages() -> None:
    """Qt's own warnings (no sound device, an unknown font…) go to the log file, not to the terminal."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler  # noqa: PLC0415

    qt_log = logging.getLogger("qt")
    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}

    def handler(kind, context, message) -> None:
        qt_log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def apply_look(app) -> None:
    """Fusion style, the CJK font, the style sheet."""
    from PySide6.QtGui import QFont  # noqa: PLC0415

    app.setStyle("Fusion")
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(10)
    app.setFont(font)
    _add_bundled_fonts()
    qss = resources_dir() / "style.qss"
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))


def _add_bundled_fonts() -> None:
    """The CJK font shipped in resources/fonts (for PCs without one); skipped when the system has one."""
    fonts = resources_dir() / "fonts"
    if not fonts.is_dir():
        return
    from PySide6.QtGui import QFontDatabase  # noqa: PLC0415

    if any(QFontDatabase.hasFamily(f) for f in FONT_FAMILIES[:-1]):
        return
    for path in sorted(fonts.glob("*.tt[fc]")):
        QFontDatabase.addApplicationFont(str(path))


def run_gui(qt_args: list[str]) -> int:
    from PySide6.QtCore import QTimer  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from client.settings import app_dirs, load_settings  # noqa: PLC0415

    dirs = app_dirs()
    setup_logging(dirs.log)
    route_qt_messages()
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    apply_look(app)

    from hsm import TokenClient  # noqa: PLC0415
    from ui.desk import Desk  # noqa: PLC0415

    settings = load_settings()
    desk = Desk(settings, TokenClient(settings.pkcs11_module))
    if os.environ.get(EXIT_AFTER_SHOWN_ENV) == "1":
        desk.show_login()
        QTimer.singleShot(0, app.quit)
        return app.exec()
    desk.start()
    app.aboutToQuit.connect(desk.shutdown)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())

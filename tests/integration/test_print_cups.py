"""Printing through a real CUPS scheduler: a private cupsd (its own config, spool and Unix socket in a temporary
directory) with file-backed PDF queues. The job arrives, and pdftotext of what the printer got says the unit
name and the amount in capitals. Also the Windows path (QtPdf pages onto a QPrinter for the queue) and the
preview's 打印 end to end. CI installs cups (scripts/setup.sh); these tests start their own scheduler."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from printing import remittance_slip, samples
from printing.documents import query_report

ROOT = Path(__file__).resolve().parents[2]
PDF_PPD = Path("/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd")
CAPITALS = "人民币壹佰零叁万零贰拾元伍角整"


class PrivateCups:
    """cupsd on DIR/cups.sock; queues write to DIR/out/<queue>.prn."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="gjj-cups-"))
        self.dir.chmod(0o755)
        for sub in ("etc", "spool", "tmp", "cache", "state", "log", "out"):
            (self.dir / sub).mkdir()
        (self.dir / "out").chmod(0o777)  # the backend writes as the scheduler's user
        (self.dir / "spool").chmod(0o777)
        (self.dir / "tmp").chmod(0o1777)
        self.socket = self.dir / "cups.sock"
        user, group = ("lp", "lp") if os.geteuid() == 0 else (_me(), _my_group())
        (self.dir / "etc" / "cups-files.conf").write_text(textwrap.dedent(f"""\
            FileDevice Yes
            ServerRoot {self.dir}/etc
            RequestRoot {self.dir}/spool
            TempDir {self.dir}/tmp
            CacheDir {self.dir}/cache
            StateDir {self.dir}/state
            AccessLog {self.dir}/log/access_log
            ErrorLog {self.dir}/log/error_log
            PageLog {self.dir}/log/page_log
            ServerBin /usr/lib/cups
            DataDir /usr/share/cups
            User {user}
            Group {group}
            SystemGroup root
            """))
        (self.dir / "etc" / "cupsd.conf").write_text(textwrap.dedent(f"""\
            Listen {self.socket}
            Browsing No
            DefaultAuthType None
            WebInterface No
            LogLevel warn
            <Location />
              Order allow,deny
              Allow all
            </Location>
            <Policy default>
              <Limit All>
                Order allow,deny
                Allow all
              </Limit>
            </Policy>
            """))
        self.env = {**os.environ, "CUPS_SERVER": str(self.socket)}
        self.process = subprocess.Popen(
            ["/usr/sbin/cupsd", "-f", "-c", str(self.dir / "etc" / "cupsd.conf"),
             "-s", str(self.dir / "etc" / "cups-files.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"private cupsd did not start: {self.log()}")
            time.sleep(0.1)

    def _answers(self) -> bool:
        if not self.socket.exists():
            return False
        return subprocess.run(["lpstat", "-r"], env=self.env, capture_output=True).returncode == 0

    def add_queue(self, name: str) -> Path:
        out = self.dir / "out" / f"{name}.prn"
        model = ["-P", str(PDF_PPD)] if PDF_PPD.exists() else ["-m", "lsb/usr/cupsfilters/Generic-PDF_Printer-PDF.ppd"]
        subprocess.run(["lpadmin", "-p", name, "-E", "-v", f"file://{out}", *model], env=self.env, check=True,
                       capture_output=True)
        subprocess.run(["cupsenable", name], env=self.env, check=True, capture_output=True)
        subprocess.run(["cupsaccept", name], env=self.env, check=True, capture_output=True)
        return out

    def wait_done(self, queue: str, out: Path, timeout: float = 60) -> bytes:
        """The PDF the printer received, once no job is left on ``queue``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pending = subprocess.run(["lpstat", "-o", queue], env=self.env, capture_output=True, text=True).stdout
            if not pending.strip() and out.exists() and b"%%EOF" in out.read_bytes():
                return printed_pdf(out.read_bytes())
            time.sleep(0.2)
        raise AssertionError(f"no output from {queue}: {self.log()}")

    def completed(self, queue: str) -> list[str]:
        return subprocess.run(["lpstat", "-W", "completed", "-o", queue], env=self.env, capture_output=True,
                              text=True).stdout.splitlines()

    def log(self) -> str:
        path = self.dir / "log" / "error_log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def _me() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


def _my_group() -> str:
    import grp

    return grp.getgrgid(os.getegid()).gr_name


def printed_pdf(data: bytes) -> bytes:
    """The printer's data is PJL-wrapped PDF: cut from %PDF to the last %%EOF."""
    start = data.index(b"%PDF")
    end = data.rindex(b"%%EOF") + len(b"%%EOF")
    return data[start:end]


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def pdf_pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@pytest.fixture(scope="module")
def cups():
    server = PrivateCups()
    saved = os.environ.get("CUPS_SERVER")
    os.environ["CUPS_SERVER"] = str(server.socket)  # lp (and libcups in new threads) use the private scheduler
    yield server
    if saved is None:
        os.environ.pop("CUPS_SERVER", None)
    else:
        os.environ["CUPS_SERVER"] = saved
    server.stop()


@pytest.fixture(scope="module")
def slip_pdf() -> bytes:
    return remittance_slip(samples.remittance_slip_data(), samples.context())


def test_the_slip_sent_as_pdf_arrives_with_unit_name_and_capitals(cups, slip_pdf):
    from ui.printing_dialogs import print_pdf

    out = cups.add_queue("gjj-lp")
    job = print_pdf(slip_pdf, "gjj-lp", copies=1, title="汇补缴书", method="cups")
    assert job.startswith("gjj-lp-")
    received = cups.wait_done("gjj-lp", out)
    text = re.sub(r"\s+", "", pdf_text(received))
    assert text.count("示范市智联科技有限公司") == 2  # both copies
    assert text.count(CAPITALS) == 2
    assert "验证码：8F3K2Q7M" in text
    assert any(job in line for line in cups.completed("gjj-lp"))


def test_a_multi_page_report_arrives_whole(cups):
    from ui.printing_dialogs import print_pdf

    out = cups.add_queue("gjj-report")
    pdf = query_report("employees", samples.employees(80), samples.context())
    print_pdf(pdf, "gjj-report", method="cups")
    received = cups.wait_done("gjj-report", out)
    assert pdf_pages(received) == pdf_pages(pdf) > 1
    assert "缴存人账户信息查询" in pdf_text(received)


def test_an_unknown_printer_is_refused_with_a_message(cups, slip_pdf):
    from ui.printing_dialogs import PrintFailed, print_pdf

    with pytest.raises(PrintFailed, match="拒绝了打印任务"):
        print_pdf(slip_pdf, "no-such-printer", method="cups")


QT_PRINT = """
import sys
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinterInfo
app = QGuiApplication(sys.argv[:1])
assert "gjj-qt" in QPrinterInfo.availablePrinterNames(), QPrinterInfo.availablePrinterNames()
from ui.printing_dialogs import print_pdf
print_pdf(open(sys.argv[1], "rb").read(), "gjj-qt", copies=1, title="汇补缴书", method="qt")
"""


def test_the_qt_path_renders_the_pages_onto_a_qprinter_for_the_queue(cups, slip_pdf, tmp_path):
    """What Windows does (no lp there): QtPdf renders each page onto a QPrinter for the chosen printer. A fresh
    process, so that Qt's CUPS support starts with the private scheduler."""
    out = cups.add_queue("gjj-qt")
    source = tmp_path / "slip.pdf"
    source.write_bytes(slip_pdf)
    env = {**cups.env, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", QT_PRINT, str(source)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    received = cups.wait_done("gjj-qt", out)
    assert pdf_pages(received) == 1
    images = subprocess.run(["pdfimages", "-list", "-"], input=received, capture_output=True, check=True).stdout
    assert len(images.decode().splitlines()) >= 3  # header lines + the page image
    pgm = subprocess.run(["pdftoppm", "-r", "30", "-gray", "-"], input=received, capture_output=True,
                         check=True).stdout
    pixels = pgm.split(b"\n", 3)[3]                       # P5, width height, 255, then one byte a pixel
    dark = sum(1 for value in pixels if value < 128)
    white = sum(1 for value in pixels if value > 230)
    assert dark > 300                        # text and rules: the page is not blank
    assert white > len(pixels) * 0.7         # on white paper (a transparent page once printed all black)


def test_the_preview_lists_the_queue_and_prints_to_it(cups, slip_pdf, qtbot, qapp):
    """The clerk's path: print_document → the preview lists the CUPS queues → 打印 → the job arrives."""
    import ui.printing_dialogs as pd
    from client.settings import Settings
    from tests.gui.support import wait_ops

    out = cups.add_queue("gjj-desk")

    class Desk:
        settings = Settings(last_printer="gjj-desk")

    dialog = pd.print_document(None, slip_pdf, "汇补缴书", desk=Desk())
    qtbot.waitUntil(lambda: dialog.print_action.isEnabled(), timeout=15000)
    assert dialog.printer_box.currentText() == "gjj-desk"
    dialog.print_action.trigger()
    wait_ops(qapp, timeout=60)
    received = cups.wait_done("gjj-desk", out)
    assert CAPITALS in re.sub(r"\s+", "", pdf_text(received))

"""Looking at a file before python-calamine reads it: is it a spreadsheet at all, encrypted, corrupt, a zip
bomb? And, for .xlsx, what calamine does not tell: hidden rows and formulas without a cached value in the
data sheet. Everything here reads in bounded chunks; nothing is decompressed beyond its declared size.

The .xlsx check inflates every member itself (raw deflate from the local header) so that a member whose
declared size lies is caught before calamine trusts it; the data sheet's XML is scanned on the way."""
from __future__ import annotations

import codecs
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from xml.etree import ElementTree

from .problems import WorkbookRefused

MAX_FILE_BYTES = 256 * 2**20          # a 200,000-row workbook is ~20 MB
MAX_MEMBERS = 10_000
MAX_CENTRAL_DIRECTORY = 8 * 2**20
MAX_MEMBER_BYTES = 256 * 2**20        # declared uncompressed size of one part
MAX_TOTAL_BYTES = 512 * 2**20         # … and of all parts
MAX_RATIO = 250                       # uncompressed / compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 2**20
MAX_ROW_CARRY = 32 * 2**20            # one row of sheet XML larger than this is not a clerk's row
MAX_SHEET_ROWS = 200_001 + 1_000      # rows a sheet may reach before calamine loads it (memory guard)
MAX_COLUMNS = 64                      # columns likewise (calamine allocates rows × columns)
CHUNK = 2**20
READ_CHUNK = 2**16                    # compressed bytes a read: zlib then never re-copies a long unconsumed tail
SNIFF = 512

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

NOT_SPREADSHEET = "该文件不是Excel工作簿，请选择从本系统下载并填写的模板文件（.xlsx或.xls）"
CORRUPT = "文件已损坏，无法读取：请用Excel打开后重新保存，再导入"
ENCRYPTED = "工作簿设置了打开密码，无法读取：请在Excel中取消密码（文件→信息→保护工作簿→用密码进行加密，清空密码）后再导入"
ZIP_BOMB = "文件内容异常（解压后体积远大于文件本身），已拒绝读取：请用Excel重新保存模板后再导入"
TOO_LARGE = f"文件过大（超过{MAX_FILE_BYTES // 2**20}MB），请分批导入"


@dataclass
class SheetScan:
    """What the data sheet's XML says that calamine does not (Excel row numbers, 0-based columns)."""
    hidden_rows: set[int] = field(default_factory=set)
    formula_cells: list[tuple[int, int]] = field(default_factory=list)
    max_row: int = 0
    max_col: int = 0


@dataclass
class Container:
    kind: str                          # "xlsx" or "xls"
    sheet: str | None = None           # the data sheet the scan is about
    scan: SheetScan | None = None      # None for .xls (calamine's merged ranges are all we have)


def inspect(path: str | Path, pick_sheet: Callable[[list[str]], str | None]) -> Container:
    """Refuse what is not a readable workbook; for .xlsx scan the sheet `pick_sheet(names)` chooses."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(SNIFF)
    except FileNotFoundError:
        raise WorkbookRefused("not_found", f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise WorkbookRefused("not_spreadsheet", f"“{path}”是文件夹，请选择Excel文件") from None
    except OSError as exc:
        raise WorkbookRefused("unreadable", f"无法打开文件：{exc.strerror or exc}") from None
    if size == 0:
        raise WorkbookRefused("empty_file", "文件是空的（0字节），请选择填写好的模板文件")
    if size > MAX_FILE_BYTES:
        raise WorkbookRefused("too_large", TOO_LARGE)
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return _inspect_zip(path, size, pick_sheet)
    if head.startswith(CFB_MAGIC):
        return _inspect_cfb(path)
    raise WorkbookRefused("not_spreadsheet", _not_spreadsheet_reason(head))


def _not_spreadsheet_reason(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return "该文件是PDF文档，不是Excel工作簿：请选择从本系统下载并填写的模板文件（.xlsx）"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<html", b"<!doctype", b"<?xml", b"<table", b"<meta")):
        return "该文件是网页或XML文件（只是扩展名为Excel），不是Excel工作簿：请在Excel中另存为.xlsx后再导入"
    if _looks_like_text(head):
        return "该文件是文本文件（如CSV），不是Excel工作簿：请把内容复制到本系统下载的模板中再导入"
    return NOT_SPREADSHEET


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False


# -- .xlsx ---------------------------------------------------------------------------------------------
def _inspect_zip(path: Path, size: int, pick_sheet: Callable[[list[str]], str | None]) -> Container:
    _check_end_of_central_directory(path, size)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise WorkbookRefused("corrupt", CORRUPT) from None
    with archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        _check_kind(names)
        if any(i.flag_bits & 0x1 for i in infos):
            raise WorkbookRefused("encrypted", ENCRYPTED)
        _check_declared_sizes(infos)
        sheets = _sheets(path, archive)
        sheet = pick_sheet([name for name, _ in sheets])
        target = dict(sheets).get(sheet) if sheet else None
        scan = SheetScan()
        with path.open("rb") as raw:
            for info in infos:
                if info.is_dir():
                    continue
                sink = _SheetScanner(scan) if info.filename == target else None
                _inflate(raw, info, sink)
                if sink:
                    sink.finish()
    _check_extent(scan)
    return Container("xlsx", sheet, scan)


def _check_end_of_central_directory(path: Path, size: int) -> None:
    """Before zipfile reads the directory into memory: how many entries and how big it says it is."""
    with path.open("rb") as f:
        tail_size = min(size, 22 + 65535)
        f.seek(size - tail_size)
        tail = f.read(tail_size)
    at = tail.rfind(EMPTY_ZIP_MAGIC)
    if at < 0 or len(tail) - at < 22:
        raise WorkbookRefused("corrupt", CORRUPT)
    entries, cd_size = struct.unpack("<HI", tail[at + 10:at + 16])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:   # zip64: zipfile reads the real numbers; check after
        return
    if entries > MAX_MEMBERS or cd_size > MAX_CENTRAL_DIRECTORY:
        raise WorkbookRefused("zip_bomb", ZIP_BOMB)


def _check_kind(names: set[str]) -> None:
    if "xl/workbook.xml" in names:
        return
    if "xl/workbook.bin" in names:
        raise WorkbookRefused("unsupported_format", "不支持Excel二进制工作簿（.xlsb）：请在Excel中另存为.xlsx后再导入")
    if "mimetype" in names and "content.xml" in names:
        raise WorkbookRefused("unsupported_format",
                              "不支持OpenDocument表格（.ods）：请在WPS或LibreOffice中另存为Excel工作簿（.xlsx）后再导入")
    if "word/document.xml" in names:
        raise WorkbookRefused("not_spreadsheet", "该文件是Word文档，不是Excel工作簿：请选择从本系统下载并填写的模板文件")
    if "ppt/presentation.xml" in names:
        raise WorkbookRefused("not_spreadsheet", "该文件是PowerPoint演示文稿，不是Excel工作簿：请选择从本系统下载并填写的模板文件")
    raise WorkbookRefused("not_spreadsheet", "该文件是压缩包，不是Excel工作簿：请选择从本系统下载并填写的模板文件（.xlsx）")


def _check_declared_sizes(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise WorkbookRefused("zip_bomb", ZIP_BOMB)
    total = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise WorkbookRefused("corrupt", CORRUPT)
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise WorkbookRefused("zip_bomb", ZIP_BOMB)
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise WorkbookRefused("zip_bomb", ZIP_BOMB)


_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _sheets(path: Path, archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """[(sheet name, part name)] in workbook order, from xl/workbook.xml and its relationships."""
    try:
        workbook = ElementTree.fromstring(_small_part(archive, "xl/workbook.xml"))
        rels_xml = _small_part(archive, "xl/_rels/workbook.xml.rels")
        rels = ElementTree.fromstring(rels_xml) if rels_xml else None
    except ElementTree.ParseError:
        raise WorkbookRefused("corrupt", CORRUPT) from None
    targets = {}
    if rels is not None:
        for rel in rels:
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[rel.get("Id")] = _resolve(target)
    result = []
    for element in workbook.iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet":
            result.append((element.get("name", ""), targets.get(element.get(f"{_REL_NS}id"), "")))
    return result


def _resolve(target: str) -> str:
    parts: list[str] = []
    for part in target.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return b""
    if info.file_size > 16 * 2**20:
        raise WorkbookRefused("zip_bomb", ZIP_BOMB)
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
        raise WorkbookRefused("corrupt", CORRUPT) from None


def _inflate(raw, info: zipfile.ZipInfo, sink: "_SheetScanner | None") -> None:
    """Decompress one member from its local header in bounded pieces; refuse it if it yields more than
    its declared size (a lying header) or ends early (corrupt)."""
    raw.seek(info.header_offset)
    header = raw.read(30)
    if len(header) < 30 or header[:4] != ZIP_MAGIC:
        raise WorkbookRefused("corrupt", CORRUPT)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    raw.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    produced = 0
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    try:
        while left > 0:
            chunk = raw.read(min(READ_CHUNK, left))
            if not chunk:
                raise WorkbookRefused("corrupt", CORRUPT)
            left -= len(chunk)
            while chunk:
                if inflater is None:
                    data, chunk = chunk, b""
                else:
                    data = inflater.decompress(chunk, CHUNK)
                    chunk = inflater.unconsumed_tail
                produced += len(data)
                if produced > info.file_size:
                    raise WorkbookRefused("zip_bomb", ZIP_BOMB)
                if sink is not None and data:
                    sink.feed(data)
        if inflater is not None:
            tail = inflater.flush()
            produced += len(tail)
            if sink is not None and tail:
                sink.feed(tail)
            if not inflater.eof:
                raise WorkbookRefused("corrupt", CORRUPT)
    except zlib.error:
        raise WorkbookRefused("corrupt", CORRUPT) from None
    if produced != info.file_size:
        raise WorkbookRefused("zip_bomb" if produced > info.file_size else "corrupt",
                              ZIP_BOMB if produced > info.file_size else CORRUPT)


def _check_extent(scan: SheetScan) -> None:
    if scan.max_row > MAX_SHEET_ROWS:
        raise WorkbookRefused("too_many_rows", too_many_rows_message())
    if scan.max_col > MAX_COLUMNS:
        raise WorkbookRefused("too_many_columns",
                              f"工作表第{MAX_COLUMNS}列以后还有内容，超出模板范围：请删除模板以外各列中的内容后再导入")


def too_many_rows_message(limit: int = 200_000) -> str:
    return f"数据超过{limit}行（一次最多导入{limit}行）：请分成多个文件导入"


# -- the data sheet's XML --------------------------------------------------------------------------------
_ROW_END = b"row>"
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_HIDDEN = re.compile(rb"""hidden\s*=\s*["'](?:1|true)["']""")
_PREFIXED = re.compile(rb"<\w+:worksheet\b")
_PAST_Z = re.compile(rb'r="[A-Z]{2}')                    # a cell reference of two letters or more
_PLAIN_FORMULA = re.compile(rb"<f[\s>/]")                  # _FORMULA without a prefix: a literal to look for
_R_ATTR = re.compile(rb"""\br\s*=\s*["']([A-Z]*)(\d+)["']""")
_WIDE_CELL = re.compile(rb"""<(?:\w+:)?c\s+r=["']([A-Z]{2,3})\d""")
_CELL = re.compile(rb"<((?:\w+:)?)c\b([^>]*?)(?:/>|>(.*?)</\1c>)", re.DOTALL)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_TYPE_ATTR = re.compile(rb"""\bt\s*=\s*["'](\w+)["']""")
_LAST_CELL = re.compile(rb"""<(?:\w+:)?c\s+r=["']([A-Z]+)(\d+)["']""")


def column_index(letters: bytes | str) -> int:
    """0-based: A → 0, Z → 25, AA → 26."""
    index = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        index = index * 26 + ord(ch) - 64
    return index - 1


class _SheetScanner:
    """Fed the sheet XML in pieces; cuts at row ends so that a cell is never split. The common case (no
    hidden row, no formula, nothing past column Z) costs a few C-speed searches per megabyte, run on the
    piece in place (positions, not slices: copying 36 MB of XML twice cost more than searching it)."""

    def __init__(self, scan: SheetScan) -> None:
        self.scan = scan
        self.carry = b""
        self.prefixed: bool | None = None      # elements written as <x:c> (OpenXML SDK) rather than <c>

    def feed(self, data: bytes) -> None:
        if self.prefixed is None:
            self.prefixed = bool(_PREFIXED.search((self.carry + data[:4096])[:4096]))
        cut = data.rfind(_ROW_END)
        if cut < 0:
            if len(self.carry) + len(data) > MAX_ROW_CARRY:
                raise WorkbookRefused("corrupt", "工作表中有一行内容异常庞大，无法读取：请用Excel重新保存后再导入")
            self.carry += data
            return
        cut += len(_ROW_END)
        start = 0
        if self.carry:                          # the row the previous piece cut: finish it on its own
            start = data.find(_ROW_END) + len(_ROW_END)
            head = self.carry + data[:start]
            self._process(head, 0, len(head))
        if start < cut:
            self._process(data, start, cut)
        self.carry = data[cut:]

    def finish(self) -> None:
        if self.carry:
            self._process(self.carry, 0, len(self.carry))
            self.carry = b""

    def _process(self, part: bytes, start: int, end: int) -> None:
        """part[start:end]: whole rows."""
        scan, prefixed = self.scan, self.prefixed
        if _HIDDEN.search(part, start, end):
            for tag in _ROW_TAG.finditer(part, start, end):
                attrs = tag.group(1)
                if _HIDDEN.search(attrs):
                    r = _R_ATTR.search(attrs)
                    if r:
                        scan.hidden_rows.add(int(r.group(2)))
        # the last cell holding a value (cells with a style only do not extend calamine's range)
        valued = max(part.rfind(b"</v>", start, end), part.rfind(b"</is>", start, end))
        if prefixed:
            valued = max(valued, part.rfind(b":v>", start, end), part.rfind(b":is>", start, end))
        last = max(part.rfind(b"<c ", start, valued), part.rfind(b":c ", start, valued) if prefixed else -1) \
            if valued > start else -1
        if last >= 0:
            m = _LAST_CELL.match(part, last if part[last] == 60 else part.rfind(b"<", start, last))
            if m:
                scan.max_row = max(scan.max_row, int(m.group(2)))
                scan.max_col = max(scan.max_col, column_index(m.group(1)) + 1)
        if _PAST_Z.search(part, start, end):                         # a column past Z somewhere
            for m in _WIDE_CELL.finditer(part, start, end):
                scan.max_col = max(scan.max_col, column_index(m.group(1)) + 1)
        if _PLAIN_FORMULA.search(part, start, end) or prefixed and (
                part.find(b":f>", start, end) >= 0 or part.find(b":f ", start, end) >= 0):
            self._formulas(part, start, end)

    def _formulas(self, part: bytes, start: int, end: int) -> None:
        for cell in _CELL.finditer(part, start, end):
            inner = cell.group(3)
            if not inner or not _FORMULA.search(inner):
                continue
            value = _VALUE.search(inner)
            if value and value.group(1):
                continue
            kind = _TYPE_ATTR.search(cell.group(2))
            if value and kind and kind.group(1) in (b"str", b"inlineStr"):
                continue                            # a formula whose cached result is the empty text
            ref = _R_ATTR.search(cell.group(2))
            if ref and ref.group(1):
                self.scan.formula_cells.append((int(ref.group(2)), column_index(ref.group(1))))


# -- .xls and encrypted .xlsx (both are OLE compound files) ----------------------------------------------
def _inspect_cfb(path: Path) -> Container:
    """An encrypted .xlsx is a compound file holding an "EncryptedPackage" stream; an .xls holds a
    "Workbook" (or "Book") stream. Stream names are UTF-16LE in the directory sectors: search for them
    in bounded chunks rather than parsing the whole container."""
    wanted = {name: name.encode("utf-16-le") for name in ("EncryptedPackage", "Workbook", "Book", "WordDocument")}
    found = set()
    overlap = max(len(v) for v in wanted.values())
    previous = b""
    with path.open("rb") as f:
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                break
            window = previous + chunk
            for name, needle in wanted.items():
                if name not in found and needle in window:
                    found.add(name)
            previous = window[-overlap:]
    if "EncryptedPackage" in found:
        raise WorkbookRefused("encrypted", ENCRYPTED)
    if "Workbook" in found or "Book" in found:
        return Container("xls")
    if "WordDocument" in found:
        raise WorkbookRefused("not_spreadsheet", "该文件是Word文档，不是Excel工作簿：请选择从本系统下载并填写的模板文件")
    raise WorkbookRefused("not_spreadsheet", NOT_SPREADSHEET)

"""The fonts printed documents use: WenQuanYi Micro Hei embedded from resources/fonts (so a PC without a CJK
font prints the same), fallback fonts for characters it lacks, and the coverage check.

reportlab draws a character its font lacks as blank, silently. A name printed with a blank is worse than no
slip, so every text is checked before drawing: a character the primary font lacks is drawn from the first
fallback font that has it (system fonts known to cover rare characters, e.g. SimSun-ExtB on Windows,
HanaMinB on Linux); a character no font has stops the document with a Chinese message
naming it (``UnprintableText``), before anything reaches a printer.
"""
from __future__ import annotations

import hashlib
import os
import sys
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PRIMARY_FONT_FILE = "wqy-microhei.ttc"
PRIMARY_FONT_LABEL = "WenQuanYi Micro Hei"
PRIMARY = "GJJ-WQYMicroHei"
FALLBACK_FONTS_ENV = "GJJ_PRINT_FALLBACK_FONTS"  # extra TrueType fonts (paths, os.pathsep-separated), tried first
MAX_LISTED = 8  # characters named in one message

# Fonts known to carry characters WenQuanYi lacks (CJK Extension B names such as 𠮷, symbols), tried in order.
# Only TrueType outlines work in reportlab (OTF/CFF fonts such as Noto CJK fail), so only such files are listed.
_WINDOWS_FALLBACKS = ("simsunb.ttf", "mingliub.ttc", "simsun.ttc", "msyh.ttc", "seguisym.ttf", "arialuni.ttf")
_UNIX_FALLBACKS = (
    "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
    "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
)


class PrintingError(Exception):
    """A document cannot be printed; ``message`` is a Chinese sentence for the clerk."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class MissingChar:
    char: str
    where: str  # e.g. "第3行 姓名“𠮷祥”"

    @property
    def code(self) -> str:
        return f"U+{ord(self.char):04X}"


class UnprintableText(PrintingError):
    """Characters no available font can draw. ``missing`` names each (character, where it occurs)."""

    def __init__(self, missing: list[MissingChar]) -> None:
        self.missing = missing
        seen: dict[str, MissingChar] = {}
        for item in missing:
            seen.setdefault(item.char, item)
        lines = [f"“{m.char}”（{m.code}）：{m.where}" for m in list(seen.values())[:MAX_LISTED]]
        if len(seen) > MAX_LISTED:
            lines.append(f"……另有{len(seen) - MAX_LISTED}个字符")
        super().__init__(
            "以下字符在打印字体中没有字形，打印出来会是空白，因此未打印：\n" + "\n".join(lines)
            + "\n请在本机安装包含这些字的字体（如 Windows 的“SimSun-ExtB”）后重试；如仍不能打印，请联系公积金中心。")


def resources_dir() -> Path:
    """resources/ of the source tree, or of the frozen bundle (PyInstaller unpacks data to sys._MEIPASS)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    import resources  # noqa: PLC0415 - a data package; its location is all we need

    return Path(resources.__file__).parent


def primary_font_path() -> Path:
    return resources_dir() / "fonts" / PRIMARY_FONT_FILE


def default_fallback_paths() -> list[Path]:
    paths = [Path(p) for p in os.environ.get(FALLBACK_FONTS_ENV, "").split(os.pathsep) if p.strip()]
    if sys.platform == "win32":
        fonts = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        paths += [fonts / name for name in _WINDOWS_FALLBACKS]
    else:
        paths += [Path(p) for p in _UNIX_FALLBACKS]
    return paths


# Code points that are never drawn and need no glyph: format characters (zero-width joiner, BOM, soft hyphen)
# and variation selectors a name typed with an IME may carry.
def _ignorable(char: str) -> bool:
    code = ord(char)
    return (0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
            or unicodedata.category(char) == "Cf")


def clean(text: object) -> str:
    """The text as drawn: None → "", controls (tabs, stray CR) → space, ignorable code points dropped.
    Newlines stay (the layout breaks lines there)."""
    if text is None:
        return ""
    text = str(text)
    if text.isascii() and text.isprintable():
        return text
    out = []
    for char in text:
        if char == "\n":
            out.append(char)
        elif unicodedata.category(char) == "Cc":
            out.append(" ")
        elif not _ignorable(char):
            out.append(char)
    return "".join(out)


class Face:
    """One registered TrueType font: its reportlab name, the characters it covers, and fast widths."""

    def __init__(self, name: str, font) -> None:
        self.name = name
        self.font = font
        face = font.face
        self.chars = frozenset(chr(c) for c, g in face.charToGlyph.items() if g) | {" "}
        default = face.defaultWidth
        widths: defaultdict[str, float] = defaultdict(lambda: default)
        widths.update((chr(c), w) for c, w in face.charWidths.items())
        self._widths = widths
        self.ascent = face.ascent / 1000
        self.descent = face.descent / 1000

    def width(self, text: str, size: float) -> float:
        """The advance width of ``text`` at ``size`` points."""
        return sum(map(self._widths.__getitem__, text)) * size / 1000


class FontSet:
    """The primary face and, loaded only when a character needs one, the fallback faces."""

    def __init__(self, primary: Face, fallback_paths: Iterable[Path]) -> None:
        self.primary = primary
        self._candidates = list(fallback_paths)
        self._fallbacks: list[Face] = []
        self._lock = threading.Lock()
        self._char_face: dict[str, Face | None] = {}

    def face_for(self, char: str) -> Face | None:
        """The face that draws ``char``: the primary, else the first fallback that has it, else None."""
        if char in self.primary.chars:
            return self.primary
        try:
            return self._char_face[char]
        except KeyError:
            pass
        with self._lock:
            face = next((f for f in self._fallbacks if char in f.chars), None)
            while face is None and self._candidates:
                loaded = _load_fallback(self._candidates.pop(0))
                if loaded is not None:
                    self._fallbacks.append(loaded)
                    if char in loaded.chars:
                        face = loaded
            self._char_face[char] = face
            return face

    def covers(self, text: str) -> bool:
        """True when the primary face alone draws all of ``text`` (the common case, checked at C speed)."""
        return self.primary.chars.issuperset(text)

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` that no face can draw (in order, each once)."""
        if self.covers(text):
            return []
        out = []
        for char in dict.fromkeys(text):
            if char != "\n" and self.face_for(char) is None:
                out.append(char)
        return out

    def runs(self, text: str) -> list[tuple[Face, str]]:
        """``text`` split into runs of one face each. Call ``missing`` first: a character without a face
        is a programming error here."""
        if self.covers(text):
            return [(self.primary, text)]
        runs: list[tuple[Face, str]] = []
        for char in text:
            face = self.face_for(char)
            if face is None:
                raise UnprintableText([MissingChar(char, text)])
            if runs and runs[-1][0] is face:
                runs[-1] = (face, runs[-1][1] + char)
            else:
                runs.append((face, char))
        return runs

    def width(self, text: str, size: float) -> float:
        if self.covers(text):
            return self.primary.width(text, size)
        return sum(face.width(run, size) for face, run in self.runs(text))

    @property
    def fallbacks(self) -> list[Face]:
        return list(self._fallbacks)


def _register(name: str, path: Path, subfont: int = 0, unique_face: bool = False) -> Face:
    """Register ``path`` with reportlab as ``name`` and return the face reportlab will draw with.

    reportlab keeps one font object per PostScript face name: a second file with the same face name would be
    drawn with the first one's glyphs. Fallback fonts therefore get a face name of their own."""
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415
    from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415

    try:
        return Face(name, pdfmetrics.getFont(name))
    except KeyError:
        pass
    font = TTFont(name, str(path), subfontIndex=subfont)
    if unique_face:
        font.face.name = font.face.name + b"-" + name.encode("ascii", "replace")[-8:]
    pdfmetrics.registerFont(font)
    return Face(name, pdfmetrics.getFont(name))  # the object reportlab draws with: coverage must be its own


def _load_fallback(path: Path) -> Face | None:
    """A fallback face, or None when the file is absent or not a TrueType font reportlab can embed."""
    if not path.is_file():
        return None
    digest = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:8]
    name = "GJJ-FB-" + "".join(c if c.isalnum() else "-" for c in path.stem) + "-" + digest
    try:
        return _register(name, path, unique_face=True)
    except Exception:  # noqa: BLE001 - CFF outlines, a broken file: simply not a fallback
        return None


def _fix_reportlab_to_unicode() -> None:
    """reportlab 5.1 writes a code point above U+FFFF (𠮷, U+20BB7) into a subset's ToUnicode map as five hex
    digits, which PDF readers cut to four: the character prints but copies and searches as "₻". PDF wants
    UTF-16BE there, i.e. a surrogate pair. Wraps reportlab's function once; BMP-only subsets are unchanged."""
    from reportlab.pdfbase import ttfonts  # noqa: PLC0415

    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "gjj_utf16", False):
        return

    def make_to_unicode_cmap(fontname, subset):
        text = original(fontname, subset)
        wide = {f"<{i:02X}> <{v:04X}>": f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>"
                for i, v in enumerate(subset) if v > 0xFFFF}
        if not wide:
            return text
        return "\n".join(wide.get(line, line) for line in text.split("\n"))

    make_to_unicode_cmap.gjj_utf16 = True
    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap


@lru_cache(maxsize=1)
def font_set() -> FontSet:
    """The process-wide font set (the primary font is parsed once, ~0.15 s)."""
    _fix_reportlab_to_unicode()
    path = primary_font_path()
    if not path.is_file():
        raise PrintingError(f"缺少打印字体文件 {path}，请重新安装客户端")
    return FontSet(_register(PRIMARY, path), default_fallback_paths())


def make_font_set(fallback_paths: Iterable[Path | str]) -> FontSet:
    """A font set with the shipped primary font and exactly these fallbacks (tests; IT staff checks)."""
    return FontSet(font_set().primary, [Path(p) for p in fallback_paths])

"""Fonts of printed documents: the embedded WenQuanYi font ships with its licence, every character is checked
before drawing, a character the font lacks comes from a fallback font or stops the document with a message
naming it — never a blank (𠮷, U+20BB7, is outside WenQuanYi Micro Hei)."""
from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFontFile, TTFontMaker

from printing.documents import roster_report
from printing.fonts import PRIMARY_FONT_FILE, UnprintableText, clean, font_set, make_font_set, resources_dir
from printing.model import RosterRow
from printing.samples import context, roster

JI = "\U00020BB7"  # 𠮷: the "吉" with a longer lower stroke, a common surname character outside GBK


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def pdf_fonts(pdf: bytes) -> str:
    return subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def font_with(code: int, like: str, path: Path) -> Path:
    """A TrueType font with one glyph for code point ``code`` (taken from WenQuanYi's ``like``), mapped by a
    format-12 cmap as fonts covering CJK Extension B do (SimSun-ExtB, HanaMinB)."""
    source = TTFontFile(str(resources_dir() / "fonts" / PRIMARY_FONT_FILE), subfontIndex=0)
    subset = TTFontFile(_stream(source.makeSubset([32, ord(like)])))
    maker = TTFontMaker()
    for tag in subset.table:
        if tag != "cmap":
            maker.add(tag, subset.get_table(tag))
    groups = [(32, 32, 1), (code, code, 2)]  # glyph 1 is the space, glyph 2 the borrowed outline
    body = b"".join(start.to_bytes(4, "big") + end.to_bytes(4, "big") + gid.to_bytes(4, "big")
                    for start, end, gid in groups)
    fmt12 = (12).to_bytes(2, "big") + b"\0\0" + (16 + len(body)).to_bytes(4, "big") + b"\0\0\0\0" \
        + len(groups).to_bytes(4, "big") + body
    maker.add("cmap", b"\0\0\0\1" + (3).to_bytes(2, "big") + (10).to_bytes(2, "big") + (12).to_bytes(4, "big") + fmt12)
    path.write_bytes(maker.makeStream())
    return path


def _stream(data: bytes):
    import io

    return io.BytesIO(data)


def rows_with(name: str) -> list[RosterRow]:
    rows = roster(5)
    rows[2] = RosterRow("200100000003", name, "110105199001010033", Decimal("5000.00"), Decimal("500.00"),
                        Decimal("500.00"))
    return rows


def test_the_font_and_its_licence_ship_in_resources():
    base = resources_dir() / "fonts"
    assert (base / PRIMARY_FONT_FILE).stat().st_size > 4_000_000
    licence = (base / "LICENSE-wqy-microhei.txt").read_text(encoding="utf-8")
    assert "Apache License" in licence and "WenQuanYi" in licence
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in licence  # the full text


def test_the_primary_font_covers_what_documents_print():
    face = font_set().primary
    assert len(face.chars) > 30000
    for text in ("住房公积金汇补缴书", "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整", "（）：；，。、“”¥—…",
                 "0123456789,.-%/ ABCxyz", "镕琤堃燊喆"):
        assert font_set().covers(text), text


def test_the_font_is_embedded_so_no_system_font_is_needed():
    pdf = roster_report(roster(3), context()).build()
    listing = pdf_fonts(pdf)
    assert "WenQuanYiMicroHei" in listing
    for line in listing.splitlines()[2:]:
        assert " yes yes yes " in line, line  # embedded, subset, with a ToUnicode map
    assert "Helvetica" not in listing


def test_a_character_no_font_has_stops_the_document_and_is_named():
    no_fallbacks = make_font_set([])
    with pytest.raises(UnprintableText) as caught:
        roster_report(rows_with(f"{JI}祥"), context()).build(no_fallbacks)
    message = caught.value.message
    assert JI in message and "U+20BB7" in message
    assert "第3行 姓名" in message and f"{JI}祥" in message
    assert [m.char for m in caught.value.missing] == [JI]


def test_with_the_installed_fonts_the_character_is_still_never_blank():
    """Whatever this machine has: either the name prints with 𠮷 in it, or the document is refused."""
    try:
        pdf = roster_report(rows_with(f"{JI}祥"), context()).build()
    except UnprintableText as exc:
        assert JI in exc.message
    else:
        assert f"{JI}祥" in pdf_text(pdf)


def test_a_fallback_font_draws_the_character_the_primary_lacks(tmp_path):
    fallback = font_with(0x20BB7, "吉", tmp_path / "ExtB-test.ttf")
    fontset = make_font_set([tmp_path / "missing.ttf", fallback])
    pdf = roster_report(rows_with(f"{JI}祥"), context()).build(fontset)
    assert f"{JI}祥" in pdf_text(pdf)
    listing = pdf_fonts(pdf)
    assert listing.count("WenQuanYiMicroHei") == 2  # the primary and the fallback (its own subset)
    assert len(fontset.fallbacks) == 1  # the missing file was skipped


def test_fallback_runs_switch_fonts_only_where_needed(tmp_path):
    fontset = make_font_set([font_with(0x20BB7, "吉", tmp_path / "ExtB-run.ttf")])
    runs = fontset.runs(f"王{JI}{JI}祥")
    assert [text for _, text in runs] == ["王", f"{JI}{JI}", "祥"]
    assert runs[0][0] is fontset.primary and runs[2][0] is fontset.primary
    assert fontset.missing(f"王{JI}祥") == []


def test_a_fallback_with_the_same_face_name_as_the_primary_is_still_its_own_font(tmp_path):
    """reportlab keys fonts by PostScript face name; the test font above carries WenQuanYi's name table."""
    fontset = make_font_set([font_with(0x20BB7, "吉", tmp_path / "same-name.ttf")])
    face = fontset.face_for(JI)
    assert face is not None and face is not fontset.primary
    assert face.font.face.filename.endswith("same-name.ttf")


def test_a_font_that_cannot_be_embedded_is_skipped(tmp_path):
    bad = tmp_path / "broken.ttf"
    bad.write_bytes(b"not a font")
    assert make_font_set([bad]).missing(JI) == [JI]


@pytest.mark.parametrize(("raw", "drawn"), [
    (None, ""), ("张三", "张三"), ("张\t三", "张 三"), ("a\u200db", "ab"), ("葛\U000E0100", "葛"), ("\ufeff王", "王"),
    ("第一行\n第二行", "第一行\n第二行"),
])
def test_text_is_cleaned_of_what_is_never_drawn(raw, drawn):
    assert clean(raw) == drawn


def test_variation_selectors_do_not_stop_a_document():
    pdf = roster_report(rows_with("葛\U000E0100亮"), context()).build(make_font_set([]))
    assert "葛亮" in pdf_text(pdf)


def test_width_of_cjk_and_latin():
    face = font_set().primary
    assert face.width("汉字", 10) == pytest.approx(20)
    assert 0 < face.width("1,234.50", 10) < 40

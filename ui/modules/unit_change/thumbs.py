"""Thumbnails of scanned files: the picture (JPEG, PNG, TIFF) or the first page of a PDF, made as QImage on a
worker thread; a plain tile with the type's name when the file cannot be drawn (or is only at the centre)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QImageReader, QPainter, QPen, QPixmap

THUMB = QSize(112, 140)


def render(path: str, size: QSize = THUMB) -> QImage | None:
    """Worker thread: the file's first page or picture scaled into `size`, or None."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    natural = reader.size()
    if natural.isValid() and not natural.isEmpty():
        reader.setScaledSize(natural.scaled(size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


def render_all(entries: list[tuple[str, str]]) -> dict[str, QImage]:
    """{key: image} for [(key, path)] (background)."""
    images = {}
    for key, path in entries:
        image = render(path)
        if image is not None:
            images[key] = image
    return images


def framed(image: QImage, size: QSize = THUMB) -> QPixmap:
    """The picture centred on a white page with a thin border (all thumbnails the same size)."""
    pixmap = QPixmap(size)
    pixmap.fill(QColor("#ffffff"))
    painter = QPainter(pixmap)
    x = (size.width() - image.width()) // 2
    y = (size.height() - image.height()) // 2
    painter.drawImage(x, y, image)
    painter.setPen(QPen(QColor("#c4d0de"), 1))
    painter.drawRect(0, 0, size.width() - 1, size.height() - 1)
    painter.end()
    return pixmap


def tile(type_name: str, note: str = "", size: QSize = THUMB) -> QPixmap:
    """A document tile with the type's name ("PDF") and a note ("已上传")."""
    pixmap = QPixmap(size)
    pixmap.fill(QColor("#f4f6f9"))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#9fb3cc"), 1.2))
    painter.setBrush(QColor("#ffffff"))
    painter.drawRoundedRect(QRectF(18, 14, size.width() - 36, size.height() - 28), 4, 4)
    font = QFont()
    font.setPixelSize(18)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#1a4f94"))
    painter.drawText(QRectF(0, size.height() / 2 - 22, size.width(), 26), Qt.AlignmentFlag.AlignCenter, type_name)
    if note:
        font.setPixelSize(12)
        font.setBold(False)
        painter.setFont(font)
        painter.setPen(QColor("#5b6b7f"))
        painter.drawText(QRectF(0, size.height() / 2 + 6, size.width(), 20), Qt.AlignmentFlag.AlignCenter, note)
    painter.end()
    return pixmap

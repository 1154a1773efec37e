"""Which scanned files an application may carry (档案扫描), judged the same way by the desk before upload
and by the centre on receipt: by the file's first bytes, never by its name; size and count limits."""
from __future__ import annotations

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 20
SNIFF_BYTES = 8

# First bytes of each accepted format (PDF, JPEG, PNG, TIFF little and big endian).
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "image/tiff": "TIFF"}


def sniff(head: bytes) -> str | None:
    """The media type recognised from a file's first bytes, or None."""
    for magic, media_type in SIGNATURES:
        if head.startswith(magic):
            return media_type
    return None

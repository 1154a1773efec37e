"""The attachment store: files under DATA_DIR/attachments/, named by their sha256 (ab/cd/<sha256>), never by
the client's file name. An upload is streamed into a temporary file inside the store while it is hashed,
sized against the limit and recognised by its first bytes; it is refused as soon as one of those fails."""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from services.attachments import MAX_FILE_BYTES, SNIFF_BYTES, sniff

from ..errors import Problem



def too_large() -> Problem:
    return Problem(413, "attachment_too_large",
                   f"附件超过{MAX_FILE_BYTES // (1024 * 1024)}MB，请降低扫描分辨率或分页扫描后再上传")


def not_a_scan(label: str) -> Problem:
    return Problem(415, "attachment_type",
                   f"文件“{label}”不是PDF、JPEG、PNG或TIFF文件（按文件内容识别，与扩展名无关），请上传扫描件或图片")


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    media_type: str


class AttachmentStore:
    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "attachments"

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def writer(self, label: str) -> "StoreWriter":
        return StoreWriter(self, label)


class StoreWriter:
    """Receives one file's bytes in chunks; `finish()` moves it into the store. On any refusal the
    temporary file is removed: nothing stays behind."""

    def __init__(self, store: AttachmentStore, label: str) -> None:
        self.store = store
        self.label = label
        self.size = 0
        self.media_type: str | None = None
        self._head = b""
        self._digest = hashlib.sha256()
        tmp_dir = store.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
        self._file = os.fdopen(fd, "wb")
        self._tmp = Path(name)

    def write(self, chunk: bytes) -> None:
        if not chunk:
            return
        self.size += len(chunk)
        if self.size > MAX_FILE_BYTES:
            raise too_large()
        if self.media_type is None:
            self._head = (self._head + chunk)[:SNIFF_BYTES]
            if len(self._head) >= SNIFF_BYTES:
                self._recognise()
        self._digest.update(chunk)
        self._file.write(chunk)

    def _recognise(self) -> None:
        self.media_type = sniff(self._head)
        if self.media_type is None:
            raise not_a_scan(self.label)

    def finish(self) -> StoredFile:
        self._file.close()
        if self.size == 0:
            raise Problem(422, "attachment_empty", f"文件“{self.label}”是空文件，请重新选择")
        if self.media_type is None:
            self._recognise()
        sha256 = self._digest.hexdigest()
        target = self.store.path_of(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():          # the same content is stored once
            self._tmp.unlink(missing_ok=True)
        else:
            os.chmod(self._tmp, 0o640)
            os.replace(self._tmp, target)
        return StoredFile(sha256, self.size, self.media_type)

    def discard(self) -> None:
        if not self._file.closed:
            self._file.close()
        self._tmp.unlink(missing_ok=True)

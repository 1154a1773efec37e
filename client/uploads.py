"""档案扫描 uploads: the checks made before anything is sent (type by content, size, count), the spool that
keeps a file's bytes until the centre has confirmed them, and the multipart request.

A retried upload must be the same bytes (the centre replays the first answer for a repeated
Idempotency-Key only when method, path and body match), so the multipart boundary is derived from the key
and the file's SHA-256, and the bytes are read from the spool copy, never from the clerk's original file.

Uploads of a logged-in unit go through the outbox (client.outbox sends an item whose body is
``upload_body(...)`` with ``send_upload``); 自主开户 has no session and calls ``send_multipart`` itself."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from services.attachments import MAX_FILE_BYTES, MAX_FILES, SNIFF_BYTES, TYPE_NAMES, sniff

from .api import CentreClient
from .errors import ClientError

CHUNK = 1024 * 1024
UPLOAD_MARK = "multipart_upload"     # the key of an outbox body that is a file upload


def fmt_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def safe_label(name: str) -> str:
    """The file name as the centre keeps it: the last path component, no control characters."""
    label = re.split(r"[\\/]", name or "")[-1]
    label = re.sub(r"[\x00-\x1f\x7f]", "", label).strip()
    return label[:200] or "附件"


@dataclass(frozen=True)
class ScanFile:
    """One file waiting in the spool: its content hash names it; `label` is what the clerk called it."""
    sha256: str
    label: str
    size: int
    media_type: str

    @property
    def type_name(self) -> str:
        return TYPE_NAMES.get(self.media_type, self.media_type)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScanFile:
        return cls(str(data["sha256"]), str(data["label"]), int(data["size"]), str(data["media_type"]))


def check_file(path: str | os.PathLike) -> tuple[int, str]:
    """(size, media type) of a file the clerk picked, or ClientError saying why it cannot be uploaded."""
    path = Path(path)
    label = safe_label(path.name)
    try:
        if path.is_dir():
            raise ClientError(f"“{label}”是文件夹，请选择文件")
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise ClientError(f"找不到文件“{label}”，请重新选择") from None
    except PermissionError:
        raise ClientError(f"没有权限读取文件“{label}”，请确认文件未被其他程序占用") from None
    except OSError as exc:
        raise ClientError(f"无法读取文件“{label}”：{exc.strerror or exc}") from None
    return size, check_content(label, size, head)


def check_content(label: str, size: int, head: bytes) -> str:
    if size == 0:
        raise ClientError(f"文件“{label}”是空文件，请重新扫描")
    if size > MAX_FILE_BYTES:
        raise ClientError(f"文件“{label}”大小为{fmt_size(size)}，超过单个文件20 MB的上限，"
                          "请降低扫描分辨率或分页扫描后再上传")
    media_type = sniff(head)
    if media_type is None:
        raise ClientError(f"文件“{label}”不是PDF、JPEG、PNG或TIFF文件（按文件内容识别，与扩展名无关），"
                          "请上传扫描件或图片")
    return media_type


def check_count(existing: int, adding: int) -> None:
    if existing + adding > MAX_FILES:
        room = max(0, MAX_FILES - existing)
        raise ClientError(f"每笔业务最多上传{MAX_FILES}个文件：已有{existing}个，"
                          + (f"最多还能添加{room}个" if room else "不能再添加") + "，请合并或删除部分文件")


class Spool:
    """Copies of the files to upload, named by SHA-256, in the desk's data directory (next to the local
    store). A copy stays until the centre confirmed it and no draft needs it any more."""

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory)

    @classmethod
    def beside(cls, store_path: str | os.PathLike) -> Spool:
        return cls(Path(store_path).parent / "uploads")

    def path_of(self, sha256: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError(sha256)
        return self.directory / sha256

    def add(self, path: str | os.PathLike, label: str | None = None) -> ScanFile:
        """Check the file, copy it in (hashing as it goes) and return what was kept."""
        path = Path(path)
        label = safe_label(label or path.name)
        check_file(path)
        self.directory.mkdir(parents=True, exist_ok=True)
        digest, size, head = hashlib.sha256(), 0, b""
        fd, temp = tempfile.mkstemp(prefix=".part-", dir=self.directory)
        try:
            with os.fdopen(fd, "wb") as out, open(path, "rb") as source:
                while chunk := source.read(CHUNK):
                    size += len(chunk)
                    if size > MAX_FILE_BYTES:
                        break
                    if len(head) < SNIFF_BYTES:
                        head = (head + chunk)[:SNIFF_BYTES]
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            media_type = check_content(label, size, head)  # the file may have changed since check_file
            sha = digest.hexdigest()
            os.replace(temp, self.path_of(sha))
        except OSError as exc:
            raise ClientError(f"无法读取文件“{label}”：{exc.strerror or exc}") from None
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
        return ScanFile(sha, label, size, media_type)

    def has(self, file: ScanFile) -> bool:
        return self.path_of(file.sha256).is_file()

    def read(self, file: ScanFile) -> bytes:
        """The kept bytes, checked against their hash."""
        try:
            content = self.path_of(file.sha256).read_bytes()
        except OSError:
            content = None
        if content is None or hashlib.sha256(content).hexdigest() != file.sha256:
            raise ClientError(f"待上传的文件“{file.label}”已损坏或被删除，请在档案扫描中删除后重新添加")
        return content

    def release(self, file: ScanFile) -> None:
        try:
            self.path_of(file.sha256).unlink()
        except FileNotFoundError:
            pass


# -- the request --------------------------------------------------------------------------------------

def boundary_for(idempotency_key: str, sha256: str) -> str:
    """The same key and file always give the same boundary (so the same bytes)."""
    return "gjj-" + hashlib.sha256(f"{idempotency_key}|{sha256}".encode()).hexdigest()[:40]


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "").replace("\n", "")


def encode_multipart(boundary: str, field: str, file: ScanFile, content: bytes) -> bytes:
    if boundary.encode() in content:  # practically never: a 40-hex-digit hash inside the file
        raise ClientError(f"文件“{file.label}”无法打包上传，请另存后重新添加")
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{_quoted(field)}\"; "
            f"filename=\"{_quoted(file.label)}\"\r\nContent-Type: {file.media_type}\r\n\r\n").encode("utf-8")
    return head + content + f"\r\n--{boundary}--\r\n".encode()


def upload_body(spool: Spool, file: ScanFile, params: dict[str, str] | None = None, field: str = "file") -> dict:
    """What the outbox keeps for an upload: where the bytes are and how to send them (never the bytes)."""
    return {UPLOAD_MARK: {**file.to_json(), "path": str(spool.path_of(file.sha256)), "field": field,
                          "params": dict(params or {})}}


def is_upload(body: Any) -> bool:
    return isinstance(body, dict) and isinstance(body.get(UPLOAD_MARK), dict)


def send_upload(api: CentreClient, method: str, path: str, body: dict, idempotency_key: str) -> Any:
    """Send an outbox upload item: the spool copy, in the multipart body its key determines."""
    spec = body[UPLOAD_MARK]
    file = ScanFile.from_json(spec)
    spool = Spool(Path(spec["path"]).parent)
    return send_multipart(api, method, path, file, spool.read(file), idempotency_key,
                          params=spec.get("params") or None, field=spec.get("field") or "file")


def send_multipart(api: CentreClient, method: str, path: str, file: ScanFile, content: bytes,
                   idempotency_key: str | None = None, *, params: dict[str, str] | None = None,
                   field: str = "file") -> Any:
    """One file as multipart/form-data with a boundary fixed by the key (a retry sends the same bytes);
    errors as CentreClient.request."""
    key = idempotency_key or str(uuid.uuid4())
    boundary = boundary_for(key, file.sha256)
    return api.request(method, path, params=params, idempotency_key=key,
                       content=encode_multipart(boundary, field, file, content),
                       content_type=f"multipart/form-data; boundary={boundary}")


"""Reading one uploaded file out of a multipart/form-data request as it streams in (never the whole
body in memory, never a spooled copy outside the store): the bytes of the part named `file` go straight
to a `StoreWriter`, which refuses an oversized or unrecognised file at the first chunk that shows it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from python_multipart.multipart import MultipartParser, parse_options_header

from ..errors import Problem
from .store import MAX_FILE_BYTES, AttachmentStore, StoredFile, StoreWriter, too_large

FIELD = "file"
ENVELOPE_BYTES = 64 * 1024          # multipart headers and boundaries around the file
LABEL_MAX = 200

# OpenAPI description of the request body (the route reads the stream itself).
UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": [FIELD],
    "properties": {FIELD: {"type": "string", "format": "binary",
                           "description": "PDF/JPEG/PNG/TIFF（按内容识别），不超过20MB；文件名仅作标签保存"}}}}}}}


def _store(request: Request) -> AttachmentStore:
    return AttachmentStore(request.app.state.config.data_dir)


StoreDep = Annotated[AttachmentStore, Depends(_store)]


@dataclass(frozen=True)
class Upload:
    file: StoredFile
    label: str


def file_label(filename: str) -> str:
    """The client's file name as a label: the last path component, no control characters."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:LABEL_MAX] or "附件"


async def receive_upload(request: Request, store: AttachmentStore) -> Upload:
    content_type = request.headers.get("content-type", "")
    media, options = parse_options_header(content_type)
    if media != b"multipart/form-data" or b"boundary" not in options:
        raise Problem(415, "multipart_required", "请以multipart/form-data方式上传文件（字段名file）")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_FILE_BYTES + ENVELOPE_BYTES:
        raise too_large()
    reader = _PartReader(store)
    parser = MultipartParser(options[b"boundary"], reader.callbacks())
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if reader.size_so_far > MAX_FILE_BYTES + ENVELOPE_BYTES:
                raise too_large()
        parser.finalize()
        return reader.result()
    except BaseException:
        reader.discard()
        raise


class _PartReader:
    def __init__(self, store: AttachmentStore) -> None:
        self.store = store
        self.size_so_far = 0
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._writer: StoreWriter | None = None
        self._current: StoreWriter | None = None
        self._done: Upload | None = None

    def callbacks(self) -> dict:
        return {"on_part_begin": self._part_begin, "on_part_data": self._part_data,
                "on_part_end": self._part_end, "on_header_field": self._header_field,
                "on_header_value": self._header_value_cb, "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished}

    def _part_begin(self) -> None:
        self._disposition = b""
        self._current = None

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_cb(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = self._header_value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        if options.get(b"name") != FIELD.encode() or b"filename" not in options:
            return                                  # other form fields are ignored
        if self._writer is not None:
            raise Problem(422, "one_file_per_upload", "每次上传一个文件，请分别上传")
        label = file_label(options[b"filename"].decode("utf-8", errors="replace"))
        self._writer = self._current = self.store.writer(label)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        self.size_so_far += end - start
        if self._current is not None:
            self._current.write(data[start:end])

    def _part_end(self) -> None:
        if self._current is not None:
            self._done = Upload(self._current.finish(), self._current.label)
            self._current = None

    def result(self) -> Upload:
        if self._done is None:
            raise Problem(422, "file_missing", "未收到文件：请在表单字段file中上传附件")
        return self._done

    def discard(self) -> None:
        if self._writer is not None:
            self._writer.discard()

"""client.uploads: checks before anything is sent, the spool, and a retried upload sending the same bytes
through the outbox (a local transport that records every request)."""
import hashlib

import httpx
import pytest

from client.api import CentreClient
from client.errors import CentreUnreachable, ClientError
from client.outbox import Submitter
from client.store import LocalStore
from client.uploads import (MAX_FILE_BYTES, ScanFile, Spool, boundary_for, check_count, check_file, encode_multipart,
                            sniff, upload_body)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.mark.parametrize(("head", "media_type"), [(PDF, "application/pdf"), (b"\xff\xd8\xff\xe0xxxx", "image/jpeg"),
                                                  (PNG, "image/png"), (b"II*\x00abcd", "image/tiff"),
                                                  (b"MM\x00*abcd", "image/tiff"), (b"MZ\x90\x00", None),
                                                  (b"<html>", None)])
def test_the_type_is_read_from_the_content(head, media_type):
    assert sniff(head) == media_type


def test_refusals_before_upload(tmp_path):
    exe = tmp_path / "营业执照.pdf"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(ClientError, match="“营业执照.pdf”不是PDF、JPEG、PNG或TIFF文件（按文件内容识别，与扩展名无关）"):
        check_file(exe)
    big = tmp_path / "big.pdf"
    with open(big, "wb") as out:
        out.write(PDF)
        out.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ClientError, match="大小为20.0 MB，超过单个文件20 MB的上限"):
        check_file(big)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ClientError, match="空文件"):
        check_file(empty)
    with pytest.raises(ClientError, match="找不到文件"):
        check_file(tmp_path / "nope.pdf")
    with pytest.raises(ClientError, match="最多上传20个文件：已有18个，最多还能添加2个"):
        check_count(18, 3)
    check_count(18, 2)
    assert check_file(_write(tmp_path / "ok.pdf", PDF)) == (len(PDF), "application/pdf")


def _write(path, content):
    path.write_bytes(content)
    return path


def test_the_spool_keeps_a_checked_copy_named_by_its_hash(tmp_path):
    spool = Spool(tmp_path / "uploads")
    original = _write(tmp_path / "../门牌证明.pdf", PDF)
    kept = spool.add(original)
    assert kept == ScanFile(hashlib.sha256(PDF).hexdigest(), "门牌证明.pdf", len(PDF), "application/pdf")
    original.unlink()  # the clerk's file may go away: the copy is what is sent
    assert spool.read(kept) == PDF
    spool.path_of(kept.sha256).write_bytes(PDF + b"x")
    with pytest.raises(ClientError, match="已损坏或被删除"):
        spool.read(kept)
    with pytest.raises(ClientError):
        spool.add(_write(tmp_path / "x.pdf", b"#!/bin/sh\n"))
    assert [p.name for p in (tmp_path / "uploads").iterdir()] == [kept.sha256]  # nothing else left behind


def test_the_boundary_and_bytes_depend_on_the_key_and_the_file_only():
    file = ScanFile(hashlib.sha256(PDF).hexdigest(), 'a"b.pdf', len(PDF), "application/pdf")
    one = encode_multipart(boundary_for("key-1", file.sha256), "file", file, PDF)
    assert one == encode_multipart(boundary_for("key-1", file.sha256), "file", file, PDF)
    assert one != encode_multipart(boundary_for("key-2", file.sha256), "file", file, PDF)
    assert b'filename="a%22b.pdf"' in one


class RecordingCentre:
    def __init__(self, faults):
        self.faults = list(faults)
        self.requests = []

    def __call__(self, request: httpx.Request):
        fault = self.faults.pop(0) if self.faults else None
        self.requests.append((request.headers["idempotency-key"], request.headers["content-type"], request.read()))
        if fault == "lose":
            raise httpx.ReadTimeout("answer lost", request=request)
        return httpx.Response(201, json={"attachment_id": 7, "label": "证明.pdf"})


def test_a_retried_upload_sends_the_same_bytes_under_the_same_key(tmp_path):
    centre = RecordingCentre(["lose"])
    api = CentreClient("http://127.0.0.1:8700", transport=httpx.MockTransport(centre))
    store = LocalStore(tmp_path / "local.sqlite3")
    spool = Spool.beside(store.path)
    kept = spool.add(_write(tmp_path / "证明.pdf", PDF))
    key = store.enqueue("100100000001", "POST", "/api/v1/applications/5/attachments",
                        upload_body(spool, kept, {"kind": "supporting"}), label="档案扫描")
    submitter = Submitter(api, store)
    with pytest.raises(CentreUnreachable):
        submitter.send(key)
    assert store.pending("100100000001")[0].idempotency_key == key
    result = submitter.retry_pending("100100000001")
    assert [i.idempotency_key for i in result.done] == [key]
    first, second = centre.requests
    assert first == second and first[0] == key
    assert first[1].startswith("multipart/form-data; boundary=gjj-")
    assert PDF in first[2] and "证明.pdf".encode() in first[2]
    assert submitter.send(key) == {"attachment_id": 7, "label": "证明.pdf"}  # done: not sent again
    assert len(centre.requests) == 2
    store.close()

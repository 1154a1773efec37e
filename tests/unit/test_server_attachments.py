"""档案扫描 uploads: recognised by content (PDF/JPEG/PNG/TIFF), ≤ 20 MB a file (refused as the bytes arrive),
≤ 20 an application, stored once by sha256 under the data directory; the client's file name is a label
only. Refused uploads leave nothing behind, in the store or outside it."""
from __future__ import annotations

import hashlib
import uuid

import pytest
from sqlalchemy import func, select

from server_stub.attachments.models import Attachment
from server_stub.attachments.store import MAX_FILE_BYTES, AttachmentStore
from server_stub.errors import Problem
from tests.support.server import make_centre
from tests.unit.test_server_applications import (PDF, address_change, clerk, create, detail, problem, submit,
                                                 upload)

pytestmark = pytest.mark.postgres   # also run on PostgreSQL when GJJ_TEST_PG_URL is set

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)
TIFF_LE = b"II*\x00" + bytes(200)
TIFF_BE = b"MM\x00*" + bytes(200)
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(200)
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)


@pytest.fixture
def centre(tmp_path):
    with make_centre(tmp_path) as centre:
        yield centre


@pytest.fixture
def draft(centre):
    headers = clerk(centre)
    return create(centre, headers, address_change(centre, headers)).json()["id"], headers


def files_under(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


def stored_files(centre) -> list:
    store = AttachmentStore(centre.config.data_dir).root
    return [p for p in files_under(store) if p.parent.name != "tmp"] if store.exists() else []


def leftovers(centre) -> list:
    tmp = AttachmentStore(centre.config.data_dir).root / "tmp"
    return files_under(tmp) if tmp.exists() else []


@pytest.mark.parametrize("content, name, media_type", [
    (PDF, "扫描件.pdf", "application/pdf"), (JPEG, "照片.txt", "image/jpeg"), (PNG, "no-extension", "image/png"),
    (TIFF_LE, "scan.tif", "image/tiff"), (TIFF_BE, "scan.PDF", "image/tiff")])
def test_recognised_by_content_not_name(centre, draft, content, name, media_type):
    application_id, headers = draft
    response = upload(centre, headers, application_id, content, name)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["media_type"] == media_type and body["label"] == name and body["size"] == len(content)
    assert body["sha256"] == hashlib.sha256(content).hexdigest() and body["kind"] == "supporting"
    path = AttachmentStore(centre.config.data_dir).path_of(body["sha256"])
    assert path.read_bytes() == content
    file = centre.client.get(f"/applications/{application_id}/attachments/{body['attachment_id']}", headers=headers)
    assert file.status_code == 200 and file.content == content
    assert file.headers["content-type"].startswith(media_type)
    assert file.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("content", [ELF, WINDOWS_EXE, b"just text, not a scan"])
def test_an_executable_renamed_pdf_is_refused(centre, draft, content):
    application_id, headers = draft
    body = problem(upload(centre, headers, application_id, content, "invoice.pdf"), 415, "attachment_type")
    assert body["detail"] == ("文件“invoice.pdf”不是PDF、JPEG、PNG或TIFF文件（按文件内容识别，与扩展名无关），"
                              "请上传扫描件或图片")
    assert stored_files(centre) == [] and leftovers(centre) == []
    assert detail(centre, headers, application_id)["attachments"] == []


def test_a_file_over_20_mb_is_refused(centre, draft):
    application_id, headers = draft
    big = PDF + bytes(21 * 1024 * 1024)
    body = problem(upload(centre, headers, application_id, big, "big.pdf"), 413, "attachment_too_large")
    assert body["detail"] == "附件超过20MB，请降低扫描分辨率或分页扫描后再上传"
    assert stored_files(centre) == [] and leftovers(centre) == []
    exactly = PDF + bytes(MAX_FILE_BYTES - len(PDF))
    assert upload(centre, headers, application_id, exactly, "20mb.pdf").status_code == 201


def test_the_running_limit_stops_a_stream_without_a_declared_length(tmp_path):
    """A chunked upload has no Content-Length: the writer counts and refuses at the first chunk over."""
    store = AttachmentStore(tmp_path)
    writer = store.writer("x.pdf")
    writer.write(PDF)
    chunk = bytes(1024 * 1024)
    with pytest.raises(Problem) as refused:
        for _ in range(25):
            writer.write(chunk)
    assert refused.value.code == "attachment_too_large" and writer.size <= MAX_FILE_BYTES + len(chunk)
    writer.discard()
    assert files_under(tmp_path) == []


def test_a_path_in_the_file_name_is_only_a_label(centre, draft, tmp_path):
    application_id, headers = draft
    before = set(files_under(tmp_path))
    for name in ("../../x.pdf", "..\\..\\x.pdf", "/etc/passwd"):
        response = upload(centre, headers, application_id, PDF + name.encode(), name)
        assert response.status_code == 201, response.text
        assert response.json()["label"] in ("x.pdf", "passwd")
    added = set(files_under(tmp_path)) - before
    store = AttachmentStore(centre.config.data_dir).root
    assert added and all(store in p.parents and p.name == hashlib.sha256(p.read_bytes()).hexdigest() for p in added)
    assert not any(p.name in ("x.pdf", "passwd") for p in files_under(tmp_path))


def test_at_most_20_files(centre, draft):
    application_id, headers = draft
    for n in range(20):
        assert upload(centre, headers, application_id, PDF + str(n).encode(), f"{n}.pdf").status_code == 201
    body = problem(upload(centre, headers, application_id, PDF, "21.pdf"), 409, "attachment_limit")
    assert body["detail"] == "每笔业务最多上传20个附件，请先删除不需要的附件"
    first = detail(centre, headers, application_id)["attachments"][0]["attachment_id"]
    removed = centre.client.delete(f"/applications/{application_id}/attachments/{first}", headers=headers)
    assert removed.status_code == 204
    assert upload(centre, headers, application_id, PDF, "21.pdf").status_code == 201


def test_same_content_is_stored_once(centre, draft):
    application_id, headers = draft
    a = upload(centre, headers, application_id, PDF, "a.pdf").json()
    b = upload(centre, headers, application_id, PDF, "b.pdf").json()
    assert a["sha256"] == b["sha256"] and a["attachment_id"] != b["attachment_id"]
    assert len(stored_files(centre)) == 1


def test_other_refusals(centre, draft):
    application_id, headers = draft
    problem(upload(centre, headers, application_id, b"", "empty.pdf"), 422, "attachment_empty")
    problem(upload(centre, headers, application_id, PDF, kind="payslip"), 422, "attachment_kind")
    not_multipart = centre.client.post(f"/applications/{application_id}/attachments", content=PDF,
                                       headers={**headers, "Content-Type": "application/pdf"})
    problem(not_multipart, 415, "multipart_required")
    no_file = centre.client.post(f"/applications/{application_id}/attachments", data={"note": "x"},
                                 files={"other": ("a.pdf", PDF)}, headers=headers)
    problem(no_file, 422, "file_missing")
    two = centre.client.post(f"/applications/{application_id}/attachments", headers=headers,
                             files=[("file", ("a.pdf", PDF)), ("file", ("b.pdf", PDF))])
    problem(two, 422, "one_file_per_upload")
    problem(upload(centre, headers, 999999), 404, "not_found")
    with centre.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_no_uploads_once_submitted(centre, draft):
    application_id, headers = draft
    upload(centre, headers, application_id)
    submit(centre, headers, application_id)
    body = problem(upload(centre, headers, application_id, PNG, "late.png"), 409, "application_pending")
    assert body["detail"] == "该业务正在中心审核中，不能修改、上传附件或结束流程"
    attachment_id = detail(centre, headers, application_id)["attachments"][0]["attachment_id"]
    problem(centre.client.delete(f"/applications/{application_id}/attachments/{attachment_id}", headers=headers),
            409, "application_pending")


def test_repeated_upload_with_one_key_is_recorded_once(centre, draft):
    application_id, headers = draft
    key = str(uuid.uuid4())
    # a retry must send the same bytes: the same multipart boundary (the client derives it from the key)
    same = {**headers, "Idempotency-Key": key, "Content-Type": f"multipart/form-data; boundary={key}"}
    first, again = (centre.client.post(f"/applications/{application_id}/attachments", headers=same,
                                       files={"file": ("a.jpg", JPEG, "image/jpeg")}) for _ in range(2))
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert again.headers["Idempotency-Replayed"] == "true"
    assert len(detail(centre, headers, application_id)["attachments"]) == 1

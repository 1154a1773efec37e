"""client.applications against the centre in-process (tests.support.server): 完成办理 of a 单位信息变更
(signed create, upload, submit), resumed after a lost answer without a second application, 修改后重新提交
after 退回, 结束流程, the task boxes, and 自主开户's calls."""
import httpx
import pytest

from client.api import CentreClient
from client.applications import Applications, BusinessDraft, DraftFile, Registrations
from client.errors import ApiError, CentreUnreachable, ClientError
from client.store import LocalStore
from client.uploads import ScanFile, Spool
from tests.support.server import make_centre
from tests.unit.test_server_applications import PDF, decide
from tests.unit.test_server_registrations import registration


@pytest.fixture
def centre(tmp_path):
    with make_centre(tmp_path) as centre:
        yield centre


class Flaky(httpx.BaseTransport):
    """The in-process centre behind a switch: "lose" lets the next request through and drops its answer."""

    def __init__(self, inner):
        self.inner = inner
        self.faults = []

    def handle_request(self, request):
        fault = self.faults.pop(0) if self.faults else None
        response = self.inner.handle_request(request)
        if fault == "lose":
            response.read()
            raise httpx.ReadTimeout("answer lost", request=request)
        return response


def client_for(centre):
    transport = Flaky(centre.client._transport)
    return CentreClient("http://127.0.0.1", transport=transport), transport


@pytest.fixture
def session(centre, tmp_path):
    api, transport = client_for(centre)
    unit = centre.unit1
    ukey = centre.ukey(unit)
    body = centre.login_body(unit, ukey)
    api.login(unit.unit_account, unit.login_name, unit.password, body["nonce"], ukey.cert_der,
              ukey.sign(f"gjj-login|{body['nonce']}|{unit.unit_account}|{unit.login_name}".encode()))
    store = LocalStore(tmp_path / "desk" / "local.sqlite3")
    apps = Applications(api, store, unit.unit_account, sign=ukey.sign)
    apps.transport = transport
    yield apps
    store.close()


def address_draft(apps, new="示范市滨江区网商路699号", pdf=PDF, tmp=None) -> BusinessDraft:
    old = apps.api.unit()["address"]
    draft = BusinessDraft("unit_info_change", {"changes": [{"field": "address", "old": old, "new": new}]})
    path = tmp / "门牌证明.pdf"
    path.write_bytes(pdf)
    draft.files.append(DraftFile(apps.spool.add(path)))
    return draft


def test_finish_creates_uploads_submits_and_survives_a_lost_answer(session, centre, tmp_path):
    draft = address_draft(session, tmp=tmp_path)
    saved = []
    session.transport.faults = [None, "lose"]  # the create arrives, its answer is lost
    with pytest.raises(CentreUnreachable):
        session.finish(draft, save=lambda d: saved.append(d.to_json()))
    assert saved and "create" in saved[-1]["keys"]
    resumed = BusinessDraft.from_json(saved[-1])  # as after a restart
    detail = session.finish(resumed, save=lambda d: saved.append(d.to_json()))
    assert detail["status"] == "pending" and detail["current_node"] == "中心初审"
    assert [a["label"] for a in detail["attachments"]] == ["门牌证明.pdf"]
    assert detail["signature"]["signed"] and detail["signature"]["certificate_serial"]
    mine = session.list("initiated")
    assert mine["total"] == 1  # one application, not two
    assert not session.spool.has(draft.files[0].file)  # released once the centre has it

    token = centre.centre_token()
    assert decide(centre, token, detail["id"], "approve", "同意").status_code == 200
    done = session.list("done")["items"]
    assert [(a["id"], a["status"]) for a in done] == [(detail["id"], "approved")]
    assert session.api.unit()["address"] == "示范市滨江区网商路699号"
    changes = session.unit_changes()["items"]
    assert (changes[0]["item"], changes[0]["new"]) == ("单位地址", "示范市滨江区网商路699号")


def test_a_second_one_while_pending_is_refused_in_chinese(session, tmp_path):
    session.finish(address_draft(session, tmp=tmp_path))
    with pytest.raises(ApiError) as refused:
        session.finish(address_draft(session, new="另一个地址1号", tmp=tmp_path))
    assert refused.value.message == "本单位存在未审批完成的单位信息变更业务，请待审批完成后再提交"


def test_returned_then_edited_and_resubmitted_or_ended(session, centre, tmp_path):
    first = session.finish(address_draft(session, tmp=tmp_path))
    token = centre.centre_token()
    assert decide(centre, token, first["id"], "return", "请补充房产证明").status_code == 200
    todo = session.list("todo")["items"]
    assert [a["id"] for a in todo] == [first["id"]]

    draft = BusinessDraft.from_application(session.detail(first["id"]))
    assert draft.returned_opinion == "请补充房产证明" and len(draft.remote) == 1
    draft.payload["changes"][0]["new"] = "示范市滨江区网商路700号"
    again = session.finish(draft)
    assert again["status"] == "pending" and again["signature"]["version"] == 2
    assert [s["decision"] for s in again["steps"]][-1] == "resubmit"

    assert decide(centre, token, first["id"], "return", "地址仍有误").status_code == 200
    ended = session.end(first["id"])
    assert ended["status"] == "ended"
    assert session.list("todo")["total"] == 0
    assert session.detail(first["id"])["flow"][-1] == "结束流程"


def test_nothing_is_sent_without_changes_or_files(session, tmp_path):
    with pytest.raises(ClientError, match="待变更清册为空"):
        session.finish(BusinessDraft("unit_info_change"))
    draft = address_draft(session, tmp=tmp_path)
    draft.files.clear()
    with pytest.raises(ClientError, match="请上传变更证明材料后再提交审批"):
        session.finish(draft)
    assert session.list("initiated")["total"] == 0


def test_registration_calls(centre, tmp_path):
    api, _ = client_for(centre)
    registrations = Registrations(api)
    created = registrations.register(registration())
    no, code = created["application_no"], created["query_code"]
    spool = Spool(tmp_path / "spool")
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(PDF)
    kept: ScanFile = spool.add(licence)
    assert registrations.upload(no, code, kept, spool.read(kept))["kind"] == "business_licence"
    assert registrations.submit(no, code)["status"] == "pending"
    status = registrations.status(no, code.lower())
    assert status["status_label"] and status["current_node"] == "中心初审"
    with pytest.raises(ApiError) as wrong:
        registrations.status(no, "WRONG123")
    assert wrong.value.message == "申请编号或查询码不正确，请核对"

"""client.employees / client.roster / client.draft_list: the roster cache with its ETag, the checks of a
clerk's entry, the signed batches through the outbox (against the in-process centre), the 清册 list and
its persistence, and the 分享 export with formula injection neutralised."""
from __future__ import annotations

import csv
from decimal import Decimal

import httpx
import pytest

from client.api import CentreClient
from client.draft_list import READY, REFUSED, DraftList, DraftStore
from client.employees import (EmployeesClient, EntryContext, ExportColumn, SubmissionPending, check_open_entry,
                              check_status_entry, export_csv, export_xlsx, id_info, neutralise, roster_cache_key,
                              row_problems)
from client.errors import ApiError, CentreUnreachable, ClientError
from client.roster import Roster
from client.store import LocalStore
from services.dictionaries import default_dictionaries
from services.policy import DEMO_POLICY
from tests.support.server import BUSINESS_DATE, make_centre



def _valid(number17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(number17, weights))
    return number17 + "10X98765432"[total % 11]


ID_A = _valid("11010119900307001")
ID_B = _valid("11010119850512002")
ID_C = _valid("44030119951111003")


class Recording(httpx.BaseTransport):
    """The in-process centre's transport, noting each answer's status (and able to go offline)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.statuses: list[tuple[str, int]] = []
        self.online = True

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self.online:
            raise httpx.ConnectError("down", request=request)
        response = self.inner.handle_request(request)
        self.statuses.append((request.url.path, response.status_code))
        return response


@pytest.fixture
def centre(tmp_path):
    with make_centre(tmp_path) as centre:
        yield centre


@pytest.fixture
def desk_side(centre, tmp_path):
    transport = Recording(centre.client._transport)
    api = CentreClient("http://127.0.0.1:8700", transport=transport)
    ukey = centre.ukey(centre.unit1)
    api.token = centre.login_token(centre.unit1, ukey)
    store = LocalStore(tmp_path / "desk.sqlite3")
    client = EmployeesClient(api, store, centre.unit1.unit_account, sign=ukey.sign)
    client.transport = transport
    yield client
    store.close()
    api.close()


def _ctx(client: EmployeesClient) -> EntryContext:
    unit = client.api.unit()
    departments = {d["code"]: d["name"] for d in client.departments()}
    return EntryContext(client.api.policy(), client.api.dictionaries(), client.api.business_date(), unit,
                        departments, client.roster())


def test_roster_is_cached_and_fetched_again_only_when_it_changed(desk_side):
    client = desk_side
    assert client.cached_roster() is None
    first = client.fetch_roster()
    assert len(first) == 12 and first.version
    cached = client.store.get_cache(roster_cache_key(client.unit_account))
    assert cached.etag == f'"{first.version}"'
    client.transport.statuses.clear()
    again = client.fetch_roster()
    assert client.transport.statuses == [("/api/v1/employees/roster", 304)]
    assert [e.person_account for e in again.entries] == [e.person_account for e in first.entries]
    # a business changes it: the next fetch gets the new one
    ctx = _ctx(client)
    row, problems = check_open_entry({"name": "新员工", "id_number": ID_A, "base": "6000"}, ctx)
    assert problems == {}
    answer = client.open_employees([row])
    account = answer["opened"][0]["person_account"]
    client.transport.statuses.clear()
    fresh = client.fetch_roster()
    assert client.transport.statuses == [("/api/v1/employees/roster", 200)]
    assert fresh.get(account).name == "新员工" and fresh.version != first.version
    # offline: the cached roster
    client.transport.online = False
    assert client.roster().version == fresh.version
    with pytest.raises(CentreUnreachable):
        client.fetch_roster()


def test_roster_search_by_name_id_or_account():
    roster = Roster.from_api({"version": "v1", "fields": ["person_account", "name", "id_number", "status"],
                              "rows": [["200100000001", "张三", ID_A, "01"], ["200100000002", "李四", ID_B, "02"],
                                       ["200100000010", "张三丰", ID_C, "01"]]})
    assert [e.name for e in roster.search("张三")] == ["张三", "张三丰"]
    assert [e.name for e in roster.search(ID_B[:10].lower())] == ["李四"]
    assert [e.name for e in roster.search(ID_B.lower())] == ["李四"]       # a lowercase x is fine
    assert [e.name for e in roster.search("20010000001")] == ["张三丰"]
    assert [e.name for e in roster.search("200100000010")] == ["张三丰"]
    assert [e.name for e in roster.search("2001")] == ["张三", "李四", "张三丰"]
    assert [e.name for e in roster.search("张", statuses={"02"})] == []
    assert [e.name for e in roster.search("", statuses={"02"})] == ["李四"]
    assert roster.get("200100000002").status_label == "封存"
    assert Roster.from_api(roster.to_api()).entries == roster.entries


def test_id_info_derives_gender_and_birth_date():
    assert id_info("01", ID_A, BUSINESS_DATE) == dt_info(ID_A, "男", "1990-03-07")
    info = id_info("01", ID_B.lower(), BUSINESS_DATE)
    assert info.ok and info.number == ID_B and info.gender == "女" and info.birth_date == "1985-05-12"
    bad = id_info("01", ID_A[:-1] + ("1" if ID_A[-1] != "1" else "2"), BUSINESS_DATE)
    assert not bad.ok and bad.message == "身份证号码校验位错误，请核对"
    assert id_info("03", "E12345678", BUSINESS_DATE).ok


def dt_info(number, gender, birth):
    from client.employees import IdInfo

    return IdInfo(True, number, gender, birth)


def _offline_ctx(roster: Roster | None = None) -> EntryContext:
    unit = {"unit_ratio": "12", "person_ratio": "12", "paid_through": "2025-02", "opened_on": "2020-01-01"}
    return EntryContext(DEMO_POLICY, default_dictionaries(), BUSINESS_DATE, unit, {"01": "综合管理部"}, roster)


def test_open_entry_checks_every_field_and_fills_the_defaults():
    row, problems = check_open_entry({"name": "王五", "id_number": ID_A.lower(), "base": "5,000.5",
                                      "department": "01", "mobile": "138 0013 8000"}, _offline_ctx())
    assert problems == {}
    assert row["id_number"] == ID_A and row["gender"] == "男" and row["birth_date"] == "1990-03-07"
    assert row["base"] == "5000.50" and row["unit_ratio"] == "12" and row["first_month"] == "2025-03"
    assert row["unit_monthly"] == "600.00" and row["monthly"] == "1200.00" and row["mobile"] == "13800138000"
    _row, problems = check_open_entry({"name": "", "id_number": "123", "base": "100", "department": "09",
                                       "mobile": "12345", "unit_ratio": "20", "first_month": "2030-01"},
                                      _offline_ctx())
    assert problems == {
        "name": "请填写姓名", "id_number": "身份证号码应为18位，当前为3位，请核对",
        "mobile": "手机号码应为以1开头的11位数字，请核对",
        "department": "部门代码09不存在，请先在单位部门管理中设立该部门",
        "base": "缴存基数100.00低于下限2420.00，请核对",
        "unit_ratio": "单位缴存比例20%不在5%–12%之间，请修改",
        "first_month": "首次缴存年月2030-01不能晚于2025-04，请核对",
    }


def test_open_entry_refuses_a_duplicate_and_points_a_sealed_person_to_unseal():
    roster = Roster.from_api({"fields": ["person_account", "name", "id_number", "status"],
                              "rows": [["200100000002", "李四", ID_B, "02"], ["200100000003", "赵六", ID_C, "01"]]})
    ctx = _offline_ctx(roster)
    _r, p = check_open_entry({"name": "甲", "id_number": ID_A, "base": "5000"}, ctx, [{"id_number": ID_A}])
    assert p == {"id_number": "证件号码与清册第1行重复，同一人只能登记一次"}
    _r, p = check_open_entry({"name": "李四", "id_number": ID_B, "base": "5000"}, ctx)
    assert p == {"id_number": "该职工在本单位已有封存账户（个人账号200100000002），请到缴存人状态变更办理启封，不能重复登记"}
    _r, p = check_open_entry({"name": "赵六", "id_number": ID_C, "base": "5000"}, ctx)
    assert p == {"id_number": "该职工已在本单位正常缴存（个人账号200100000003），无需重复登记"}


def test_status_entry_checks():
    roster = Roster.from_api({"fields": ["person_account", "name", "id_number", "status", "paid_through", "base"],
                              "rows": [["200100000002", "李四", ID_B, "02", "2024-10", "3000.00"],
                                       ["200100000003", "赵六", ID_C, "01", "2025-02", "8000.00"]]})
    ctx = _offline_ctx(roster)
    row, p = check_status_entry("seal", {"person_account": "200100000003", "reason": "2",
                                         "effective_month": "2025-03"}, ctx)
    assert p == {} and row["name"] == "赵六" and row["reason_label"] == "离职/解除劳动合同"
    _r, p = check_status_entry("seal", {"person_account": "200100000002", "reason": "离职/解除劳动合同",
                                        "effective_month": "2024-09"}, ctx)
    assert p == {"person_account": "该职工当前状态为封存，只有正常状态的职工可以封存",
                 "effective_month": "封存年月2024-09应晚于该职工的缴至年月2024-10，请核对"}
    _r, p = check_status_entry("seal", {"person_account": "200100000003", "reason": "2",
                                        "effective_month": "2025-03"}, ctx, [row])
    assert p == {"person_account": "该职工已在清册第1行，不能重复录入"}
    row, p = check_status_entry("unseal", {"person_account": "200100000002", "reason": "1",
                                           "effective_month": "2025-03", "base": "4000"}, ctx)
    assert p == {} and row["base"] == "4000.00" and row["old_base"] == "3000.00"
    _r, p = check_status_entry("unseal", {"person_account": "999", "reason": "", "effective_month": "x",
                                          "base": "1"}, ctx)
    assert p == {"person_account": "个人账号999不存在或不属于本单位，请核对", "reason": "请选择启封原因",
                 "effective_month": "启封年月格式不正确：x（应为YYYY-MM，如2025-03）",
                 "base": "缴存基数1.00低于下限2420.00，请核对"}


def test_open_seal_unseal_signed_through_the_outbox(desk_side):
    client = desk_side
    ctx = _ctx(client)
    rows = [check_open_entry({"name": n, "id_number": i, "base": "6000", "department": "01"}, ctx)[0]
            for n, i in (("甲", ID_A), ("乙", ID_B))]
    opened = client.open_employees(rows)["opened"]
    assert [o["row"] for o in opened] == [1, 2]
    items = client.store._items("1 = 1", ())
    assert items[-1].status == "done" and items[-1].body["signature"] and items[-1].label == "缴存人登记（2人）"
    roster = client.roster()
    accounts = [o["person_account"] for o in opened]
    assert all(roster.get(a).status == "01" for a in accounts)
    ctx = _ctx(client)
    seal_rows = [check_status_entry("seal", {"person_account": a, "reason": "2", "effective_month": "2025-04"},
                                    ctx)[0] for a in accounts]
    assert all(seal_rows)
    assert len(client.seal(seal_rows)["sealed"]) == 2
    ctx = _ctx(client)
    assert ctx.roster.get(accounts[0]).status == "02"
    unseal = [check_status_entry("unseal", {"person_account": accounts[0], "reason": "1",
                                            "effective_month": "2025-04", "base": "7000"}, ctx)[0]]
    assert client.unseal(unseal)["unsealed"][0]["person_account"] == accounts[0]


def test_a_refused_batch_lists_every_row_problem(desk_side):
    client = desk_side
    ctx = _ctx(client)
    holder = next(e for e in ctx.roster.entries if e.status == "01")
    good = check_open_entry({"name": "甲", "id_number": ID_A, "base": "6000"}, ctx)[0]
    # the same person twice gets past the single-entry check only if the 清册 is not looked at
    rows = [good, dict(good), {**good, "id_number": holder.id_number}]
    with pytest.raises(ApiError) as refused:
        client.open_employees(rows)
    assert refused.value.code == "rows_invalid"
    by_row, general = row_problems(refused.value, len(rows))
    assert general == []
    assert by_row[1] == ["证件号码与第1行重复，同一人只能登记一次"]  # no "证件号码：" twice
    assert by_row[2][0].startswith("证件号码：该职工已在本单位正常缴存")
    assert client.store.failed(client.unit_account)[-1].label == "缴存人登记（3人）"
    assert len(client.roster()) == 12  # nothing opened


def test_unreachable_submission_waits_with_its_key_and_is_applied_once(desk_side):
    client = desk_side
    ctx = _ctx(client)
    row = check_open_entry({"name": "甲", "id_number": ID_A, "base": "6000"}, ctx)[0]
    client.transport.online = False
    with pytest.raises(SubmissionPending) as pending:
        client.open_employees([row])
    assert "不会重复办理" in pending.value.message
    client.transport.online = True
    first = client.resend(pending.value.key, "完成办理")
    again = client.resend(pending.value.key, "完成办理")  # done: the stored answer, nothing sent
    assert first == again and len(first["opened"]) == 1
    assert len(client.roster()) == 13


def test_departments_and_transfers(desk_side):
    client = desk_side
    created = client.create_department("QA-1", "质量部")
    assert created == {"code": "QA-1", "name": "质量部", "active_count": 0, "sealed_count": 0}
    with pytest.raises(ApiError) as exists:
        client.create_department("QA-1", "别的")
    assert exists.value.message == "部门代码QA-1已存在，请使用其他代码"
    with pytest.raises(ClientError, match="部门代码应为1–20位字母、数字、-或_"):
        client.create_department("质量", "质量部")
    client.rename_department("QA-1", "质量保证部")
    person = next(e for e in client.roster().entries if e.department != "QA-1")
    moved = client.transfer([person.person_account], "QA-1")["transferred"]
    assert moved[0]["from_department"] == person.department
    assert client.roster().get(person.person_account).department == "QA-1"
    history = client.transfers(person_account=person.person_account)
    assert history[0]["to_department_name"] == "质量保证部"
    with pytest.raises(ApiError) as not_empty:
        client.delete_department("QA-1")
    assert "不能删除" in not_empty.value.message
    client.transfer([person.person_account], person.department)
    client.delete_department("QA-1")
    assert "QA-1" not in {d["code"] for d in client.departments()}


def test_draft_list_totals_status_and_the_stored_form(tmp_path):
    draft = DraftList([{"name": "甲", "base": "5000.00"}, {"name": "乙", "base": "1,234.50"}], money_keys=["base"])
    assert draft.total("base") == Decimal("6234.50") and draft.status(0) == READY
    draft.append({"name": "丙", "base": "100.00"})
    draft.set_status(1, REFUSED, "证件号码：校验位错误")
    assert draft.refused_count() == 1 and draft.message(1) == "证件号码：校验位错误"
    removed = draft.remove([0, 2])
    assert [r["name"] for r in removed] == ["甲", "丙"] and draft.total("base") == Decimal("1234.50")
    store = LocalStore(tmp_path / "s.sqlite3")
    place = DraftStore(store, "U1", "张丽", "employees.open")
    place.save(draft.snapshot())
    loaded = DraftList.from_snapshot(place.load(), money_keys=["base"])
    assert loaded.rows == draft.rows and loaded.total("base") == Decimal("1234.50")
    loaded.clear()
    place.save(loaded.snapshot())
    assert place.load() is None
    store.close()


def test_neutralise():
    assert [neutralise(t) for t in ("=1+1", "+86", "-5", "@SUM(A1)", "\tx", "张三", "")] == \
        ["'=1+1", "'+86", "'-5", "'@SUM(A1)", "'\tx", "张三", ""]


COLUMNS = [ExportColumn("name", "姓名"), ExportColumn("id_number", "证件号码", width=22),
           ExportColumn("balance", "余额", "money")]
EVIL = [{"name": "=HYPERLINK(\"http://x\",\"点我\")", "id_number": ID_A, "balance": "1234.50"},
        {"name": "+cmd|' /C calc'!A0", "id_number": "-1", "balance": "0.00"},
        {"name": "@SUM(1)", "id_number": ID_B, "balance": "-10.00"}]


def test_csv_export_writes_formulas_as_text(tmp_path):
    path = export_csv(tmp_path / "导出.csv", COLUMNS, EVIL)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["姓名", "证件号码", "余额"]
    assert rows[1] == ["'=HYPERLINK(\"http://x\",\"点我\")", ID_A, "1234.50"]
    assert rows[2] == ["'+cmd|' /C calc'!A0", "'-1", "0.00"]
    assert rows[3] == ["'@SUM(1)", ID_B, "-10.00"]   # an amount is a number, not text


def test_xlsx_export_never_writes_a_formula(tmp_path):
    from openpyxl import load_workbook

    path = export_xlsx(tmp_path / "导出.xlsx", COLUMNS, EVIL, title="缴存人账户信息", header_lines=["单位：测试"])
    sheet = load_workbook(path).active
    assert sheet.title == "缴存人账户信息" and sheet["A1"].value == "单位：测试"
    assert [c.value for c in sheet[2]] == ["姓名", "证件号码", "余额"]
    for cell in (sheet["A3"], sheet["A4"], sheet["A5"], sheet["B4"]):
        assert cell.data_type == "s", cell.value
        assert cell.quotePrefix
    assert sheet["A3"].value == "=HYPERLINK(\"http://x\",\"点我\")"
    assert sheet["B3"].value == ID_A and sheet["B3"].data_type == "s"
    assert sheet["C3"].value == Decimal("1234.5") or sheet["C3"].value == 1234.5
    assert sheet["C3"].number_format == "#,##0.00"
    # and the raw XML has no formula element at all
    import zipfile

    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_a_stored_draft_keeps_its_sums_and_recomputes_them_when_they_do_not_fit():
    draft = DraftList([{"base": "5000.00", "_status": REFUSED}, {"base": "1,000.50"}], money_keys=["base"])
    stored = draft.snapshot()
    assert stored["totals"] == {"base": "6000.50"} and stored["refused"] == 1 and stored["count"] == 2
    loaded = DraftList.from_snapshot(stored, money_keys=["base"])
    assert loaded.total("base") == Decimal("6000.50") and loaded.refused_count() == 1
    tampered = {**stored, "rows": stored["rows"] + [{"base": "9.50"}, "not a row"]}
    loaded = DraftList.from_snapshot(tampered, money_keys=["base"])   # count differs: added up again
    assert len(loaded) == 3 and loaded.total("base") == Decimal("6010.00") and loaded.refused_count() == 1
    assert len(DraftList.from_snapshot("garbage", money_keys=["base"])) == 0
    loaded.set_status(0, "ready")
    assert loaded.refused_count() == 0
    loaded.remove_range(0, 1)
    assert loaded.total("base") == Decimal("9.50")

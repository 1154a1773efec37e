"""client.approval_batches (基数调整 and 补缴 on the desk, no Qt): the split of a 补缴 total, the single-entry
checks (the rules of services.contribution_rules with the desk's wording), the payload built from the 清册,
the rows of an import merged into the 清册, a returned application's rows, and the two drafts in the local
store — the 清册 and the submission's progress, which resumes 提交审批 without a second application."""
import datetime as dt
from decimal import Decimal

import pytest

from client.applications import BusinessDraft, DraftFile
from client.approval_batches import (BASE, BATCHES, SUPPLEMENTARY, SubmissionPlace, adjustment_notice,
                                     attachment_rule, check_base_entry, check_supplementary_entry, merge_rows,
                                     prepare, rows_from_payload, split_preview)
from client.draft_list import DraftList, DraftStore
from client.employees import EntryContext
from client.errors import ClientError
from client.roster import Roster, RosterEntry
from client.store import LocalStore
from client.uploads import ScanFile
from services.contribution_rules import split_total
from services.dictionaries import default_dictionaries
from services.policy import DEMO_POLICY

JULY = dt.date(2026, 7, 10)
ZHANG = RosterEntry("200100000001", "张三", "01", "110101199001011237", "01", "01", "5000.00", "12", "12",
                    "2026-06", "2024-07-01")
LI = RosterEntry("200100000002", "李四", "01", "110101198805120427", "02", "01", "6000.00", "10", "8", "2026-03",
                 "2025-01-01")
WANG = RosterEntry("200100000003", "王五", "01", "110101199203030034", "01", "02", "4000.00", "7", "5",
                   "2026-06", "2026-02-15")


def context(day: dt.date = JULY) -> EntryContext:
    return EntryContext(DEMO_POLICY, default_dictionaries(), day, {}, {"01": "财务部", "02": "研发中心"},
                        Roster([ZHANG, LI, WANG], "v1"))


# -- the split of a total ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("total", "unit_ratio", "person_ratio", "unit", "own"), [
    ("1000.00", "12", "12", "500.00", "500.00"),
    ("1000.01", "12", "12", "500.01", "500.00"),      # half a fen rounds up on the unit side
    ("100.00", "7", "5", "58.33", "41.67"),           # 58.333… → 58.33, the rest personal
    ("0.01", "12", "12", "0.01", "0.00"),
    ("999.99", "5", "12", "294.11", "705.88"),        # 294.1147… → 294.11
    ("3581.00", "7.5", "5", "2148.60", "1432.40"),
])
def test_a_total_is_split_by_the_ratios_to_the_fen_and_adds_up(total, unit_ratio, person_ratio, unit, own):
    parts = split_total(Decimal(total), Decimal(unit_ratio), Decimal(person_ratio))
    assert parts == (Decimal(unit), Decimal(own))
    assert sum(parts) == Decimal(total)


def test_the_preview_splits_as_the_entry_does():
    assert split_preview(WANG, "100") == (Decimal("58.33"), Decimal("41.67"))
    assert split_preview(WANG, "abc") is None and split_preview(WANG, "0") is None
    assert split_preview(None, "100") is None
    row, problems = check_supplementary_entry({"person_account": WANG.person_account, "reason": "1",
                                               "from_month": "2026-03", "mode": "total", "total": "100"}, context())
    assert problems == {}
    assert (row["unit_amount"], row["person_amount"], row["entered_as"]) == ("58.33", "41.67", "合计按比例拆分")


# -- 基数调整: single entry -------------------------------------------------------------------------------
def test_base_entry_row_with_the_monthly_amounts_rounded_per_part():
    row, problems = check_base_entry({"person_account": WANG.person_account, "new_base": "4321.50"}, context())
    assert problems == {}
    # 4321.50 × 7% = 302.505 → 303, × 5% = 216.075 → 216 (each part to the yuan, half up)
    assert row == {"person_account": WANG.person_account, "name": "王五", "id_number": WANG.id_number,
                   "department": "02", "unit_ratio": "7", "person_ratio": "5", "old_base": "4000.00",
                   "new_base": "4321.50", "old_monthly": "480.00", "new_unit_monthly": "303.00",
                   "new_person_monthly": "216.00", "new_monthly": "519.00", "source": "录入"}


def test_base_entry_refusals_say_what_to_do():
    ctx = context()
    assert check_base_entry({"person_account": "", "new_base": ""}, ctx) == (
        None, {"person_account": "请选择需调整基数的职工", "new_base": "请填写调整后缴存基数"})
    assert check_base_entry({"person_account": "999", "new_base": "5,000元"}, ctx) == (
        None, {"person_account": "个人账号999不存在或不属于本单位，请核对",
               "new_base": "调整后缴存基数格式不正确：5,000元（应为金额，如5000.00）"})
    assert check_base_entry({"person_account": LI.person_account, "new_base": "7000"}, ctx) == (
        None, {"person_account": "该职工当前状态为封存，只有正常状态的职工可以调整基数"})
    assert check_base_entry({"person_account": ZHANG.person_account, "new_base": "5000.00"}, ctx) == (
        None, {"new_base": "调整后缴存基数与现缴存基数5000.00相同，无需调整，请删除该行"})
    assert check_base_entry({"person_account": ZHANG.person_account, "new_base": "40000"}, ctx) == (
        None, {"new_base": "缴存基数40000.00高于上限35811.00，请核对"})
    assert check_base_entry({"person_account": ZHANG.person_account, "new_base": "6000"}, ctx,
                            [{"person_account": ZHANG.person_account}]) == (
        None, {"person_account": "该职工已在清册第1行，不能重复录入；如需修改请先删除该行"})


def test_base_adjustment_only_in_the_adjustment_month():
    august = dt.date(2026, 8, 3)
    row, problems = check_base_entry({"person_account": ZHANG.person_account, "new_base": "6000"}, context(august))
    assert row is None and problems == {"month": "基数调整只能在每年7月办理，当前为8月"}
    assert adjustment_notice(DEMO_POLICY, august) == (
        "基数调整只能在每年7月办理，当前为8月（业务日期2026年8月3日），现在不能录入、导入或提交基数调整；"
        "清册中已有的记录会保留，可在调整月份提交。")
    assert adjustment_notice(DEMO_POLICY, JULY) is None


# -- 补缴: single entry ------------------------------------------------------------------------------------
def test_supplementary_entry_both_parts_or_one():
    row, problems = check_supplementary_entry({
        "person_account": ZHANG.person_account, "reason": "漏缴", "from_month": "2026-01", "to_month": "2026-03",
        "unit_amount": "1,200.00", "person_amount": ""}, context())
    assert problems == {}
    assert row == {"person_account": ZHANG.person_account, "name": "张三", "id_number": ZHANG.id_number,
                   "department": "01", "unit_ratio": "12", "person_ratio": "12", "reason": "1",
                   "reason_label": "漏缴", "from_month": "2026-01", "to_month": "2026-03", "months": 3,
                   "unit_amount": "1200.00", "person_amount": "0.00", "total": "1200.00", "entered_as": "分别填写",
                   "source": "录入"}


def test_supplementary_entry_refusals():
    ctx = context()
    assert check_supplementary_entry({"person_account": ZHANG.person_account}, ctx) == (None, {
        "reason": "请选择补缴原因", "from_month": "请填写补缴起始年月",
        "unit_amount": "请填写单位补缴金额和个人补缴金额（没有的一方填0）"})
    assert check_supplementary_entry({"person_account": ZHANG.person_account, "reason": "迟到", "from_month": "2026/13",
                                      "mode": "total", "total": "-5"}, ctx) == (None, {
        "reason": "补缴原因不正确，请从列表中选择", "from_month": "补缴起始年月格式不正确：2026/13（应为YYYY-MM，如2025-03）",
        "total": "补缴金额合计不能为负数"})
    # months: the range, not yet past, the look-back, before the opening
    assert check_supplementary_entry({"person_account": WANG.person_account, "reason": "1", "from_month": "2026-05",
                                      "to_month": "2026-04", "unit_amount": "1"}, ctx)[1] == {
        "to_month": "补缴终止年月2026-04早于起始年月2026-05，请核对"}
    assert check_supplementary_entry({"person_account": WANG.person_account, "reason": "1", "from_month": "2026-01",
                                      "to_month": "2026-07", "unit_amount": "1"}, ctx)[1] == {
        "to_month": "补缴年月2026-07不是已过去的月份（当前为2026-07），只能补缴2026-06及以前的月份",
        "from_month": "补缴起始年月2026-01早于该职工的开户年月2026-02，请核对"}
    assert check_supplementary_entry({"person_account": ZHANG.person_account, "reason": "1", "from_month": "2024-06",
                                      "unit_amount": "1"}, ctx)[1] == {
        "from_month": "补缴起始年月2024-06超过最长补缴期限24个月（最早2024-07），请核对"}
    # amounts over what the base cap allows (the person's ratios: 35811 × 12% = 4297 a month)
    assert check_supplementary_entry({"person_account": ZHANG.person_account, "reason": "1", "from_month": "2026-05",
                                      "to_month": "2026-06", "unit_amount": "8594.01", "person_amount": "8594"},
                                     ctx)[1] == {
        "unit_amount": "单位补缴金额8594.01超过按缴存基数上限35811.00计算的2个月最高额8594.00，请核对"}
    # nothing to pay
    assert check_supplementary_entry({"person_account": ZHANG.person_account, "reason": "1", "from_month": "2026-05",
                                      "unit_amount": "0", "person_amount": "0"}, ctx)[1] == {"total": "补缴金额应大于0"}


def test_supplementary_months_may_not_overlap_the_same_persons_rows_in_the_list():
    ctx = context()
    first, _ = check_supplementary_entry({"person_account": ZHANG.person_account, "reason": "1",
                                          "from_month": "2026-01", "to_month": "2026-03", "unit_amount": "10"}, ctx)
    other, _ = check_supplementary_entry({"person_account": WANG.person_account, "reason": "1",
                                          "from_month": "2026-03", "unit_amount": "10"}, ctx)
    assert check_supplementary_entry({"person_account": ZHANG.person_account, "reason": "1", "from_month": "2026-03",
                                      "to_month": "2026-04", "unit_amount": "10"}, ctx, [other, first])[1] == {
        "from_month": "补缴年月与清册第2行（2026-01至2026-03）重叠：同一职工同一月份只能补缴一次"}
    row, problems = check_supplementary_entry({"person_account": ZHANG.person_account, "reason": "1",
                                               "from_month": "2026-04", "unit_amount": "10"}, ctx, [other, first])
    assert problems == {} and row["from_month"] == row["to_month"] == "2026-04"


# -- the payload, the import's rows, a returned application ---------------------------------------------
def test_payloads_carry_exactly_the_api_fields():
    ctx = context()
    base_rows = [check_base_entry({"person_account": a, "new_base": b}, ctx)[0]
                 for a, b in ((ZHANG.person_account, "6000"), (WANG.person_account, "4321.5"))]
    assert BATCHES[BASE].payload(base_rows) == {"rows": [
        {"person_account": ZHANG.person_account, "old_base": "5000.00", "new_base": "6000.00"},
        {"person_account": WANG.person_account, "old_base": "4000.00", "new_base": "4321.50"}]}
    supplement, _ = check_supplementary_entry({"person_account": WANG.person_account, "reason": "4",
                                               "from_month": "2026-03", "to_month": "2026-05", "mode": "total",
                                               "total": "100"}, ctx)
    assert BATCHES[SUPPLEMENTARY].payload([{**supplement, "_status": "refused", "_message": "x"}]) == {"rows": [
        {"person_account": WANG.person_account, "reason": "4", "from_month": "2026-03", "to_month": "2026-05",
         "unit_amount": "58.33", "person_amount": "41.67"}]}
    with pytest.raises(ClientError, match="补缴清册中没有记录，请先录入清册或批量导入"):
        BATCHES[SUPPLEMENTARY].payload([])
    with pytest.raises(ClientError, match="基数调整清册第1行缺少现缴存基数，请删除该行后重新录入"):
        BATCHES[BASE].payload([{**base_rows[0], "old_base": ""}])


def test_imported_rows_already_in_the_list_are_refused_with_their_excel_row():
    ctx = context()
    zhang, _ = check_base_entry({"person_account": ZHANG.person_account, "new_base": "6000"}, ctx)
    imported = [{**zhang, "source": "导入第2行"},
                {**check_base_entry({"person_account": WANG.person_account, "new_base": "4500"}, ctx)[0],
                 "source": "导入第3行"}]
    good, refused = merge_rows(BASE, imported, [zhang])
    assert [r["person_account"] for r in good] == [WANG.person_account]
    assert refused == [(2, "该职工已在基数调整清册第1行，未重复加入")]
    listed, _ = check_supplementary_entry({"person_account": ZHANG.person_account, "reason": "1",
                                           "from_month": "2026-02", "to_month": "2026-04", "unit_amount": "5"}, ctx)
    later, _ = check_supplementary_entry({"person_account": ZHANG.person_account, "reason": "1",
                                          "from_month": "2026-05", "unit_amount": "5"}, ctx)
    overlapping = dict(listed, from_month="2026-04", to_month="2026-05", source="导入第7行")
    good, refused = merge_rows(SUPPLEMENTARY, [dict(later, source="导入第6行"), overlapping], [listed])
    assert [r["source"] for r in good] == ["导入第6行"]
    assert refused == [(7, "补缴年月与补缴清册第1行重叠：同一职工同一月份只能补缴一次，未加入")]


def test_a_returned_applications_rows_come_back_with_names_and_amounts():
    ctx = context()
    rows = rows_from_payload(BASE, {"rows": [{"person_account": WANG.person_account, "old_base": "4000.00",
                                              "new_base": "4321.50"}]}, ctx)
    assert rows == [dict(check_base_entry({"person_account": WANG.person_account, "new_base": "4321.50"}, ctx)[0],
                         source="退回的申请")]
    rows = rows_from_payload(SUPPLEMENTARY, {"rows": [{"person_account": LI.person_account, "reason": "2",
                                                       "from_month": "2026-01", "to_month": "2026-02",
                                                       "unit_amount": "20.00", "person_amount": "16.00"}]}, ctx)
    assert [(r["name"], r["reason_label"], r["months"], r["total"], r["source"]) for r in rows] == [
        ("李四", "少缴(基数/比例差额)", 2, "36.00", "退回的申请")]


def test_what_the_centre_says_about_a_type():
    types = [{"type": "base_adjustment", "label": "基数调整", "supported": True, "second_review": True,
              "attachments": [{"kind": "wage_proof", "label": "工资发放明细或基数调整审批表", "required": True},
                              {"kind": "other", "label": "其他材料", "required": False}]}]
    assert attachment_rule(types, "base_adjustment") == {
        "label": "基数调整", "required": "工资发放明细或基数调整审批表", "kind": "wage_proof", "supported": True,
        "second_review": True}
    assert attachment_rule([], "supplementary")["required"] == ""


# -- the drafts in the local store --------------------------------------------------------------------------
def test_the_list_and_the_submission_survive_a_restart(tmp_path):
    ctx = context()
    rows = [check_supplementary_entry({"person_account": ZHANG.person_account, "reason": "1",
                                       "from_month": "2026-01", "to_month": "2026-03", "mode": "total",
                                       "total": "1000.01"}, ctx)[0]]
    batch = BATCHES[SUPPLEMENTARY]
    path = tmp_path / "desk" / "local.sqlite3"
    store = LocalStore(path)
    listed = DraftList(rows, money_keys=batch.money_keys)
    DraftStore(store, "100100000001", "jbr01", batch.draft_module).save(listed.snapshot())
    place = SubmissionPlace(store, "100100000001", "jbr01", batch)
    assert place.load().to_json() == BusinessDraft(batch.type, {"rows": []}).to_json()   # nothing yet
    draft = prepare(place.load(), batch, rows)
    draft.files.append(DraftFile(ScanFile("ab" * 32, "证明.pdf", 16, "application/pdf")))
    draft.application_id, draft.application_no, draft.keys["create"] = 7, "20260710000007", "key-1"
    place.save(draft)
    store.close()

    again = LocalStore(path)
    back = DraftList.from_snapshot(DraftStore(again, "100100000001", "jbr01", batch.draft_module).load(),
                                   money_keys=batch.money_keys)
    assert back.rows == rows and back.total("total") == Decimal("1000.01")
    resumed = SubmissionPlace(again, "100100000001", "jbr01", batch).load()
    assert (resumed.application_id, resumed.application_no, resumed.keys) == (7, "20260710000007", {"create": "key-1"})
    assert resumed.payload == {"rows": [{"person_account": ZHANG.person_account, "reason": "1",
                                         "from_month": "2026-01", "to_month": "2026-03", "unit_amount": "500.01",
                                         "person_amount": "500.00"}]}
    assert [f.file.label for f in resumed.files] == ["证明.pdf"]
    # another operator, another business: their own
    assert SubmissionPlace(again, "100100000001", "jbr02", batch).load().application_id is None
    assert SubmissionPlace(again, "100100000001", "jbr01", BATCHES[BASE]).load().application_id is None
    # submitted: the progress goes
    SubmissionPlace(again, "100100000001", "jbr01", batch).save(BusinessDraft(batch.type, {"rows": []}))
    assert again.load_draft("100100000001", "jbr01", batch.submission_module) is None
    again.close()

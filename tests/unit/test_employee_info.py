"""The 缴存人信息变更 rules shared by desk and centre (services.employee_info): the items and their labels,
each check with the clerk's sentence, normalisation, display (codes as labels, money with two places), the
locked items' messages; and the desk's side without Qt (client.employee_info): what 录入清册 takes from the
form, the 清册 kept in a BusinessDraft, stale rows, the locked items as shown."""
from __future__ import annotations

from decimal import Decimal

import pytest

from client.applications import BusinessDraft
from client.employee_info import InfoDraft, current_values, entry, locked_text, new_draft
from services import employee_info as items
from services.dictionaries import Dictionaries, default_dictionaries

D = default_dictionaries()


def test_the_items_and_their_order():
    assert [(i.name, i.label) for i in items.ITEMS] == [
        ("education", "学历"), ("phone", "固定电话"), ("postcode", "邮政编码"), ("position", "职务"),
        ("occupation", "职业"), ("title", "职称"), ("marital_status", "婚姻状况"), ("home_address", "家庭住址"),
        ("family_income", "家庭月收入")]
    assert {n: i.dictionary for n, i in items.BY_NAME.items() if i.dictionary} == {
        "education": "education", "position": "position", "occupation": "occupation", "title": "title",
        "marital_status": "marital_status"}
    assert [n for n, i in items.BY_NAME.items() if i.money] == ["family_income"]


@pytest.mark.parametrize("name, message", [
    ("name", "姓名不能在网上变更，如需变更请携带证明材料到公积金中心柜台办理"),
    ("id_type", "证件类型不能在网上变更，如需变更请携带证明材料到公积金中心柜台办理"),
    ("id_number", "证件号码不能在网上变更，如需变更请携带证明材料到公积金中心柜台办理"),
    ("person_account", "个人账号由公积金中心发放，不能变更"),
    ("base", "缴存基数不能在缴存人信息变更中修改，请通过“基数调整”办理"),
    ("status", "个人账户状态不能在缴存人信息变更中修改，请通过“缴存人状态变更”办理封存或启封"),
])
def test_locked_items_say_where_they_change(name, message):
    assert items.locked_message(name) == message
    assert name not in items.BY_NAME


@pytest.mark.parametrize("name, text, value, problem", [
    ("education", "20", "20", None),
    ("education", " 10 ", "10", None),
    ("education", "", "", "请选择学历"),
    ("education", "50", "50", "学历代码“50”不在字典中，请从下拉列表中选择"),
    ("marital_status", "90", "90", None),
    ("marital_status", "已婚", "已婚", "婚姻状况代码“已婚”不在字典中，请从下拉列表中选择"),
    ("position", "3", "3", None),
    ("occupation", "2", "2", None),
    ("title", "9", "9", None),
    ("title", None, "", "请选择职称"),
    ("phone", "0571-88888888", "0571-88888888", None),
    ("phone", "010-62345678-8012", "010-62345678-8012", None),
    ("phone", "057188888888", "057188888888", None),
    ("phone", "88888888", "88888888", None),
    ("phone", " 0571 － 8888 8888 ", "0571-88888888", None),
    ("phone", "", "", None),
    ("phone", "13800138000", "13800138000", "固定电话格式不正确，应为区号-号码（可带分机号），如 0571-88888888"),
    ("phone", "0571-888", "0571-888", "固定电话格式不正确，应为区号-号码（可带分机号），如 0571-88888888"),
    ("phone", "电话0571", "电话0571", "固定电话格式不正确，应为区号-号码（可带分机号），如 0571-88888888"),
    ("postcode", "310012", "310012", None),
    ("postcode", "", "", None),
    ("postcode", "3100", "3100", "邮政编码应为6位数字"),
    ("postcode", "31001a", "31001a", "邮政编码应为6位数字"),
    ("home_address", " 示范市解放路1号 ", "示范市解放路1号", None),
    ("home_address", "", "", None),
    ("home_address", "路" * 200, "路" * 200, None),
    ("home_address", "路" * 201, "路" * 201, "家庭住址不能超过200个字（现为201个字）"),
    ("home_address", "一行\n二行", "一行\n二行", "家庭住址含有换行或不可见的控制字符，请删除后重新输入"),
    ("home_address", "解放\u200b路", "解放\u200b路", "家庭住址含有换行或不可见的控制字符，请删除后重新输入"),
    ("family_income", "12000", "12000.00", None),
    ("family_income", "12,000.5", "12000.50", None),
    ("family_income", "0", "0.00", None),
    ("family_income", "", "", None),
    ("family_income", "9999999.99", "9999999.99", None),
    ("family_income", "10000000", "10000000", "家庭月收入不能超过9,999,999.99元，请核对"),
    ("family_income", "-0.01", "-0.01", "家庭月收入不能为负数"),
    ("family_income", "12.345", "12.345", "家庭月收入最多保留两位小数"),
    ("family_income", "一万", "一万", "家庭月收入应为金额，如 12000.00"),
    ("family_income", "NaN", "NaN", "家庭月收入应为金额，如 12000.00"),
])
def test_checks(name, text, value, problem):
    checked = items.check(name, text, D)
    assert (checked.value, checked.problem) == (value, problem)
    assert checked.ok is (problem is None)


def test_a_centre_dictionary_wins_and_the_fixed_tables_are_the_fallback():
    centre = Dictionaries(7, {"position": {"A1": "总经理"}})
    assert items.check("position", "A1", centre).ok
    assert items.check("position", "3", centre).problem == "职务代码“3”不在字典中，请从下拉列表中选择"
    assert items.check("education", "20", centre).ok            # not sent by that centre: the fixed table
    assert items.check("education", "20", None).ok
    assert items.display("position", "A1", centre) == "总经理"


def test_display_and_text():
    assert items.display("education", "20", D) == "本科"
    assert items.display("marital_status", "40", D) == "离婚"
    assert items.display("occupation", "2", D) == "专业技术人员"
    assert items.display("education", "77", D) == "77"                # unknown code: as it is
    assert items.display("family_income", "12000.5", D) == "12000.50"
    assert items.display("family_income", "", D) == ""
    assert items.display("home_address", " 解放路 ", D) == "解放路"
    assert items.as_text("family_income", Decimal("12000.5")) == "12000.50"
    assert items.as_text("family_income", None) == ""
    assert items.as_text("education", None) == ""
    assert items.stored("family_income", "12000.50") == Decimal("12000.50")
    assert items.stored("family_income", "") is None
    assert items.stored("phone", "") == ""
    assert items.same("family_income", "12000", "12000.00")
    assert not items.same("family_income", "12000", "")
    assert items.same("education", " 20", "20") and not items.same("education", "20", "10")
    assert items.label("education") == "学历" and items.label("base") == "缴存基数"


# -- the desk's side ---------------------------------------------------------------------------------

PERSON = {"person_account": "200100000001", "name": "李明", "id_type": "01", "id_number": "110101199001011237",
          "base": "8000.00", "status": "02", "education": "20", "phone": "", "postcode": "310000", "position": "3",
          "occupation": "2", "title": "", "marital_status": "10", "home_address": "示范市解放路1号",
          "family_income": "12000.00"}


def test_current_values_and_the_locked_items():
    assert current_values(PERSON) == {
        "education": "20", "phone": "", "postcode": "310000", "position": "3", "occupation": "2", "title": "",
        "marital_status": "10", "home_address": "示范市解放路1号", "family_income": "12000.00"}
    assert current_values({**PERSON, "family_income": None})["family_income"] == ""
    assert [locked_text(n, PERSON) for n in ("person_account", "name", "status", "id_type", "id_number", "base")] == [
        "200100000001", "李明", "封存", "居民身份证", "110101199001011237", "8,000.00元"]
    assert locked_text("phone", {}) == ""


def test_entry_takes_the_changed_items_and_lists_every_problem():
    current = current_values(PERSON)
    form = {**current, "education": "10", "home_address": " 示范市滨江区江南大道88号 ", "family_income": "12000"}
    found = entry(current, form, D)
    assert found.problems == {}
    assert found.changes == [{"field": "education", "old": "20", "new": "10"},
                             {"field": "home_address", "old": "示范市解放路1号", "new": "示范市滨江区江南大道88号"}]
    bad = entry(current, {**form, "postcode": "3100", "phone": "13800138000", "title": ""}, D)
    assert bad.problems == {"phone": "固定电话格式不正确，应为区号-号码（可带分机号），如 0571-88888888",
                            "postcode": "邮政编码应为6位数字"}       # 职称 untouched: not checked
    assert entry(current, current, D).changes == []


def test_the_list_in_a_draft():
    draft = new_draft("200100000001")
    info = InfoDraft(draft)
    info.set_changes([{"field": "home_address", "old": "示范市解放路1号", "new": "示范市江南大道88号"},
                      {"field": "education", "old": "20", "new": "10"}])
    assert info.fields() == ["education", "home_address"]                 # the form's order
    assert info.rows(D) == [("education", "学历", "本科", "研究生"),
                            ("home_address", "家庭住址", "示范市解放路1号", "示范市江南大道88号")]
    assert draft.payload_rows() == info.changes()                          # what Applications.finish sends
    again = InfoDraft(BusinessDraft.from_json(draft.to_json()))            # the store's round trip
    assert again.person_account == "200100000001" and again.changes() == info.changes()
    assert info.stale(current_values(PERSON)) == []
    assert info.stale({**current_values(PERSON), "education": "30"}) == ["学历"]
    info.remove("education")
    assert info.fields() == ["home_address"] and not info.is_empty()
    info.remove("home_address")
    assert info.is_empty()
    info.start("200100000002")
    assert draft.payload == {"person_account": "200100000002", "changes": []}

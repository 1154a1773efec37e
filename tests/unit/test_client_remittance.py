"""client.remittance against the in-process centre: the breakdown of the next month, a signed 汇缴核定 of
two months through the outbox, the unallocated list with its roster, deleting only the latest one, and the
month choice never beyond the business month."""
from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from client.api import CentreClient
from client.employees import EmployeesClient, EntryContext, check_status_entry
from client.errors import ApiError, ClientError
from client.remittance import AssessmentPending, RemittanceClient, month_label
from client.store import LocalStore
from tests.support.server import make_centre


class Switch(httpx.BaseTransport):
    """The in-process centre, able to go offline."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner, self.online = inner, True

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self.online:
            raise httpx.ConnectError("down", request=request)
        return self.inner.handle_request(request)


@pytest.fixture
def remit(tmp_path):
    with make_centre(tmp_path) as centre:
        headers = {"Authorization": f"Bearer {centre.centre_token()}"}
        moved = centre.client.post("/centre/business-date", json={"date": "2025-05-12"}, headers=headers)
        assert moved.status_code == 200, moved.text
        switch = Switch(centre.client._transport)
        api = CentreClient("http://127.0.0.1:8700", transport=switch)
        ukey = centre.ukey(centre.unit1)
        api.token = centre.login_token(centre.unit1, ukey)
        store = LocalStore(tmp_path / "desk.sqlite3")
        client = RemittanceClient(api, store, centre.unit1.unit_account, sign=ukey.sign)
        client.switch = switch
        yield client
        store.close()
        api.close()


def test_breakdown_assess_two_months_list_detail_and_delete_only_the_latest(remit):
    nxt = remit.next()
    assert str(nxt.month) == "2025-03" and str(nxt.latest_month) == "2025-05"
    assert nxt.choosable == 3 and nxt.headcount == 12 and isinstance(nxt.amount, Decimal)
    assert nxt.amount == nxt.last.amount + nxt.added.amount - nxt.removed.amount
    assert nxt.headcount == nxt.last.headcount + nxt.added.headcount - nxt.removed.headcount
    assert nxt.months(2) == ["2025-03", "2025-04"] and nxt.total(2) == nxt.amount * 2
    with pytest.raises(ClientError, match="核定月数应为1–3个月"):
        nxt.months(4)

    answer = remit.assess(nxt.months(2))
    assert answer["message"] == "核定成功"
    made = answer["assessments"]
    assert [a["month"] for a in made] == ["2025-03", "2025-04"]
    assert made[0]["serial"].startswith("HJ") and len(made[0]["verification_code"]) == 8
    assert remit.store.pending(remit.unit_account) == []        # confirmed: nothing waits in the outbox
    after = remit.next()
    assert str(after.month) == "2025-05" and after.choosable == 1

    listed = remit.assessments("unallocated")
    assert [a["month"] for a in listed] == ["2025-03", "2025-04"]
    detail = remit.assessment(listed[0]["id"])
    assert len(detail["roster"]) == 12 and detail["roster"][0]["name"]

    with pytest.raises(ApiError) as refused:
        remit.delete(listed[0]["id"])
    assert refused.value.code == "not_latest" and "只能删除最近一次未分配的汇缴核定" in refused.value.message
    remit.delete(listed[1]["id"])
    assert [a["month"] for a in remit.assessments("unallocated")] == ["2025-03"]
    assert str(remit.next().month) == "2025-04"


def test_a_month_not_next_is_refused_with_the_centres_reason(remit):
    with pytest.raises(ApiError) as refused:
        remit.assess(["2025-04"])
    assert refused.value.code == "not_next_month" and "汇缴年月应从2025-03开始" in refused.value.message
    assert remit.assessments(None) == []


def test_month_label():
    assert month_label("2025-03") == "2025年03月" and month_label("x") == "x"


def test_who_explains_a_difference_and_the_breakdown_kept_for_the_slip(remit):
    """A person sealed from the next month on is 本月减少 (停止缴存); the breakdown each assessed month was made
    with is kept locally for its 汇补缴书 (the following months: same roster, no difference)."""
    people = EmployeesClient(remit.api, remit.store, remit.unit_account, sign=remit.sign)
    roster = people.roster()
    ctx = EntryContext(remit.api.policy(), remit.api.dictionaries(), remit.api.business_date(), remit.api.unit(),
                       {d["code"]: d["name"] for d in people.departments()}, roster)
    gone = roster.entries[0]
    row, problems = check_status_entry("seal", {"person_account": gone.person_account, "reason": "2",
                                                "effective_month": "2025-03"}, ctx)
    assert problems == {}
    people.seal([row])
    nxt = remit.next()
    assert nxt.removed.headcount == 1 and nxt.headcount == nxt.last.headcount - 1
    [person] = nxt.removed.people
    assert (person.person_account, person.reason, person.reason_label) == (gone.person_account, "left", "停止缴存")
    assert person.amount == nxt.removed.amount == nxt.last.amount - nxt.amount

    made = remit.assess(nxt.months(2))["assessments"]
    first, second = (remit.assessment(a["id"])["breakdown"] for a in made)     # kept by the centre
    assert first["removed"]["headcount"] == 1 and first["last"] == nxt.raw["last"]
    assert second["last"] == {"headcount": nxt.headcount, "amount": str(nxt.amount)}
    assert second["removed"]["headcount"] == 0


def test_an_unanswered_assessment_waits_and_is_applied_once(remit):
    nxt = remit.next()
    remit.switch.online = False
    with pytest.raises(AssessmentPending) as waiting:
        remit.assess(nxt.months(1))
    assert "恢复连接后再次点击【汇缴核定】" in waiting.value.message
    remit.switch.online = True
    answer = remit.resend(waiting.value.key, waiting.value.months)
    assert answer["message"] == "核定成功"
    again = remit.resend(waiting.value.key, waiting.value.months)     # the stored answer: not assessed twice
    assert again["assessments"][0]["id"] == answer["assessments"][0]["id"]
    assert [a["month"] for a in remit.assessments(None)] == ["2025-03"]
    assert remit.assessment(answer["assessments"][0]["id"])["breakdown"] is not None

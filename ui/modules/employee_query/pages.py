"""The three lists of 缴存人信息查询 (SPEC 4.10), each with 【查询】, 【打印】 (the printing report) and 【分享】
(xlsx / CSV / PDF): 账户信息 (by 开户日期 or one 个人账号, 状态, 部门), 客户信息变更查询, 账户状态变更查询."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox

from client.employees import ExportColumn
from services.dictionaries import PERSON_STATUS
from services.money import D, fmt_money
from ui.modules.employee_kit.hub import EmployeeHub
from ui.modules.employee_kit.picker import PersonPicker
from ui.modules.employee_kit.query_page import DateRange, QueryPage
from ui.modules.employee_kit.table import Col, money_text

TYPES = {"open": "开户", "seal": "封存", "unseal": "启封"}


def _picker(hub: EmployeeHub) -> PersonPicker:
    picker = PersonPicker(hub, show_details=False)
    picker.setMinimumWidth(280)
    return picker


def _who(picker: PersonPicker) -> str:
    entry = picker.entry
    return f"{entry.name}（{entry.person_account}）" if entry else ""


# -- 账户信息 ---------------------------------------------------------------------------------------------
ACCOUNT_COLUMNS = [
    Col("#", "序号", 50), Col("person_account", "个人账号", 120), Col("name", "姓名", 80),
    Col("id_number", "证件号码", 165), Col("department_label", "部门", 105), Col("status", "状态", 60, "status"),
    Col("base", "缴存基数", 95, "money"), Col("ratios", "缴存比例", 100), Col("monthly", "月缴存额", 95, "money"),
    Col("balance", "余额", 105, "money"), Col("paid_through", "缴至年月", 98, "month"), Col("opened_on", "开户日期", 100, "date")]
ACCOUNT_EXPORT = [
    ExportColumn("person_account", "个人账号", width=16), ExportColumn("name", "姓名", width=10),
    ExportColumn("id_number", "证件号码", width=21), ExportColumn("department_label", "部门", width=16),
    ExportColumn("status_label", "状态", width=8), ExportColumn("base", "缴存基数", "money", 12),
    ExportColumn("unit_ratio", "单位缴存比例(%)", width=10), ExportColumn("person_ratio", "个人缴存比例(%)", width=10),
    ExportColumn("unit_monthly", "单位月缴存额", "money", 12), ExportColumn("person_monthly", "个人月缴存额", "money", 12),
    ExportColumn("monthly", "月缴存额", "money", 12), ExportColumn("balance", "余额", "money", 14),
    ExportColumn("paid_through", "缴至年月", width=10), ExportColumn("opened_on", "开户日期", width=12)]


class AccountsPage(QueryPage):
    def __init__(self, hub: EmployeeHub, parent=None) -> None:
        session = hub.session
        opened = str(hub.unit.get("opened_on") or "")[:10]
        start = dt.date.fromisoformat(opened) if opened else session.business_date - dt.timedelta(days=365)
        self.dates = DateRange(start, session.business_date)
        self.person = _picker(hub)
        self.status = QComboBox()
        self.status.addItem("全部", "")
        for code in ("01", "02"):
            self.status.addItem(PERSON_STATUS[code], code)
        self.department = QComboBox()
        self.department.setMinimumWidth(140)
        super().__init__(hub, title="缴存人账户信息", columns=ACCOUNT_COLUMNS, report="employees",
                         filters=[("开户日期", self.dates), ("个人账号", self.person), ("状态", self.status),
                                  ("部门", self.department)],
                         export_columns=ACCOUNT_EXPORT, count_unit="人", shape=self._shape,
                         fetch=lambda client, p: client.employees(**p), params=self._params,
                         conditions=self._conditions, parent=parent)
        hub.departments_changed.connect(self._fill_departments)
        self._fill_departments()

    def _fill_departments(self) -> None:
        current = self.department.currentData()
        self.department.clear()
        self.department.addItem("全部", "")
        for d in self.hub.departments:
            self.department.addItem(d["name"], d["code"])
        if current:
            self.department.setCurrentIndex(max(0, self.department.findData(current)))

    def _params(self) -> dict:
        if self.person.entry is not None:  # one person: the dates do not matter
            return {"person_account": self.person.account()}
        start, end = self.dates.value()
        return {"opened_from": start, "opened_to": end, "status": self.status.currentData(),
                "department": self.department.currentData()}

    def _conditions(self) -> list[tuple[str, str]]:
        if self.person.entry is not None:
            return [("个人账号", _who(self.person))]
        return [("开户日期", self.dates.text()), ("状态", self.status.currentText()),
                ("部门", self.department.currentText())]

    def _shape(self, item: dict) -> dict:
        out = dict(item)
        out["department_label"] = item.get("department_name") or ""
        out["department"] = out["department_label"]          # the printed report shows the name
        out["status_label"] = PERSON_STATUS.get(str(item.get("status")), str(item.get("status") or ""))
        out["ratios"] = f"{item.get('unit_ratio')}% / {item.get('person_ratio')}%"
        out["monthly"] = fmt_money(D(item.get("unit_monthly") or "0") + D(item.get("person_monthly") or "0"))
        return out

    def show_result(self, items: list[dict]) -> None:
        super().show_result(items)
        if self.model.rows:
            monthly = sum((D(r["monthly"]) for r in self.model.rows), D("0"))
            balance = sum((D(r.get("balance") or "0") for r in self.model.rows), D("0"))
            self.count.setText(f"共 {len(self.model.rows)} 人　｜　月缴存额合计 {money_text(monthly)} 元　｜　"
                               f"余额合计 {money_text(balance)} 元")


# -- 客户信息变更查询 ------------------------------------------------------------------------------------
CHANGE_COLUMNS = [Col("#", "序号", 50), Col("changed_on", "变更日期", 100, "date"), Col("person_account", "个人账号", 140),
                  Col("name", "姓名", 80), Col("item", "变更项目", 110), Col("old", "变更前", 170), Col("new", "变更后", 170),
                  Col("operator", "经办人", 80), Col("channel", "渠道", 120)]
CHANGE_EXPORT = [ExportColumn("changed_on", "变更日期", width=12), ExportColumn("person_account", "个人账号", width=16),
                 ExportColumn("name", "姓名", width=10), ExportColumn("item", "变更项目", width=14),
                 ExportColumn("old", "变更前", width=22), ExportColumn("new", "变更后", width=22),
                 ExportColumn("operator", "经办人", width=10), ExportColumn("channel", "渠道", width=14)]


class ChangesPage(QueryPage):
    def __init__(self, hub: EmployeeHub, parent=None) -> None:
        today = hub.session.business_date
        self.dates = DateRange(today - dt.timedelta(days=365), today)
        self.person = _picker(hub)
        super().__init__(hub, title="缴存人客户信息变更查询", columns=CHANGE_COLUMNS, report="employee_changes",
                         filters=[("变更日期", self.dates), ("个人账号", self.person)], export_columns=CHANGE_EXPORT,
                         fetch=lambda client, p: client.changes(**p), params=self._params,
                         conditions=lambda: [("变更日期", self.dates.text()), ("个人账号", _who(self.person))],
                         parent=parent)

    def _params(self) -> dict:
        start, end = self.dates.value()
        return {"date_from": start, "date_to": end, "person_account": self.person.account()}


# -- 账户状态变更查询 ------------------------------------------------------------------------------------
STATUS_COLUMNS = [Col("#", "序号", 50), Col("person_account", "个人账号", 140), Col("name", "姓名", 80),
                  Col("id_number", "证件号码", 175), Col("type_label", "变更类型", 80), Col("reason_label", "原因", 170),
                  Col("effective_month", "生效年月", 100, "month"), Col("base", "缴存基数", 100, "money"),
                  Col("changed_on", "办理日期", 100, "date"), Col("operator", "经办人", 80)]
STATUS_EXPORT = [ExportColumn("person_account", "个人账号", width=16), ExportColumn("name", "姓名", width=10),
                 ExportColumn("id_number", "证件号码", width=21), ExportColumn("type_label", "变更类型", width=10),
                 ExportColumn("reason_label", "原因", width=22), ExportColumn("effective_month", "生效年月", width=10),
                 ExportColumn("base", "缴存基数", "money", 12), ExportColumn("changed_on", "办理日期", width=12),
                 ExportColumn("operator", "经办人", width=10)]


class StatusChangesPage(QueryPage):
    def __init__(self, hub: EmployeeHub, parent=None) -> None:
        today = hub.session.business_date
        self.person = _picker(hub)
        self.type = QComboBox()
        self.type.addItem("全部", "")
        for code in ("unseal", "seal", "open"):
            self.type.addItem(TYPES[code], code)
        self.dates = DateRange(today - dt.timedelta(days=365), today)
        super().__init__(hub, title="缴存人账户状态变更查询", columns=STATUS_COLUMNS, report="status_changes",
                         filters=[("个人账号", self.person), ("变更类型", self.type), ("办理日期", self.dates)],
                         export_columns=STATUS_EXPORT, shape=self._shape,
                         fetch=lambda client, p: client.status_changes(**p), params=self._params,
                         conditions=lambda: [("个人账号", _who(self.person)), ("变更类型", self.type.currentText()),
                                             ("办理日期", self.dates.text())], parent=parent)

    def _params(self) -> dict:
        start, end = self.dates.value()
        return {"date_from": start, "date_to": end, "person_account": self.person.account(),
                "type": self.type.currentData()}

    @staticmethod
    def _shape(item: dict) -> dict:
        out = dict(item)
        out["type_label"] = TYPES.get(item.get("type"), item.get("type") or "")
        out["reason_label"] = item.get("reason_label") or ("" if item.get("type") == "open" else item.get("reason", ""))
        out["type"], out["reason"] = out["type_label"], out["reason_label"]   # as the printed report shows them
        return out

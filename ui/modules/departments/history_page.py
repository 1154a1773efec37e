"""部门调动查询 (SPEC 4.11): by date range (the centre's business dates) and optionally one person: who
moved from where to where, when and by whom; 【打印】 as the printing report."""
from __future__ import annotations

import datetime as dt

from client.employees import ExportColumn
from ui.modules.employee_kit.hub import EmployeeHub
from ui.modules.employee_kit.picker import PersonPicker
from ui.modules.employee_kit.query_page import DateRange, QueryPage
from ui.modules.employee_kit.table import Col

COLUMNS = [Col("#", "序号", 60), Col("person_account", "个人账号", 150), Col("name", "姓名", 100),
           Col("from_label", "调出部门", 210), Col("to_label", "调入部门", 210), Col("transferred_on", "调动日期", 120, "date"),
           Col("operator", "经办人", 100)]
EXPORT = [ExportColumn("person_account", "个人账号", width=18), ExportColumn("name", "姓名", width=10),
          ExportColumn("from_department", "调出部门", width=20), ExportColumn("to_department", "调入部门", width=20),
          ExportColumn("transferred_on", "调动日期", width=12), ExportColumn("operator", "经办人", width=10)]


def _label(name, code) -> str:
    return f"{name}（{code}）" if name and code else (name or code or "未分配")


def shape(item: dict) -> dict:
    """Display fields; the printed report's 调出/调入部门 read as "名称（代码）" too."""
    out = dict(item)
    out["from_label"] = _label(item.get("from_department_name"), item.get("from_department"))
    out["to_label"] = _label(item.get("to_department_name"), item.get("to_department"))
    out["from_department"], out["to_department"] = out["from_label"], out["to_label"]
    return out


class TransferHistoryPage(QueryPage):
    def __init__(self, hub: EmployeeHub, parent=None) -> None:
        today = hub.session.business_date
        self.dates = DateRange(today - dt.timedelta(days=365), today)
        self.person = PersonPicker(hub, show_details=False)
        self.person.setMinimumWidth(300)
        super().__init__(hub, title="部门调动查询", columns=COLUMNS, report="department_transfers",
                         filters=[("调动日期", self.dates), ("职工", self.person)], export_columns=EXPORT,
                         share=False, count_unit="人次", shape=shape,
                         fetch=lambda client, p: client.transfers(**p), params=self._params,
                         conditions=self._conditions, parent=parent)

    def _params(self) -> dict:
        start, end = self.dates.value()
        return {"date_from": start, "date_to": end, "person_account": self.person.account()}

    def _conditions(self) -> list[tuple[str, str]]:
        who = self.person.entry
        return [("调动日期", self.dates.text()), ("职工", f"{who.name}（{who.person_account}）" if who else "")]

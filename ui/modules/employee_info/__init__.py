"""缴存人信息变更 (SPEC 4.12): tab.py (pick the employee, 录入清册, 待变更清册 with ×, 保存 → 档案扫描 (optional)
→ 提交), form.py (the locked items grey, the editable ones as drop-downs and line edits). The rules are
services/employee_info.py, the desk's logic client/employee_info.py. See docs/employee-info.md."""
from __future__ import annotations

TITLE = "缴存人信息变更"


def make_tab(main):
    from ui.modules.employee_info.tab import EmployeeInfoTab  # noqa: PLC0415

    return EmployeeInfoTab(main)


TAB = (TITLE, make_tab)

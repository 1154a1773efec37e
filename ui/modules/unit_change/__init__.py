"""单位信息变更 (SPEC 4.3): tab.py (the tab), form.py (the unit's fields, locked ones grey), fields.py (which
may change and their checks), change_list.py (待变更清册 with ×), scan.py + thumbs.py (档案扫描),
success.py (提交成功 and the receipt). See docs/unit-change.md."""
from __future__ import annotations

TITLE = "单位信息变更"


def make_tab(main):
    from ui.modules.unit_change.tab import UnitChangeTab  # noqa: PLC0415

    return UnitChangeTab(main)


TAB = (TITLE, make_tab)

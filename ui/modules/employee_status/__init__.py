"""缴存人状态变更 (SPEC 4.9). `TAB` is this module's line in ui.modules.module_tabs()."""
from __future__ import annotations


def _factory(main):
    from ui.modules.employee_status.tab import tab  # noqa: PLC0415

    return tab(main)


TAB = ("缴存人状态变更", _factory)

"""缴存人登记 (SPEC 4.8). `TAB` is this module's line in ui.modules.module_tabs()."""
from __future__ import annotations


def _factory(main):
    from ui.modules.employee_open.tab import tab  # noqa: PLC0415

    return tab(main)


TAB = ("缴存人登记", _factory)

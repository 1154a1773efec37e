"""汇缴 (SPEC 4.5): 汇缴核定 and 汇缴核定查询. `TAB` is this module's line in ui.modules.module_tabs()."""
from __future__ import annotations


def _factory(main):
    from ui.modules.remittance.tab import tab  # noqa: PLC0415

    return tab(main)


TAB = ("汇缴", _factory)

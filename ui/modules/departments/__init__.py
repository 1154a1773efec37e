"""单位部门管理 (SPEC 4.11). `TAB` is this module's line in ui.modules.module_tabs()."""
from __future__ import annotations


def _factory(main):
    from ui.modules.departments.tab import tab  # noqa: PLC0415

    return tab(main)


TAB = ("单位部门管理", _factory)

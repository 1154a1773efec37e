"""单位信息查询 (SPEC 4.7). `TAB` is this module's line in ui.modules.module_tabs()."""
from __future__ import annotations


def _factory(main):
    from ui.modules.unit_query.tab import tab  # noqa: PLC0415

    return tab(main)


TAB = ("单位信息查询", _factory)

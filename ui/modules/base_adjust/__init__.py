"""基数调整 (SPEC 4.4). `TAB` is this module's line in ui.modules.module_tabs(). See docs/base-adjustment.md."""
from __future__ import annotations

TITLE = "基数调整"


def _factory(main):
    from ui.modules.base_adjust.tab import BaseAdjustTab  # noqa: PLC0415

    return BaseAdjustTab(main)


TAB = (TITLE, _factory)

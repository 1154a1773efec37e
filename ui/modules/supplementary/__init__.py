"""补缴 (SPEC 4.6). `TAB` is this module's line in ui.modules.module_tabs(). See docs/supplementary-tab.md."""
from __future__ import annotations

TITLE = "补缴"


def _factory(main):
    from ui.modules.supplementary.tab import SupplementaryTab  # noqa: PLC0415

    return SupplementaryTab(main)


TAB = (TITLE, _factory)

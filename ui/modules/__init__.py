"""The business tabs of the main window, in the order the clerk sees them after 首页: the chapters of the
functional description (第3章 单位信息变更 … 第12章 缴存人信息变更; 自主开户 is on the login window).

Each entry is (tab title, factory); the factory gets the MainWindow (session, api, desk, `changed` signal)
and returns the tab's widget. A module adds itself with one line below; the main window builds them all.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.main_window import MainWindow

TabFactory = Callable[["MainWindow"], "QWidget"]


def module_tabs() -> list[tuple[str, TabFactory]]:
    """Imported on first use (after login), so the login window never pays for the business modules."""
    tabs: list[tuple[str, TabFactory]] = []
    # one line per module, e.g.:  from ui.modules.departments import tab as departments; tabs.append(departments)
    from ui.modules.unit_change import TAB as unit_change; tabs.append(unit_change)  # noqa: E702, PLC0415
    from ui.modules.base_adjust import TAB as base_adjust; tabs.append(base_adjust)  # noqa: E702, PLC0415
    from ui.modules.remittance import TAB as remittance; tabs.append(remittance)  # noqa: E702, PLC0415
    from ui.modules.supplementary import TAB as supplementary; tabs.append(supplementary)  # noqa: E702, PLC0415
    from ui.modules.unit_query import TAB as unit_query; tabs.append(unit_query)  # noqa: E702, PLC0415
    from ui.modules.employee_open import TAB as employee_open; tabs.append(employee_open)  # noqa: E702, PLC0415
    from ui.modules.employee_status import TAB as employee_status; tabs.append(employee_status)  # noqa: E702, PLC0415
    from ui.modules.employee_query import TAB as employee_query; tabs.append(employee_query)  # noqa: E702, PLC0415
    from ui.modules.departments import TAB as departments; tabs.append(departments)  # noqa: E702, PLC0415
    from ui.modules.employee_info import TAB as employee_info; tabs.append(employee_info)  # noqa: E702, PLC0415
    return tabs

"""自主开户 (SPEC 4.13), opened by 【自主开户】 on the login window: dialog.py (form → 提交审批 → the
application number and query code), form.py (the fields, required ones marked), status.py (状态查询)."""
from __future__ import annotations


def open_registration(desk, parent=None) -> None:
    from ui.registration.dialog import RegistrationDialog  # noqa: PLC0415 - not on the start-up path

    RegistrationDialog(desk, parent).exec()

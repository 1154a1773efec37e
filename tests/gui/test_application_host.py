"""ui.application_host: 提交成功 of an upload that finished while the window was locked waits for the unlock
(no dialog over the lock screen), then is said once; otherwise at once. 待办 / 我发起的 refresh either way."""
from __future__ import annotations

from types import SimpleNamespace

from ui.application_host import ApplicationHost


class Host(ApplicationHost):
    def __init__(self, locked: bool) -> None:
        self.scopes: list[str] = []
        self.main = SimpleNamespace(changed=SimpleNamespace(emit=self.scopes.append),
                                    lock=SimpleNamespace(locked=locked))
        self.said: list[tuple] = []

    def announce(self, *what) -> None:
        self.said.append(what)


def test_submitted_while_locked_is_announced_once_the_window_is_unlocked():
    host = Host(locked=True)
    host.announce_later({"application_no": "BG2026000001"}, [{"person_account": "P1"}])
    assert host.scopes == ["applications"] and host.said == []
    host.announce_waiting("applications")      # still locked: other changes say nothing
    assert host.said == []
    host.main.lock.locked = False
    host.announce_waiting("*")                 # the window's changed("*") after the unlock
    host.announce_waiting("*")
    assert host.said == [({"application_no": "BG2026000001"}, [{"person_account": "P1"}])]


def test_submitted_while_unlocked_is_announced_at_once():
    host = Host(locked=False)
    host.announce_later({"application_no": "BG2026000002"})
    assert host.scopes == ["applications"] and host.said == [({"application_no": "BG2026000002"},)]
    host.announce_waiting("*")
    assert len(host.said) == 1

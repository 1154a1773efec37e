"""The layer rules of docs/architecture.md, checked on the source: PySide6 only under ui/; the server
never imports the client; the client never imports the server; services imports nothing of ours."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(package: str):
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path, node.module


def offenders(package, forbidden):
    return sorted({f"{p.relative_to(ROOT)} imports {m}" for p, m in imported_modules(package)
                   if m.split(".")[0] in forbidden})


@pytest.mark.parametrize("package", ["services", "client", "hsm", "printing", "server_stub"])
def test_no_qt_below_ui(package):
    assert offenders(package, {"PySide6", "shiboken6", "ui"}) == []


def test_server_never_imports_the_client():
    assert offenders("server_stub", {"client", "ui", "printing"}) == []


def test_client_never_imports_the_server():
    assert offenders("client", {"server_stub", "ui"}) == []
    assert offenders("ui", {"server_stub"}) == []


def test_services_imports_nothing_of_ours():
    assert offenders("services", {"client", "ui", "hsm", "printing", "server_stub"}) == []


def test_hsm_imports_only_services():
    assert offenders("hsm", {"client", "ui", "printing", "server_stub"}) == []

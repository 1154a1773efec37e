"""The bytes a UKey signs (API.md "Signed submissions" and Auth). Shared by client and server."""
from __future__ import annotations

import json
from typing import Any


def canonical_json(body: dict[str, Any]) -> str:
    """The body without "signature", keys sorted, separators , and :, non-ASCII kept."""
    return json.dumps({k: v for k, v in body.items() if k != "signature"},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def submission_message(method: str, path: str, body: dict[str, Any]) -> bytes:
    """`path` is the request path from /api/v1 on, e.g. /api/v1/employees/open."""
    return f"gjj-sign|{method.upper()}|{path}|{canonical_json(body)}".encode("utf-8")


def login_message(nonce: str, unit_account: str, login_name: str) -> bytes:
    return f"gjj-login|{nonce}|{unit_account}|{login_name}".encode("utf-8")

"""Errors the client core raises, each with a Chinese sentence for the clerk, and the one classifier
the UI's error handler uses (user-facing / cancelled / unexpected)."""
from __future__ import annotations

import concurrent.futures
import enum
from typing import Any

UNREACHABLE_MESSAGE = "无法连接公积金中心服务器，请检查网络；恢复后将自动重试"
UNTRUSTED_MESSAGE = "无法验证中心服务器证书，请在服务器设置中选择中心CA证书文件"
SESSION_EXPIRED_MESSAGE = "登录已超时，请重新登录"

# Chinese text by HTTP status when the centre sends no problem+json detail.
_STATUS_MESSAGES = {
    400: "请求内容有误，请检查填写的内容",
    401: "身份验证失败，请重新登录",
    403: "没有权限办理此项业务",
    404: "要查找的记录不存在，请刷新后重试",
    409: "业务状态已变化，请刷新后重试",
    413: "文件过大，请压缩后重新上传",
    415: "文件类型不支持，请上传PDF、JPEG、PNG或TIFF文件",
    422: "提交的数据未通过校验，请按提示修改",
    429: "操作过于频繁，请稍后再试",
}
_SERVER_ERROR_MESSAGE = "公积金中心服务器处理出错，请稍后再试"
_OTHER_MESSAGE = "公积金中心返回了无法识别的应答，请稍后再试"

# 401s that refuse a password (at login, or the old password of 修改密码) without ending the session.
PASSWORD_REFUSALS = frozenset({"bad_credentials", "locked"})

# problem+json members that are not put into `extra`.
_PROBLEM_MEMBERS = {"type", "title", "status", "code", "detail", "errors", "instance"}


class ClientError(Exception):
    """An error meant for the clerk: `message` is a Chinese sentence saying what is wrong and what to do."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


class CentreUnreachable(ClientError):
    """The centre did not answer (network down, refused, timed out, connection dropped)."""

    def __init__(self, message: str = UNREACHABLE_MESSAGE) -> None:
        super().__init__(message)


class CentreCertificateUntrusted(ClientError):
    """TLS verification of the centre failed: no retry helps, the CA file setting must change."""

    def __init__(self, message: str = UNTRUSTED_MESSAGE) -> None:
        super().__init__(message)


class ApiError(ClientError):
    """The centre refused a call (non-2xx answer). `message` is the centre's Chinese `detail`."""

    def __init__(self, status: int, code: str | None = None, detail: str | None = None,
                 errors: list[dict[str, Any]] | None = None, extra: dict[str, Any] | None = None,
                 *, title: str | None = None, message: str | None = None) -> None:
        self.status = status
        self.code = code
        self.detail = detail
        self.title = title
        self.errors = list(errors or [])
        self.extra = dict(extra or {})
        super().__init__(message or detail or fallback_message(status))

    @classmethod
    def from_problem(cls, status: int, problem: dict[str, Any] | None, *,
                     session_call: bool = True) -> "ApiError":
        """Build the right subclass from a problem+json body (or None when the body was not JSON).

        `session_call`: the call was made with a session token, so a 401 that is not a password refusal
        means the session is gone (expired, logged out, its UKey certificate revoked …)."""
        problem = problem if isinstance(problem, dict) else {}
        code = problem.get("code")
        detail = problem.get("detail")
        errors = problem.get("errors")
        kwargs = dict(
            code=str(code) if code is not None else None,
            detail=detail if isinstance(detail, str) and detail.strip() else None,
            errors=[e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else [],
            extra={k: v for k, v in problem.items() if k not in _PROBLEM_MEMBERS},
            title=problem.get("title") if isinstance(problem.get("title"), str) else None,
        )
        if status == 401 and (code == "session_expired" or (session_call and code not in PASSWORD_REFUSALS)):
            # The centre's own words when it says why (a revoked UKey); else the plain sentence.
            specific = kwargs["detail"] if str(code or "").startswith("certificate_") else None
            return SessionExpired(message=specific, **kwargs)
        return cls(status, **kwargs)

    def row_messages(self) -> list[str]:
        """The per-row problems as the clerk reads them: "第3行 身份证号码校验位错误" (`field` is a key
        name for the UI to mark the cell, not for the clerk)."""
        out = []
        for err in self.errors:
            where = f"第{err['row']}行 " if err.get("row") is not None else ""
            out.append(f"{where}{err.get('message') or err.get('code') or ''}".strip())
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, detail={self.detail!r})"


class SessionExpired(ApiError):
    """The bearer token is no longer valid (idle or absolute expiry, logged out elsewhere)."""

    def __init__(self, status: int = 401, code: str | None = "session_expired", detail: str | None = None,
                 errors: list[dict[str, Any]] | None = None, extra: dict[str, Any] | None = None,
                 *, title: str | None = None, message: str | None = None) -> None:
        super().__init__(status, code or "session_expired", detail, errors, extra, title=title,
                         message=message or SESSION_EXPIRED_MESSAGE)


class LoginRefused(ApiError):
    """The centre refused the login; `message` is the sentence the login window shows."""


class Cancelled(Exception):
    """The clerk cancelled an operation: the error handler says nothing."""


def fallback_message(status: int) -> str:
    if status in _STATUS_MESSAGES:
        return _STATUS_MESSAGES[status]
    if status >= 500:
        return _SERVER_ERROR_MESSAGE
    return _OTHER_MESSAGE


class ErrorKind(enum.Enum):
    """What the UI's single error handler does with an exception."""

    USER = "user"              # show its Chinese message
    CANCELLED = "cancelled"    # say nothing
    UNEXPECTED = "unexpected"  # log with context, show a short generic message

    @classmethod
    def of(cls, exc: BaseException) -> "ErrorKind":
        if isinstance(exc, (Cancelled, concurrent.futures.CancelledError)):
            return cls.CANCELLED
        if isinstance(exc, ClientError) or _is_token_error(exc):
            return cls.USER
        return cls.UNEXPECTED


def _is_token_error(exc: BaseException) -> bool:
    # Imported lazily: importing client.errors must not pull in the UKey layer.
    try:
        from hsm.errors import TokenError
    except ImportError:  # pragma: no cover - hsm is part of the distribution
        return False
    return isinstance(exc, TokenError)

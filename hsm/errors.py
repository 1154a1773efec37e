"""UKey errors: each carries a Chinese sentence for the clerk in ``.message`` (``str(e)`` returns it).

The token process reports errors by class name and keyword arguments (``to_wire``/``from_wire``), so the
same classes are raised in the client process as in the token process.
"""

from __future__ import annotations

from typing import Any


class TokenError(Exception):
    """Any UKey failure. Raised as such for PKCS#11 return codes without a clerk-level meaning."""

    default_message = "UKey操作失败，请联系信息技术人员"

    def __init__(self, message: str | None = None, *, ckr: str | None = None) -> None:
        self.message = message or self.default_message
        self.ckr = ckr  # the CKR_* name when a PKCS#11 return code caused it, for IT staff and logs
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    @classmethod
    def from_ckr(cls, ckr: str, doing: str = "UKey操作") -> TokenError:
        return cls(f"{doing}失败（{ckr}），请联系信息技术人员处理", ckr=ckr)

    def _wire_kwargs(self) -> dict[str, Any]:
        return {"message": self.message, "ckr": self.ckr}

    def to_wire(self) -> tuple[str, dict[str, Any]]:
        return type(self).__name__, self._wire_kwargs()


class DriverNotFound(TokenError):
    def __init__(self, path: str, message: str | None = None, *, ckr: str | None = None) -> None:
        self.path = path
        super().__init__(
            message or f"未找到UKey驱动程序：{path or '（未设置）'}，请在“服务器设置”中检查PKCS#11驱动路径",
            ckr=ckr,
        )

    def _wire_kwargs(self) -> dict[str, Any]:
        return {"path": self.path, **super()._wire_kwargs()}


class NoToken(TokenError):
    default_message = "未检测到UKey，请插入UKey"


class PinIncorrect(TokenError):
    def __init__(
        self,
        count_low: bool = False,
        final_try: bool = False,
        message: str | None = None,
        *,
        ckr: str | None = "CKR_PIN_INCORRECT",
    ) -> None:
        self.count_low = count_low
        self.final_try = final_try
        if message is None:
            message = "UKey PIN码错误，请重新输入"
            if final_try:
                message += "（仅剩最后一次机会，再错将锁定UKey）"
            elif count_low:
                message += "（剩余尝试次数已不多）"
        super().__init__(message, ckr=ckr)

    def _wire_kwargs(self) -> dict[str, Any]:
        return {"count_low": self.count_low, "final_try": self.final_try, **super()._wire_kwargs()}


class PinLocked(TokenError):
    default_message = "UKey PIN码已锁定，请携带UKey到公积金中心办理解锁"


class TokenRemoved(TokenError):
    default_message = "UKey已被拔出，请重新插入UKey并输入PIN码"


class NotLoggedIn(TokenError):
    default_message = "UKey尚未验证PIN码"


class NoCertificate(TokenError):
    default_message = "UKey中没有证书，请到公积金中心重新发放UKey"


class TokenProcessDied(TokenError):
    default_message = "UKey服务进程意外退出，已重新启动，请重新输入PIN码"


class TokenTimeout(TokenError):
    default_message = "UKey驱动无响应，已重新启动UKey服务，请重新插入UKey后再试"


_WIRE_CLASSES: dict[str, type[TokenError]] = {
    cls.__name__: cls
    for cls in (
        TokenError,
        DriverNotFound,
        NoToken,
        PinIncorrect,
        PinLocked,
        TokenRemoved,
        NotLoggedIn,
        NoCertificate,
        TokenProcessDied,
        TokenTimeout,
    )
}


def from_wire(name: str, kwargs: dict[str, Any]) -> TokenError:
    """Rebuild an error the token process sent; unknown names become a plain TokenError."""
    cls = _WIRE_CLASSES.get(name)
    if cls is None:
        return TokenError(kwargs.get("message"), ckr=kwargs.get("ckr"))
    return cls(**kwargs)

"""PyKCS11 helpers shared by the token process and provisioning: loading the driver, finding tokens,
logging in, and turning PKCS#11 return codes into the clerk-facing errors of ``hsm.errors``."""

from __future__ import annotations

import PyKCS11
from PyKCS11 import PyKCS11Error

from hsm.errors import DriverNotFound, NoToken, PinIncorrect, PinLocked, TokenError

# Return codes that mean "the UKey is no longer the one we opened" (ARCHITECTURE.md, "The UKey and login").
# CKR_SLOT_ID_INVALID is added for readers that vanish together with their token.
REMOVED_CKRS = frozenset(
    {
        PyKCS11.CKR_DEVICE_REMOVED,
        PyKCS11.CKR_TOKEN_NOT_PRESENT,
        PyKCS11.CKR_SESSION_HANDLE_INVALID,
        PyKCS11.CKR_SESSION_CLOSED,
        PyKCS11.CKR_GENERAL_ERROR,
        PyKCS11.CKR_SLOT_ID_INVALID,
    }
)

_WRONG_PIN_CKRS = frozenset({PyKCS11.CKR_PIN_INCORRECT, PyKCS11.CKR_PIN_INVALID, PyKCS11.CKR_PIN_LEN_RANGE})


def ckr_name(value: int) -> str:
    name = PyKCS11.CKR.get(value)
    return name if isinstance(name, str) else f"CKR_0x{value & 0xFFFFFFFF:08X}"


def error_from_ckr(exc: PyKCS11Error, doing: str = "UKey操作") -> TokenError:
    """A generic TokenError naming the CKR code (negative values are PyKCS11's own wrapper errors)."""
    if exc.value < 0:
        return TokenError(f"{doing}失败（PyKCS11: {exc}），请联系信息技术人员处理")
    return TokenError.from_ckr(ckr_name(exc.value), doing)


def load_library(module_path: str) -> PyKCS11.PyKCS11Lib:
    """Load and C_Initialize the driver; a missing or non-PKCS#11 file is DriverNotFound."""
    if not module_path or not module_path.strip():
        raise DriverNotFound(module_path or "")
    lib = PyKCS11.PyKCS11Lib()
    try:
        lib.load(module_path)
    except PyKCS11Error as exc:
        if exc.value < 0:  # dlopen failed or no C_GetFunctionList: not a PKCS#11 library
            raise DriverNotFound(module_path) from exc
        raise error_from_ckr(exc, "UKey驱动初始化") from exc
    return lib


def token_serial(info: PyKCS11.CK_TOKEN_INFO) -> str:
    return info.serialNumber.strip()


def token_label(info: PyKCS11.CK_TOKEN_INFO) -> str:
    return info.label.strip()


def initialised_tokens(lib: PyKCS11.PyKCS11Lib) -> list[tuple[int, PyKCS11.CK_TOKEN_INFO]]:
    """(slot, token info) for every initialised token present now. A slot whose token vanished since the
    slot list was read is skipped; SoftHSM's spare uninitialised slot is not a UKey."""
    found = []
    for slot in lib.getSlotList(tokenPresent=True):
        try:
            info = lib.getTokenInfo(slot)
        except PyKCS11Error as exc:
            if exc.value in REMOVED_CKRS:
                continue
            raise
        if info.flags & PyKCS11.CKF_TOKEN_INITIALIZED:
            found.append((slot, info))
    return found


def find_token(
    tokens: list[tuple[int, PyKCS11.CK_TOKEN_INFO]], *, serial: str | None = None, label: str | None = None
) -> tuple[int, PyKCS11.CK_TOKEN_INFO]:
    for slot, info in tokens:
        if serial is not None and token_serial(info) != serial:
            continue
        if label is not None and token_label(info) != label:
            continue
        return slot, info
    if label is not None:
        raise NoToken(f"未找到标签为“{label}”的UKey，请插入UKey")
    raise NoToken()


def pin_error(lib: PyKCS11.PyKCS11Lib, slot: int) -> TokenError:
    """After a refused PIN: PinLocked if the token now says so, else PinIncorrect with its retry flags."""
    try:
        flags = lib.getTokenInfo(slot).flags
    except PyKCS11Error:
        flags = 0
    if flags & PyKCS11.CKF_USER_PIN_LOCKED:
        return PinLocked()
    return PinIncorrect(
        count_low=bool(flags & PyKCS11.CKF_USER_PIN_COUNT_LOW),
        final_try=bool(flags & PyKCS11.CKF_USER_PIN_FINAL_TRY),
    )


def login_user(lib: PyKCS11.PyKCS11Lib, slot: int, session: PyKCS11.Session, pin: str) -> None:
    """C_Login as the user, mapping PIN return codes to PinIncorrect / PinLocked."""
    if lib.getTokenInfo(slot).flags & PyKCS11.CKF_USER_PIN_LOCKED:
        raise PinLocked()
    if not pin:  # an empty PIN would mean "protected authentication path" to PyKCS11; never try it
        raise PinIncorrect(ckr=None)
    try:
        session.login(pin)
    except PyKCS11Error as exc:
        if exc.value == PyKCS11.CKR_USER_ALREADY_LOGGED_IN:
            return
        if exc.value == PyKCS11.CKR_PIN_LOCKED:
            raise PinLocked(ckr="CKR_PIN_LOCKED") from exc
        if exc.value in _WRONG_PIN_CKRS:
            raise pin_error(lib, slot) from exc
        raise


def first_object(session: PyKCS11.Session, template: list[tuple[int, object]]):
    objects = session.findObjects(template)
    return objects[0] if objects else None


def attribute_bytes(session: PyKCS11.Session, obj, attr: int) -> bytes:
    return bytes(session.getAttributeValue(obj, [attr], allAsBinary=True)[0])


def quietly(func, *args) -> None:
    """Clean-up calls (close, logout, unload) whose failure changes nothing for the caller."""
    try:
        func(*args)
    except PyKCS11Error:
        pass

"""The clerk-facing texts of UKey errors, and their trip across the token-process pipe."""

import pickle

import pytest

from hsm import errors
from hsm.errors import (
    DriverNotFound,
    NoCertificate,
    NotLoggedIn,
    NoToken,
    PinIncorrect,
    PinLocked,
    TokenError,
    TokenProcessDied,
    TokenRemoved,
    TokenTimeout,
)
from hsm.types import TokenInfo, TokenState


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (
            DriverNotFound("/opt/vendor/libukey.so"),
            "未找到UKey驱动程序：/opt/vendor/libukey.so，请在“服务器设置”中检查PKCS#11驱动路径",
        ),
        (NoToken(), "未检测到UKey，请插入UKey"),
        (PinIncorrect(False, False), "UKey PIN码错误，请重新输入"),
        (PinIncorrect(True, False), "UKey PIN码错误，请重新输入（剩余尝试次数已不多）"),
        (PinIncorrect(False, True), "UKey PIN码错误，请重新输入（仅剩最后一次机会，再错将锁定UKey）"),
        (PinIncorrect(True, True), "UKey PIN码错误，请重新输入（仅剩最后一次机会，再错将锁定UKey）"),
        (PinLocked(), "UKey PIN码已锁定，请携带UKey到公积金中心办理解锁"),
        (TokenRemoved(), "UKey已被拔出，请重新插入UKey并输入PIN码"),
        (NotLoggedIn(), "UKey尚未验证PIN码"),
        (NoCertificate(), "UKey中没有证书，请到公积金中心重新发放UKey"),
        (TokenProcessDied(), "UKey服务进程意外退出，已重新启动，请重新输入PIN码"),
        (TokenTimeout(), "UKey驱动无响应，已重新启动UKey服务，请重新插入UKey后再试"),
    ],
)
def test_message_is_the_clerks_sentence(error, text):
    assert isinstance(error, TokenError)
    assert error.message == text
    assert str(error) == text


def test_generic_error_names_the_ckr_code_for_it_staff():
    error = TokenError.from_ckr("CKR_DEVICE_ERROR")
    assert "CKR_DEVICE_ERROR" in error.message
    assert error.ckr == "CKR_DEVICE_ERROR"


@pytest.mark.parametrize(
    "error",
    [
        DriverNotFound("/x/lib.so"),
        PinIncorrect(count_low=True, final_try=False),
        PinLocked(),
        TokenError.from_ckr("CKR_FUNCTION_FAILED"),
        NoToken("未找到标签为“A”的UKey，请插入UKey"),
    ],
)
def test_errors_cross_the_pipe_unchanged(error):
    again = errors.from_wire(*error.to_wire())
    assert type(again) is type(error)
    assert again.message == error.message
    assert again.ckr == error.ckr
    assert vars(again) == vars(error)


def test_values_are_frozen_and_picklable():
    info = TokenInfo(1, "UKEY01", "abc", "SoftHSM project", "SoftHSM v2", False, False, False)
    state = TokenState(present=True, serial="abc", label="UKEY01")
    assert pickle.loads(pickle.dumps(info)) == info
    assert pickle.loads(pickle.dumps(state)) == state
    assert TokenState(present=False) == TokenState(False, None, None, None)
    with pytest.raises(AttributeError):
        state.present = False

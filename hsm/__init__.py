"""The UKey: PKCS#11 token access in a separate token process (``TokenClient``), the errors a clerk sees,
and (in ``hsm.provision``) the helpers the centre uses to issue UKeys. No Qt here."""

from hsm.client import TokenClient
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

__all__ = [
    "DriverNotFound",
    "NoCertificate",
    "NoToken",
    "NotLoggedIn",
    "PinIncorrect",
    "PinLocked",
    "TokenClient",
    "TokenError",
    "TokenInfo",
    "TokenProcessDied",
    "TokenRemoved",
    "TokenState",
    "TokenTimeout",
]

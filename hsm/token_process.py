"""The token process: owns the PKCS#11 driver and the one logged-in UKey session, and answers
``(op, args)`` requests from ``hsm.client.TokenClient`` over a multiprocessing pipe.

It runs apart from the client because PyKCS11 holds the GIL during token calls and a vendor driver may
crash or hang; neither may freeze or kill the window. Nothing here draws anything.
"""

from __future__ import annotations

import hashlib
import os
import signal
import time
from typing import Any

import PyKCS11
from PyKCS11 import Mechanism, PyKCS11Error

from hsm.errors import NoCertificate, NoToken, NotLoggedIn, TokenError, TokenRemoved
from hsm.pkcs11 import (
    REMOVED_CKRS,
    attribute_bytes,
    error_from_ckr,
    find_token,
    first_object,
    initialised_tokens,
    load_library,
    login_user,
    quietly,
    token_label,
    token_serial,
)
from hsm.types import TokenInfo, TokenState

# CKA_EC_PARAMS (DER OID) → our key-type name.
_EC_CURVES = {
    bytes.fromhex("06082a8648ce3d030107"): "ec-p256",
    bytes.fromhex("06052b81040022"): "ec-p384",
}
_USER_SESSION_STATES = {PyKCS11.CKS_RO_USER_FUNCTIONS, PyKCS11.CKS_RW_USER_FUNCTIONS}


class TokenBackend:
    """PKCS#11 state of the token process. Every public method is one request of the pipe protocol."""

    def __init__(self, module_path: str) -> None:
        self.module_path = module_path
        self._lib: PyKCS11.PyKCS11Lib | None = None
        self._session: PyKCS11.Session | None = None
        self._slot: int | None = None
        self._serial: str | None = None
        self._label: str | None = None
        self._key = None
        self._key_type: str | None = None
        self._removed = False  # the last login ended because the UKey went away

    @property
    def logged_in(self) -> bool:
        return self._session is not None

    # --- library and session bookkeeping -------------------------------------------------------------

    def _library(self) -> PyKCS11.PyKCS11Lib:
        if self._lib is None:
            self._lib = load_library(self.module_path)
        return self._lib

    def _reload(self) -> PyKCS11.PyKCS11Lib:
        """Unload and load the driver: SoftHSM (and some vendor drivers) only see tokens that existed when
        C_Initialize ran. Costs about 0.5 ms with SoftHSM."""
        self._drop_session(removed=True)
        self._unload()
        return self._library()

    def _unload(self) -> None:
        if self._lib is not None:
            quietly(self._lib.unload)
            self._lib = None

    def _drop_session(self, *, removed: bool) -> None:
        if self._session is None:
            return
        quietly(self._session.closeSession)
        self._session = self._slot = self._serial = self._label = self._key = self._key_type = None
        self._removed = removed

    def _check_session(self) -> None:
        """Drop the login if its UKey was pulled, replaced by another one, or logged out behind our back."""
        if self._session is None:
            return
        try:
            info = self._library().getTokenInfo(self._slot)
            state = self._session.getSessionInfo().state
        except PyKCS11Error as exc:
            if exc.value in REMOVED_CKRS:
                self._drop_session(removed=True)
                return
            raise
        if token_serial(info) != self._serial:
            self._drop_session(removed=True)
        elif state not in _USER_SESSION_STATES:
            self._drop_session(removed=False)

    def _tokens(self) -> list[tuple[int, PyKCS11.CK_TOKEN_INFO]]:
        tokens = initialised_tokens(self._library())
        if not tokens:
            tokens = initialised_tokens(self._reload())
        return tokens

    def _token(self, serial: str | None) -> tuple[int, PyKCS11.CK_TOKEN_INFO]:
        return find_token(self._tokens(), serial=serial)

    # --- requests --------------------------------------------------------------------------------------

    def sleep(self, seconds: float) -> None:
        """Test-only: stands in for a driver call that hangs."""
        time.sleep(seconds)

    def state(self) -> TokenState:
        self._check_session()
        if self._session is not None:
            return TokenState(present=True, serial=self._serial, label=self._label)
        tokens = self._tokens()
        if not tokens:
            return TokenState(present=False)
        _, info = tokens[0]
        return TokenState(present=True, serial=token_serial(info), label=token_label(info))

    def list_tokens(self) -> list[TokenInfo]:
        self._check_session()
        return [
            TokenInfo(
                slot=slot,
                label=token_label(info),
                serial=token_serial(info),
                manufacturer=info.manufacturerID.strip(),
                model=info.model.strip(),
                pin_count_low=bool(info.flags & PyKCS11.CKF_USER_PIN_COUNT_LOW),
                pin_final_try=bool(info.flags & PyKCS11.CKF_USER_PIN_FINAL_TRY),
                pin_locked=bool(info.flags & PyKCS11.CKF_USER_PIN_LOCKED),
            )
            for slot, info in self._tokens()
        ]

    def certificate(self, serial: str | None = None) -> bytes:
        self._check_session()
        if self._session is not None and serial in (None, self._serial):
            return self._certificate_der(self._session)
        slot, _ = self._token(serial)
        session = self._library().openSession(slot)
        try:
            return self._certificate_der(session)
        finally:
            session.closeSession()

    def login(self, pin: str, serial: str | None = None) -> str:
        self._drop_session(removed=False)
        self._removed = False
        lib = self._library()
        slot, info = self._token(serial)
        session = lib.openSession(slot)
        try:
            login_user(lib, slot, session, pin)
            key, key_type = self._signing_key(session)
        except BaseException:
            quietly(session.closeSession)  # closing the last session also logs out
            raise
        self._session, self._slot, self._key, self._key_type = session, slot, key, key_type
        self._serial, self._label = token_serial(info), token_label(info)
        return key_type

    def logout(self) -> None:
        if self._session is not None:
            quietly(self._session.logout)
        self._drop_session(removed=False)

    def sign(self, data: bytes) -> bytes:
        self._check_session()
        if self._session is None:
            raise TokenRemoved() if self._removed else NotLoggedIn()
        try:
            if self._key_type.startswith("rsa"):
                return bytes(self._session.sign(self._key, data, Mechanism(PyKCS11.CKM_SHA256_RSA_PKCS)))
            # SoftHSM has no CKM_ECDSA_SHA256: hash here, sign the digest, return DER like everyone else.
            raw = bytes(self._session.sign(self._key, hashlib.sha256(data).digest(), Mechanism(PyKCS11.CKM_ECDSA)))
        except PyKCS11Error as exc:
            if exc.value in REMOVED_CKRS:
                self._drop_session(removed=True)
                raise TokenRemoved() from exc
            if exc.value == PyKCS11.CKR_USER_NOT_LOGGED_IN:
                self._drop_session(removed=False)
                raise NotLoggedIn() from exc
            raise
        return ecdsa_raw_to_der(raw)

    def close(self) -> None:
        self.logout()
        self._unload()

    # --- objects ---------------------------------------------------------------------------------------

    @staticmethod
    def _certificate_der(session: PyKCS11.Session) -> bytes:
        cert = first_object(session, [(PyKCS11.CKA_CLASS, PyKCS11.CKO_CERTIFICATE)])
        if cert is None:
            raise NoCertificate()
        return attribute_bytes(session, cert, PyKCS11.CKA_VALUE)

    @staticmethod
    def _signing_key(session: PyKCS11.Session):
        """The private key whose CKA_ID matches the (first) certificate's, and its key-type name."""
        cert = first_object(session, [(PyKCS11.CKA_CLASS, PyKCS11.CKO_CERTIFICATE)])
        if cert is None:
            raise NoCertificate()
        key_id = attribute_bytes(session, cert, PyKCS11.CKA_ID)
        key = first_object(session, [(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY), (PyKCS11.CKA_ID, key_id)])
        if key is None:
            raise NoCertificate("UKey中没有与证书对应的私钥，请到公积金中心重新发放UKey")
        kind = session.getAttributeValue(key, [PyKCS11.CKA_KEY_TYPE])[0]
        if kind == PyKCS11.CKK_RSA:
            modulus = int.from_bytes(attribute_bytes(session, key, PyKCS11.CKA_MODULUS), "big")
            return key, f"rsa{modulus.bit_length()}"
        if kind == PyKCS11.CKK_EC:
            params = attribute_bytes(session, key, PyKCS11.CKA_EC_PARAMS)
            if params in _EC_CURVES:
                return key, _EC_CURVES[params]
        raise TokenError(f"UKey中的密钥类型不受支持（{PyKCS11.CKK.get(kind, kind)}），请联系信息技术人员处理")


def ecdsa_raw_to_der(raw: bytes) -> bytes:
    """PKCS#11 ECDSA gives r‖s of equal length; X.509 verifiers want the DER SEQUENCE of two INTEGERs."""
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    half = len(raw) // 2
    return encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))


def _reply(backend: TokenBackend, op: str, args: tuple) -> tuple:
    try:
        if op.startswith("_") or op == "close" or not callable(getattr(backend, op, None)):
            raise TokenError(f"UKey服务不支持的请求：{op}")
        value: Any = getattr(backend, op)(*args)
        return ("ok", value, backend.logged_in)
    except TokenError as exc:
        return ("err", *exc.to_wire(), backend.logged_in)
    except PyKCS11Error as exc:
        err = NoToken() if exc.value in (PyKCS11.CKR_DEVICE_REMOVED, PyKCS11.CKR_TOKEN_NOT_PRESENT) else error_from_ckr(exc)
        return ("err", *err.to_wire(), backend.logged_in)
    except Exception as exc:  # a bug or a driver oddity: report it, keep serving
        err = TokenError(f"UKey服务内部错误（{type(exc).__name__}: {exc}），请联系信息技术人员处理")
        return ("err", *err.to_wire(), backend.logged_in)


def serve(conn, module_path: str, env: dict[str, str]) -> None:
    """Entry point of the token process: apply ``env`` before the driver loads, then answer until told
    to quit or until the client's end of the pipe closes."""
    os.environ.update(env)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal is the client's to handle
    backend = TokenBackend(module_path)
    try:
        while True:
            try:
                op, args = conn.recv()
            except (EOFError, OSError):
                break
            if op == "quit":
                conn.send(("ok", None, False))
                break
            try:
                conn.send(_reply(backend, op, args))
            except (BrokenPipeError, OSError):
                break
    finally:
        backend.close()

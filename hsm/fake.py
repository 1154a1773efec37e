"""FakeTokenClient: an in-process UKey with TokenClient's interface, for the screens a real (or SoftHSM)
token cannot show: PIN retry warnings, a locked PIN, a pulled UKey, a crashed token process, a slow driver.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from hsm.errors import (
    NoToken,
    NotLoggedIn,
    PinIncorrect,
    PinLocked,
    TokenProcessDied,
    TokenRemoved,
)
from hsm.types import TokenInfo, TokenState
from hsm.watch import StatePolling

_COUNT_LOW_AT = 3  # tries left at which the token raises CKF_USER_PIN_COUNT_LOW


class FakeTokenClient(StatePolling):
    """Counts wrong PINs like a card: count_low with ≤3 tries left, final_try with 1, locked at 0;
    a correct PIN before that resets the counter. ``remove()``/``insert()`` pull and plug the UKey,
    ``die()`` makes the next call fail as if the token process had crashed, ``delay`` slows every call."""

    def __init__(
        self,
        pin: str,
        certificate_der: bytes,
        private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
        *,
        max_tries: int = 6,
        serial: str = "FAKE00000001",
        label: str = "FAKE-UKEY",
        delay: float = 0.0,
    ) -> None:
        self.module_path = "fake"
        self.call_timeout = 0.0
        self.delay = delay
        self._pin = pin
        self._certificate_der = certificate_der
        self._private_key = private_key
        self.max_tries = max_tries
        self.tries_left = max_tries
        self.serial = serial
        self.label = label
        self.present = True
        self._lock = threading.RLock()
        self._started = False
        self._logged_in = False
        self._removed = False  # the login ended because the UKey was pulled
        self._died = False  # the next call reports TokenProcessDied
        self._login_lost_to_crash = False

    @classmethod
    def generate(cls, pin: str = "123456", key_type: str = "ec-p256", **kwargs) -> FakeTokenClient:
        """A fake UKey with a fresh key and a self-signed certificate."""
        if key_type == "rsa2048":
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        elif key_type == "ec-p256":
            key = ec.generate_private_key(ec.SECP256R1())
        else:
            raise ValueError(f"unknown key_type {key_type!r}")
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试UKey")])
        now = dt.datetime.now(dt.timezone.utc)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=365))
            .sign(key, hashes.SHA256())
        )
        return cls(pin, cert.public_bytes(serialization.Encoding.DER), key, **kwargs)

    # --- simulation controls ---------------------------------------------------------------------------

    def remove(self) -> None:
        with self._lock:
            self.present = False
            if self._logged_in:
                self._logged_in, self._removed = False, True

    def insert(self) -> None:
        with self._lock:
            self.present = True

    def die(self) -> None:
        with self._lock:
            self._died = True

    # --- lifecycle (nothing to spawn) ------------------------------------------------------------------

    def start(self) -> None:
        self._started = True

    def close(self) -> None:
        self.unwatch()
        with self._lock:
            self._started = self._logged_in = False

    def restart(self) -> None:
        with self._lock:
            self._logged_in = False
            self._died = False
            self._started = True

    @property
    def pid(self) -> int | None:
        return os.getpid() if self._started else None

    @property
    def alive(self) -> bool:
        return self._started

    def __enter__(self) -> FakeTokenClient:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _enter_call(self) -> None:
        """What every call of the real client goes through: start, a crashed process, a slow driver."""
        self._started = True
        if self._died:
            self._died = False
            self._login_lost_to_crash = self._login_lost_to_crash or self._logged_in
            self._logged_in = False
            raise TokenProcessDied()
        if self.delay:
            time.sleep(self.delay)

    # --- the UKey --------------------------------------------------------------------------------------

    def list_tokens(self) -> list[TokenInfo]:
        with self._lock:
            self._enter_call()
            if not self.present:
                return []
            return [
                TokenInfo(
                    slot=0,
                    label=self.label,
                    serial=self.serial,
                    manufacturer="gjj-desk",
                    model="FakeUKey",
                    pin_count_low=0 < self.tries_left <= _COUNT_LOW_AT,
                    pin_final_try=self.tries_left == 1,
                    pin_locked=self.tries_left == 0,
                )
            ]

    def state(self) -> TokenState:
        with self._lock:
            self._enter_call()
            if not self.present:
                return TokenState(present=False)
            return TokenState(present=True, serial=self.serial, label=self.label)

    def certificate(self, serial: str | None = None) -> bytes:
        with self._lock:
            self._enter_call()
            self._require_token(serial)
            return self._certificate_der

    def login(self, pin: str, serial: str | None = None) -> None:
        with self._lock:
            self._enter_call()
            self._require_token(serial)
            self._logged_in = False
            if self.tries_left == 0:
                raise PinLocked()
            if pin != self._pin:
                self.tries_left -= 1
                if self.tries_left == 0:
                    raise PinLocked()
                raise PinIncorrect(count_low=self.tries_left <= _COUNT_LOW_AT, final_try=self.tries_left == 1)
            self.tries_left = self.max_tries
            self._logged_in, self._removed, self._login_lost_to_crash = True, False, False

    def logout(self) -> None:
        with self._lock:
            self._logged_in = self._removed = self._login_lost_to_crash = False

    @property
    def logged_in(self) -> bool:
        return self._logged_in

    @property
    def key_type(self) -> str | None:
        if not self._logged_in:
            return None
        if isinstance(self._private_key, rsa.RSAPrivateKey):
            return f"rsa{self._private_key.key_size}"
        return "ec-p256"

    def sign(self, data: bytes) -> bytes:
        with self._lock:
            if self._login_lost_to_crash and not self._logged_in:
                raise TokenProcessDied()
            self._enter_call()
            if not self._logged_in:
                raise TokenRemoved() if self._removed else NotLoggedIn()
            if isinstance(self._private_key, rsa.RSAPrivateKey):
                return self._private_key.sign(bytes(data), padding.PKCS1v15(), hashes.SHA256())
            return self._private_key.sign(bytes(data), ec.ECDSA(hashes.SHA256()))

    def _require_token(self, serial: str | None) -> None:
        if not self.present or serial not in (None, self.serial):
            raise NoToken()

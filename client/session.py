"""The login flow (SPEC §4.1): PIN on the UKey → challenge → the UKey signs → login → the session with
the unit, the business date, the policy and the dictionaries; and what the login window shows of the
UKey's certificate."""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography import x509
from cryptography.x509.oid import NameOID

from services.dictionaries import Dictionaries
from services.policy import Policy
from services.signing import login_message

from .api import CentreClient
from .errors import ApiError, ClientError, LoginRefused
from .store import LocalStore
from .sync import fetch_reference

log = logging.getLogger(__name__)

MAX_UNIT_ACCOUNT = 20

# The clerk's sentence for each refusal code when the centre gives no detail (or, for
# bad_credentials with a count, always: the count is what the clerk needs).
_REFUSALS = {
    "bad_credentials": "单位账号、登录名或密码错误，请核对后重新输入",
    "locked": "密码错误次数过多，登录已被锁定，请15分钟后再试",
    "bad_signature": "UKey签名验证未通过，请确认插入的是本单位的UKey后重试",
    "certificate_not_bound": "此UKey未绑定该单位账号，请确认插入的是本单位的UKey",
    "certificate_expired": "UKey证书已过期，请携带UKey到公积金中心办理证书更新",
    "certificate_revoked": "此UKey证书已作废（可能已补发新UKey），请使用最新发放的UKey",
    "certificate_untrusted": "UKey证书不是本中心签发的，请使用公积金中心发放的UKey",
    "nonce_invalid": "登录请求已失效，请重新点击登录",
}


class TokenLike(Protocol):
    """What LoginFlow needs of hsm.TokenClient (hsm.fake.FakeTokenClient has it too)."""

    @property
    def logged_in(self) -> bool: ...
    def certificate(self) -> bytes: ...
    def login(self, pin: str) -> None: ...
    def logout(self) -> None: ...
    def sign(self, data: bytes) -> bytes: ...


@dataclass(frozen=True)
class CertInfo:
    holder: str                 # subject CN (the unit's name)
    unit_account: str | None    # subject UID (0.9.2342.19200300.100.1.1)
    not_before: dt.datetime     # aware, UTC
    not_after: dt.datetime
    serial: str                 # hex, upper case
    issuer: str                 # issuer CN (or the whole issuer name)
    fingerprint: str            # SHA-256 of the DER, hex: tells one UKey's certificate from another

    def valid_on(self, day: dt.date) -> bool:
        return self.not_before.date() <= day <= self.not_after.date()

    def days_left(self, day: dt.date) -> int:
        return (self.not_after.date() - day).days


def certificate_info(der: bytes) -> CertInfo:
    try:
        cert = x509.load_der_x509_certificate(bytes(der))
    except ValueError:
        raise ClientError("UKey中的证书无法识别，请携带UKey到公积金中心核实") from None
    return CertInfo(
        holder=_name_attr(cert.subject, NameOID.COMMON_NAME) or cert.subject.rfc4514_string(),
        unit_account=_name_attr(cert.subject, NameOID.USER_ID),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        serial=format(cert.serial_number, "X"),
        issuer=_name_attr(cert.issuer, NameOID.COMMON_NAME) or cert.issuer.rfc4514_string(),
        fingerprint=hashlib.sha256(bytes(der)).hexdigest(),
    )


def _name_attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    attrs = name.get_attributes_for_oid(oid)
    return str(attrs[0].value) if attrs else None


@dataclass(frozen=True)
class Session:
    token: str = field(repr=False)       # the bearer token: never logged
    unit_account: str
    login_name: str
    operator: dict[str, Any]             # {"name", "mobile", "last_login_at"}
    expires_at: dt.datetime | None
    unit: dict[str, Any]                 # GET /unit
    business_date: dt.date
    policy: Policy
    dictionaries: Dictionaries
    certificate: CertInfo

    def follow_business_date(self, day: dt.date) -> bool:
        """The centre moved its business date during the session (a centre sets it for demos and tests; a real
        one rolls over at midnight): every holder of this session sees the new "today". With the policy (see
        `follow_policy`), the only fields that may change after login; True when it did."""
        if day == self.business_date:
            return False
        object.__setattr__(self, "business_date", day)
        return True

    def follow_policy(self, policy: Policy) -> bool:
        """The policy in force moved with the business date (a new policy year from 1 July); True when it did."""
        if policy == self.policy:
            return False
        object.__setattr__(self, "policy", policy)
        return True

    @property
    def unit_name(self) -> str:
        return str(self.unit.get("name") or self.certificate.holder)

    @property
    def operator_name(self) -> str:
        return str(self.operator.get("name") or self.login_name)


class LoginInputError(ClientError):
    """A login field is missing or malformed; `field` names it so the window can focus it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def check_login_input(unit_account: str, login_name: str, password: str, pin: str) -> tuple[str, str]:
    """The stripped 单位账号 and 登录名, or LoginInputError for the first field that is wrong."""
    unit_account, login_name = (unit_account or "").strip(), (login_name or "").strip()
    if not unit_account:
        raise LoginInputError("unit_account", "请输入单位账号")
    if len(unit_account) > MAX_UNIT_ACCOUNT or any(c.isspace() for c in unit_account):
        raise LoginInputError("unit_account", "单位账号格式不正确（不超过20位，不含空格），请核对")
    if not login_name:
        raise LoginInputError("login_name", "请输入登录名")
    if not password:
        raise LoginInputError("password", "请输入登录密码")
    if not pin:
        raise LoginInputError("pin", "请输入UKey PIN码")
    return unit_account, login_name


def check_new_password(old: str, new: str, confirm: str) -> None:
    """Local checks of 修改密码 before the centre applies its own password rules."""
    if not old:
        raise LoginInputError("old_password", "请输入原密码")
    if not new:
        raise LoginInputError("new_password", "请输入新密码")
    if new != confirm:
        raise LoginInputError("confirm_password", "两次输入的新密码不一致，请重新输入")
    if new == old:
        raise LoginInputError("new_password", "新密码不能与原密码相同")


def refusal(exc: ApiError) -> ApiError:
    """The login refusal as the clerk should read it (API.md "Auth" failure codes)."""
    code = exc.code or ""
    remaining = exc.extra.get("remaining_attempts")
    if code == "bad_credentials" and isinstance(remaining, int) and remaining > 0:
        message = f"密码错误，还可尝试{remaining}次"
    elif code == "locked" and not exc.detail and exc.extra.get("locked_until"):
        message = f"密码错误次数过多，登录已被锁定，请于{_local_time(exc.extra['locked_until'])}后再试"
    elif code in _REFUSALS:
        message = exc.detail or _REFUSALS[code]
    else:
        return exc
    return LoginRefused(exc.status, exc.code, exc.detail, exc.errors, exc.extra, title=exc.title,
                        message=message)


def _local_time(value: str) -> str:
    try:
        when = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return when.astimezone().strftime("%H:%M") if when.tzinfo else when.strftime("%H:%M")


def _parse_time(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


class LoginFlow:
    def __init__(self, api: CentreClient, token: TokenLike, store: LocalStore | None = None) -> None:
        self.api = api
        self.token = token
        self.store = store

    def login(self, unit_account: str, login_name: str, password: str, pin: str) -> Session:
        """Runs on a background thread (network and token calls). Raises LoginInputError, TokenError
        (PIN wrong/locked, UKey pulled), LoginRefused, CentreUnreachable."""
        unit_account, login_name = check_login_input(unit_account, login_name, password, pin)
        cert_der = self.token.certificate()
        cert = certificate_info(cert_der)
        if cert.unit_account and cert.unit_account != unit_account:
            raise LoginInputError("unit_account", f"插入的UKey属于单位账号{cert.unit_account}，"
                                                  f"与输入的单位账号{unit_account}不一致，请核对")
        if self.token.logged_in:  # left from an earlier, refused attempt: the PIN typed now must be checked
            self.token.logout()
        self.token.login(pin)
        nonce = self.api.challenge()["nonce"]
        signature = self.token.sign(login_message(nonce, unit_account, login_name))
        try:
            answer = self.api.login(unit_account, login_name, password, nonce, cert_der, signature)
        except ApiError as exc:
            raise refusal(exc) from exc
        try:
            return self._open_session(answer, unit_account, login_name, cert)
        except BaseException:
            self._quiet_logout()
            raise

    def _open_session(self, answer: dict, unit_account: str, login_name: str, cert: CertInfo) -> Session:
        business_date = self.api.business_date()
        policy, dictionaries = fetch_reference(self.api, self.store)
        unit = self.api.unit()
        log.info("logged in: unit %s, operator %s", unit_account, login_name)
        return Session(
            token=answer["token"], unit_account=answer.get("unit_account") or unit_account,
            login_name=login_name, operator=dict(answer.get("operator") or {}),
            expires_at=_parse_time(answer.get("expires_at")), unit=unit, business_date=business_date,
            policy=policy, dictionaries=dictionaries, certificate=cert,
        )

    def unlock(self, session: Session, pin: str) -> None:
        """After the UKey was pulled (or the idle lock): the same UKey, its PIN again."""
        if not pin:
            raise LoginInputError("pin", "请输入UKey PIN码")
        if certificate_info(self.token.certificate()).fingerprint != session.certificate.fingerprint:
            raise ClientError("插入的UKey不是登录时使用的UKey，请插入原UKey，或退出后重新登录")
        self.token.login(pin)

    def logout(self) -> None:
        """退出系统: end the centre session and the UKey login; never fails (the clerk is leaving)."""
        self._quiet_logout()
        try:
            self.token.logout()
        except Exception as exc:  # a pulled UKey or a dead token process: nothing left to log out
            log.info("token logout: %r", exc)

    def _quiet_logout(self) -> None:
        try:
            self.api.logout()
        except ClientError as exc:
            log.info("centre logout: %s", exc)

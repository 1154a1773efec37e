"""Login (UKey challenge–response + password), sessions, logout, password change, centre login.

Refusals of a login keep their side effects (`keep_changes`): the nonce stays used, the failure is
counted and the attempt is in the audit log even though the answer is an error."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from cryptography import x509
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.signing import login_message

from ..audit import service as audit
from ..config import CentreConfig
from ..errors import Problem
from ..ukeys import service as ukeys
from ..ukeys import verification
from ..ukeys.models import UkeyCertificate
from ..units.models import Unit
from . import lockout
from .models import KIND_CENTRE, KIND_UNIT, AuthSession, CentreUser, LoginNonce, Operator
from .passwords import Passwords, check_new_password

TOUCH_INTERVAL = dt.timedelta(seconds=60)   # last_seen is written at most this often
NONCE_KEEP = dt.timedelta(hours=1)          # used/expired nonces are purged after this


@dataclass(frozen=True)
class UnitPrincipal:
    """The caller of a unit API call: the session, its operator and unit."""
    session: AuthSession
    operator: Operator
    unit: Unit

    @property
    def actor(self) -> str:
        """How the audit log names the caller: "单位账号/登录名"."""
        return f"{self.unit.unit_account}/{self.operator.login_name}"


@dataclass(frozen=True)
class CentrePrincipal:
    session: AuthSession
    user: CentreUser


@dataclass(frozen=True)
class LoginResult:
    token: str
    session: AuthSession
    expires_at: dt.datetime
    unit: Unit
    operator: Operator


@dataclass(frozen=True)
class CentreLoginResult:
    token: str
    expires_at: dt.datetime
    user: CentreUser


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# -- challenge ------------------------------------------------------------------------------------

def issue_challenge(*, session: Session, config: CentreConfig, now: dt.datetime, client_address: str) -> LoginNonce:
    session.execute(LoginNonce.__table__.delete().where(LoginNonce.expires_at < now - NONCE_KEEP))
    nonce = LoginNonce(value=secrets.token_urlsafe(24), created_at=now, client_address=client_address[:64],
                       expires_at=now + dt.timedelta(seconds=config.nonce_seconds))
    session.add(nonce)
    return nonce


def _consume_nonce(*, session: Session, value: str, now: dt.datetime) -> None:
    nonce = session.get(LoginNonce, value, with_for_update=True) if value and len(value) <= 64 else None
    if nonce is None or nonce.used_at is not None:
        raise Problem(401, "nonce_invalid", "登录校验码无效或已使用，请重新登录")
    nonce.used_at = now
    if now >= nonce.expires_at:
        raise Problem(401, "nonce_invalid", "登录校验码已过期，请重新登录")


# -- unit login -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoginForm:
    unit_account: str
    login_name: str
    password: str
    nonce: str
    certificate: str
    signature: str


def login(*, session: Session, form: LoginForm, ca_cert: x509.Certificate, passwords: Passwords,
          config: CentreConfig, now: dt.datetime, client_address: str) -> LoginResult:
    """Checks in order: nonce, certificate (CA, validity, revocation, binding), signature, lockout,
    password. Every attempt is audited."""
    unit_id = session.scalars(select(Unit.id).where(Unit.unit_account == form.unit_account)).first()
    try:
        _consume_nonce(session=session, value=form.nonce, now=now)
        presented = ukeys.check_login_certificate(session=session, ca_cert=ca_cert, certificate_b64=form.certificate,
                                                  unit_account=form.unit_account, now=now)
        signature = verification.decode_base64(form.signature)
        message = login_message(form.nonce, form.unit_account, form.login_name)
        if not signature or not verification.verify_signature(presented.cert, message, signature):
            raise Problem(401, "bad_signature", "UKey签名验证失败，请确认插入的是本单位的UKey后重新登录")
        operator = session.scalars(select(Operator).where(
            Operator.unit_id == presented.row.unit_id, Operator.login_name == form.login_name,
            Operator.active.is_(True)).with_for_update()).first()
        if operator is None:
            raise Problem(401, "bad_credentials", "登录名或密码错误，请核对")
        _check_password(operator, form.password, passwords=passwords, config=config, now=now)
    except Problem as refusal:
        refusal.keep_changes = True
        audit.record(session=session, at=now, actor_kind="unit", actor=f"{form.unit_account}/{form.login_name}",
                     unit_id=unit_id, action="auth.login", outcome=refusal.code, client_address=client_address)
        raise
    unit = session.get(Unit, presented.row.unit_id)
    token, row = _open_session(session=session, kind=KIND_UNIT, operator_id=operator.id,
                               certificate_id=presented.row.id, previous_login_at=operator.last_login_at,
                               config=config, now=now, client_address=client_address)
    operator.last_login_at = now
    audit.record(session=session, at=now, actor_kind="unit", actor=f"{form.unit_account}/{form.login_name}",
                 unit_id=unit.id, action="auth.login", client_address=client_address)
    return LoginResult(token, row, session_expiry(row, config), unit, operator)


def _check_password(account: Operator | CentreUser, password: str, *, passwords: Passwords,
                    config: CentreConfig, now: dt.datetime) -> None:
    lockout.check_not_locked(account, now=now, config=config)
    if not passwords.verify(account.password_hash, password):
        raise lockout.register_failure(account, now=now, config=config)
    lockout.register_success(account)
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash(password)


def _open_session(*, session: Session, kind: str, config: CentreConfig, now: dt.datetime, client_address: str,
                  operator_id: int | None = None, centre_user_id: int | None = None,
                  certificate_id: int | None = None, previous_login_at: dt.datetime | None = None
                  ) -> tuple[str, AuthSession]:
    token = secrets.token_urlsafe(32)
    row = AuthSession(token_sha256=token_hash(token), kind=kind, operator_id=operator_id,
                      centre_user_id=centre_user_id, certificate_id=certificate_id, created_at=now,
                      last_seen_at=now, expires_at=now + dt.timedelta(hours=config.session_absolute_hours),
                      previous_login_at=previous_login_at, client_address=client_address[:64])
    session.add(row)
    session.flush()
    return token, row


def session_expiry(row: AuthSession, config: CentreConfig) -> dt.datetime:
    """When the session ends if nothing more happens: idle limit, capped by the absolute limit."""
    return min(row.last_seen_at + dt.timedelta(minutes=config.session_idle_minutes), row.expires_at)


# -- sessions -------------------------------------------------------------------------------------

def authenticate(*, session: Session, token: str | None, kind: str, config: CentreConfig,
                 now: dt.datetime) -> AuthSession:
    """The live session of a bearer token, or 401 (`not_authenticated`, `session_expired`,
    `certificate_revoked`) / 403 (`forbidden`: a centre token on a unit call or the reverse)."""
    if not token:
        raise Problem(401, "not_authenticated", "请先登录")
    row = session.scalars(select(AuthSession).where(AuthSession.token_sha256 == token_hash(token))).first()
    if row is None or row.ended_at is not None:
        raise Problem(401, "session_expired", "登录已失效，请重新登录")
    if now >= session_expiry(row, config):
        row.ended_at = now
        raise Problem(401, "session_expired", "登录已超时，请重新登录", keep_changes=True)
    if row.kind != kind:
        who = "单位经办人" if kind == KIND_UNIT else "公积金中心工作人员"
        raise Problem(403, "forbidden", f"此功能仅限{who}使用")
    if row.certificate_id is not None:
        certificate = session.get(UkeyCertificate, row.certificate_id)
        if certificate is None or certificate.revoked_at is not None:
            row.ended_at = now
            raise Problem(401, "certificate_revoked", "UKey证书已被注销，请使用中心新发放的UKey重新登录",
                          keep_changes=True)
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
    return row


def unit_principal(*, session: Session, row: AuthSession) -> UnitPrincipal:
    operator = session.get(Operator, row.operator_id)
    return UnitPrincipal(row, operator, session.get(Unit, operator.unit_id))


def centre_principal(*, session: Session, row: AuthSession) -> CentrePrincipal:
    return CentrePrincipal(row, session.get(CentreUser, row.centre_user_id))


def principal_of_token(*, session: Session, token: str | None) -> str | None:
    """Whose Idempotency-Keys a token uses ("operator:7", "centre:1"), whether or not the session is
    still live: a retried logout must find its first answer."""
    if not token:
        return None
    row = session.scalars(select(AuthSession).where(AuthSession.token_sha256 == token_hash(token))).first()
    if row is None:
        return None
    return f"operator:{row.operator_id}" if row.kind == KIND_UNIT else f"centre:{row.centre_user_id}"


def logout(*, session: Session, row: AuthSession, actor: str, actor_kind: str, unit_id: int | None,
           now: dt.datetime, client_address: str) -> None:
    row.ended_at = now
    audit.record(session=session, at=now, actor_kind=actor_kind, actor=actor, unit_id=unit_id, action="auth.logout",
                 client_address=client_address)


def change_password(*, session: Session, principal: UnitPrincipal, old_password: str, new_password: str,
                    passwords: Passwords, config: CentreConfig, now: dt.datetime, client_address: str) -> None:
    """A wrong old password counts as a failed login (and can lock the operator)."""
    operator = session.get(Operator, principal.operator.id, with_for_update=True)
    actor = principal.actor
    try:
        lockout.check_not_locked(operator, now=now, config=config)
        if not passwords.verify(operator.password_hash, old_password):
            raise lockout.register_failure(operator, now=now, config=config)
        check_new_password(new_password, old_password)
    except Problem as refusal:
        audit.record(session=session, at=now, actor_kind="unit", actor=actor, unit_id=principal.unit.id,
                     action="auth.password", outcome=refusal.code, client_address=client_address)
        raise
    lockout.register_success(operator)
    operator.password_hash = passwords.hash(new_password)
    operator.password_changed_at = now
    # Other sessions of this operator end: whoever knew the old password is out.
    session.execute(update(AuthSession).where(
        AuthSession.operator_id == operator.id, AuthSession.id != principal.session.id,
        AuthSession.ended_at.is_(None)).values(ended_at=now))
    audit.record(session=session, at=now, actor_kind="unit", actor=actor, unit_id=principal.unit.id,
                 action="auth.password", client_address=client_address)


# -- centre login ---------------------------------------------------------------------------------

def centre_login(*, session: Session, username: str, password: str, passwords: Passwords, config: CentreConfig,
                 now: dt.datetime, client_address: str) -> CentreLoginResult:
    try:
        user = session.scalars(select(CentreUser).where(
            CentreUser.username == username, CentreUser.active.is_(True)).with_for_update()).first()
        if user is None:
            raise Problem(401, "bad_credentials", "用户名或密码错误，请核对")
        _check_password(user, password, passwords=passwords, config=config, now=now)
    except Problem as refusal:
        refusal.keep_changes = True
        audit.record(session=session, at=now, actor_kind="centre", actor=username, action="centre.login",
                     outcome=refusal.code, client_address=client_address)
        raise
    token, row = _open_session(session=session, kind=KIND_CENTRE, centre_user_id=user.id, config=config, now=now,
                               client_address=client_address, previous_login_at=user.last_login_at)
    user.last_login_at = now
    audit.record(session=session, at=now, actor_kind="centre", actor=username, action="centre.login",
                 client_address=client_address)
    return CentreLoginResult(token, session_expiry(row, config), user)

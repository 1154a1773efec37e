"""Who logs in: unit operators (经办人), centre users (reviewers); their sessions and login nonces."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..orm import Base, UtcDateTime


class Operator(Base):
    """A unit's clerk. Logs in with the unit's UKey + 单位账号 + 登录名 + 密码."""
    __tablename__ = "operators"
    __table_args__ = (UniqueConstraint("unit_id", "login_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    login_name: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(50))
    mobile: Mapped[str] = mapped_column(String(20), default="")
    id_type: Mapped[str] = mapped_column(String(2), default="01")
    id_number: Mapped[str] = mapped_column(String(30), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_count: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    password_changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class CentreUser(Base):
    """A centre account (reviewer). Logs in with user name + password."""
    __tablename__ = "centre_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20), default="reviewer")
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_count: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


KIND_UNIT = "unit"
KIND_CENTRE = "centre"


class AuthSession(Base):
    """An opaque bearer token (only its SHA-256 is kept) with idle and absolute expiry."""
    __tablename__ = "auth_sessions"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'unit' AND operator_id IS NOT NULL AND centre_user_id IS NULL) OR "
            "(kind = 'centre' AND centre_user_id IS NOT NULL AND operator_id IS NULL)",
            name="one_principal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id", ondelete="CASCADE"), index=True)
    centre_user_id: Mapped[int | None] = mapped_column(ForeignKey("centre_users.id", ondelete="CASCADE"),
                                                       index=True)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("ukey_certificates.id", ondelete="RESTRICT"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)        # the absolute limit
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    previous_login_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # 上次登录时间 as of this login
    client_address: Mapped[str] = mapped_column(String(64), default="")


class LoginNonce(Base):
    """A single-use login challenge (POST /auth/challenge)."""
    __tablename__ = "login_nonces"

    value: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    client_address: Mapped[str] = mapped_column(String(64), default="")

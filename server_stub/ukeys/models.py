"""UKey certificates issued by the centre CA; a unit has at most one current (unrevoked) certificate."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..orm import Base, UtcDateTime


class UkeyCertificate(Base):
    __tablename__ = "ukey_certificates"
    __table_args__ = (
        Index("uq_ukey_certificates_current", "unit_id", unique=True,
              sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    serial: Mapped[str] = mapped_column(String(64), unique=True)             # hex
    fingerprint_sha256: Mapped[str] = mapped_column(String(64), unique=True)  # hex of the DER
    subject: Mapped[str] = mapped_column(String(400))
    key_type: Mapped[str] = mapped_column(String(10))
    der: Mapped[bytes] = mapped_column(LargeBinary)
    not_before: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    not_after: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoke_reason: Mapped[str] = mapped_column(String(100), default="")

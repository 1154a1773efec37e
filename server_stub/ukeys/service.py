"""UKey certificates in the database: binding a newly issued certificate to its unit (revoking the
earlier one in the same transaction), revoking, and the certificate checks of a login."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Problem
from ..units.models import Unit
from . import verification as v
from .models import UkeyCertificate


@dataclass(frozen=True)
class PresentedCertificate:
    row: UkeyCertificate
    cert: x509.Certificate


def current_certificate(*, session: Session, unit_id: int) -> UkeyCertificate | None:
    return session.scalars(select(UkeyCertificate).where(
        UkeyCertificate.unit_id == unit_id, UkeyCertificate.revoked_at.is_(None))).first()


def revoke_current(*, session: Session, unit: Unit, now: dt.datetime, reason: str) -> list[UkeyCertificate]:
    revoked = list(session.scalars(select(UkeyCertificate).where(
        UkeyCertificate.unit_id == unit.id, UkeyCertificate.revoked_at.is_(None)).with_for_update()))
    for row in revoked:
        row.revoked_at = now
        row.revoke_reason = reason
    session.flush()
    return revoked


def bind_certificate(*, session: Session, unit: Unit, cert_der: bytes, now: dt.datetime
                     ) -> tuple[UkeyCertificate, list[UkeyCertificate]]:
    """Record `cert_der` as the unit's current UKey certificate; earlier ones are revoked."""
    cert = x509.load_der_x509_certificate(cert_der)
    if v.subject_unit_account(cert) != unit.unit_account:
        raise ValueError("certificate UID does not name this unit")
    revoked = revoke_current(session=session, unit=unit, now=now, reason="重新发放UKey")
    row = UkeyCertificate(
        unit_id=unit.id, serial=v.serial_hex(cert), fingerprint_sha256=v.fingerprint(cert_der),
        subject=cert.subject.rfc4514_string()[:400], key_type=v.key_type(cert), der=cert_der,
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc, issued_at=now,
    )
    session.add(row)
    session.flush()
    return row, revoked


def check_login_certificate(*, session: Session, ca_cert: x509.Certificate, certificate_b64: str,
                            unit_account: str, now: dt.datetime) -> PresentedCertificate:
    """The certificate checks of a login, in order: issued by the centre CA, inside its validity window,
    not revoked, and the unit's current certificate naming this unit account."""
    der = v.decode_base64(certificate_b64)
    cert = v.parse_certificate(der) if der else None
    if cert is None or not v.issued_by(cert, ca_cert):
        raise Problem(401, "certificate_untrusted", "UKey证书不是本中心签发的，请使用公积金中心发放的UKey")
    if now < cert.not_valid_before_utc:
        raise Problem(401, "certificate_expired", "UKey证书尚未生效，请核对电脑时间或联系公积金中心")
    if now > cert.not_valid_after_utc:
        raise Problem(401, "certificate_expired", "UKey证书已过期，请到公积金中心更换")
    row = session.scalars(select(UkeyCertificate).where(
        UkeyCertificate.fingerprint_sha256 == v.fingerprint(der))).first()
    if row is not None and row.revoked_at is not None:
        raise Problem(401, "certificate_revoked", "UKey证书已被注销，请使用中心新发放的UKey")
    unit = session.get(Unit, row.unit_id) if row is not None else None
    if unit is None or unit.unit_account != unit_account or v.subject_unit_account(cert) != unit_account:
        raise Problem(401, "certificate_not_bound", "UKey证书与单位账号不匹配，请插入本单位的UKey或核对单位账号")
    return PresentedCertificate(row, cert)

"""Signed submissions (API.md): the UKey signature over `gjj-sign|{METHOD}|{path}|{canonical body}`,
verified against the certificate the session logged in with. A bad or missing signature is refused
(403 `bad_signature`; not 401, which would end the clerk's session)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from sqlalchemy.orm import Session

from services.signing import submission_message

from ..auth.service import UnitPrincipal
from ..errors import Problem
from ..ukeys import verification
from ..ukeys.models import UkeyCertificate

MAX_SIGNATURE_CHARS = 4000


@dataclass(frozen=True)
class SignedSubmission:
    """What is kept with the record: which certificate, the exact signed body and the signature."""
    certificate_id: int
    path: str
    signed_body: str
    signature: str


def verify_submission(*, session: Session, principal: UnitPrincipal, method: str, path: str, body: dict,
                      now: dt.datetime) -> SignedSubmission:
    signature_text = body.get("signature")
    if not isinstance(signature_text, str) or not signature_text.strip():
        raise _refused("提交内容缺少UKey签名，未办理：请插入本单位的UKey后重新提交")
    signature = verification.decode_base64(signature_text) if len(signature_text) <= MAX_SIGNATURE_CHARS else None
    row = session.get(UkeyCertificate, principal.session.certificate_id) if principal.session.certificate_id else None
    if row is None or row.revoked_at is not None:
        raise _refused("本次登录的UKey证书已失效，未办理：请使用本单位当前的UKey重新登录后提交")
    if now > row.not_after:
        raise Problem(403, "certificate_expired", "UKey证书已过期，未办理：请到公积金中心更换UKey证书")
    cert = x509.load_der_x509_certificate(row.der)
    message = submission_message(method, path, body)
    if not signature or not verification.verify_signature(cert, message, signature):
        raise _refused("UKey签名验证失败，未办理：请确认插入的是本单位登录时使用的UKey后重新提交")
    prefix = f"gjj-sign|{method.upper()}|{path}|".encode("utf-8")   # what follows it is the canonical body
    return SignedSubmission(certificate_id=row.id, path=path, signed_body=message[len(prefix):].decode("utf-8"),
                            signature=signature_text)


def _refused(detail: str) -> Problem:
    return Problem(403, "bad_signature", detail)

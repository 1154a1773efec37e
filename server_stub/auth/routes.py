"""/auth: challenge, login, logout, password."""
from __future__ import annotations

from fastapi import Response

from ..deps import CaCertificateDep, ClientAddressDep, ConfigDep, CurrentUnit, NowDep, PasswordsDep, SessionDep
from ..timefmt import iso
from ..web import ANSWER_NOT_STORED, router
from . import service
from .schemas import ChallengePublic, LoginCreate, LoginPublic, OperatorPublic, PasswordUpdate

api = router(prefix="/auth", tags=["auth"])

LOGIN_REFUSALS = {401: {"description": "bad_credentials（含remaining_attempts）, locked（含locked_until）, bad_signature, "
                                       "certificate_untrusted, certificate_not_bound, certificate_expired, "
                                       "certificate_revoked, nonce_invalid"}}


@api.post("/challenge", response_model=ChallengePublic, openapi_extra=ANSWER_NOT_STORED)
def auth_challenge(session: SessionDep, config: ConfigDep, now: NowDep, client: ClientAddressDep):
    nonce = service.issue_challenge(session=session, config=config, now=now, client_address=client)
    return ChallengePublic(nonce=nonce.value, expires_at=iso(nonce.expires_at, config.timezone))


@api.post("/login", response_model=LoginPublic, responses=LOGIN_REFUSALS, openapi_extra=ANSWER_NOT_STORED)
def auth_login(body: LoginCreate, session: SessionDep, config: ConfigDep, now: NowDep, client: ClientAddressDep,
               passwords: PasswordsDep, ca_cert: CaCertificateDep):
    result = service.login(session=session, form=service.LoginForm(**body.model_dump()), ca_cert=ca_cert,
                           passwords=passwords, config=config, now=now, client_address=client)
    operator = result.operator
    return LoginPublic(
        token=result.token, expires_at=iso(result.expires_at, config.timezone), unit_account=result.unit.unit_account,
        operator=OperatorPublic(name=operator.name, mobile=operator.mobile, login_name=operator.login_name,
                                last_login_at=iso(result.session.previous_login_at, config.timezone)))


@api.post("/logout", status_code=204, response_class=Response)
def auth_logout(principal: CurrentUnit, session: SessionDep, now: NowDep, client: ClientAddressDep):
    service.logout(session=session, row=principal.session, actor_kind="unit", actor=principal.actor,
                   unit_id=principal.unit.id, now=now, client_address=client)
    return Response(status_code=204)


@api.post("/password", status_code=204, response_class=Response)
def auth_password(body: PasswordUpdate, principal: CurrentUnit, session: SessionDep, config: ConfigDep, now: NowDep,
                  client: ClientAddressDep, passwords: PasswordsDep):
    service.change_password(session=session, principal=principal, old_password=body.old_password,
                            new_password=body.new_password, passwords=passwords, config=config, now=now,
                            client_address=client)
    return Response(status_code=204)

"""Dependency aliases for routes (the FastAPI template's `SessionDep`/`CurrentUser` shape)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from cryptography import x509
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from .auth import service as auth
from .auth.models import KIND_CENTRE, KIND_UNIT
from .auth.passwords import Passwords
from .config import CentreConfig

_bearer = HTTPBearer(auto_error=False, description="POST /auth/login（单位）或 POST /centre/login（中心）返回的令牌")


def _session(request: Request) -> Session:
    return request.state.db


def _config(request: Request) -> CentreConfig:
    return request.app.state.config


def _now(request: Request) -> dt.datetime:
    return request.state.now


def _client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def _passwords(request: Request) -> Passwords:
    return request.app.state.passwords


def _ca_certificate(request: Request) -> x509.Certificate:
    return request.app.state.ca_certificate()


SessionDep = Annotated[Session, Depends(_session)]
ConfigDep = Annotated[CentreConfig, Depends(_config)]
NowDep = Annotated[dt.datetime, Depends(_now)]
ClientAddressDep = Annotated[str, Depends(_client_address)]
PasswordsDep = Annotated[Passwords, Depends(_passwords)]
CaCertificateDep = Annotated[x509.Certificate, Depends(_ca_certificate)]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _current_unit(session: SessionDep, config: ConfigDep, now: NowDep, bearer: BearerDep) -> auth.UnitPrincipal:
    row = auth.authenticate(session=session, token=bearer.credentials if bearer else None, kind=KIND_UNIT,
                            config=config, now=now)
    return auth.unit_principal(session=session, row=row)


def _current_centre(session: SessionDep, config: ConfigDep, now: NowDep, bearer: BearerDep) -> auth.CentrePrincipal:
    row = auth.authenticate(session=session, token=bearer.credentials if bearer else None, kind=KIND_CENTRE,
                            config=config, now=now)
    return auth.centre_principal(session=session, row=row)


CurrentUnit = Annotated[auth.UnitPrincipal, Depends(_current_unit)]
CurrentCentre = Annotated[auth.CentrePrincipal, Depends(_current_centre)]

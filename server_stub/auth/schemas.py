"""Request and answer bodies of /auth and /centre/login."""
from __future__ import annotations

from pydantic import BaseModel, Field


class ChallengePublic(BaseModel):
    nonce: str
    expires_at: str


class LoginCreate(BaseModel):
    unit_account: str = Field(max_length=20)
    login_name: str = Field(max_length=40)
    password: str = Field(max_length=128)
    nonce: str = Field(max_length=64)
    certificate: str = Field(max_length=20000, description="UKey证书，DER的base64")
    signature: str = Field(max_length=4000, description="对 gjj-login|{nonce}|{unit_account}|{login_name} 的签名，base64")


class OperatorPublic(BaseModel):
    name: str
    mobile: str
    login_name: str
    last_login_at: str | None = Field(description="上次登录时间（本次登录之前的一次）")


class LoginPublic(BaseModel):
    token: str
    expires_at: str
    unit_account: str
    operator: OperatorPublic


class PasswordUpdate(BaseModel):
    old_password: str = Field(max_length=128)
    new_password: str = Field(max_length=128)


class CentreLoginCreate(BaseModel):
    username: str = Field(max_length=40)
    password: str = Field(max_length=128)


class CentreLoginPublic(BaseModel):
    token: str
    expires_at: str
    username: str
    name: str
    role: str

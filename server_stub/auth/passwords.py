"""Passwords: argon2id hashes (parameters from the config; lowered in tests only) and the rules for a
new password."""
from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..config import CentreConfig
from ..errors import Problem

MIN_LENGTH, MAX_LENGTH = 8, 64


class Passwords:
    def __init__(self, config: CentreConfig) -> None:
        self._hasher = PasswordHasher(time_cost=config.argon2_time_cost, memory_cost=config.argon2_memory_kib,
                                      parallelism=config.argon2_parallelism)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True


def check_new_password(new: str, old: str) -> None:
    """At least 8 characters with letters and digits, and not the old password."""
    if not MIN_LENGTH <= len(new) <= MAX_LENGTH or not re.search(r"[A-Za-z]", new) or not re.search(r"\d", new):
        raise Problem(422, "password_too_weak",
                      f"新密码应为{MIN_LENGTH}–{MAX_LENGTH}位，且同时包含字母和数字，请重新设置",
                      errors=[{"row": None, "field": "new_password", "code": "password_too_weak",
                               "message": "新密码应同时包含字母和数字，长度不少于8位"}])
    if new == old:
        raise Problem(422, "password_reused", "新密码不能与原密码相同，请重新设置",
                      errors=[{"row": None, "field": "new_password", "code": "password_reused",
                               "message": "新密码不能与原密码相同"}])

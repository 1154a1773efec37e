"""RFC 9457 problem+json: one exception for every refusal, with a stable `code` and a Chinese `detail`."""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("gjj-centre")

PROBLEM_MEDIA_TYPE = "application/problem+json"

TITLES = {
    400: "请求有误", 401: "未通过身份验证", 403: "无权办理", 404: "未找到", 405: "不支持的请求方式",
    409: "业务冲突", 413: "内容过大", 415: "内容类型不支持", 422: "数据校验未通过", 429: "请求过于频繁",
    500: "服务器内部错误",
}


class Problem(Exception):
    """A refusal the clerk reads. `keep_changes`: commit what the request did before refusing (a
    failed login still consumes the nonce, counts the failure and writes the audit row)."""

    def __init__(self, status: int, code: str, detail: str, *, errors: list[dict] | None = None,
                 keep_changes: bool = False, headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors or []
        self.keep_changes = keep_changes
        self.headers = headers
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"type": f"urn:gjj-centre:problem:{self.code}", "title": TITLES.get(self.status, "请求未完成"),
                "status": self.status, "code": self.code, "detail": self.detail, "errors": self.errors,
                **self.extra}

    def response(self) -> JSONResponse:
        headers = dict(self.headers or {})
        if self.status == 401:
            headers.setdefault("WWW-Authenticate", "Bearer")
        return JSONResponse(self.body(), status_code=self.status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


class ProblemError(BaseModel):
    row: int | None = None
    field: str | None = None
    code: str
    message: str


class ProblemPublic(BaseModel):
    """The body of every refusal (RFC 9457); some codes add fields (remaining_attempts, locked_until)."""
    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    code: str
    detail: str
    errors: list[ProblemError] = []


PROBLEM_RESPONSES = {"4XX": {"model": ProblemPublic, "description": "拒绝（application/problem+json，含code与中文detail）"}}


def not_found(what: str) -> Problem:
    return Problem(404, "not_found", f"{what}不存在或不属于本单位")


_FIELD_MESSAGES = {
    "missing": "不能为空", "string_type": "应为文字", "int_type": "应为整数", "int_parsing": "应为整数",
    "bool_parsing": "应为是或否", "date_from_datetime_parsing": "日期格式应为YYYY-MM-DD",
    "date_parsing": "日期格式应为YYYY-MM-DD", "datetime_parsing": "时间格式不正确",
    "greater_than_equal": "数值过小", "less_than_equal": "数值过大", "string_too_short": "长度不足",
    "string_too_long": "长度超出限制", "json_invalid": "不是有效的JSON", "extra_forbidden": "不应提供此项",
    "value_error": "取值不正确",
}


def _validation_problem(exc: RequestValidationError) -> Problem:
    errors = []
    for error in exc.errors():
        location = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "header")]
        field = ".".join(location)
        message = _FIELD_MESSAGES.get(error.get("type", ""), "取值不正确")
        if error.get("type") == "value_error" and error.get("ctx", {}).get("error"):
            message = str(error["ctx"]["error"])
        errors.append({"row": None, "field": field, "code": error.get("type", "invalid"),
                       "message": f"{field}{message}" if field else message})
    detail = "；".join(e["message"] for e in errors) or "请求数据不正确"
    return Problem(422, "validation_error", f"请求数据不正确：{detail}", errors=errors)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(_request: Request, exc: Problem):
        return exc.response()

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError):
        return _validation_problem(exc).response()

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException):
        codes = {404: ("not_found", "请求的地址不存在"), 405: ("method_not_allowed", "不支持的请求方式")}
        code, detail = codes.get(exc.status_code, ("http_error", str(exc.detail)))
        return Problem(exc.status_code, code, detail, headers=getattr(exc, "headers", None)).response()

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        return Problem(500, "internal_error", "服务器内部错误，请稍后再试；如持续出现请联系公积金中心").response()

"""The centre's HTTP API: `create_app(config)` builds the FastAPI application (base path /api/v1,
OpenAPI at /openapi.json). The database must be migrated first (`gjj-centre init` / `serve` do it)."""
from __future__ import annotations

import asyncio
import threading
from contextlib import asynccontextmanager

from cryptography import x509
from fastapi import APIRouter, FastAPI

from .applications.routes import api as applications_api
from .auth.passwords import Passwords
from .auth.routes import api as auth_api
from .centre.pages import pages as review_pages
from .centre.routes import api as centre_api
from .config import CentreConfig
from .database import Database
from .departments.routes import api as departments_api
from .employees.routes import api as employees_api
from .errors import PROBLEM_MEDIA_TYPE, Problem, install_error_handlers
from .messages.routes import api as messages_api
from .reference.routes import api as reference_api
from .registrations.routes import api as registrations_api
from .remittance.routes import api as remittance_api
from .supplementary.routes import api as supplementary_api
from .ukeys.ca import CaMissing, load_ca_certificate
from .units.routes import api as unit_api
from .web import operation_id

API_PREFIX = "/api/v1"


def create_app(config: CentreConfig) -> FastAPI:
    database = Database(config)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        database.dispose()

    app = FastAPI(title="gjj-centre 住房公积金中心接口", version="1.0", openapi_url="/openapi.json",
                  docs_url="/docs", redoc_url=None, generate_unique_id_function=operation_id, lifespan=lifespan,
                  description="gjj-desk 与公积金中心之间的接口（API v1）。错误为 application/problem+json。")
    app.state.config = config
    app.state.db = database
    app.state.request_slots = asyncio.Semaphore(config.max_active_requests)
    app.state.passwords = Passwords(config)
    app.state.ca_certificate = _ca_loader(config)
    install_error_handlers(app)
    api = APIRouter(prefix=API_PREFIX)
    for domain in (auth_api, reference_api, unit_api, messages_api, centre_api):
        api.include_router(domain)
    api.include_router(departments_api)
    api.include_router(employees_api)
    api.include_router(applications_api)
    api.include_router(registrations_api)
    api.include_router(remittance_api)
    api.include_router(supplementary_api)
    app.include_router(api)
    app.include_router(review_pages)   # the reviewers' web page at /centre/ (not part of the API)
    app.openapi = lambda: _openapi(app)
    return app


IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "maxLength": 100},
    "description": "建议使用UUID。同一主体以同一键重复请求时返回首次的应答且不再改变数据（保留24小时）；"
                   "内容不同则422 idempotency_mismatch，首次请求仍在处理则409 idempotency_in_progress。",
}


def _openapi(app: FastAPI) -> dict:
    """The generated schema, plus the Idempotency-Key header on every state-changing call; refusals are
    documented as application/problem+json."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                refusal = operation.get("responses", {}).get("4XX", {})
                if "application/json" in refusal.get("content", {}):
                    refusal["content"] = {PROBLEM_MEDIA_TYPE: refusal["content"].pop("application/json")}
                if method in ("post", "put", "patch", "delete"):
                    operation.setdefault("parameters", []).append(dict(IDEMPOTENCY_HEADER))
        app.openapi_schema = schema
    return app.openapi_schema


def _ca_loader(config: CentreConfig):
    """The centre CA certificate, read once on first use (a centre initialised after start still works)."""
    lock = threading.Lock()
    cached: list[x509.Certificate] = []

    def load() -> x509.Certificate:
        with lock:
            if not cached:
                try:
                    cached.append(load_ca_certificate(config.ca_dir))
                except CaMissing as exc:
                    raise Problem(503, "not_initialised", f"公积金中心尚未初始化：{exc}") from None
            return cached[0]

    return load

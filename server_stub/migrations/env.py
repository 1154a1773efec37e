"""Alembic environment for the centre database. Run programmatically (server_stub.database.run_migrations)
with an open connection in `config.attributes["connection"]`; no alembic.ini is needed."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from server_stub.models import Base
from server_stub.orm import Money, Ratio, UtcDateTime, YearMonthType

target_metadata = Base.metadata


def render_item(type_, obj, autogen_context):
    """Render our column types as what they store, so migrations never import application code."""
    if type_ == "type" and isinstance(obj, (Money, Ratio, UtcDateTime, YearMonthType)):
        impl = obj.impl
        if isinstance(obj, UtcDateTime):
            return "sa.DateTime(timezone=True)"
        if isinstance(obj, YearMonthType):
            return "sa.String(length=7)"
        return f"sa.{type(impl).__name__}()"
    return False


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:  # only for a developer running `alembic revision --autogenerate` by hand
        engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _run(connection)
    else:
        _run(connection)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_item=render_item,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run()

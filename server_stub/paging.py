"""Paged lists: `?page=1&page_size=50` → `{"items", "total", "page", "page_size"}`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class PageParams:
    page: int
    page_size: int


def _page_params(page: Annotated[int, Query(ge=1, description="页码，从1开始")] = 1,
                 page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="每页条数")] = 50) -> PageParams:
    return PageParams(page, page_size)


PageDep = Annotated[PageParams, Depends(_page_params)]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int


def paginate(*, session: Session, statement: Select, params: PageParams) -> tuple[list, int]:
    """The rows of one page of an ordered select, and the total count."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    rows = session.scalars(statement.offset((params.page - 1) * params.page_size).limit(params.page_size)).all()
    return list(rows), int(total)

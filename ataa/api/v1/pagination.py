"""Page-number pagination for every list: `?page=2&page_size=20` → {items, count, page, page_size}.

The order is always total: the selector's order, then the primary key, so a row never shows up
on two pages or on none while the data does not change.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


def stable_order(queryset: QuerySet) -> QuerySet:
    """The queryset's own order with the primary key added as the last tie-breaker."""
    order = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    names = {item.lstrip("-") for item in order if isinstance(item, str)}
    if not names & {"pk", "id", queryset.model._meta.pk.name}:
        last = order[-1] if order else "pk"
        descending = isinstance(last, str) and last.startswith("-")
        order.append("-pk" if descending else "pk")
    return queryset.order_by(*order)


class PageNumberPagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, description="Page number, from 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Rows per page."
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="Rows on all pages together.")
        page: int
        page_size: int

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, **params: Any) -> Any:
        queryset = stable_order(queryset)
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[offset : offset + pagination.page_size]),
            "count": queryset.count(),
            "page": pagination.page,
            "page_size": pagination.page_size,
        }

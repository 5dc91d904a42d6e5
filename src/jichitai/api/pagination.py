"""Every list of the API, one page at a time: `?limit=` and `?cursor=` (or `?offset=`), answered as
{"items": [...], "count": total, "next": URL of the next page or null}.

Rows are ordered by a unique key (the primary key unless a route names another unique column) and `next` carries
the key of the page's last row. A client that follows `next` therefore sees every row that existed when it started
exactly once, whatever is added or deleted between its requests; an offset would shift under an insertion. The
offset stays for jumping to a page (and for the clients of the first paginated lists), without that promise.

A view returns its rows as a queryset, or a `Listing` when the page's objects need presenting (a computed state,
a nested risk row): the presenter sees only the page, so a list costs the same few queries on every page.
"""

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from ninja import Schema
from ninja.pagination import PaginationBase
from pydantic import BaseModel, Field

PAGE_SIZE, PAGE_MAX, OFFSET_MAX = 100, 1_000, 1_000_000
CURSOR_MAX_LENGTH = 200
BAD_CURSOR = "cursor が正しくありません。前のページの next をそのまま使ってください。"


@dataclass(frozen=True)
class Listing:
    """A list route's rows (a queryset, not yet ordered or sliced) and how one page of them is shown."""

    rows: QuerySet
    present: Callable[[list], list] = list


def each(function: Callable[[Any], Any]) -> Callable[[list], list]:
    """A page presenter that shows every object on its own (`Listing(rows, each(row_out))`)."""
    return lambda page: [function(item) for item in page]


def cursor_for(value) -> str:
    """The cursor of the page that starts after the row whose key is `value`."""
    return base64.urlsafe_b64encode(json.dumps([value]).encode()).decode().rstrip("=")


def _decode(cursor: str, key_type: type):
    """The key value a cursor carries; anything else (tampered, truncated, another route's) is refused."""
    try:
        (value,) = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, binascii.Error):
        raise ValidationError(BAD_CURSOR) from None
    if type(value) is not key_type:  # noqa: E721 (bool is an int: exactly this type)
        raise ValidationError(BAD_CURSOR)
    return value


def _next_url(request, cursor: str) -> str:
    """The URL asked for, its cursor replaced and its offset dropped (the cursor says where the page starts)."""
    scheme, netloc, path, query, fragment = urlsplit(request.build_absolute_uri())
    kept = [(name, value) for name, value in parse_qsl(query, keep_blank_values=True)
            if name not in ("cursor", "offset")]
    return urlunsplit((scheme, netloc, path, urlencode([*kept, ("cursor", cursor)]), fragment))


class Pages(PaginationBase):
    """`@paginate(Pages)` (by primary key) or `@paginate(Pages, key="code")`; `key="-pk"` for newest first."""

    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=PAGE_MAX, description=f"1ページの件数（既定 {PAGE_SIZE}、最大 {PAGE_MAX}）")
        cursor: str | None = Field(None, max_length=CURSOR_MAX_LENGTH,
                                   description="前のページの next に含まれる位置（そのまま使う）")
        offset: int = Field(0, ge=0, le=OFFSET_MAX, description="先頭から飛ばす件数（cursor と違い、途中の追加・削除でずれる）")

    class Output(BaseModel):  # plain pydantic: the items are dicts or ninja Schemas; no attribute getter needed
        items: list[Any]
        count: int = Field(description="一覧全体の件数")
        next: str | None = Field(description="次のページの URL（最後のページでは null）")

    items_attribute = "items"

    def __init__(self, *, key: str = "pk", key_type: type = int, **kwargs):
        self.descending = key.startswith("-")
        self.key = key.lstrip("-")
        self.key_type = key_type
        super().__init__(**kwargs)

    def _key_of(self, item):
        return item[self.key] if isinstance(item, dict) else getattr(item, self.key)  # .values() rows are dicts

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        listing = queryset if isinstance(queryset, Listing) else Listing(queryset)
        rows = listing.rows.order_by(f"-{self.key}" if self.descending else self.key)
        count = rows.count()
        if pagination.cursor:
            after = _decode(pagination.cursor, self.key_type)
            rows = rows.filter(**{f"{self.key}__{'lt' if self.descending else 'gt'}": after})
        start = pagination.offset
        page = list(rows[start:start + pagination.limit + 1])  # one more: is there a next page?
        more = len(page) > pagination.limit
        page = page[:pagination.limit]
        last = self._key_of(page[-1]) if page else None
        return {
            "items": listing.present(page),
            "count": count,
            "next": _next_url(request, cursor_for(last)) if more else None,
        }

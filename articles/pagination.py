"""Keyset pagination: pages of a list ordered by (time, id), whatever its length.

A page is found from the key of the row before it (``after``) or after it
(``before``), through the index on (time, id): no OFFSET that grows with the
page number and no COUNT over the whole table. A cursor is
``<microseconds since the epoch>-<id>``; one that does not parse is the first page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def cursor_for(moment: datetime, pk: int) -> str:
    delta = moment - EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}-{pk}"


def cursor_parse(cursor: str) -> tuple[datetime, int] | None:
    micros, _, pk = cursor.rpartition("-")
    try:
        return EPOCH + timedelta(microseconds=int(micros)), int(pk)
    except (ValueError, OverflowError):
        return None


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Any]
    #: Cursors of the neighbouring pages ("" when there is none), for ``after``/``before``.
    after: str
    before: str

    @property
    def has_other_pages(self) -> bool:
        return bool(self.after or self.before)


def keyset_page(
    rows: QuerySet,
    *,
    field: str,
    size: int,
    after: str = "",
    before: str = "",
    newest_first: bool = True,
) -> KeysetPage:
    """One page of ``rows`` ordered by (``field``, id), newest first unless told.

    ``after`` pages towards the end of the order, ``before`` towards its start."""
    forward = not (before and cursor_parse(before))
    cursor = cursor_parse(after if forward else before) if (after or before) else None
    descending = newest_first == forward
    if cursor is not None:
        moment, pk = cursor
        op = "lt" if descending else "gt"
        rows = rows.filter(
            Q(**{f"{field}__{op}e": moment}),
            Q(**{f"{field}__{op}": moment}) | Q(**{field: moment, f"pk__{op}": pk}),
        )
    sign = "-" if descending else ""
    found = list(rows.order_by(f"{sign}{field}", f"{sign}pk")[: size + 1])
    more = len(found) > size
    found = found[:size]
    if not forward:
        found.reverse()
    if not found:
        return KeysetPage(rows=[], after="", before="")
    first, last = found[0], found[-1]
    has_after = more if forward else True
    has_before = cursor is not None if forward else more
    return KeysetPage(
        rows=found,
        after=cursor_for(getattr(last, field), last.pk) if has_after else "",
        before=cursor_for(getattr(first, field), first.pk) if has_before else "",
    )


@dataclass(frozen=True)
class BoundedPage:
    """A numbered page of a ranked list, at most ``max_pages`` deep (no COUNT)."""

    rows: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def bounded_page(rows: QuerySet, *, number: str, size: int, max_pages: int) -> BoundedPage:
    """Page ``number`` (1 when it is not a number from 1 to ``max_pages``) of ``rows``."""
    page = int(number) if number.isdigit() and 1 <= int(number) <= max_pages else 1
    found = list(rows[(page - 1) * size : page * size + 1])
    return BoundedPage(
        rows=found[:size], number=page, has_next=len(found) > size and page < max_pages
    )


def page_links(filters: dict[str, str], page: KeysetPage | BoundedPage) -> tuple[str, str]:
    """The query strings of the previous and the next page ("" when there is none),
    keeping the filters."""
    kept = {k: v for k, v in filters.items() if v}
    if isinstance(page, BoundedPage):
        previous = urlencode({**kept, "page": page.number - 1}) if page.has_previous else ""
        following = urlencode({**kept, "page": page.number + 1}) if page.has_next else ""
        return previous, following
    previous = urlencode({**kept, "before": page.before}) if page.before else ""
    following = urlencode({**kept, "after": page.after}) if page.after else ""
    return previous, following

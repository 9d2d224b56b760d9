"""What the machine-interface commands (`analyse`, `diff`) share: reading an
article file and the People/Sources registry."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.db import DatabaseError

from articles.analysis import KnownName


def registry() -> tuple[KnownName, ...]:
    """People and Sources from the database, or nothing when it is not available."""
    from articles.selectors import known_names  # looked up at call time

    try:
        return known_names()
    except DatabaseError:  # unmigrated or unreachable database: analyse without it
        return ()


def read_article_text(path: Path | str, *, raw: bool) -> str:
    """The text to analyse: the file's exact text with ``raw``, else the body
    the page-capture parser extracts. Unreadable files stop the command."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {path}: {error}") from error
    if raw:
        return text
    from articles.ingest import parse_capture

    try:
        return parse_capture(text).body
    except ValueError as error:
        raise CommandError(f"{path}: {error}") from error

"""The code's release, for cache keys of rendered HTML: a new deploy never serves a
page or fragment rendered by the old templates or code, even from a shared cache
that outlived the processes.

``RELEASE`` in the environment names it (a commit id, say); otherwise it is a digest
of the templates, the static files and the apps' Python source, read once at start.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
_TREES = ("templates", "static", "articles", "review", "newsdesk")
_SUFFIXES = {".py", ".html", ".js", ".css", ".svg", ".txt", ".json"}


def _digest() -> str:
    digest = hashlib.sha256()
    for tree in _TREES:
        for path in sorted((BASE_DIR / tree).rglob("*")):
            if path.suffix in _SUFFIXES and path.is_file() and "migrations" not in path.parts:
                digest.update(str(path.relative_to(BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RELEASE = os.environ.get("RELEASE") or _digest()

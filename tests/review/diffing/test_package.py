"""review.diffing is pure: it imports neither Django nor spaCy."""

from __future__ import annotations

import ast
from pathlib import Path

import review.diffing

PACKAGE = Path(review.diffing.__file__).resolve().parent


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_of_the_diff_imports_django_or_spacy() -> None:
    for path in PACKAGE.glob("*.py"):
        assert not imported(path) & {"django", "spacy"}, path.name

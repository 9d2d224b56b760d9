"""The shape of the analysis package: spaCy is imported by one module only."""

from __future__ import annotations

import ast
from pathlib import Path

import articles.analysis

PACKAGE = Path(articles.analysis.__file__).resolve().parent


def runtime_imports(path: Path) -> set[str]:
    """Top-level names of the modules ``path`` imports outside ``if TYPE_CHECKING:``."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def test_only_the_pipeline_module_imports_spacy() -> None:
    importing = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "spacy" in runtime_imports(path)
    }
    assert importing == {"pipeline.py"}


def test_the_analysis_package_does_not_import_django_but_to_read_a_setting() -> None:
    importing = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "django" in runtime_imports(path)
    }
    assert importing == {"pipeline.py"}  # model_name(): settings.SPACY_MODEL

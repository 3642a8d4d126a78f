"""The architecture's rule: models and services know nothing of Qt; the UI never speaks SQL."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("models", "PySide6"),
        ("services", "PySide6"),
        ("persian", "PySide6"),
        ("persian", "sqlalchemy"),
        ("ui", "sqlalchemy"),
    ],
)
def test_layer_does_not_import(package: str, forbidden: str) -> None:
    files = sorted((APP / package).rglob("*.py"))
    assert files, f"no files under app/{package}"
    offenders = [str(f.relative_to(APP)) for f in files if forbidden in _imported_roots(f)]
    assert offenders == []

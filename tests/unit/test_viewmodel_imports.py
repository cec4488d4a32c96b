"""View-models build on services, domain and Qt only: the layering of architecture.md, pinned
so that a use case creeping back into a view-model fails here rather than in review."""

from __future__ import annotations

import ast
from pathlib import Path

import recur_desktop.ui.viewmodels as viewmodels

FORBIDDEN = (
    "sqlalchemy",
    "pypdfium2",
    "recur_desktop.persistence",
    "recur_desktop.storage",
    "recur_desktop.app",
    "recur_desktop.extraction",
    "recur_desktop.analysis",
)


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_view_models_import_no_layer_below_the_services():
    found = {
        f"{path.name}: {name}"
        for path in Path(viewmodels.__file__).parent.glob("*.py")
        for name in imported_modules(path)
        if any(name == bad or name.startswith(f"{bad}.") for bad in FORBIDDEN)
    }
    assert not found

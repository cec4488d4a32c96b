"""The layering of docs/architecture.md, checked on the source: who may import whom, no import
cycles between modules, and no module too long to read."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "recur_desktop"
LOWER = ("domain", "persistence", "storage", "extraction", "analysis", "services")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_nodes(tree: ast.AST):
    """Every node but those under ``if TYPE_CHECKING:`` (imports for the type checker only)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def _imports(path: Path) -> set[str]:
    """Modules of ours that ``path`` imports at run time (lazy imports inside functions count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {
            imported for imported in _imports(path) if imported in modules and imported != name
        }
    return graph


def test_no_import_cycles_between_modules() -> None:
    graph = _graph()
    # A package's __init__ re-exporting its own modules is not a cycle of concerns.
    for name, targets in graph.items():
        graph[name] = {t for t in targets if not t.startswith(name + ".")}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert cycles == [], "\n".join(" <-> ".join(c) for c in cycles)


def test_nothing_below_the_view_models_imports_qt() -> None:
    offenders = []
    for layer in LOWER:
        for path in (PACKAGE / layer).rglob("*.py"):
            if any(m.split(".")[0] in ("PySide6", "shiboken6") for m in _imports(path)):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_nothing_imports_the_composition_root_but_the_entry_points() -> None:
    allowed = {
        "recur_desktop.cli.main",
        "recur_desktop.cli_admin",
        "recur_desktop.selftest",
        "recur_desktop.ui.main",
        "recur_desktop.__main__",
    }
    importers = sorted(
        name
        for name, targets in _graph().items()
        if "recur_desktop.app" in targets and name not in allowed
    )
    assert importers == []


def test_views_bind_to_view_models_only() -> None:
    forbidden = (
        "sqlalchemy",
        "boto3",
        "botocore",
        "keyring",
        "recur_desktop.persistence",
        "recur_desktop.storage",
        "recur_desktop.services",
        "recur_desktop.app",
    )
    offenders = [
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in (PACKAGE / "ui" / "views").rglob("*.py")
        for module in _imports(path)
        if module.startswith(forbidden)
    ]
    assert offenders == []


#: The longest a module may be (lines, counted as ``wc -l`` counts them).
MAX_MODULE_LINES = 700


def test_no_module_is_longer_than_700_lines() -> None:
    lengths = {
        str(path.relative_to(PACKAGE)): path.read_bytes().count(b"\n")
        for path in PACKAGE.rglob("*.py")
    }
    assert lengths  # the walk found the package
    too_long = {name: n for name, n in sorted(lengths.items()) if n > MAX_MODULE_LINES}
    assert too_long == {}

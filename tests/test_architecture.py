"""The shape of the house: no import cycle between the project's modules (counting imports inside
functions too), ``core`` at the bottom, the command line at the top, no HTTP below the service."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "encoders", "ingest", "index", "eval", "bench", "qa_service", "commission_qa")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_imports(path: Path, known: set[str]) -> set[str]:
    """Every project module ``path`` imports, anywhere in the file (lazy imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            # the longest known module that the name is, or lies in
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                out.add(name)
    return out


def graph() -> dict[str, set[str]]:
    files = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    known = {module_name(p) for p in files}
    edges = {module_name(p): project_imports(p, known) for p in files}
    for mod, deps in edges.items():  # a package's __init__ is not a real dependency of its own modules
        deps.discard(mod)
        deps -= {d for d in deps if mod.startswith(d + ".") and d in PACKAGES}
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(edges.get(node, ())):
            if state.get(dep) == 1:
                return stack[stack.index(dep):] + [dep]
            if dep not in state and (found := visit(dep)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle_between_modules():
    cycle = find_cycle(graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_no_import_cycle_between_packages():
    edges = graph()
    packages: dict[str, set[str]] = {p: set() for p in PACKAGES}
    for mod, deps in edges.items():
        top = mod.split(".")[0]
        packages[top] |= {d.split(".")[0] for d in deps} - {top}
    cycle = find_cycle(packages)
    assert cycle is None, " -> ".join(cycle or [])


@pytest.mark.parametrize("package", PACKAGES)
def test_layering(package):
    edges = graph()
    used = {d.split(".")[0] for m, deps in edges.items() if m.split(".")[0] == package for d in deps}
    used.discard(package)
    if package == "core":
        assert used == set(), "core imports no other project package"
    if package != "commission_qa":
        assert "commission_qa" not in used, "nothing imports the command line"
    if package not in ("qa_service", "commission_qa", "bench"):
        assert "qa_service" not in used, "no HTTP layer below the service"


def test_test_modules_have_unique_names():
    # the test folders have no __init__.py: pytest refuses two test modules of one name
    names = [p.name for p in (ROOT / "tests").rglob("test_*.py")]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)

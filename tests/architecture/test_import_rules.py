"""The import rules of ARCHITECTURE.md, read from the code itself (``ast``), so they cannot rot.

Every import counts: at the top of a module, inside a function, under ``if TYPE_CHECKING:``. A module's
layer is decided by its path; each layer lists the layers it may import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
PACKAGE = REPO / "generator"

BASICS = {"generator", "generator.diagnostics", "generator.text", "generator.digests"}
# Layer -> layers it may import (besides itself). "builder" means the importer's own builder package.
ALLOWED: dict[str, set[str]] = {
    "basics": set(),
    "model": set(),
    "yamlsource": {"basics", "model"},  # source/yamlsource.py: the located YAML reader, also used by others
    "source": {"basics", "model", "yamlsource", "render"},  # render/shortanswer.py: what an LMS can carry
    "render": {"basics", "model"},
    "contract": {"basics", "model"},
    "registry": set(),
    "builder": {"basics", "model", "render", "contract", "coverage", "yamlsource"},
    "build": {"basics", "model", "source", "yamlsource", "contract", "registry", "render"},  # render/printready.py
    "coverage": {"basics", "model", "source", "yamlsource"},
    "cli": {"basics", "model", "source", "yamlsource", "build", "coverage"},
}
# Named exceptions, each with its reason in ARCHITECTURE.md.
EXCEPTIONS = {
    ("generator.source.scaffold", "generator.build.publish"),  # a new course is written all or nothing
    ("generator.build.preview", "generator.builders.site.plugin"),  # the mkdocs entry point extends the plugin
    ("generator.source.loader", "generator.builders.leaflets.logo"),  # an emblem is checked by drawing it for print
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(module: str) -> str:
    if module in BASICS:
        return "basics"
    if module == "generator.model":
        return "model"
    if module == "generator.source.yamlsource":
        return "yamlsource"
    if module == "generator.builders":
        return "registry"
    if module == "generator.builders.contract":
        return "contract"
    if module == "generator.cli":
        return "cli"
    parts = module.split(".")
    if parts[1] == "builders":
        return "builder"
    if parts[1] in ("source", "render", "build", "coverage"):
        return parts[1]
    raise AssertionError(f"{module}: no layer in ARCHITECTURE.md; add one there and here")


def builder_of(module: str) -> str | None:
    parts = module.split(".")
    return ".".join(parts[:3]) if len(parts) >= 3 and parts[1] == "builders" and parts[2] != "contract" else None


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def imports_of(module: str) -> set[str]:
    """The coursegen modules ``module`` imports (a ``from pkg import name`` of a submodule counts as it)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "generator")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "generator":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
    found.discard(module)
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def forbidden(module: str, target: str) -> str | None:
    """Why ``module`` may not import ``target`` (None when it may)."""
    if (module, target) in EXCEPTIONS:
        return None
    mine, theirs = layer(module), layer(target)
    if mine == "builder" and theirs == "builder":
        return None if builder_of(module) == builder_of(target) else "a builder never imports another builder"
    if mine == theirs or theirs in ALLOWED[mine]:
        return None
    return f"{mine} may import only {sorted(ALLOWED[mine] | {mine})}, not {theirs}"


def violations(graph: dict[str, set[str]]) -> list[str]:
    return [f"{m} imports {t}: {why}" for m in sorted(graph) for t in sorted(graph[m]) if (why := forbidden(m, t))]


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_module_has_a_layer() -> None:
    assert {layer(m) for m in MODULES} <= set(ALLOWED)


def test_imports_follow_the_rules() -> None:
    assert violations(GRAPH) == []


def test_no_import_circles() -> None:
    assert circles(GRAPH) == []


def test_the_model_imports_nothing_of_coursegen() -> None:
    assert GRAPH["generator.model"] == set()


@pytest.mark.parametrize(("module", "target"), [
    ("generator.builders.decks", "generator.build.orchestrate"),  # a builder reaching for the orchestrator
    ("generator.builders.decks.notes", "generator.builders.exports.gift"),  # one builder using another
    ("generator.coverage.report", "generator.builders.site.pages"),  # coverage importing a builder
    ("generator.model", "generator.text"),  # the model importing anything
    ("generator.render.questions", "generator.builders.contract"),  # shared rendering knowing builders
    ("generator.build.units", "generator.builders.decks"),  # the build naming a builder instead of the registry
])
def test_a_forbidden_import_is_caught(module: str, target: str) -> None:
    """The checker itself: each import the rules forbid is reported (so the tests above can fail)."""
    graph = {m: set(t) for m, t in GRAPH.items()}
    graph[module].add(target)
    assert [v for v in violations(graph) if v.startswith(f"{module} imports {target}:")]


def test_a_circle_is_caught() -> None:
    graph = {m: set(t) for m, t in GRAPH.items()}
    graph["generator.coverage.storage"].add("generator.coverage.migrations")  # the circle there was before
    assert ["generator.coverage.migrations", "generator.coverage.storage"] in [
        [m for m in group if m in ("generator.coverage.migrations", "generator.coverage.storage")]
        for group in circles(graph)]

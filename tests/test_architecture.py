"""House rules that keep the layers apart, checked over every module of kg/ and web/.

Every import counts: at module level, inside functions (lazy), under ``TYPE_CHECKING``, and
``importlib.import_module("...")`` / ``__import__("...")`` with a literal name. The rules are the
layout of ``HOUSE.md``: the faces (``kg.cli``, ``web``) reach the library through the facade
(``kg``) and its errors only; the store knows nothing of the service, the build or the
reasoner; the store interface knows no implementation; each engine is imported by one part.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STDLIB = set(sys.stdlib_module_names) | {"__future__"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported module (absolute)
    lazy: bool  # inside a function or under TYPE_CHECKING
    line: int


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[0] == "ontology":  # packaged as kg.ontology
        parts = ["kg", "ontology", *parts[1:]]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {}
    for top in ("kg", "web"):
        for path in sorted((ROOT / top).rglob("*.py")):
            found[module_name(path)] = path
    return found


MODULES = modules()


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, *([name] if name else [])])


def imports_of(module: str, path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    out: list[Import] = []

    def visit(node: ast.AST, lazy: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = lazy or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                inner = True
            if isinstance(child, ast.Import):
                out.extend(Import(module, a.name, lazy, child.lineno) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(module, is_package, child.level, child.module)
                for a in child.names:  # `from kg import sparql` imports the module kg.sparql
                    full = f"{base}.{a.name}"
                    target = full if full in MODULES else base
                    out.append(Import(module, target, lazy, child.lineno))
            elif isinstance(child, ast.Call):
                fn = ast.unparse(child.func)
                if fn in ("importlib.import_module", "import_module", "__import__") and child.args:
                    arg = child.args[0]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        out.append(Import(module, arg.value, lazy, child.lineno))
                    else:
                        out.append(Import(module, "<dynamic>", lazy, child.lineno))
            visit(child, inner)

    visit(tree, False)
    return out


ALL = [imp for name, path in MODULES.items() for imp in imports_of(name, path)]


def top(target: str) -> str:
    return target.split(".")[0]


def within(target: str, *prefixes: str) -> bool:
    return any(target == p or target.startswith(p + ".") for p in prefixes)


def violations(rule: str) -> list[str]:
    return [f"{i.module}:{i.line} imports {i.target}" for i in ALL if RULES[rule](i)]


FACE_ALLOWED_KG = ("kg", "kg.errors")
RULES = {
    "kg never imports the web layer or Flask": lambda i: within(i.module, "kg")
    and (within(i.target, "web") or top(i.target) in ("flask", "werkzeug", "jinja2", "waitress")),
    "the CLI uses only the facade, its errors and click": lambda i: i.module == "kg.cli"
    and (
        (within(i.target, "kg") and i.target not in FACE_ALLOWED_KG)
        or (top(i.target) not in STDLIB and top(i.target) not in ("kg", "click"))
    ),
    "web uses only Flask, the facade and its errors": lambda i: within(i.module, "web")
    and (
        (within(i.target, "kg") and i.target not in FACE_ALLOWED_KG)
        or top(i.target) in ("pyoxigraph", "rdflib", "owlrl", "networkx", "pyshacl")
    ),
    "kg.sparql reads text with the standard library only": lambda i: i.module == "kg.sparql"
    and not (top(i.target) in STDLIB or i.target == "kg.errors"),
    "the store knows nothing of the service, the build, the reasoner or the web": lambda i: within(i.module, "kg.store")
    and within(i.target, "kg.service", "kg.build", "kg.reason", "kg.incremental", "kg.serving", "web"),
    "the store interface knows no implementation": lambda i: i.module == "kg.store.base"
    and within(i.target, "kg.store.embedded", "kg.store.remote"),
    "owlrl is imported by the reasoner only": lambda i: top(i.target) == "owlrl" and i.module != "kg.reason",
    "networkx is imported by kg.analyse only": lambda i: top(i.target) == "networkx" and i.module != "kg.analyse",
    "pySHACL is imported by kg.validate only": lambda i: top(i.target) == "pyshacl" and i.module != "kg.validate",
    "no import by a computed name": lambda i: i.target == "<dynamic>",
}


@pytest.mark.parametrize("rule", list(RULES))
def test_import_rule(rule: str) -> None:
    assert violations(rule) == []


def test_the_rules_see_lazy_and_importlib_imports() -> None:
    """The checker itself: a function-level import and an importlib call are found."""
    source = "def f():\n    import flask\n    import importlib\n    importlib.import_module('web')\n"
    probe = ROOT / "kg" / "_probe_for_test.py"
    probe.write_text(source, encoding="utf-8")
    try:
        found = imports_of("kg._probe_for_test", probe)
    finally:
        probe.unlink()
    assert {(i.target, i.lazy) for i in found} >= {("flask", True), ("web", True)}


def test_no_import_cycles_between_modules() -> None:
    """Module-level imports between our modules form no cycle (lazy imports may close one on purpose)."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for i in ALL:
        if not i.lazy and i.target in MODULES and i.target != i.module:
            graph[i.module].add(i.target)
            parts = i.target.split(".")
            for k in range(1, len(parts)):  # importing a.b.c runs a and a.b first
                parent = ".".join(parts[:k])
                if parent in MODULES and parent != i.module and not i.module.startswith(parent + "."):
                    graph[i.module].add(parent)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            walk(m, [m])
    assert cycles == []


def test_kg_never_imports_flask_and_the_facade_is_light() -> None:
    code = (
        "import sys, kg, kg.cli, kg.load, kg.extract, kg.gazetteer, kg.issues, kg.dates; "
        "print('flask' in sys.modules, 'web' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    code = "import sys, kg; print(sorted(m for m in ('rdflib', 'pyoxigraph', 'flask') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_facade_keeps_its_functions_when_submodules_load() -> None:
    import importlib

    import kg

    importlib.import_module("kg.build")
    assert callable(kg.build) and kg.build.__module__ == "kg"


def test_version_lives_in_one_place() -> None:
    from importlib.metadata import version

    import kg

    assert version("kg") == kg.__version__

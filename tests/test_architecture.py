"""The house rules of macros/, read from the source: packages whose dependencies run one way, no
import cycle, only the adapters import MkDocs, and nothing named like a module MkDocs or Python has.

Imports are read with `ast` (module level and inside functions alike), so a late import counts.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MACROS = ROOT / "macros"
ADAPTERS = {"macros.hooks", "macros.main"}
# package -> the packages it may import (itself included)
ALLOWED = {
    "kb": {"kb"},
    "rendering": {"kb", "rendering"},
    "exports": {"kb", "exports"},
    "session": {"kb", "rendering", "exports", "session"},
}
# Third-party names that belong to MkDocs and its plugins: only the adapters may import them.
MKDOCS_NAMES = {"mkdocs", "material", "mkdocs_macros", "jinja2"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports, as absolute dotted names (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module
            found.add(target)
            # `from macros.kb import schemas` imports the module macros.kb.schemas
            found.update(f"{target}.{alias.name}" for alias in node.names if _is_module(f"{target}.{alias.name}"))
    return found


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    modules = {module_name(p): p for p in MACROS.rglob("*.py")}
    return {name: {i for i in imports_of(path) if i in modules} for name, path in modules.items()}, {
        name: imports_of(path) for name, path in modules.items()
    }


def package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else None


def test_the_reader_sees_imports():
    # The rules below are only as good as the reading: it must see known imports of each kind.
    internal, _ = graph()
    assert "macros.kb.model" in internal["macros.rendering.pages"]
    assert "macros.kb.schemas" in internal["macros.kb.load"]  # `from macros.kb import schemas`
    assert "macros.kb.shards" in internal["macros.kb.validate"]  # imported inside a function


def test_packages_import_only_what_they_may():
    internal, _ = graph()
    offenders = []
    for module, targets in internal.items():
        source = package_of(module)
        if source is None:
            continue
        for target in targets:
            if target in ADAPTERS or (package_of(target) or "") not in ALLOWED[source]:
                offenders.append(f"{module} imports {target}")
    assert offenders == [], "the dependency rule (see macros/__init__.py) is broken"


def test_only_the_adapters_import_mkdocs():
    _, every = graph()
    offenders = sorted(
        f"{module} imports {target}"
        for module, targets in every.items()
        if module not in ADAPTERS
        for target in targets
        if target.split(".")[0] in MKDOCS_NAMES
    )
    assert offenders == []
    assert any(t.startswith("mkdocs") for t in every["macros.hooks"])  # the check sees what it looks for


def test_no_import_cycle():
    internal, _ = graph()
    # Tarjan's strongly connected components, iteratively.
    index, low, on_stack, stack, cycles, counter = {}, {}, set(), [], [], [0]
    for start in sorted(internal):
        if start in index:
            continue
        work = [(start, iter(sorted(internal[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
            elif child not in index:
                index[child] = low[child] = counter[0]
                counter[0] += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(internal[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    # A package's __init__ importing its own modules is not a cycle of the code's design.
    cycles = [c for c in cycles if not all(m.count(".") >= 1 and m.endswith("__init__") for m in c)]
    assert cycles == []


@pytest.mark.parametrize(
    "name",
    sorted(
        p.stem if p.is_file() else p.name
        for p in MACROS.iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").is_file())
    ),
)
def test_no_top_level_name_shadows_python_or_mkdocs(name):
    # MkDocs puts macros/ on sys.path while it loads hooks.py: each of these is importable by its bare name.
    assert name not in sys.stdlib_module_names and name.split(".")[0] not in MKDOCS_NAMES | {"macros", "yaml"}


def test_the_command_line_does_not_import_build_glue():
    cli = imports_of(ROOT / "scripts" / "kb.py")
    assert not {i for i in cli if i.startswith("macros.session") or i in ADAPTERS}


def test_every_package_states_what_it_offers():
    for package in ALLOWED:
        init = MACROS / package / "__init__.py"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        offered = next(
            (
                ast.literal_eval(n.value)
                for n in tree.body
                if isinstance(n, ast.Assign) and n.targets[0].id == "__all__"
            ),
            None,
        )
        assert offered, f"{init} has no __all__"
        modules = sorted(
            p.stem if p.is_file() else p.name
            for p in (MACROS / package).iterdir()
            if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
        )
        assert sorted(offered) == modules, f"{init}: __all__ and the package's modules differ"

"""The arrows between modules point down: core depends on nothing above it, and a module never
imports one above it (a lower page that shows something of a higher module asks a hook in
``consult/core/hooks.py``; a helper both need moves down). Views glue only their own module:
a view file never imports another module's views.

Read from the source (``ast``): every ``import`` counts, at the top of a file or inside a
function; only imports under ``if TYPE_CHECKING:`` are left out (annotations, never run).
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "consult"

#: Lowest first. A package may import its own layer and those below; never one above.
LAYERS: list[set[str]] = [
    {"core", "extensions"},
    {"accounts"},
    {"notices"},  # delivering notices (Notice, Kind, send_notices): every module that tells people
    {"consultations", "drafts"},
    {"comments"},
    {"moderation", "channels", "attachments", "notifications", "analysis", "search"},
    {"reports"},
    {"api"},
    # The application's assembly: the factory, the CLI, the demo, the table list.
    {"__init__", "cli", "demo", "demo_data", "models"},
]
LAYER_OF = {package: number for number, layer in enumerate(LAYERS) for package in layer}

#: Arrows up that exist and are not fixed yet: (importing file, imported module) → why. The test
#: fails when one disappears, so the list only shrinks. Do not add to it: pass what is needed, move
#: the helper down or add a hook.
KNOWN_BACK_ARROWS: dict[tuple[str, str], str] = {}


def _package(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[0] if len(parts) > 1 else path.stem


def _imported_package(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "consult":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def _imports(tree: ast.AST):
    """(line, module) of every import of consult, outside ``if TYPE_CHECKING:`` blocks."""
    for node in ast.iter_child_nodes(tree):
        if _is_type_checking(node):
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "consult":
                for alias in node.names:
                    yield node.lineno, "consult" if alias.name == "create_app" else f"consult.{alias.name}"
            else:
                yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        else:
            yield from _imports(node)


def _all_imports():
    for path in sorted(ROOT.rglob("*.py")):
        name = str(path.relative_to(ROOT))
        for line, module in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if _imported_package(module) is not None:
                yield name, path, line, module


def _back_arrows():
    arrows = {}
    for name, path, line, module in _all_imports():
        source, target = _package(path), _imported_package(module)
        if target == "__init__" and module != "consult":
            continue
        if LAYER_OF[target] > LAYER_OF[source]:
            arrows.setdefault((name, module), line)
    return arrows


def test_every_package_has_a_layer():
    packages = {_package(path) for path in ROOT.rglob("*.py")}
    assert packages - set(LAYER_OF) == set(), "add the new package to LAYERS"


def test_no_module_imports_one_above_it():
    unexpected = sorted(
        f"{name}:{line} imports {module}"
        for (name, module), line in _back_arrows().items()
        if (name, module) not in KNOWN_BACK_ARROWS
    )
    assert unexpected == [], "an import from a higher layer: pass what is needed, move the helper down or add a hook"


def test_the_known_back_arrows_still_exist():
    """A fixed arrow leaves the list, so the list only shrinks."""
    gone = sorted(f"{name} → {module}" for name, module in set(KNOWN_BACK_ARROWS) - set(_back_arrows()))
    assert gone == [], "fixed: remove these from KNOWN_BACK_ARROWS"


def test_core_imports_nothing_above_it():
    above = {
        (name, module)
        for name, path, _line, module in _all_imports()
        if _package(path) == "core" and LAYER_OF[_imported_package(module) or "core"] > 0
    }
    assert above == set()


def _is_views(name: str) -> bool:
    return name.endswith("views.py")


def test_views_never_import_another_modules_views():
    crossing = sorted(
        f"{name}:{line} imports {module}"
        for name, path, line, module in _all_imports()
        if _is_views(name) and module.split(".")[-1].endswith("views") and _imported_package(module) != _package(path)
    )
    assert crossing == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from consult.comments.models import Comment\n", [(1, "consult.comments.models")]),
        ("def f():\n    from consult.api import views\n", [(2, "consult.api")]),
        ("import consult.reports.views as v\n", [(1, "consult.reports.views")]),
        ("if TYPE_CHECKING:\n    from consult.drafts.models import DraftVersion\n", []),
        ("from consult import create_app\n", [(1, "consult")]),
    ],
)
def test_the_reader_finds_imports_at_the_top_and_inside_functions(source, expected):
    assert list(_imports(ast.parse(source))) == expected


def _module_of(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_edges() -> set[tuple[str, str]]:
    """(importing module, imported module) for every run-time import of a consult module by another."""
    modules = {_module_of(path) for path in ROOT.rglob("*.py")}
    edges = set()
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if _is_type_checking(node):
                for child in ast.walk(node):
                    child._type_only = True  # type: ignore[attr-defined]
        for node in ast.walk(tree):
            if getattr(node, "_type_only", False) or not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                edges.add((_module_of(path), target if target in modules else node.module))
    return {(a, b) for a, b in edges if b in modules and a != b}


def test_no_two_modules_import_each_other_at_run_time():
    """Two models that refer to each other name each other in strings and import each other only
    under TYPE_CHECKING (consultations.models and drafts.models)."""
    edges = _runtime_edges()
    mutual = sorted(f"{a} <-> {b}" for a, b in edges if (b, a) in edges and a < b)
    assert mutual == []


def test_the_cycle_check_sees_run_time_imports_and_ignores_type_checking_ones(tmp_path, monkeypatch):
    package = tmp_path / "consult"
    (package / "a").mkdir(parents=True)
    (package / "b").mkdir()
    (package / "a" / "models.py").write_text("from consult.b.models import B\n")
    (package / "b" / "models.py").write_text("from consult.a.models import A\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", package)
    assert ("consult.a.models", "consult.b.models") in _runtime_edges()
    assert ("consult.b.models", "consult.a.models") in _runtime_edges()
    (package / "b" / "models.py").write_text("if TYPE_CHECKING:\n    from consult.a.models import A\n")
    assert ("consult.b.models", "consult.a.models") not in _runtime_edges()

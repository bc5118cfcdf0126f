"""The layering of DESIGN.md section 2, read from the code's imports with `ast`.

Two checks: no private Streamlit module is imported by app.py, pages/ or attnviz/, and every
import runs the way the layout says (pages/, app.py -> attnviz.ui -> attnviz -> attention;
Streamlit only in app.py, pages/, attnviz/ui/; torch.nn only in attnviz/models/ and
attnviz/training/). What the code does today against the rules is listed below as known
exceptions, each with its reason, so the tests pass now and fail on any new one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Streamlit's documented modules; anything else under streamlit is its internals.
PUBLIC_STREAMLIT = {"streamlit", "streamlit.components.v1", "streamlit.column_config"}

# (file, module) imports against the layering that exist today.
KNOWN_LAYER_EXCEPTIONS = {
    # Run.show / run.show_model, the notebook API of section 4, import the figures at call time.
    ("attnviz/attention.py", "attnviz.notebook"),
}

LIBRARY_BELOW_UI = ("attnviz/figures/", "attnviz/analysis/", "attnviz/models/")
ENTRY_POINTS = ("attnviz.ui", "attnviz.__main__", "attnviz.serve", "attnviz.balancer")


def sources() -> list[Path]:
    pages = sorted((REPO / "pages").glob("*.py"))
    return [REPO / "app.py", *pages, *sorted((REPO / "attnviz").rglob("*.py"))]


def imports(source: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every import of `source`, at any depth: (module, names imported from it)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ()
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module, tuple(alias.name for alias in node.names)


def private_streamlit(source: str) -> set[str]:
    """Streamlit internals that `source` reaches: modules outside PUBLIC_STREAMLIT, names with
    a leading underscore, and `st._anything` attributes."""
    found = set()
    aliases = set()
    for module, names in imports(source):
        if module != "streamlit" and not module.startswith("streamlit."):
            continue
        parts = module.split(".")
        if module not in PUBLIC_STREAMLIT or any(p.startswith("_") for p in parts):
            found.add(module)
        found.update(f"{module}.{name}" for name in names if name.startswith("_"))
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            aliases.update(a.asname or a.name for a in node.names if a.name == "streamlit")
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
        ):
            found.add(f"streamlit.{node.attr}")
    return found


def is_submodule(package: str, name: str) -> bool:
    if package == "torch":
        return name == "nn"
    folder = REPO.joinpath(*package.split("."))
    return (folder / f"{name}.py").is_file() or (folder / name).is_dir()


def imported_modules(source: str) -> set[str]:
    """Modules `source` imports; `from package import module` counts as the module."""
    modules = set()
    for module, names in imports(source):
        submodules = {name for name in names if is_submodule(module, name)}
        modules.update(f"{module}.{name}" for name in submodules)
        if not names or set(names) - submodules:
            modules.add(module)
    return modules


def layer_violations(path: str, modules: set[str]) -> set[tuple[str, str]]:
    """(path, module) for each import of `modules` from file `path` that the layout forbids."""
    bad = set()
    for module in modules:
        is_streamlit = module == "streamlit" or module.startswith("streamlit.")
        in_ui = path == "app.py" or path.startswith(("pages/", "attnviz/ui/"))
        if is_streamlit and not in_ui:
            bad.add((path, ".".join(module.split(".")[:2])))
        if module.startswith("torch.nn") and not path.startswith(
            ("attnviz/models/", "attnviz/training/")
        ):
            bad.add((path, "torch.nn"))
        if module.split(".")[0] in ("pages", "app"):
            bad.add((path, module))  # nothing imports the views
        outside_ui = path.startswith("attnviz/") and not path.startswith("attnviz/ui/")
        if outside_ui and module.startswith("attnviz.ui"):
            bad.add((path, module))
        if path.startswith(LIBRARY_BELOW_UI) and module.startswith(ENTRY_POINTS):
            bad.add((path, module))
        if path == "attnviz/attention.py" and module.startswith("attnviz"):
            bad.add((path, module))  # the contract at the bottom imports nothing of ours
        past_ui = module.startswith("attnviz.") and not module.startswith("attnviz.ui")
        if (path.startswith("pages/") or path == "app.py") and past_ui:
            bad.add((path, module))
    return bad


def test_no_private_streamlit_module_is_imported():
    found = set()
    for path in sources():
        relative = str(path.relative_to(REPO))
        for module in private_streamlit(path.read_text(encoding="utf-8")):
            found.add((relative, module))
    assert not found, f"private Streamlit imports: {sorted(found)}"


def test_imports_follow_the_layers_of_design_section_2():
    found = set()
    for path in sources():
        relative = str(path.relative_to(REPO))
        found |= layer_violations(relative, imported_modules(path.read_text(encoding="utf-8")))
    new = found - KNOWN_LAYER_EXCEPTIONS
    assert not new, f"imports against DESIGN.md section 2: {sorted(new)}"
    gone = KNOWN_LAYER_EXCEPTIONS - found
    assert not gone, f"exceptions listed that no longer exist: {sorted(gone)}"


def test_the_checks_see_what_they_must():
    """The checkers themselves flag each kind of import the rules forbid."""
    source = (
        "import streamlit as st\n"
        "from streamlit.runtime.scriptrunner import add_script_run_ctx\n"
        "from streamlit import _config\n"
        "import streamlit.web.bootstrap\n"
        "def f():\n"
        "    from streamlit.elements import widgets\n"
        "    return st._main\n"
    )
    assert private_streamlit(source) == {
        "streamlit.runtime.scriptrunner",
        "streamlit._config",
        "streamlit.web.bootstrap",
        "streamlit.elements",
        "streamlit._main",
    }
    assert private_streamlit("import streamlit as st\nimport streamlit.components.v1\n") == set()
    modules = imported_modules("from torch import nn\nimport streamlit\nfrom attnviz import ui\n")
    assert layer_violations("attnviz/analysis/x.py", modules) == {
        ("attnviz/analysis/x.py", "torch.nn"),
        ("attnviz/analysis/x.py", "streamlit"),
        ("attnviz/analysis/x.py", "attnviz.ui"),
    }
    assert layer_violations("attnviz/attention.py", {"attnviz.figures"}) == {
        ("attnviz/attention.py", "attnviz.figures")
    }
    assert layer_violations("pages/x.py", {"attnviz.models.registry", "attnviz.ui.cache"}) == {
        ("pages/x.py", "attnviz.models.registry")
    }
    assert layer_violations("attnviz/ui/x.py", {"streamlit", "attnviz.models"}) == set()

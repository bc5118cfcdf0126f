"""The wheel: built from pyproject.toml, it carries the package, the shipped weights and the app
(app.py and pages/, written once, at the top of the repository), and the app runs from it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from attnviz.ui.navigation import PAGES

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SOURCES = ("pyproject.toml", "README.md", "requirements.txt", "app.py", "pages", "attnviz")


def requirement_pins() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_dependencies_are_the_pins_of_requirements_txt():
    assert PYPROJECT["project"]["dependencies"] == requirement_pins()


def test_every_package_directory_is_listed_for_the_wheel():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in (ROOT / "attnviz").rglob("*")
        if folder.is_dir() and any(folder.glob("*.py")) and folder.name != "__pycache__"
    }
    assert found | {"attnviz"} <= listed
    assert PYPROJECT["project"]["scripts"] == {"attnviz": "attnviz.__main__:main"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the sources so nothing is written into the checkout."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / ".streamlit", source / ".streamlit")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    done = subprocess.run(
        [*command, "-w", str(work / "dist"), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (built,) = (work / "dist").glob("attnviz-*.whl")
    return built


def test_the_wheel_carries_the_package_weights_and_the_app(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    # Every file of the package: modules, safetensors, vocabularies, configs, model cards, data
    # (a new data file that pyproject.toml's package-data does not name fails here).
    shipped = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "attnviz").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert shipped <= names, sorted(shipped - names)
    assert "attnviz/weights/MODEL_CARD.md" in names
    assert "attnviz/_app/app.py" in names and "attnviz/_app/.streamlit/config.toml" in names
    pages = [script for script, *_ in PAGES]  # the pages app.py's st.navigation offers
    assert pages and {f"attnviz/_app/{page}" for page in pages} <= names
    assert not [name for name in names if name.startswith(("tests/", "bench/", "docs/"))]
    assert not [name for name in names if name.endswith(".pyc") or "/tests/" in name]
    app_files = [name for name in names if name.startswith("attnviz/_app/")]
    assert len(app_files) == 1 + len(pages) + 1  # app.py, the pages, config.toml


def test_the_wheel_declares_the_pins_and_the_command(wheel):
    archive = zipfile.ZipFile(wheel)
    info = next(name for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
    metadata = archive.read(info).decode()
    declared = [line.split(": ", 1)[1] for line in metadata.splitlines() if "Requires-Dist" in line]
    assert declared == requirement_pins()
    entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert "attnviz = attnviz.__main__:main" in entry_points


APP_FROM_SITE = """
import sys
from pathlib import Path

import attnviz
from streamlit.testing.v1 import AppTest

site = Path(sys.argv[1])
assert Path(attnviz.__file__).is_relative_to(site), attnviz.__file__
app = AppTest.from_file(str(site / "attnviz" / "_app" / "app.py"), default_timeout=300)
app.run()
assert not app.exception, app.exception
app.switch_page("pages/heads.py").run()
assert not app.exception, app.exception
assert app.get("plotly_chart"), "the heads page drew no figure"
"""


def test_the_app_and_the_command_line_run_from_the_unpacked_wheel(wheel, tmp_path):
    """Only the wheel's files on the path, in a folder far from the checkout."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(site)}
    environment["HF_HUB_OFFLINE"] = "1"
    for command in (["-m", "attnviz", "models"], ["-c", APP_FROM_SITE, str(site)]):
        done = subprocess.run(
            [sys.executable, *command],
            cwd=elsewhere,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        if "models" in command:
            assert "bahdanau-en-es" in done.stdout


def imported_distributions(files: list[Path]) -> set[str]:
    """The distributions (lower-case names) that provide the top-level modules `files` import."""
    import ast
    from importlib.metadata import packages_distributions

    providers = packages_distributions()
    modules: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.partition(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.partition(".")[0])
    modules -= set(sys.stdlib_module_names) | {"attnviz", "__future__"}
    return {name.lower() for module in modules for name in providers.get(module, [module])}


def test_what_the_app_imports_is_a_declared_runtime_requirement():
    """The app and the library (not the training code, whose tools are development pins)
    import only what requirements.txt declares: a user's `pip install` brings all of it."""
    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]
    files += [p for p in (ROOT / "attnviz").rglob("*.py") if "training" not in p.parts]
    declared = {re.split(r"[=<>\[]", pin)[0].lower() for pin in requirement_pins()}
    assert imported_distributions(files) - declared == set()

"""Pages keep nothing at module level but constants and functions.

Streamlit runs a page's file as a fresh module on every rerun, and the page's functions point
back at that module's globals: a reference cycle. Anything a page left there (a run, its
maps) lived until Python's next full collection, which a busy server rarely reaches (it held
evicted 75 MB runs: issue 13). So a page's top level may only import, define constants
(UPPER_CASE names) and functions, and call its entry point.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAGES = sorted((Path(__file__).resolve().parents[2] / "pages").glob("*.py"))
ENTRY_POINTS = {"require_navigation", "main", "classroom_page"}


def stray_statements(path: Path) -> list[str]:
    stray = []
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.ClassDef):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if all(isinstance(t, ast.Name) and t.id.isupper() for t in targets):
                continue
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id in ENTRY_POINTS
            and not node.value.args
        ):
            continue
        stray.append(f"line {node.lineno}: {ast.unparse(node).splitlines()[0]}")
    return stray


@pytest.mark.parametrize("path", PAGES, ids=[path.stem for path in PAGES])
def test_a_page_holds_no_state_at_module_level(path):
    assert stray_statements(path) == []

"""`python -m attnviz` with rnnenc-en-es: run prints the translation and no map; export exits 2
with the reason."""

from __future__ import annotations

import json
import subprocess
import sys


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "attnviz", *args], capture_output=True, text=True, timeout=300
    )


def test_run_prints_the_translation_and_says_there_is_no_attention():
    result = cli("run", "rnnenc-en-es", "The children eat.")
    assert result.returncode == 0, result.stderr
    assert "output: " in result.stdout and "attention: none" in result.stdout
    data = json.loads(cli("run", "rnnenc-en-es", "The children eat.", "--json").stdout)
    assert data["maps"] == {} and data["target_tokens"][-1] == "[EOS]"


def test_export_exits_2_with_one_sentence(tmp_path):
    result = cli("export", "rnnenc-en-es", "The children eat.", "-o", str(tmp_path / "a.csv"))
    assert result.returncode == 2
    assert "rnnenc-en-es has no attention to draw" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "a.csv").exists()


def test_models_lists_it_without_attention():
    rows = json.loads(cli("models", "--json").stdout)
    assert next(r for r in rows if r["name"] == "rnnenc-en-es")["kinds"] == []
    assert "[no attention]" in cli("models").stdout

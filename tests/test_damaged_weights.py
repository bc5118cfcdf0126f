"""Damaged shipped weights: one sentence naming the file, on the command line (exit 2) and in
the app (a notice), never a traceback or a model with random weights."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app.helpers import open_page

ROOT = Path(__file__).resolve().parents[1]


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


def break_json(path: Path) -> None:
    path.write_text(path.read_text()[:100])


def bad_config(path: Path) -> None:
    path.write_text(json.dumps({**json.loads(path.read_text()), "encoder_hidden": -5}))


DAMAGE = {  # model -> (file, what is done to it, what the sentence says)
    "transformer-en-es": ("model.safetensors", truncate, "is incomplete"),
    "bahdanau-en-es": ("source_tokenizer.json", break_json, "is missing or damaged"),
    "luong-dot-en-es": ("target_tokenizer.json", Path.unlink, "is missing or damaged"),
    "luong-general-en-es": ("config.json", bad_config, "gives encoder_hidden = -5"),
    "bahdanau-dates": ("model.safetensors", Path.unlink, "is missing"),
}


@pytest.fixture(scope="module")
def damaged(tmp_path_factory) -> Path:
    """A copy of the attnviz package whose shipped models each have one damaged file."""
    root = tmp_path_factory.mktemp("damaged")
    shutil.copytree(
        ROOT / "attnviz", root / "attnviz", ignore=shutil.ignore_patterns("__pycache__")
    )
    for model, (name, damage, _) in DAMAGE.items():
        damage(root / "attnviz" / "weights" / model / name)
    return root


@pytest.mark.parametrize("model", DAMAGE)
def test_the_command_line_names_the_damaged_file_and_exits_2(damaged, model):
    name, _, says = DAMAGE[model]
    result = subprocess.run(
        [sys.executable, "-m", "attnviz", "run", model, "The cat sleeps."],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=damaged,
        env={**os.environ, "PYTHONPATH": str(damaged)},
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"attnviz/weights/{model}/{name}" in lines[0] and says in lines[0]


@pytest.fixture
def shipped_from(monkeypatch):
    """Load the shipped translators from another weights folder, with fresh caches."""
    from attnviz.models import registry, rnn, transformer
    from attnviz.ui import cache

    def clear() -> None:
        registry.LOADED.clear()
        cache.RUNS.clear()

    def use(weights: Path) -> None:
        monkeypatch.setattr(rnn, "WEIGHTS_DIR", weights)
        monkeypatch.setattr(transformer, "WEIGHTS_DIR", weights)
        clear()

    yield use
    monkeypatch.undo()
    clear()


def test_the_app_shows_one_sentence_for_a_damaged_translator(damaged, shipped_from):
    shipped_from(damaged / "attnviz" / "weights")
    app = open_page("translate", model="bahdanau-en-es", text="The cat sleeps.")
    assert not app.exception
    (error,) = app.error
    assert "bahdanau-en-es cannot be loaded" in error.value
    assert "source" in error.value and "tokenizer.json is missing or damaged" in error.value
    heads = open_page("heads", model="transformer-en-es", text="The cat sleeps.")
    assert not heads.exception
    assert any("model.safetensors is incomplete" in error.value for error in heads.error)

"""`python -m attnviz`: the documented output, and exit 2 with one sentence for bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import attnviz


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "attnviz", *args], capture_output=True, text=True, timeout=300
    )


def test_models_lists_minilm_as_text_and_json():
    text = cli("models")
    assert text.returncode == 0 and "minilm-l6" in text.stdout
    rows = json.loads(cli("models", "--json").stdout)
    minilm = next(row for row in rows if row["name"] == "minilm-l6")
    assert minilm["kinds"] == ["encoder_self"]


def test_run_json_is_the_documented_object_and_equals_the_api(minilm):
    result = cli("run", "minilm-l6", "The cat sat on the mat.", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {
        "model",
        "text",
        "output_text",
        "source_tokens",
        "target_tokens",
        "maps",
        "probabilities",
        "next_tokens",
    }
    assert data["probabilities"] is None and data["next_tokens"] is None
    assert data["source_tokens"] == ["[CLS]", "the", "cat", "sat", "on", "the", "mat", ".", "[SEP]"]
    assert data["target_tokens"] == [] and data["output_text"] is None
    maps = data["maps"]["encoder_self"]
    assert maps["query_tokens"] == maps["key_tokens"] == data["source_tokens"]
    weights = np.array(maps["weights"], dtype=np.float32)
    expected = attnviz.run(minilm, "The cat sat on the mat.").maps["encoder_self"].weights
    np.testing.assert_array_equal(weights, expected)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("run", "minilm-l6", "   "), "empty"),
        (("run", "no-such-model", "hi"), "Unknown model"),
        (("run", "./no/such/folder", "hi"), "No folder"),
        (("run", "minilm-l6"), "required"),
        (("fly",), "invalid choice"),
        (("run", "minilm-l6", "hi", "--beam", "0"), "at least 1"),
    ],
)
def test_bad_input_exits_2_with_one_sentence_and_no_traceback(args, message):
    result = cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_reader_that_stops_early_is_no_error():
    """`attnviz run ... --json | head -c 100`: the pipe closes under us; exit 0, nothing said."""
    text = " ".join(["The black cat sleeps on the red sofa."] * 5)  # 1.5 MB: more than a pipe holds
    command = [sys.executable, "-m", "attnviz", "run", "minilm-l6", text, "--json"]
    writer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert writer.stdout.read(100).startswith(b"{")
    writer.stdout.close()  # like `head`: read a little, then hang up
    _, error = writer.communicate(timeout=300)
    assert writer.returncode == 0, error.decode()
    assert error == b""

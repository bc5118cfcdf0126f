"""The command line with the task models: probabilities in --json, the new kinds exported,
bad stories refused with one sentence."""

from __future__ import annotations

import json

import numpy as np

import attnviz
from tests.test_cli import cli

REVIEW = "The pizza was delicious and the staff were friendly."
STORY = "Mary went to the kitchen. John moved to the garden. Where is Mary?"


def test_run_json_adds_probabilities_and_the_pooling_map():
    result = cli("run", "sentiment-bigru", REVIEW, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    run = attnviz.run("sentiment-bigru", REVIEW)
    assert data["output_text"] == "positive"
    assert data["probabilities"] == dict(run.probabilities)
    pooling = data["maps"]["pooling"]
    assert (
        pooling["query_tokens"] == ["[summary]"] and pooling["key_tokens"] == data["source_tokens"]
    )
    np.testing.assert_array_equal(
        np.array(pooling["weights"], np.float32), run.maps["pooling"].weights
    )


def test_a_memory_map_exports_as_csv_and_npz(tmp_path):
    csv = tmp_path / "hop.csv"
    result = cli("export", "qa-memnet", STORY, "--layer", "1", "-o", str(csv))
    assert result.returncode == 0, result.stderr
    header, row = csv.read_text().splitlines()
    assert header == "query \\ key,Mary went to the kitchen.,John moved to the garden."
    expected = attnviz.run("qa-memnet", STORY).maps["memory"].weights[1, 0, 0]
    assert row.startswith("Where is Mary?,")
    np.testing.assert_array_equal(np.array(row.split(",")[1:], np.float32), expected)
    from attnviz import export

    arrays = np.load(__import__("io").BytesIO(export.run_npz(attnviz.run("qa-memnet", STORY))))
    assert arrays["probabilities.labels"][int(arrays["probabilities.values"].argmax())] == "kitchen"


def test_a_story_without_a_question_exits_2_with_one_sentence():
    result = cli("run", "qa-memnet", "Mary went to the kitchen.")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "question ending in '?'" in result.stderr

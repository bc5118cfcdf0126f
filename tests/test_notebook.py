"""Notebooks: run.show / run.show_model build the app's figures; repr is short; the example
notebook in docs/ runs on a real Jupyter kernel and displays its figures with no network."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

import attnviz
from attnviz.figures import head_heatmap, model_overview

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "notebook.ipynb"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
TEXT = "The cat sat on the mat."


@pytest.fixture(scope="module")
def run(minilm):
    return attnviz.run(minilm, TEXT)


def test_show_is_the_apps_head_heatmap_of_that_head(run):
    figure = run.show(layer=2, head=3)
    assert isinstance(figure, go.Figure)
    maps = run.maps["encoder_self"]
    expected = head_heatmap(maps.head(2, 3), maps.query_tokens, maps.key_tokens, "x", maps.visible)
    np.testing.assert_array_equal(figure.data[0].z, expected.data[0].z)
    assert figure.data[0].x == expected.data[0].x and figure.data[0].y == expected.data[0].y
    assert figure.layout.title.text == "minilm-l6 · encoder_self · layer 2 · head 3"
    assert run.show().layout.title.text.endswith("layer 0 · head 0")  # defaults


def test_show_model_is_the_apps_overview_with_a_title(run):
    figure = run.show_model()
    maps = run.maps["encoder_self"]
    expected = model_overview(maps.weights, None, maps.visible)
    heatmaps = [trace for trace in figure.data if trace.type == "heatmap"]
    assert len(heatmaps) == 6 * 12
    for ours, theirs in zip(
        heatmaps, (t for t in expected.data if t.type == "heatmap"), strict=True
    ):
        np.testing.assert_array_equal(ours.z, theirs.z)
    assert figure.layout.title.text == "minilm-l6 · encoder_self · 6 layers x 12 heads"
    assert "255 levels" in figure.layout.title.subtitle.text
    figure.to_json()  # built without validation; it must still serialise


def test_show_escapes_tokens_and_model_names_in_labels():
    run = attnviz.run("bahdanau-dates", "27 Nov 2026")
    assert run.show().layout.title.text.startswith("bahdanau-dates · cross")
    html_run = attnviz.run("minilm-l6", "<b>bold</b>")
    labels = html_run.show().data[0].x
    assert not any("<b>" in label for label in labels)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda r: r.show(layer=6), "Layer 6 is out of range; encoder_self has layers 0 to 5"),
        (lambda r: r.show(head=-1), "Head -1 is out of range"),
        (lambda r: r.show("cross"), "has no 'cross' attention; it has: encoder_self"),
        (lambda r: r.show_model("decoder_self"), "has no 'decoder_self' attention"),
    ],
)
def test_bad_kind_layer_or_head_is_a_sentence(run, call, message):
    with pytest.raises(ValueError, match=message):
        call(run)


def test_repr_is_one_short_line(run):
    text = repr(run)
    assert text == (
        "Run('minilm-l6', 'The cat sat on the mat.', 9 source tokens, "
        "maps: encoder_self [6, 12, 9, 9])"
    )
    assert repr(run.maps["encoder_self"]) == (
        "AttentionMaps(encoder_self, [layer, head, query, key] = [6, 12, 9, 9])"
    )
    long = attnviz.run("transformer-en-es", "the old man walks his dog in the green park " * 3)
    assert "\n" not in repr(long) and len(repr(long)) < 250
    assert "target tokens" in repr(long) and "..." in repr(long)


def test_the_example_notebook_runs_on_a_real_kernel(tmp_path, monkeypatch):
    """nbclient starts an IPython kernel (ipykernel) and runs every cell, as Jupyter does."""
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # torch in the kernel: one thread, as in tests
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()  # raises CellExecutionError with the traceback if any cell fails
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert "minilm-l6" in code[0].outputs[-1]["data"]["text/plain"]
    summary = code[1].outputs[-1]["data"]["text/plain"]
    assert summary.startswith("Run('minilm-l6'") and "\n" not in summary
    figures = [
        output["data"][PLOTLY_MIME]
        for cell in code
        for output in cell.outputs
        if PLOTLY_MIME in output.get("data", {})
    ]
    assert len(figures) == 4  # head, overview, translator, the wrapped model
    titles = [figure["layout"]["title"]["text"] for figure in figures]
    assert titles[0] == "minilm-l6 · encoder_self · layer 2 · head 3"
    assert titles[2].startswith("bahdanau-en-es · cross")
    assert titles[3] == "my MiniLM · encoder_self · layer 0 · head 0"
    assert sum(trace["type"] == "heatmap" for trace in figures[1]["data"]) == 72
    # The figures travel as Plotly's MIME type, which JupyterLab (through the extension that
    # ships in the plotly package) and VS Code draw with their own plotly.js: no URL to fetch.
    assert "https://" not in json.dumps(figures)
    extension = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "jupyterlab-plotly"
    assert (extension / "package.json").is_file()

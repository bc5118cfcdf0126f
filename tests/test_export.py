"""Exports: valid PNG, SVG and offline HTML; CSV, JSON and NPZ that read back to the same maps;
`python -m attnviz export` with every extension, and exit 2 for bad input."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np
import pytest

import attnviz
from attnviz import export
from attnviz.__main__ import main
from attnviz.figures import head_heatmap
from attnviz.figures.titles import Shown, context_lines, short_text, titled

ROOT = Path(__file__).resolve().parents[1]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DATE = "27 Nov 2026"
AWKWARD = ["a,b", 'say "hi"', "two\nlines", "=1+1", "<b>x</b>", "naïve"]


@pytest.fixture(scope="module", autouse=True)
def _close_chromium():
    yield
    export.close_image_engine()


@pytest.fixture(scope="module")
def dates_run() -> attnviz.Run:
    return attnviz.run("bahdanau-dates", DATE)


@pytest.fixture(scope="module")
def minilm_run(minilm) -> attnviz.Run:
    return attnviz.run(minilm, "The cat sat on the mat, didn't it?")


def random_map(n_query: int, n_key: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.dirichlet(np.ones(n_key), n_query).astype(np.float32)  # [query, key]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    return struct.unpack(">II", data[16:24])  # the IHDR chunk: width, height


def read_csv(text: str) -> tuple[list[str], list[str], np.ndarray]:
    rows = list(csv.reader(io.StringIO(text)))
    keys = rows[0][1:]
    queries = [row[0] for row in rows[1:]]
    weights = np.array([[np.float32(v) for v in row[1:]] for row in rows[1:]], dtype=np.float32)
    return queries, keys, weights


def check_file(path: Path, run: attnviz.Run) -> None:
    """The file at `path` is a valid export of its kind for `run`."""
    data = path.read_bytes()
    if path.suffix == ".png":
        assert png_size(data)[0] >= 100
    elif path.suffix == ".svg":
        assert ElementTree.fromstring(data).tag.endswith("svg")
    elif path.suffix == ".html":
        assert not re.search(rb"<script[^>]*\bsrc\s*=", data, re.IGNORECASE)
    elif path.suffix == ".csv":
        queries, keys, weights = read_csv(data.decode())
        maps = run.maps["cross"]
        assert (queries, keys) == (list(maps.query_tokens), list(maps.key_tokens))
        np.testing.assert_array_equal(weights, maps.head(0, 0))
    elif path.suffix == ".json":
        assert json.loads(data) == run.to_json()
    else:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            np.testing.assert_array_equal(arrays["cross.weights"], run.maps["cross"].weights)


# ---- figures ------------------------------------------------------------------------------


def test_png_has_the_signature_and_the_requested_size():
    figure = head_heatmap(random_map(20, 20), [f"t{i}" for i in range(20)], AWKWARD * 3 + ["x"] * 2)
    assert png_size(export.figure_png(figure, width=400, height=300, scale=2)) == (800, 600)
    assert png_size(export.figure_png(figure, width=500, scale=1))[0] == 500


def test_svg_parses_as_xml_and_shows_markup_as_text():
    figure = head_heatmap(random_map(3, 6), ["a", "b", "c"], AWKWARD, title="<i>title</i>")
    svg = export.figure_svg(figure, width=600, height=400)
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg") and root.get("width") == "600"
    texts = [node.text for node in root.iter() if node.text]
    assert "<b>x</b>" in texts and "<i>title</i>" in texts  # escaped, drawn as typed
    assert not any(node.tag.endswith("}b") or node.tag == "b" for node in root.iter())


def test_html_is_offline_and_contains_the_data():
    weights = random_map(4, 4)
    tokens = ["alpha", "beta", "</script>", "delta"]
    html = export.figure_html(head_heatmap(weights, tokens, tokens))
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.IGNORECASE)
    assert html.lower().count("<script") == html.lower().count("</script>")  # none broken out
    assert "alpha" in html and "beta" in html
    encoded = base64.b64encode(weights.tobytes()).decode()  # the weights, as drawn
    assert encoded.replace("/", "\\u002f") in html  # Plotly writes "/" as \u002f in a script
    assert len(html) > 1_000_000  # plotly.js itself is inside


def test_image_sizes_are_checked():
    figure = head_heatmap(random_map(2, 2), ["a", "b"], ["a", "b"])
    for width, height, scale in ((5, 100, 1), (100, 100, 0), (100, 100, 11), (6000, 100, 2)):
        with pytest.raises(ValueError, match=r"Image|pixels"):
            export.image_size(figure, width, height, scale)
    assert export.image_size(figure, None, None, 1) == (export.DEFAULT_WIDTH, figure.layout.height)


def test_a_missing_browser_is_named(monkeypatch):
    monkeypatch.setenv("ATTNVIZ_CHROMIUM", "/no/such/chromium")
    with pytest.raises(export.ExportError, match="ATTNVIZ_CHROMIUM"):
        export.chromium_path()


def svg_texts(svg: str) -> list[str]:
    return [node.text for node in ElementTree.fromstring(svg).iter() if node.text]


def test_an_exported_image_has_the_figures_height_and_the_width_given():
    figure = head_heatmap(random_map(7, 7), [f"t{i}" for i in range(7)], [*AWKWARD, "x"], "t")
    height = figure.layout.height
    assert png_size(export.figure_png(figure, width=482)) == (964, 2 * height)  # scale 2
    root = ElementTree.fromstring(export.figure_svg(figure, width=482))
    assert (root.get("width"), root.get("height")) == ("482", str(height))
    bare = head_heatmap(random_map(2, 2), ["a", "b"], ["a", "b"]).update_layout(height=None)
    assert png_size(export.figure_png(bare, width=300, scale=1)) == (300, export.DEFAULT_HEIGHT)


def test_the_exported_title_adds_the_sentence_the_title_on_screen_lacks():
    tokens = ["[CLS]", "cats", "chase", "mice", ".", "[SEP]"]
    title = "minilm-l6 · encoder_self · layer 1 · head 2"
    figure = head_heatmap(random_map(6, 6), tokens, tokens, title)
    long_text = "Cats chase mice " + "and dogs chase the cats " * 6
    exported = titled(figure, [Shown("minilm-l6", long_text)], 482)
    assert figure.layout.title.text == title  # the figure on screen is left alone
    lines = exported.layout.title.text.split("<br>")
    assert lines[0] == title and "".join(lines).count("minilm-l6") == 1  # named once
    added = " ".join(lines[1:])
    assert added.startswith("“Cats chase mice and dogs") and added.endswith("…”")
    assert len(added) < len(long_text) and all(len(line) <= 45 for line in lines[1:])
    # The plot keeps its size: the figure grows by the room the new lines take at the top.
    grown = exported.layout.height - figure.layout.height
    assert grown > 0 and exported.layout.margin.t - figure.layout.margin.t == grown
    svg = svg_texts(export.figure_svg(exported, width=482))
    assert title in svg and any(text.startswith("“Cats chase mice") for text in svg)
    assert png_size(export.figure_png(exported, width=482)) == (964, 2 * exported.layout.height)


def test_a_title_that_names_model_and_sentence_is_kept_as_it_is():
    figure = head_heatmap(random_map(2, 2), ["a", "b"], ["a", "b"], "tiny-model · “a b”")
    assert titled(figure, [Shown("tiny-model", "a  b")], 400) is figure
    untitled = head_heatmap(random_map(2, 2), ["a", "b"], ["a", "b"])
    named = titled(untitled, [Shown("tiny-model", "a b")], 400)
    assert named.layout.title.text == "tiny-model · “a b”"


def test_both_sides_of_a_comparison_get_a_line():
    figure = head_heatmap(random_map(2, 2), ["a", "b"], ["a", "b"], "A − B")
    sides = [
        Shown("m1", "a b", "A: m1 · layer 0 · head 0"),
        Shown("m2", "a b", "B: m2 · layer 1 · head 3"),
    ]
    assert context_lines("A − B", sides) == [
        "A: m1 · layer 0 · head 0 · “a b”",
        "B: m2 · layer 1 · head 3 · “a b”",
    ]
    assert titled(figure, sides, 820).layout.title.text.count("<br>") == 2


def test_model_and_sentence_in_an_exported_title_are_escaped():
    folder, text = "/models/<b>mine</b>", "say <i>hi</i> & [x](https://example.com)"
    figure = head_heatmap(random_map(2, 2), ["a", "b"], ["a", "b"], "heads")
    exported = titled(figure, [Shown(folder, text)], 820)
    assert "<b>" not in exported.layout.title.text
    assert "&lt;b&gt;mine" in exported.layout.title.text
    svg = export.figure_svg(exported, width=820)
    shown = " ".join(svg_texts(svg))
    assert folder in shown and text in shown  # drawn as typed, not as markup or a link
    root = ElementTree.fromstring(svg)
    assert not any(node.tag.split("}")[-1] in ("b", "i", "a") for node in root.iter())


def test_short_text_cuts_long_texts_at_a_word_with_an_ellipsis():
    assert short_text("  two\nlines  ") == "two lines"
    assert short_text("x" * 60) == "x" * 60
    assert short_text("word " * 20, 20) == "word word word word…"
    assert short_text("y" * 80, 20) == "y" * 19 + "…"


def test_cli_export_titles_the_figure_with_the_text(tmp_path, dates_run):
    path = tmp_path / "dates.svg"
    assert main(["export", "bahdanau-dates", DATE, "-o", str(path)]) == 0
    texts = svg_texts(path.read_text())
    assert "bahdanau-dates · cross · layer 0 · head 0" in texts and f"“{DATE}”" in texts


# ---- data ---------------------------------------------------------------------------------


def test_csv_reads_back_to_the_same_matrix_and_tokens():
    weights = random_map(len(AWKWARD), len(AWKWARD) - 1, seed=3)
    weights[0, 0] = np.float32(1e-30)  # tiny values survive too
    text = export.matrix_csv(weights, AWKWARD, AWKWARD[1:])
    queries, keys, read = read_csv(text)
    assert queries == AWKWARD and keys == AWKWARD[1:]
    np.testing.assert_array_equal(read, weights)
    assert text.splitlines()[0].startswith(export.CSV_CORNER)


def test_csv_refuses_weights_that_do_not_match_the_tokens():
    with pytest.raises(ValueError, match="do not match 2 query and 3 key tokens"):
        export.matrix_csv(random_map(3, 3), ["a", "b"], ["a", "b", "c"])


def test_json_round_trip(minilm_run):
    data = json.loads(export.run_json(minilm_run))
    assert data == minilm_run.to_json()
    weights = np.array(data["maps"]["encoder_self"]["weights"], dtype=np.float32)
    np.testing.assert_array_equal(weights, minilm_run.maps["encoder_self"].weights)


def test_npz_round_trip_without_pickle(minilm_run, dates_run):
    for run in (minilm_run, dates_run):
        with np.load(io.BytesIO(export.run_npz(run)), allow_pickle=False) as arrays:
            assert str(arrays["model"]) == run.model and str(arrays["text"]) == run.text
            assert list(arrays["source_tokens"]) == list(run.source_tokens)
            assert list(arrays["target_tokens"]) == list(run.target_tokens)
            assert list(arrays["kinds"]) == list(run.kinds)
            assert ("output_text" in arrays) == (run.output_text is not None)
            for kind in run.kinds:
                np.testing.assert_array_equal(arrays[f"{kind}.weights"], run.maps[kind].weights)
                assert list(arrays[f"{kind}.key_tokens"]) == list(run.maps[kind].key_tokens)
    with np.load(io.BytesIO(export.run_npz(dates_run)), allow_pickle=False) as arrays:
        assert str(arrays["output_text"]) == "2026-11-27"


def test_the_format_comes_from_the_extension():
    assert export.export_format("slide.PNG") == ".png"
    with pytest.raises(ValueError, match=r"must end in \.png, \.svg"):
        export.export_format("paper.pdf")


# ---- the command line ---------------------------------------------------------------------


@pytest.mark.parametrize("extension", export.FORMATS)
def test_cli_export_writes_each_format(extension, tmp_path, capsys, dates_run):
    path = tmp_path / f"dates{extension}"
    code = main(["export", "bahdanau-dates", DATE, "--kind", "cross", "-o", str(path)])
    assert code == 0, capsys.readouterr().err
    assert str(path) in capsys.readouterr().out
    check_file(path, dates_run)


def test_cli_export_picks_the_head(tmp_path, minilm_run):
    path = tmp_path / "head.csv"
    assert (
        main(
            ["export", "minilm-l6", minilm_run.text, "--layer", "4", "--head", "7", "-o", str(path)]
        )
        == 0
    )
    queries, _, weights = read_csv(path.read_text())
    assert queries == list(minilm_run.source_tokens)
    np.testing.assert_array_equal(weights, minilm_run.maps["encoder_self"].head(4, 7))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("bahdanau-dates", DATE, "-o", "{tmp}/x.pdf"), "must end in"),
        (("bahdanau-dates", DATE, "--layer", "1", "-o", "{tmp}/x.csv"), "Layer 1 is out of range"),
        (("bahdanau-dates", DATE, "--head", "-1", "-o", "{tmp}/x.csv"), "Head -1 is out of range"),
        (("bahdanau-dates", DATE, "--kind", "encoder_self", "-o", "{tmp}/x.csv"), "it has: cross"),
        (("bahdanau-dates", "   ", "-o", "{tmp}/x.csv"), "empty"),
        (("no-such-model", DATE, "-o", "{tmp}/x.csv"), "Unknown model"),
        (("bahdanau-dates", DATE, "-o", "{tmp}/missing/x.csv"), "is missing"),
        (("bahdanau-dates", DATE, "--layer", "two", "-o", "{tmp}/x.csv"), "invalid int"),
        (("bahdanau-dates", DATE), "required"),
    ],
)
def test_cli_export_bad_input_exits_2_with_one_sentence(args, message, tmp_path, capsys):
    code = main(["export", *(arg.format(tmp=tmp_path) for arg in args)])
    error = capsys.readouterr().err
    assert code == 2
    assert message in error and len(error.strip().splitlines()) == 1
    assert not list(tmp_path.glob("x.*"))


def test_cli_export_as_a_process(tmp_path):
    def cli(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "attnviz", "export", "bahdanau-dates", DATE, *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)

    good = cli("-o", str(tmp_path / "dates.json"))
    assert good.returncode == 0, good.stderr
    assert json.loads((tmp_path / "dates.json").read_text())["output_text"] == "2026-11-27"
    bad = cli("-o", str(tmp_path / "dates.docx"))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1

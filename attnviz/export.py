"""Exports for slides and papers: figures as PNG, SVG or offline HTML; maps as CSV, JSON or NPZ.

Pure: no Streamlit. Static images are drawn by Kaleido (the `kaleido` package) in Debian's
Chromium (`/usr/bin/chromium`, or the browser named by `ATTNVIZ_CHROMIUM`), with the plotly.js
that ships inside the `plotly` package and MathJax switched off, so nothing is fetched from the
network. One Chromium is started on the first image and kept for the process: starting it
costs seconds, an image from a running one well under a second.

An exported figure says what it shows: `attnviz.figures.titles.titled` adds to its title the
model and the text where the title lacks them.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import csv
import functools
import io
import json
import os
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from attnviz.attention import AttentionMaps, Run
from attnviz.figures.heatmap import head_heatmap
from attnviz.figures.style import DEFAULT_COLOURING, Colouring
from attnviz.figures.tasks import memory_heatmap, shaded_words
from attnviz.figures.titles import Shown, titled

FIGURE_FORMATS = (".png", ".svg", ".html")
DATA_FORMATS = (".csv", ".json", ".npz")
FORMATS = FIGURE_FORMATS + DATA_FORMATS
DEFAULT_WIDTH = 800  # CSS pixels, for figures with no width of their own (the app passes one)
DEFAULT_HEIGHT = 450  # plotly.js's own default: what a figure without a height is drawn at
MAX_PIXELS = 8000  # width or height times scale: larger images are refused, not rendered
RENDER_TIMEOUT = 60.0  # seconds for one image, including Chromium's start
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
CSV_CORNER = "query \\ key"
# Weights in a JSON download offered by the app: about 23 bytes of text each, so 35 MB and a
# second or two to write; a 512-token MiniLM run (19 million weights, 434 MB of JSON, half a
# minute holding the interpreter) is offered as NPZ, the same data compressed.
MAX_JSON_NUMBERS = 1_500_000
JSON_BYTES_PER_NUMBER = 23
# One export at a time per process: two large ones at once would only double the memory.
_EXPORT_SLOT = threading.Lock()


class ExportError(RuntimeError):
    """A static image could not be made (no Chromium, no Kaleido, the browser failed)."""


# ---- figures -------------------------------------------------------------------------------


def head_figure(
    run: Run, kind: str, layer: int, head: int, colouring: Colouring = DEFAULT_COLOURING
) -> go.Figure:
    """The heatmap of one head of `run`, titled with model, kind, layer and head.

    A `pooling` map is drawn as its words shaded by weight, a `memory` map as every hop over
    the story's sentences (`layer` is then ignored: the figure shows all hops).
    """
    maps = run_maps(run, kind)
    maps.check_index(layer, head)
    if kind == "pooling":
        title = f"{run.model} · pooling weights · {run.output_text}"
        return shaded_words(maps.weights[0, 0, 0], maps.key_tokens, title, colouring)
    if kind == "memory":
        title = f"{run.model} · {maps.query_tokens[0]} → {run.output_text}"
        return memory_heatmap(maps.weights[:, 0, 0], maps.key_tokens, title, colouring)
    title = f"{run.model} · {kind} · layer {layer} · head {head}"
    return head_heatmap(
        maps.head(layer, head), maps.query_tokens, maps.key_tokens, title, maps.visible, colouring
    )


def figure_html(figure: go.Figure) -> str:
    """A standalone interactive HTML page: plotly.js inlined, no script loaded from anywhere."""
    return pio.to_html(
        figure,
        include_plotlyjs=True,
        include_mathjax=False,
        full_html=True,
        config={"displaylogo": False, "responsive": True},
    )


def figure_png(
    figure: go.Figure, width: int | None = None, height: int | None = None, scale: float = 2.0
) -> bytes:
    """The figure as a PNG of `width` x `height` CSS pixels times `scale`."""
    return _render(figure, "png", width, height, scale)


def figure_svg(figure: go.Figure, width: int | None = None, height: int | None = None) -> str:
    """The figure as SVG text (vector: no scale)."""
    return _render(figure, "svg", width, height, 1.0).decode("utf-8")


def image_size(
    figure: go.Figure, width: int | None, height: int | None, scale: float
) -> tuple[int, int]:
    """The width and height to draw: given, else the figure's own, else the defaults."""
    width = width if width is not None else (figure.layout.width or DEFAULT_WIDTH)
    height = height if height is not None else (figure.layout.height or DEFAULT_HEIGHT)
    for name, value in (("width", width), ("height", height)):
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 10:
            raise ValueError(f"Image {name} must be at least 10 pixels, got {value!r}.")
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not 0 < scale <= 10:
        raise ValueError(f"Image scale must be above 0 and at most 10, got {scale!r}.")
    if max(width, height) * scale > MAX_PIXELS:
        raise ValueError(
            f"An image of {width} x {height} at scale {scale} is over {MAX_PIXELS} pixels wide "
            "or high; choose a smaller size or scale."
        )
    return int(width), int(height)


def _render(
    figure: go.Figure, image_format: str, width: int | None, height: int | None, scale: float
) -> bytes:
    width, height = image_size(figure, width, height, scale)
    options = {"format": image_format, "width": width, "height": height, "scale": scale}
    return _ENGINE.render(figure.to_dict(), options)


def chromium_path() -> str:
    """The Chromium to draw images with; ExportError (with what to install) if there is none."""
    for candidate in (os.environ.get("ATTNVIZ_CHROMIUM"), os.environ.get("BROWSER_PATH")):
        if candidate:
            if Path(candidate).is_file():
                return candidate
            raise ExportError(f"No browser at {candidate!r}; set ATTNVIZ_CHROMIUM to Chromium.")
    for name in CHROMIUM_CANDIDATES:
        if found := shutil.which(name):
            return found
    raise ExportError(
        "Static image export needs Chromium; install Debian's chromium "
        "(apt-get install chromium) or set ATTNVIZ_CHROMIUM to its path."
    )


class _ImageEngine:
    """One Kaleido (one headless Chromium) per process, on its own event-loop thread.

    Renders one image at a time (a lock); any Streamlit thread may call `render`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido: Any = None

    def render(self, figure: dict, options: dict) -> bytes:
        with self._lock:
            if self._kaleido is None:
                self._start()
            assert self._loop is not None
            job = self._kaleido.calc_fig(figure, opts=options)
            future = asyncio.run_coroutine_threadsafe(job, self._loop)
            try:
                return future.result(RENDER_TIMEOUT)
            except Exception as error:  # a dead or stuck browser: start afresh next time
                future.cancel()
                self._stop()
                raise ExportError(f"Chromium could not draw the figure ({error}).") from error

    def _start(self) -> None:
        try:
            import kaleido
        except ImportError as error:
            raise ExportError("Static image export needs the kaleido package.") from error
        path = chromium_path()
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="attnviz-images", daemon=True).start()

        async def open_browser() -> Any:
            browser = kaleido.Kaleido(path=path, n=1, mathjax=False, timeout=RENDER_TIMEOUT)
            await browser.open()
            return browser

        try:
            future = asyncio.run_coroutine_threadsafe(open_browser(), loop)
            self._kaleido = future.result(RENDER_TIMEOUT)
        except Exception as error:
            loop.call_soon_threadsafe(loop.stop)
            raise ExportError(f"Chromium at {path} did not start ({error}).") from error
        self._loop = loop

    def _stop(self) -> None:
        loop, browser = self._loop, self._kaleido
        self._loop = self._kaleido = None
        if loop is None:
            return
        if browser is not None:
            # A browser that is gone already has nothing left to close.
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(browser.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)

    def close(self) -> None:
        """Close Chromium (at exit, or to free its memory)."""
        with self._lock:
            self._stop()


_ENGINE = _ImageEngine()
atexit.register(_ENGINE.close)


def close_image_engine() -> None:
    """Close the Chromium that draws images; the next image starts a new one."""
    _ENGINE.close()


# ---- data ----------------------------------------------------------------------------------


def run_maps(run: Run, kind: str) -> AttentionMaps:
    """`run.maps[kind]`, or ValueError naming the kinds the run has."""
    if not run.kinds:
        from attnviz.models.base import no_attention_sentence

        raise ValueError(no_attention_sentence(run.model))
    if kind not in run.maps:
        raise ValueError(
            f"The run of {run.model} has no {kind!r} attention; it has: {', '.join(run.kinds)}."
        )
    return run.maps[kind]


def _number(value: float) -> str:
    """The shortest text that reads back to the same float32 ("0.25", "1.5e-05")."""
    return str(np.float32(value))


def matrix_csv(weights: np.ndarray, query_tokens: Sequence[str], key_tokens: Sequence[str]) -> str:
    """One map as CSV: key tokens as the header row, query tokens as the first column.

    weights: `[query, key]`. Tokens are quoted as CSV needs (commas, quotes, line breaks);
    numbers are the shortest text that reads back to the same float32.
    """
    weights = np.asarray(weights)
    if weights.shape != (len(query_tokens), len(key_tokens)):
        raise ValueError(
            f"Weights of shape {weights.shape} do not match {len(query_tokens)} query and "
            f"{len(key_tokens)} key tokens."
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([CSV_CORNER, *key_tokens])
    for token, row in zip(query_tokens, weights, strict=True):
        writer.writerow([token, *(_number(value) for value in row)])
    return buffer.getvalue()


def run_numbers(run: Run) -> int:
    """How many attention weights the run holds, over every kind."""
    return sum(maps.weights.size for maps in run.maps.values())


def json_refusal(numbers: int) -> str:
    """Why the JSON of a run of `numbers` weights is not offered, and what to download."""
    megabytes = numbers * JSON_BYTES_PER_NUMBER / 1e6
    return (
        f"JSON: this run holds {numbers:,} weights (about {megabytes:,.0f} MB as JSON, over the "
        f"{MAX_JSON_NUMBERS:,} offered); download NPZ, the same data compressed, or the CSV "
        "of the map on screen."
    )


def run_json(run: Run, max_numbers: int | None = None) -> str:
    """The whole run as the `python -m attnviz run --json` object (DESIGN.md section 4).

    max_numbers: refuse (ValueError, pointing to NPZ) a run with more weights than this.
    """
    numbers = run_numbers(run)
    if max_numbers is not None and numbers > max_numbers:
        raise ValueError(json_refusal(numbers))
    with _EXPORT_SLOT:
        return "".join(_json_pieces(run))


def _json_pieces(run: Run):
    """The text of `json.dumps(run.to_json(), ensure_ascii=False)`, one row of weights at a
    time: one `json.dumps` of a whole run holds the interpreter until it is done (3 s for a
    128-token MiniLM run, 77 s for 512 tokens, with every other session waiting), while
    between rows other threads get their turn."""
    dumps = functools.partial(json.dumps, ensure_ascii=False)
    yield dumps(run.json_head())[:-1] + ', "maps": {'
    for index, kind in enumerate(run.kinds):
        maps = run.maps[kind]
        tokens = {"query_tokens": list(maps.query_tokens), "key_tokens": list(maps.key_tokens)}
        yield (", " if index else "") + dumps(kind) + ": " + dumps(tokens)[:-1] + ', "weights": ['
        for layer, heads in enumerate(maps.weights):  # [head, query, key]
            yield (", " if layer else "") + "["
            for head, rows in enumerate(heads):  # [query, key]
                yield (", " if head else "") + "["
                yield ", ".join(dumps(row.tolist()) for row in rows)
                yield "]"
            yield "]"
        yield "]}"
    yield "}, " + dumps(run.json_tail())[1:]


def run_npz(run: Run) -> bytes:
    """The whole run as a compressed NPZ that loads without pickle.

    Arrays: `model`, `text`, `output_text` (absent when the model writes none),
    `source_tokens`, `target_tokens`, `kinds`, and per kind `KIND.weights`
    `[layer, head, query, key]`, `KIND.query_tokens`, `KIND.key_tokens` and, for masked maps,
    `KIND.visible` `[query, key]`; for classifiers and question answering
    `probabilities.labels` and `probabilities.values`.
    """
    arrays: dict[str, np.ndarray] = {
        "model": np.array(run.model),
        "text": np.array(run.text),
        "source_tokens": np.array(run.source_tokens, dtype=str),
        "target_tokens": np.array(run.target_tokens, dtype=str),
        "kinds": np.array(run.kinds, dtype=str),
    }
    if run.output_text is not None:
        arrays["output_text"] = np.array(run.output_text)
    for kind in run.kinds:
        maps = run.maps[kind]
        arrays[f"{kind}.weights"] = maps.weights
        arrays[f"{kind}.query_tokens"] = np.array(maps.query_tokens, dtype=str)
        arrays[f"{kind}.key_tokens"] = np.array(maps.key_tokens, dtype=str)
        if maps.visible is not None:
            arrays[f"{kind}.visible"] = maps.visible
    if run.probabilities is not None:
        arrays["probabilities.labels"] = np.array(list(run.probabilities), dtype=str)
        arrays["probabilities.values"] = np.array(list(run.probabilities.values()), np.float32)
    buffer = io.BytesIO()
    with _EXPORT_SLOT:  # zlib compresses without holding the interpreter: others run on
        np.savez_compressed(buffer, allow_pickle=False, **arrays)
    return buffer.getvalue()


# ---- files ---------------------------------------------------------------------------------


def export_format(path: str | Path) -> str:
    """The format a file name asks for (its extension), or ValueError listing the formats."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        allowed = ", ".join(FORMATS[:-1]) + " or " + FORMATS[-1]
        raise ValueError(f"Cannot export to {str(path)!r}: the file name must end in {allowed}.")
    return suffix


def export_bytes(
    image_format: str,
    run: Run,
    kind: str,
    layer: int,
    head: int,
    figure: go.Figure | None = None,
    size: tuple[int | None, int | None, float] = (None, None, 2.0),
) -> bytes:
    """One export as bytes. `image_format` is an extension (".png"); `figure` defaults to the
    head's heatmap; size is (width, height, scale) for images. CSV is the head's map, JSON and
    NPZ the whole run."""
    if image_format not in FORMATS:
        export_format(f"export{image_format}")  # raises the ValueError that lists the formats
    maps = run_maps(run, kind)
    maps.check_index(layer, head)
    if image_format == ".csv":
        return matrix_csv(maps.head(layer, head), maps.query_tokens, maps.key_tokens).encode()
    if image_format == ".json":
        return run_json(run).encode("utf-8")
    if image_format == ".npz":
        return run_npz(run)
    width, height, scale = size
    if figure is None:  # the head's heatmap, titled with the text too: the file stands alone
        shown = [Shown(run.model, run.text)]
        figure = titled(head_figure(run, kind, layer, head), shown, width or DEFAULT_WIDTH)
    if image_format == ".png":
        return figure_png(figure, width, height, scale)
    if image_format == ".svg":
        return figure_svg(figure, width, height).encode("utf-8")
    return figure_html(figure).encode("utf-8")


def export_file(
    path: str | Path,
    run: Run,
    kind: str,
    layer: int,
    head: int,
    figure: go.Figure | None = None,
    size: tuple[int | None, int | None, float] = (None, None, 2.0),
) -> int:
    """Write one export to `path`, the format chosen by its extension; returns the bytes written.

    ValueError for a bad extension, kind, layer, head or folder; ExportError if no image could be
    drawn.
    """
    path = Path(path)
    image_format = export_format(path)
    if not path.parent.is_dir():
        raise ValueError(f"Cannot write {str(path)!r}: the folder {str(path.parent)!r} is missing.")
    data = export_bytes(image_format, run, kind, layer, head, figure, size)
    path.write_bytes(data)
    return len(data)

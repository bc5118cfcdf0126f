"""Widgets and messages shared by the pages."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import threading
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from attnviz import export
from attnviz.attention import Run
from attnviz.figures.titles import Shown, titled
from attnviz.models.registry import REGISTRY, list_models
from attnviz.ui.clickable_chart import clickable_chart
from attnviz.ui.safe_text import show_info
from attnviz.ui.waiting import made_outside_script

FOLDER_CHOICE = "Model folder on disk…"


def model_options() -> list[str]:
    """Registry names, then the entry that opens a folder field."""
    return [*REGISTRY, FOLDER_CHOICE]


def model_lines() -> list[str]:
    """One Markdown list item per shipped model: its name, description and attention kinds."""
    return [
        f"- **{entry.name}**: {entry.description} ({', '.join(entry.kinds) or 'no attention'})"
        for entry in list_models()
    ]


def model_picker(key: str) -> str:
    """A model selectbox plus, for 'Model folder', a path field; returns a name or a path.

    Expects `st.session_state[key + ".choice"]` and `[key + ".folder"]` to be initialised.
    """
    choice = st.selectbox(
        "Model",
        model_options(),
        key=f"{key}.choice",
        format_func=lambda name: (
            name if name == FOLDER_CHOICE else f"{name} — {REGISTRY[name].description}"
        ),
    )
    if choice != FOLDER_CHOICE:
        return choice
    return st.text_input(
        "Model folder",
        key=f"{key}.folder",
        placeholder="path to a folder with config.json, *.safetensors and tokenizer files",
        help="A Hugging Face model folder: encoder (BERT-like), decoder (GPT-2-like) or "
        "encoder-decoder (T5, BART, Marian). Only safetensors weights are loaded.",
    ).strip()


def show_notices(notices: Iterable[str]) -> None:
    """Show each notice (a fallback or an adjustment) as a visible info line, as plain text."""
    for notice in notices:
        show_info(notice)


# A short toolbar: it fits above a narrow figure's title in one row. Zoom, pan and reset
# stay; the Download menu under each figure does the exporting.
CHART_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["zoomIn2d", "zoomOut2d", "autoScale2d", "lasso2d", "select2d"],
}


def show_chart(
    figure: go.Figure,
    key: str,
    on_select: Callable[[], None] | None = None,
    config: dict | None = None,
    download: Download | None = None,
    context: str = "",
) -> None:
    """A Plotly figure with the app's conventions: presentation styling, clicks (`on_select`:
    a keyed component, see `attnviz.ui.clickable_chart` for `context`), and a Download menu
    that exports exactly this figure (and, with `download`, its data)."""
    from attnviz.ui.presentation import is_presenting, style_for_room

    if is_presenting():
        figure = style_for_room(figure)
    if on_select is not None:
        clickable_chart(figure, key, on_select, config or CHART_CONFIG, context)
    else:
        st.plotly_chart(figure, key=key, config=config or CHART_CONFIG)
    # Every figure has its menu; without a `download`, the figure's own files (PNG, SVG, HTML).
    download_menu(figure, key, download or Download(file_stem(key)))


# The width a figure is drawn at depends on the browser's window, which the server never
# learns; exports use a reference window instead: 1280 x 720 (a projector, a small laptop)
# with the sidebar open. Its content column measured in Chromium: 1280 - 300 (sidebar) - 2 x 80
# (padding) = 820 CSS px, and 920 in presentation mode (2 x 30 padding); st.columns leaves a
# gap of 1rem between columns (16 px, 20 px in presentation mode's larger type).
CONTENT_WIDTH = 820
PRESENTING_CONTENT_WIDTH = 920
COLUMN_GAP = 16
PRESENTING_COLUMN_GAP = 20


def column_width(spec: int | Sequence[float] = 1, index: int = 0) -> int:
    """CSS pixels of column `index` of `st.columns(spec)` at the reference window (above):
    the width a figure drawn there is exported at. The default is the whole content column."""
    from attnviz.ui.presentation import is_presenting

    presenting = is_presenting()
    weights = [1.0] * spec if isinstance(spec, int) else [float(weight) for weight in spec]
    gap = PRESENTING_COLUMN_GAP if presenting else COLUMN_GAP
    room = (PRESENTING_CONTENT_WIDTH if presenting else CONTENT_WIDTH) - gap * (len(weights) - 1)
    return round(room * weights[index] / sum(weights))


@dataclasses.dataclass(frozen=True)
class Download:
    """What a figure's download menu offers besides the figure itself, and how to draw it.

    A session keeps its menu until its next rerun, so the menu must not keep a cached run
    alive: `run` is a function that fetches the run when JSON or NPZ is pressed, and a
    `matrix` that is a view into a larger array (one head of a run) is copied.
    """

    stem: str  # file name without extension
    matrix: tuple[np.ndarray, Sequence[str], Sequence[str]] | None = None  # [query, key], tokens
    run: Callable[[], Run] | None = None  # the whole run, as JSON and NPZ
    # The model and text of each run drawn (by default `run`'s): exported titles name what the
    # title on screen does not, so that a file on its own says what it shows.
    shows: Shown | tuple[Shown, ...] = ()
    width: int | None = None  # CSS px the figure is drawn at (`column_width`); None: the column

    def __post_init__(self) -> None:
        if isinstance(self.shows, Shown):
            object.__setattr__(self, "shows", (self.shows,))
        if self.matrix is not None and self.matrix[0].base is not None:
            weights, query, key = self.matrix
            object.__setattr__(self, "matrix", (np.array(weights), query, key))


def file_stem(*parts: object) -> str:
    """A safe file name from parts such as a model name or folder path, kind, layer, head."""
    import re

    return "-".join(re.sub(r"[^A-Za-z0-9._]+", "_", str(part)).strip("_") for part in parts)


@functools.cache
def warm_image_engine() -> None:
    """Start the image engine's Chromium in the background, once per process: the first image
    otherwise waits about 2.5 s for the browser to start (bench/bench_export.py)."""

    def draw_a_dot() -> None:
        with contextlib.suppress(Exception):  # no Chromium: the button will say so when pressed
            export.figure_png(go.Figure(), 10, 10, 1.0)

    threading.Thread(target=draw_a_dot, name="attnviz-image-warm-up", daemon=True).start()


def download_menu(figure: go.Figure, key: str, download: Download) -> None:
    """PNG, SVG and standalone HTML of the figure; CSV of its matrix; JSON and NPZ of the run.

    The figure is exported as it is drawn: its own height, the width of its place on the page
    at the reference window (`column_width`), PNG at twice that for sharpness, and its title
    naming the model and text (`Download.shows`). Files are made only when their button is
    pressed (Streamlit calls the function then).
    """
    warm_image_engine()
    stem = download.stem
    width = download.width or column_width()
    shows = download.shows
    if not shows and download.run is not None:
        run = download.run()  # the run on screen: cached; only its two names are kept
        shows = (Shown(run.model, run.text),)

    def exported() -> go.Figure:
        return titled(figure, shows, width)

    items = [
        ("PNG", lambda: export.figure_png(exported(), width, scale=2.0), "png", "image/png"),
        ("SVG", lambda: export.figure_svg(exported(), width), "svg", "image/svg+xml"),
        ("HTML", lambda: export.figure_html(exported()), "html", "text/html"),
    ]
    if download.matrix is not None:
        items.append(("CSV", lambda: export.matrix_csv(*download.matrix), "csv", "text/csv"))
    note = None
    if download.run is not None:
        fetch = download.run
        numbers = export.run_numbers(fetch())  # the run on screen: cached, not computed again
        if numbers <= export.MAX_JSON_NUMBERS:
            limit = export.MAX_JSON_NUMBERS
            items.append(
                ("JSON", lambda: export.run_json(fetch(), limit), "json", "application/json")
            )
        else:
            note = export.json_refusal(numbers)
        items.append(("NPZ", lambda: export.run_npz(fetch()), "npz", "application/octet-stream"))
    with st.popover("Download", icon=":material/download:"):
        if note:
            st.caption(note)
        for label, make, extension, mime in items:
            st.download_button(
                f"{label}: {stem}.{extension}",
                data=made_outside_script(make),
                file_name=f"{stem}.{extension}",
                mime=mime,
                key=f"{key}.download.{extension}",
                on_click="ignore",
            )

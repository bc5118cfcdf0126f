"""Room for a figure's title: wrapped to its width, above a top axis's labels, clear of the
Plotly toolbar.

Plotly places a title by the figure's edge and knows nothing of the tick labels of an axis at
the top, so a long title runs over them (and off the side); the toolbar sits in the top right
corner, over whatever is there. `fit_title` estimates how tall the tick labels are from their
longest label, font size and angle, and lays out, from the top: a band for the toolbar, the
title, the tick labels, the plot.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from attnviz.figures.labels import token_from_label

TOOLBAR_BAND = 44  # px above everything else: the Plotly toolbar's own row
CHARACTER_WIDTH = 0.62  # average glyph width of the sans-serif font, in units of its size
LINE_HEIGHT = 1.3  # a title line's height, in units of its font size
TITLE_GAP = 16  # px between the title and the tick labels under it
STREAMLIT_PAD = 10  # the margin pad Streamlit's chart theme gives every figure
DEFAULT_TICK_SIZE = 12  # Plotly's default font size
DEFAULT_TITLE_SIZE = 17  # Plotly's default title size (1.4 x the default font)


def _visible_length(text: str) -> int:
    return len(token_from_label(text.replace("<b>", "").replace("</b>", "")))


def _pack(pieces: list[str], separator: str, width: int) -> list[str]:
    """Greedy lines of `pieces` joined by `separator`, each within `width` if it can be."""
    lines: list[str] = []
    for piece in pieces:
        if lines and _visible_length(lines[-1] + separator + piece) <= width:
            lines[-1] += separator + piece
        else:
            lines.append(piece)
    return lines


def wrap_title(text: str, width: int) -> str:
    """`text` with `<br>` breaks so that no line is longer than `width` characters.

    Breaks go between the " · " parts of a title ("model · kind · layer 2 · head 3"), or,
    where a part is longer than a line, between words; a single longer word stays whole.
    Existing `<br>` breaks are kept."""
    lines = []
    for part in text.split("<br>"):
        packed = _pack(part.split(" · "), " · ", width)
        if any(_visible_length(line) > width for line in packed):  # a part longer than a line
            packed = _pack(part.split(" "), " ", width)
        lines += packed
    return "<br>".join(lines)


def tick_label_height(labels: list[str], size: float, angle: float) -> float:
    """Estimated height in px of the tallest tick label of a horizontal axis."""
    longest = max((len(token_from_label(str(label))) for label in labels), default=0)
    radians = math.radians(abs(angle or 0))
    return longest * CHARACTER_WIDTH * size * math.sin(radians) + size * math.cos(radians) + 6


def _top_axis_labels(figure: go.Figure) -> list[str]:
    """The first trace's x labels when the x axis is drawn at the top, else []."""
    if figure.layout.xaxis.side != "top" or not figure.data:
        return []
    labels = getattr(figure.data[0], "x", None)
    return [] if labels is None else list(labels)


def fit_title(figure: go.Figure, width: int | None = None) -> go.Figure:
    """Lay out toolbar band, title and top tick labels without overlap (in place).

    width: wrap the title to this many characters (None: keep its lines). The figure grows by
    the space added above the plot, so the plot itself keeps its size (a figure without a
    height gets one: Streamlit's default, 450 px, plus that space).
    """
    title = figure.layout.title.text or ""
    if width is not None and title:  # rewrap from scratch: the lines may be for another width
        title = wrap_title(title.replace("<br>", " "), width)
    labels = _top_axis_labels(figure)
    tick_size = figure.layout.xaxis.tickfont.size or figure.layout.font.size or DEFAULT_TICK_SIZE
    ticks = tick_label_height(labels, tick_size, figure.layout.xaxis.tickangle) if labels else 0
    if labels and figure.layout.xaxis.title.text:  # an axis title above the labels
        ticks += LINE_HEIGHT * (figure.layout.xaxis.title.font.size or tick_size + 2)
    title_size = figure.layout.title.font.size or DEFAULT_TITLE_SIZE
    title_height = (title.count("<br>") + 1) * LINE_HEIGHT * title_size if title else 0
    old_top = figure.layout.margin.t if figure.layout.margin.t is not None else 80
    # Never less than before: a figure may keep subplot titles in its top margin.
    # Streamlit's theme sets a margin pad of 10 px between the plot and its tick labels.
    pad = figure.layout.margin.pad if figure.layout.margin.pad is not None else STREAMLIT_PAD
    top = max(old_top, math.ceil(TOOLBAR_BAND + title_height + TITLE_GAP + ticks + pad))
    height = figure.layout.height or 450  # Streamlit's default chart height
    height = int(height + max(0, top - old_top))
    updates: dict = {"margin": {"t": top}, "height": height}
    if title:
        # Plotly ignores a title's pad here, and anchors a title of several lines by its first
        # line: its top is placed as a fraction of the height, lowered by the lines below.
        below = title.count("<br>") * LINE_HEIGHT * title_size
        updates["title"] = {
            "text": title,
            "y": 1 - (TOOLBAR_BAND + below) / height,
            "yref": "container",
            "yanchor": "top",
            "automargin": False,
        }
    figure.update_layout(**updates)
    return figure

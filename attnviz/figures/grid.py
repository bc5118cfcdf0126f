"""Thumbnails: all heads of a layer, or every layer x head of a model, in one figure.

Thumbnails are for seeing patterns, so they travel light: each weight is quantised to one
byte (255 levels; level 0 marks masked cells), and maps longer than `MAX_THUMBNAIL_CELLS`
tokens are mean-pooled in square blocks. The single-head view always keeps exact weights.
Heatmap cells return no click events, so each panel is covered by a lattice of invisible
square markers whose customdata names the panel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from attnviz.figures.clicks import CLICKABLE_LAYOUT, click_markers
from attnviz.figures.style import (
    DEFAULT_COLOURING,
    NO_TEMPLATE,
    SELECTED_COLOR,
    Colouring,
    masked_level_scale,
)

MAX_THUMBNAIL_CELLS = 48  # longest side of a thumbnail, in cells


def pool_factor(n_tokens: int, max_cells: int = MAX_THUMBNAIL_CELLS) -> int:
    """Tokens per block along one side so a thumbnail has at most `max_cells` cells."""
    return max(1, math.ceil(n_tokens / max_cells))


def thumbnail_note(n_query: int, n_key: int, max_cells: int = MAX_THUMBNAIL_CELLS) -> str:
    """The sentence a page shows under thumbnails about how they were reduced."""
    factor = pool_factor(max(n_query, n_key), max_cells)
    note = "Thumbnails show each weight rounded to 255 levels"
    if factor > 1:
        note += f" and averaged over blocks of {factor} x {factor} tokens"
    return note + "; open a head for its exact weights."


def block_mean(weights: np.ndarray, factor: int) -> np.ndarray:
    """Mean over `factor` x `factor` blocks of the last two axes; partial edge blocks too.

    weights: `[..., query, key]` -> `[..., ceil(query / factor), ceil(key / factor)]`.
    """
    if factor == 1:
        return weights
    n_query, n_key = weights.shape[-2:]
    starts_q, starts_k = np.arange(0, n_query, factor), np.arange(0, n_key, factor)
    # Sums along keys first, then queries: one pass over the weights and no padded copy (a
    # 12 x 512 x 512 layer took 11-17 ms with a padded copy, 2 ms this way).
    sums = np.add.reduceat(np.add.reduceat(weights, starts_k, axis=-1), starts_q, axis=-2)
    counts = np.outer(np.minimum(factor, n_query - starts_q), np.minimum(factor, n_key - starts_k))
    return sums / counts.astype(np.float32)


def quantise(
    weights: np.ndarray, visible: np.ndarray | None, colouring: Colouring, factor: int
) -> np.ndarray:
    """uint8 levels `[panel, row, col]`: 1..255 for weights, 0 where a block is all masked."""
    pooled = block_mean(np.asarray(weights, dtype=np.float32), factor)
    levels = 1 + np.rint(254 * np.clip(colouring.unit_values(pooled), 0, 1)).astype(np.uint8)
    if visible is not None:
        any_visible = block_mean(visible.astype(np.float32), factor) > 0
        levels[..., ~any_visible] = 0
    return levels


def thumbnail_grid(
    panels: np.ndarray,
    keys: Sequence[Sequence[int]],
    cols: int,
    *,
    visible: np.ndarray | None = None,
    colouring: Colouring = DEFAULT_COLOURING,
    selected: int | None = None,
    titles: Sequence[str] | None = None,
    row_labels: Sequence[str] | None = None,
    column_labels: Sequence[str] | None = None,
    panel_height: int = 120,
) -> go.Figure:
    """Panels `[panel, query, key]` in a grid `cols` wide, on one shared colour scale.

    keys: per panel, the numbers a click returns as customdata (e.g. `[head]` or
    `[layer, head]`). Built from plain dicts without Plotly's per-property validation, which
    costs ~5 ms per subplot; a test validates the result.
    """
    n_panels, n_query, n_key = panels.shape
    rows = math.ceil(n_panels / cols)
    factor = pool_factor(max(n_query, n_key))
    levels = quantise(panels, visible, colouring, factor)
    cells_y, cells_x = levels.shape[1:]
    layout = _grid_layout(rows, colouring, panel_height + (18 if titles else 4))
    data: list[dict] = []
    for index in range(n_panels):
        x_domain, y_domain = panel_domain(index, rows, cols)
        suffix = "" if index == 0 else str(index + 1)
        layout[f"xaxis{suffix}"] = _panel_axis(x_domain, [-0.5, cells_x - 0.5], f"y{suffix}")
        layout[f"yaxis{suffix}"] = _panel_axis(y_domain, [cells_y - 0.5, -0.5], f"x{suffix}")
        if titles:
            layout["annotations"].append(
                _label(titles[index], x_domain, y_domain, selected == index)
            )
        refs = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        data.append(
            {
                "type": "heatmap",
                "z": levels[index],
                "coloraxis": "coloraxis",
                "hoverinfo": "skip",
                **refs,
            }
        )
        data.append({**_click_lattice(keys[index], titles, index, cells_y, cells_x), **refs})
    if row_labels:
        layout["annotations"] += _row_labels(row_labels, rows, cols)
        layout["margin"]["l"] = 60
    for col, text in enumerate(column_labels or ()):
        x_domain, y_domain = panel_domain(col, rows, cols)
        layout["annotations"].append(_label(text, x_domain, y_domain, False))
    if selected is not None:
        layout["shapes"] = [_panel_outline(selected)]
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def _grid_layout(rows: int, colouring: Colouring, row_height: int) -> dict:
    return {
        "coloraxis": {
            "colorscale": masked_level_scale(colouring.scale),
            "cmin": 0,
            "cmax": 255,
            "showscale": False,
        },
        "height": row_height * rows + 40,
        "margin": {"l": 5, "r": 5, "t": 30, "b": 5},
        "showlegend": False,
        **CLICKABLE_LAYOUT,
        "template": NO_TEMPLATE.to_plotly_json(),
        "annotations": [],
    }


def _panel_axis(domain: list[float], value_range: list[float], anchor: str) -> dict:
    return {
        "domain": domain,
        "range": value_range,
        "anchor": anchor,
        "showticklabels": False,
        "ticks": "",
        "showline": False,
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
    }


def panel_domain(index: int, rows: int, cols: int, gap_x: float = 0.02, gap_y: float = 0.05):
    """Paper-coordinate x and y domains of panel `index`, filled row by row from the top."""
    row, col = divmod(index, cols)
    gap_y = gap_y if rows > 1 else 0.0
    width = (1 - gap_x * (cols - 1)) / cols
    height = (1 - gap_y * (rows - 1)) / rows
    x0 = col * (width + gap_x)
    y1 = 1 - row * (height + gap_y)
    return [x0, x0 + width], [y1 - height, y1]


def _label(text: str, x_domain: list, y_domain: list, selected: bool) -> dict:
    return {
        "text": text,
        "x": (x_domain[0] + x_domain[1]) / 2,
        "y": y_domain[1],
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"color": SELECTED_COLOR if selected else "#555555", "size": 12},
    }


def _row_labels(labels: Sequence[str], rows: int, cols: int) -> list[dict]:
    result = []
    for row, text in enumerate(labels):
        _, y_domain = panel_domain(row * cols, rows, cols)
        result.append(
            {
                "text": text,
                "x": 0,
                "y": (y_domain[0] + y_domain[1]) / 2,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "right",
                "yanchor": "middle",
                "showarrow": False,
                "font": {"color": "#555555", "size": 12},
            }
        )
    return result


def _click_lattice(
    key: Sequence[int], titles: Sequence[str] | None, index: int, rows: int, cols: int
) -> dict:
    """Invisible markers spread over one panel; clicking any returns `key`."""
    xs = np.linspace(0, cols - 1, min(6, cols), dtype=np.float32)
    ys = np.linspace(0, rows - 1, min(6, rows), dtype=np.float32)
    grid_x, grid_y = np.meshgrid(xs, ys)
    name = titles[index] if titles else " ".join(str(k) for k in key)
    customdata = np.tile(np.asarray(key, dtype=np.int16), (grid_x.size, 1))
    return click_markers(
        grid_x.ravel(),
        grid_y.ravel(),
        customdata,
        20,
        hovertemplate=f"{name}<extra></extra>",
        name=name,
    )


def _panel_outline(index: int) -> dict:
    """A frame around the selected panel."""
    suffix = "" if index == 0 else str(index + 1)
    return {
        "type": "rect",
        "xref": f"x{suffix} domain",
        "yref": f"y{suffix} domain",
        "x0": -0.03,
        "x1": 1.03,
        "y0": -0.03,
        "y1": 1.03,
        "line": {"color": SELECTED_COLOR, "width": 3},
    }


def layer_small_multiples(
    weights: np.ndarray,
    selected_head: int | None = None,
    visible: np.ndarray | None = None,
    colouring: Colouring = DEFAULT_COLOURING,
) -> go.Figure:
    """All heads of one layer, `[head, query, key]`, at most 4 wide; clicks return `[head]`."""
    n_heads = weights.shape[0]
    return thumbnail_grid(
        weights,
        [[head] for head in range(n_heads)],
        min(4, n_heads),
        visible=visible,
        colouring=colouring,
        selected=selected_head,
        titles=[f"head {head}" for head in range(n_heads)],
        panel_height=110,
    )


def model_overview(
    weights: np.ndarray,
    selected: tuple[int, int] | None = None,
    visible: np.ndarray | None = None,
    colouring: Colouring = DEFAULT_COLOURING,
) -> go.Figure:
    """Every layer x head, `[layer, head, query, key]`; clicks return `[layer, head]`."""
    n_layers, n_heads = weights.shape[:2]
    panels = weights.reshape(n_layers * n_heads, *weights.shape[2:])  # [layer*head, q, k]
    keys = [[layer, head] for layer in range(n_layers) for head in range(n_heads)]
    return thumbnail_grid(
        panels,
        keys,
        n_heads,
        visible=visible,
        colouring=colouring,
        selected=None if selected is None else selected[0] * n_heads + selected[1],
        row_labels=[f"layer {layer}" for layer in range(n_layers)],
        column_labels=[f"head {head}" for head in range(n_heads)],
        panel_height=max(50, min(100, 900 // n_heads)),
    )

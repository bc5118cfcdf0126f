"""Attention figures for notebooks: `run.show(...)` and `run.show_model(...)`.

Both return a `plotly.graph_objects.Figure` built by the same builders the app uses
(`attnviz.figures`), so a notebook shows what /heads shows. A Figure displays itself as the
last expression of a cell; Plotly's default renderer for Jupyter and JupyterLab embeds
plotly.js in the notebook and VS Code draws Plotly's own MIME type, so nothing is fetched from
the network.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from attnviz.attention import AttentionMaps, Run
from attnviz.figures import head_heatmap, model_overview, thumbnail_note
from attnviz.figures.style import DEFAULT_COLOURING, Colouring

OVERVIEW_TITLE_SPACE = 50  # pixels above the thumbnails for the title and its subtitle


def show(
    run: Run,
    kind: str | None = None,
    layer: int = 0,
    head: int = 0,
    colouring: Colouring = DEFAULT_COLOURING,
) -> go.Figure:
    """One head's heatmap: query tokens as rows, key tokens as columns; kind defaults to the
    run's first (`run.kinds[0]`); layer and head count from 0."""
    maps = maps_of(run, kind)
    title = f"{run.model} · {maps.kind} · layer {layer} · head {head}"
    return head_heatmap(
        maps.head(layer, head), maps.query_tokens, maps.key_tokens, title, maps.visible, colouring
    )


def show_model(
    run: Run, kind: str | None = None, colouring: Colouring = DEFAULT_COLOURING
) -> go.Figure:
    """Every layer x head of one kind as thumbnails on one colour scale, the /heads overview."""
    maps = maps_of(run, kind)
    figure = model_overview(maps.weights, None, maps.visible, colouring)
    note = thumbnail_note(len(maps.query_tokens), len(maps.key_tokens))
    title = f"{run.model} · {maps.kind} · {maps.n_layers} layers x {maps.n_heads} heads"
    figure.update_layout(
        title={
            "text": html.escape(title, quote=False),
            "subtitle": {"text": html.escape(note, quote=False)},
            "y": 0.99,
            "yref": "container",
        },
        height=figure.layout.height + OVERVIEW_TITLE_SPACE,
        margin={"t": figure.layout.margin.t + OVERVIEW_TITLE_SPACE},
    )
    return figure


def maps_of(run: Run, kind: str | None) -> AttentionMaps:
    """The run's maps of `kind` (default: its first kind), or ValueError naming the kinds."""
    if not run.kinds:
        from attnviz.models.base import no_attention_sentence

        raise ValueError(no_attention_sentence(run.model))
    kind = run.kinds[0] if kind is None else kind
    if kind not in run.maps:
        raise ValueError(
            f"The run of {run.model} has no {kind!r} attention; it has: {', '.join(run.kinds)}."
        )
    return run.maps[kind]

"""Figures for the attention of classifiers and question answering.

Words shaded by the weight one query gives them (attention pooling, or a row such as
MiniLM's [CLS]), the same weights as bars, a memory network's hops over a story's sentences,
and class or answer probabilities. Pure Plotly: arrays and tokens in, `go.Figure` out.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from attnviz.figures.heatmap import TITLE_WIDTH
from attnviz.figures.labels import axis_labels, escape_token
from attnviz.figures.layout import fit_title
from attnviz.figures.steps import BAR_COLOR
from attnviz.figures.style import DEFAULT_COLOURING, NO_TEMPLATE, SELECTED_COLOR, Colouring

WORDS_PER_LINE = 10  # shaded words wrap after this many, like lines of text
WORD_HOVER = "<b>%{text}</b><br>weight %{customdata:.4f}<extra></extra>"


def _check_row(weights: np.ndarray, tokens: Sequence[str]) -> np.ndarray:
    row = np.asarray(weights, dtype=np.float32)
    if row.ndim != 1 or len(row) != len(tokens):
        raise ValueError(
            f"Weights of shape {row.shape} do not match {len(tokens)} tokens; give one row."
        )
    return row


def shaded_words(
    weights: np.ndarray,
    tokens: Sequence[str],
    title: str = "",
    colouring: Colouring = DEFAULT_COLOURING,
    words_per_line: int = WORDS_PER_LINE,
) -> go.Figure:
    """The text as lines of words, each word's cell shaded by its weight.

    weights: `[token]`, one query's attention over the tokens (pooling weights, or a row).
    The exact weight of each word is in its hover; cells after the last word stay empty.
    The colour scale runs from 0 to the largest weight, so the sentence's own contrast shows.
    """
    row = _check_row(weights, tokens)
    n_lines = max(1, -(-len(row) // words_per_line))
    cells = n_lines * words_per_line
    z = np.full(cells, np.nan, dtype=np.float32)
    z[: len(row)] = colouring.colour_values(row)
    exact = np.full(cells, np.nan, dtype=np.float32)
    exact[: len(row)] = row
    text = [escape_token(t) for t in tokens] + [""] * (cells - len(row))
    shape = (n_lines, words_per_line)
    top = float(row.max()) if len(row) and not colouring.log else None
    zmin, zmax = colouring.value_range
    figure = go.Figure(
        go.Heatmap(
            z=z.reshape(shape),
            customdata=exact.reshape(shape),
            text=np.array(text, dtype=object).reshape(shape),
            texttemplate="%{text}",
            textfont={"size": 15},
            hovertemplate=WORD_HOVER,
            hoverongaps=False,
            zmin=zmin,
            zmax=top if top else zmax,
            colorscale=colouring.plotly_scale,
            colorbar=colouring.colorbar(),
            xgap=3,
            ygap=3,
        )
    )
    figure.update_layout(
        title={"text": html.escape(title, quote=False)},
        height=90 + 52 * n_lines,
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        plot_bgcolor="#ffffff",
        template=NO_TEMPLATE,
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, autorange="reversed")
    return figure


def weight_bars(weights: np.ndarray, tokens: Sequence[str], title: str = "") -> go.Figure:
    """The same weights `[token]` as bars, one per token, with the exact value on hover."""
    row = _check_row(weights, tokens)
    figure = go.Figure(
        go.Bar(
            x=axis_labels(tokens),
            y=row,
            marker_color=BAR_COLOR,
            hovertemplate="%{x}<br>weight %{y:.4f}<extra></extra>",
        )
    )
    figure.update_layout(
        title={"text": html.escape(title, quote=False)},
        height=280,
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        template=NO_TEMPLATE,
        showlegend=False,
    )
    figure.update_xaxes(type="category", tickangle=-60, dtick=1)
    figure.update_yaxes(title={"text": "weight"}, rangemode="tozero")
    return figure


def memory_heatmap(
    weights: np.ndarray,
    sentences: Sequence[str],
    title: str = "",
    colouring: Colouring = DEFAULT_COLOURING,
) -> go.Figure:
    """A memory network's attention: the story's sentences as rows, one column per hop.

    weights: `[hop, sentence]`, each hop's softmax over the sentences (the `memory` map
    without its head and query axes). The most attended sentence of each hop is outlined.
    """
    hops = np.asarray(weights, dtype=np.float32)
    if hops.ndim != 2 or hops.shape[1] != len(sentences):
        raise ValueError(
            f"Weights of shape {hops.shape} must be [hop, sentence] for {len(sentences)} sentences."
        )
    n_hops, n_sentences = hops.shape
    columns = [f"hop {h}" for h in range(n_hops)]
    zmin, zmax = colouring.value_range
    figure = go.Figure(
        go.Heatmap(
            z=colouring.colour_values(hops.T),  # [sentence, hop]
            customdata=hops.T,
            x=columns,
            y=axis_labels(sentences),
            text=np.vectorize(lambda w: f"{w:.2f}")(hops.T),
            texttemplate="%{text}",
            hovertemplate="%{x}<br>%{y}<br>weight %{customdata:.4f}<extra></extra>",
            zmin=zmin,
            zmax=zmax,
            colorscale=colouring.plotly_scale,
            colorbar=colouring.colorbar(),
            xgap=2,
            ygap=2,
        )
    )
    for hop, sentence in enumerate(hops.argmax(axis=1)):
        figure.add_shape(
            type="rect",
            x0=hop - 0.5,
            x1=hop + 0.5,
            y0=sentence - 0.5,
            y1=sentence + 0.5,
            line={"color": SELECTED_COLOR, "width": 3},
        )
    figure.update_layout(
        title={"text": html.escape(title, quote=False)},
        height=max(260, 110 + 34 * n_sentences),
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        template=NO_TEMPLATE,
    )
    figure.update_xaxes(side="top", type="category")
    figure.update_yaxes(type="category", autorange="reversed", dtick=1)
    return fit_title(figure, TITLE_WIDTH)


def probability_bars(probabilities: Mapping[str, float], title: str = "") -> go.Figure:
    """Class or answer probabilities as horizontal bars, the most likely on top."""
    ranked = sorted(probabilities.items(), key=lambda item: -item[1])
    names = [escape_token(name) for name, _ in ranked]
    values = np.array([p for _, p in ranked], dtype=np.float32)
    colours = [SELECTED_COLOR if i == 0 else BAR_COLOR for i in range(len(ranked))]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=names,
            orientation="h",
            marker_color=colours,
            hovertemplate="%{y}: %{x:.4f}<extra></extra>",
        )
    )
    figure.update_layout(
        title={"text": html.escape(title, quote=False)},
        height=80 + 28 * len(ranked),
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        template=NO_TEMPLATE,
        showlegend=False,
    )
    figure.update_xaxes(range=[0, 1], title={"text": "probability"})
    figure.update_yaxes(autorange="reversed", type="category")
    return figure

"""The views of /heads: one head, the whole model, aggregates, statistics, token focus.

Each view takes the chosen layer/head and the DisplayMaps, and draws; clicks on thumbnails
or statistic cells call `open_head`, which the page provides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import streamlit as st

from attnviz.analysis import (
    FLOW_LIMIT_NOTE,
    FLOW_MAX_TOKENS,
    ROLE_THRESHOLDS,
    STATISTICS,
    attention_rollout,
    head_max,
    head_mean,
    head_roles,
    head_statistics,
    special_token_mask,
)
from attnviz.attention import Run
from attnviz.figures import (
    Colouring,
    head_heatmap,
    heads_by_tokens,
    layer_small_multiples,
    model_overview,
    statistic_heatmap,
    thumbnail_note,
)
from attnviz.ui.display import DisplayMaps
from attnviz.ui.presentation import is_presenting
from attnviz.ui.safe_text import escape_markdown, show_info
from attnviz.ui.widgets import Download, Shown, column_width, file_stem, show_chart

VIEWS = ("head", "overview", "aggregate", "statistics", "token")
VIEW_LABELS = {
    "head": "Head",
    "overview": "Model overview",
    "aggregate": "Aggregates",
    "statistics": "Statistics",
    "token": "Token focus",
}
# Views that compare heads: with a single head they would show one cell or the head itself.
MANY_HEAD_VIEWS = ("overview", "aggregate", "statistics")
# Views that use no single head (all heads of the layer): no Head picker there.
LAYER_VIEWS = ("aggregate", "token")
AGGREGATES = ("mean", "max", "rollout", "flow")
AGGREGATE_LABELS = {
    "mean": "mean over the layer's heads",
    "max": "max over the layer's heads",
    "rollout": "attention rollout up to this layer",
    "flow": "attention flow up to this layer",
}
# What the statistic list shows; the ids (STATISTICS' keys) stay in URLs and exports.
STATISTIC_LABELS = {
    "entropy": "Entropy (nats)",
    "normalised_entropy": "Normalised entropy",
    "distance": "Attention distance (tokens)",
    "first": "Attention to the first token",
    "last": "Attention to the last token",
    "sep": "Attention to [SEP] (end tokens)",
    "cls": "Attention to [CLS] (start tokens)",
    "self": "Attention to itself",
    "previous": "Attention to the previous token",
    "next": "Attention to the next token",
    "punctuation": "Attention to punctuation",
}


def views_for(n_layers: int, n_heads: int) -> tuple[str, ...]:
    """The views that mean something for a kind with `n_layers` x `n_heads` heads."""
    if n_layers * n_heads > 1:
        return VIEWS
    return tuple(view for view in VIEWS if view not in MANY_HEAD_VIEWS)


def aggregates_for(n_layers: int, n_heads: int) -> tuple[str, ...]:
    """Mean and max need two heads in a layer; rollout and flow, two heads in the model."""
    offered = ("mean", "max") if n_heads > 1 else ()
    return offered + (("rollout", "flow") if n_layers * n_heads > 1 else ())


# Short cell labels for the role names of ROLE_THRESHOLDS; the full rule is in the legend.
ROLE_SHORT = {
    "previous token": "prev",
    "next token": "next",
    "attends to [SEP]": "[SEP]",
    "attends to [CLS]": "[CLS]",
    "self": "self",
    "broad attention": "broad",
}


def show_head(
    maps: DisplayMaps,
    layer: int,
    head: int,
    title: str,
    colouring: Colouring,
    on_pick_head: Callable[[], None],
    grid_key: str,
    run: Callable[[], Run] | None = None,
) -> None:
    """The chosen head's heatmap beside the layer's small multiples (below, when presenting;
    none for a layer of one head).

    run: fetches the run offered for download as JSON and NPZ beside the figure.
    """
    st.caption("Rows are query tokens, columns are key tokens: each row sums to 1.")
    alone = maps.n_heads == 1  # a layer of one head: its small multiple would be this head again
    stacked = is_presenting() or alone
    main, side = (st.container(), st.container()) if stacked else st.columns([3, 2])
    with main:
        figure = head_heatmap(
            maps.weights[layer, head],
            maps.query_tokens,
            maps.key_tokens,
            title,
            maps.visible,
            colouring,
        )
        stem = file_stem(title)
        matrix = (maps.weights[layer, head], maps.query_tokens, maps.key_tokens)
        width = None if stacked else column_width([3, 2])
        show_chart(figure, "heads.main", download=Download(stem, matrix, run, width=width))
    if alone:
        return
    with side:
        st.caption(f"All heads of layer {layer} on one colour scale. Click a head to open it.")
        grid = layer_small_multiples(maps.weights[layer], head, maps.visible, colouring)
        show_chart(grid, grid_key, on_select=on_pick_head)
        st.caption(thumbnail_note(len(maps.query_tokens), len(maps.key_tokens)))


def show_overview(
    maps: DisplayMaps,
    layer: int,
    head: int,
    colouring: Colouring,
    on_pick: Callable[[], None],
    key: str,
) -> None:
    """Every layer x head as thumbnails; a click opens that head."""
    st.caption(
        f"All {maps.n_layers * maps.n_heads} heads, one row per layer, on one colour scale. "
        "Click a thumbnail to open that head. "
        + thumbnail_note(len(maps.query_tokens), len(maps.key_tokens))
    )
    figure = model_overview(maps.weights, (layer, head), maps.visible, colouring)
    show_chart(figure, key, on_select=on_pick)


def aggregate_map(
    maps: DisplayMaps, layer: int, aggregate: str, flow: Callable[[], np.ndarray]
) -> tuple[np.ndarray, str]:
    """The aggregated `[query, key]` map and a sentence on how to read it.

    flow: computes attention flow (cached by the caller: it takes about a second).
    """
    if aggregate == "mean":
        return head_mean(maps.weights[layer]), "Each row still sums to 1."
    if aggregate == "max":
        return head_max(maps.weights[layer]), "The strongest head per cell; rows need not sum to 1."
    if not maps.same_sequence:
        raise ValueError(
            "Rollout and flow follow self-attention through layers; choose a self kind."
        )
    if aggregate == "rollout":
        return attention_rollout(maps.weights, layer), (
            "Abnar and Zuidema (2020): per layer, the mean over heads plus the identity for the "
            "residual path, rows renormalised, multiplied through layers 0 to this one."
        )
    return flow(), (
        "Abnar and Zuidema (2020): the maximum flow from each position at this layer down to "
        "each input token through the same residual-adjusted graph; rows normalised."
    )


def show_aggregate(
    maps: DisplayMaps,
    layer: int,
    aggregate: str,
    title: str,
    colouring: Colouring,
    flow: Callable[[], np.ndarray],
    shows: Shown | tuple[Shown, ...] = (),
) -> None:
    """Mean, max, rollout or flow as one heatmap; `shows` names the run in exported titles."""
    if aggregate == "flow" and len(maps.key_tokens) > FLOW_MAX_TOKENS:
        st.info(FLOW_LIMIT_NOTE)
        return
    try:
        weights, reading = aggregate_map(maps, layer, aggregate, flow)
    except ValueError as error:
        show_info(str(error))
        return
    st.caption(reading)
    figure = head_heatmap(
        weights, maps.query_tokens, maps.key_tokens, title, maps.visible, colouring
    )
    show_chart(
        figure,
        "heads.aggregate_chart",
        download=Download(
            file_stem(title), (weights, maps.query_tokens, maps.key_tokens), shows=shows
        ),
    )


def show_statistics(
    maps: DisplayMaps,
    layer: int,
    head: int,
    statistic: str,
    on_pick: Callable[[], None],
    key: str,
) -> None:
    """A statistic for every head as a layer x head map, labelled with head roles."""
    values = head_statistics(maps.weights, maps.query_tokens, maps.key_tokens, maps.visible)
    roles = head_roles(values)
    labels = [
        [" ".join(ROLE_SHORT.get(role, role) for role in cell) for cell in row] for row in roles
    ]
    label = STATISTIC_LABELS[statistic]
    st.caption(
        f"**{escape_markdown(label)}**: {escape_markdown(STATISTICS[statistic])}. "
        "Click a cell to open that head."
    )
    chosen = values[statistic]
    if np.isnan(chosen).all():
        st.info(f"{escape_markdown(label)} is not defined for this kind of attention.")
        return
    value_range = (0.0, 1.0) if statistic not in ("entropy", "distance") else None
    figure = statistic_heatmap(chosen, label, labels, (layer, head), value_range)
    show_chart(figure, key, on_select=on_pick)
    with st.expander("How heads get their role labels (after Clark et al., 2019)"):
        for role, (name, threshold, rule) in ROLE_THRESHOLDS.items():
            short = escape_markdown(ROLE_SHORT.get(role, role))
            measure = lower_first(STATISTIC_LABELS[name])
            rule = escape_markdown(f"{rule}; in numbers: {measure} > {threshold:g}")
            st.markdown(f"- **{short}** ({escape_markdown(role)}): {rule}")


def lower_first(label: str) -> str:
    """A label inside a sentence: "Attention to [SEP]" -> "attention to [SEP]"."""
    return label[:1].lower() + label[1:]


def first_word(tokens: Sequence[str]) -> int:
    """The index of the first token that is not special ([CLS], <s> ...), else 0."""
    words = np.flatnonzero(~special_token_mask(tokens))
    return int(words[0]) if len(words) else 0


def token_label(index: int, token: str) -> str:
    return f"{index}: {token}"


def show_token_focus(
    maps: DisplayMaps,
    layer: int,
    query_index: int,
    key_index: int,
    colouring: Colouring,
) -> None:
    """Where one token attends in every head of the layer, and which tokens attend to it."""
    layer_weights = maps.weights[layer]  # [head, query, key]
    query_token, key_token = maps.query_tokens[query_index], maps.key_tokens[key_index]
    left, right = st.columns(2)
    with left:
        title = f"Where “{query_token}” attends · layer {layer}"
        visible = None if maps.visible is None else maps.visible[query_index][None, :]
        visible = None if visible is None else np.repeat(visible, maps.n_heads, axis=0)
        figure = heads_by_tokens(
            layer_weights[:, query_index, :], maps.key_tokens, title, "key", visible, colouring
        )
        show_chart(figure, "heads.focus_from")
    with right:
        title = f"Which tokens attend to “{key_token}” · layer {layer}"
        visible = None if maps.visible is None else maps.visible[:, key_index][None, :]
        visible = None if visible is None else np.repeat(visible, maps.n_heads, axis=0)
        figure = heads_by_tokens(
            layer_weights[:, :, key_index], maps.query_tokens, title, "query", visible, colouring
        )
        show_chart(figure, "heads.focus_to")

"""Pieces of /compare: the pair of maps, their difference, head similarity, switched-off heads."""

from __future__ import annotations

import numpy as np
import streamlit as st

from attnviz.analysis.similarity import (
    cluster_order,
    js_distance_matrix,
    tokens_line_up,
    word_level,
    words_line_up,
)
from attnviz.figures import (
    difference_heatmap,
    head_distance_heatmap,
    head_heatmap,
    statistic_heatmap,
)
from attnviz.models.ablation import Heads
from attnviz.ui.cache import get_model, get_run
from attnviz.ui.controls import HeadChoice
from attnviz.ui.display import DisplayMaps
from attnviz.ui.safe_text import escape_markdown, show_info
from attnviz.ui.widgets import Download, Shown, column_width, file_stem, show_chart


def head_map(side: HeadChoice, words: bool, ablate: Heads = ()) -> DisplayMaps:
    """The chosen head of a side as a single-head map; with `words`, its words only
    (`word_level`)."""
    maps = get_run(side.model, side.text, 1, ablate).maps[side.kind]
    weights = maps.weights[side.layer, side.head]
    query, key, visible = maps.query_tokens, maps.key_tokens, maps.visible
    if words:
        weights, query, key, visible = word_level(weights, query, key, visible)
    return DisplayMaps(
        weights[None, None], tuple(query), tuple(key), visible, (), side.kind != "cross"
    )


WORDS_NOTE = (
    "Comparing words: special tokens ([CLS], [SEP], [EOS] …) are left out on both sides and "
    "each row renormalised over the words left; a word's key pieces are summed, its query "
    "pieces averaged."
)


def title_of(label: str, side: HeadChoice) -> str:
    return f"{label}: {side.model} · {side.kind} · layer {side.layer} · head {side.head}"


def show_pair(a: HeadChoice, b: HeadChoice, map_a: DisplayMaps, map_b: DisplayMaps) -> None:
    """Both heads side by side on one colour scale (0 to 1)."""
    width = column_width(2)
    for column, label, side, shown in zip(st.columns(2), "AB", (a, b), (map_a, map_b), strict=True):
        with column:
            figure = head_heatmap(
                shown.head(),
                shown.query_tokens,
                shown.key_tokens,
                title_of(label, side),
                shown.visible,
            )
            matrix = (shown.head(), shown.query_tokens, shown.key_tokens)
            stem = file_stem(label, side.model, side.kind, side.layer, side.head)
            download = Download(stem, matrix, shows=Shown(side.model, side.text), width=width)
            show_chart(figure, f"compare.figure_{label}", download=download)


def why_no_difference(
    a: HeadChoice, b: HeadChoice, map_a: DisplayMaps, map_b: DisplayMaps, words: bool
) -> str | None:
    """None when the two maps line up cell by cell, else what to tell the user.

    Advice is given only where it works: "Compare words" is suggested when the words of both
    sides do line up, checked on the maps themselves.
    """
    line_up = words_line_up if words else tokens_line_up
    reason = line_up(map_a.query_tokens, map_a.key_tokens, map_b.query_tokens, map_b.key_tokens)
    if reason is None:
        return None
    message = f"No difference map: {reason}, so cells would not match."
    word_reason = reason
    if not words:
        word_a, word_b = head_map(a, True), head_map(b, True)
        word_reason = words_line_up(
            word_a.query_tokens, word_a.key_tokens, word_b.query_tokens, word_b.key_tokens
        )
        if word_reason is None:
            count = f"{len(word_a.query_tokens)} x {len(word_a.key_tokens)}"
            return (
                f"{message} Turn on “Compare words” to compare them word by word: without "
                f"special tokens and with word pieces merged, both sides have the same {count} "
                "words."
            )
    if a.text.strip() != b.text.strip():
        return f"{message} The two sides show different texts; compare their maps by eye."
    if words:
        return message
    return f"{message} Word by word they do not line up either ({word_reason})."


def show_difference(
    a: HeadChoice, b: HeadChoice, map_a: DisplayMaps, map_b: DisplayMaps, words: bool
) -> None:
    """A - B when the tokens line up; otherwise why not, and what to try if anything works."""
    reason = why_no_difference(a, b, map_a, map_b, words)
    if reason:
        show_info(reason)
        return
    visible = map_a.visible
    if map_b.visible is not None:
        visible = map_b.visible if visible is None else visible & map_b.visible
    difference = map_a.head().astype(np.float32) - map_b.head().astype(np.float32)
    figure = difference_heatmap(difference, map_a.query_tokens, map_a.key_tokens, "A − B", visible)
    matrix = (difference, map_a.query_tokens, map_a.key_tokens)
    sides = (Shown(a.model, a.text, title_of("A", a)), Shown(b.model, b.text, title_of("B", b)))
    download = Download("difference-A-B", matrix, shows=sides)
    show_chart(figure, "compare.difference", download=download)


# Query rows compared per pair of heads: beyond this, evenly spaced rows stand for the rest, so
# 72 x 72 heads at 512 tokens take about a second instead of half a minute.
MAX_DISTANCE_QUERIES = 48


@st.cache_resource(max_entries=16, show_spinner="Comparing every pair of heads…")
def head_distances(model: str, text: str, kind: str) -> tuple[np.ndarray, list[int]]:
    """JS distances between all heads `[layer * head, layer * head]` and a clustered order."""
    weights = get_run(model, text).maps[kind].weights  # [layer, head, query, key]
    rows = distance_rows(weights.shape[2])
    heads = weights[:, :, rows].reshape(-1, len(rows), weights.shape[3])  # [layer*head, q, k]
    distances = js_distance_matrix(heads)
    distances.flags.writeable = False
    return distances, cluster_order(distances)


def distance_rows(n_queries: int) -> np.ndarray:
    """The query rows that the head distances average over."""
    count = min(n_queries, MAX_DISTANCE_QUERIES)
    return np.unique(np.linspace(0, n_queries - 1, count).round().astype(int))


def show_similarity(side: HeadChoice, on_pick, key: str) -> None:
    """The distance between every pair of heads of side A's model, in clustered order."""
    info = get_model(side.model).info
    n_heads = info.heads[side.kind]
    if info.layers[side.kind] * n_heads < 2:
        show_info(
            f"{side.model} has a single {side.kind} head, so there is no pair of heads to "
            "compare; compare it with another sentence or another model instead."
        )
        return
    distances, order = head_distances(side.model, side.text, side.kind)
    labels = [f"{index // n_heads}.{index % n_heads}" for index in range(len(distances))]
    st.caption(
        "Jensen-Shannon distance between heads (0 = identical rows, 1 = disjoint), averaged "
        "over query rows, for side A's model and text. Heads are ordered by average-linkage "
        "clustering, so similar heads sit together; labels are layer.head. Click a cell to "
        "open that pair side by side."
    )
    n_queries = get_run(side.model, side.text).maps[side.kind].weights.shape[2]
    if n_queries > MAX_DISTANCE_QUERIES:
        st.caption(
            f"This text has {n_queries} query tokens: the distances average over "
            f"{MAX_DISTANCE_QUERIES} evenly spaced query rows, which keeps this under a second."
        )
    figure = head_distance_heatmap(distances, labels, order)
    show_chart(figure, key, on_select=on_pick)


def embedding_similarity(old: np.ndarray, new: np.ndarray) -> float:
    """Cosine similarity of two sentence embeddings."""
    return float(old @ new / (np.linalg.norm(old) * np.linalg.norm(new)))


def show_ablation(side: HeadChoice, off: Heads) -> None:
    """What switching `off` changes: output text, the chosen head, every other head."""
    plain = get_run(side.model, side.text)
    ablated = get_run(side.model, side.text, 1, off)
    if plain.output_text is not None:
        left, right = st.columns(2)
        left.markdown(f"**Output with every head:** {escape_markdown(plain.output_text)}")
        right.markdown(
            f"**Output with {len(off)} head(s) off:** {escape_markdown(ablated.output_text)}"
        )
    if "sentence_embedding" in plain.extras:
        similarity = embedding_similarity(
            plain.extras["sentence_embedding"], ablated.extras["sentence_embedding"]
        )
        st.metric(
            "Cosine similarity of the sentence embedding to the original", f"{similarity:.4f}"
        )
    kind = "cross" if "cross" in ablated.maps else side.kind
    maps = ablated.maps[kind]
    layer = min(side.layer, maps.n_layers - 1)
    figure = head_heatmap(
        maps.weights[layer, side.head],
        maps.query_tokens,
        maps.key_tokens,
        f"with heads off: {kind} · layer {layer} · head {side.head}",
        maps.visible,
    )
    show_chart(figure, "compare.ablated")
    if plain.target_tokens == ablated.target_tokens:
        change = np.abs(plain.maps[side.kind].weights - ablated.maps[side.kind].weights)
        st.caption(
            f"How much every {side.kind} head's attention moved (largest change of a weight, "
            "per head; switched-off heads move only through the layers below them)."
        )
        switched = {(layer, head) for kind_off, layer, head in off if kind_off == side.kind}
        labels = [
            ["off" if (layer, head) in switched else "" for head in range(change.shape[1])]
            for layer in range(change.shape[0])
        ]
        figure = statistic_heatmap(change.max(axis=(2, 3)), "largest change", labels, None, (0, 1))
        show_chart(figure, "compare.change")

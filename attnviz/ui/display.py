"""The maps a view shows: one kind of a cached Run, optionally without special tokens or with
word pieces merged; the transformed ones are cached per (model, text, kind, options) and
shared, like Runs."""

from __future__ import annotations

import dataclasses

import numpy as np
import streamlit as st

from attnviz.analysis import attention_flow, hide_special_tokens, merge_word_pieces
from attnviz.ui.cache import (
    IDLE_CACHES,
    SharedLRU,
    collect_after_eviction,
    get_run,
    maps_nbytes,
)

HIDE_NOTE = "Special tokens are hidden and every row is renormalised to sum to 1."
MERGE_NOTE = (
    "Word pieces are merged into words: a word's key pieces are summed (rows still sum to 1), "
    "its query pieces averaged."
)


@dataclasses.dataclass(frozen=True)
class DisplayMaps:
    """Weights `[layer, head, query, key]` as shown, with their tokens and mask."""

    weights: np.ndarray  # [layer, head, query, key]
    query_tokens: tuple[str, ...]
    key_tokens: tuple[str, ...]
    visible: np.ndarray | None  # [query, key]
    notes: tuple[str, ...]
    same_sequence: bool  # self-attention: queries and keys are the same tokens

    @property
    def n_layers(self) -> int:
        return int(self.weights.shape[0])

    @property
    def n_heads(self) -> int:
        return int(self.weights.shape[1])

    def head(self, layer: int = 0, head: int = 0) -> np.ndarray:
        """One head's weights `[query, key]` (the only one of a single-head map by default)."""
        return self.weights[layer, head]


TRANSFORMED: SharedLRU[DisplayMaps] = SharedLRU(
    16, 256 * 2**20, maps_nbytes, on_evicted=collect_after_eviction
)
IDLE_CACHES.append(TRANSFORMED)


def display_maps(model: str, text: str, kind: str, hide: bool, merge: bool) -> DisplayMaps:
    """One kind of the run of `model` on `text`, transformed as the options ask.

    Untransformed maps are views of the cached run, made afresh (nothing to keep); hidden or
    merged maps are new arrays, kept in their own byte-bounded cache.
    """
    if not (hide or merge):
        return _display_maps(model, text, kind, hide, merge)
    key = (model, text, kind, hide, merge)
    return TRANSFORMED.get(key, lambda: _display_maps(*key))


def _display_maps(model: str, text: str, kind: str, hide: bool, merge: bool) -> DisplayMaps:
    run = get_run(model, text)
    maps = run.maps[kind]
    weights, query, key, visible = maps.weights, maps.query_tokens, maps.key_tokens, maps.visible
    notes = list(run.notes)
    if hide:
        weights, query, key, visible = hide_special_tokens(weights, query, key, visible)
        notes.append(HIDE_NOTE)
    if merge:
        weights, query, key, visible = merge_word_pieces(weights, query, key, visible)
        notes.append(MERGE_NOTE)
    for array in (weights, visible):
        if array is not None:
            array.flags.writeable = False
    same = kind != "cross"
    return DisplayMaps(weights, tuple(query), tuple(key), visible, tuple(notes), same)


@st.cache_resource(max_entries=16, show_spinner="Computing attention flow…")
def flow_map(model: str, text: str, kind: str, hide: bool, merge: bool, layer: int) -> np.ndarray:
    """Attention flow up to `layer` (about a second at 32 tokens), computed once per view."""
    flow = attention_flow(display_maps(model, text, kind, hide, merge).weights, layer)
    flow.flags.writeable = False
    return flow

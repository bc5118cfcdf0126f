"""The one data contract between models and views: AttentionMaps and Run.

Every model returns a `Run`; every view reads one. Arrays are numpy float32, never tensors,
so a Run can be cached, shared between sessions and sliced cheaply.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # plotly is imported only when a figure is asked for
    import plotly.graph_objects as go

KINDS = ("encoder_self", "decoder_self", "cross", "pooling", "memory")
# Kinds with one query: a classifier's attention pooling `[1, 1, 1, token]` and a memory
# network's hops over a story's sentences `[hop, 1, 1, sentence]`.
SINGLE_QUERY_KINDS = ("pooling", "memory")

# float32 rows of up to a few thousand keys sum to 1 within ~1e-6; 1e-3 also accepts
# models that compute their softmax in half precision.
ROW_SUM_TOLERANCE = 1e-3


def _freeze(array: np.ndarray) -> np.ndarray:
    """A read-only view: the maps cannot be written through, and the caller's own array (which
    np.asarray may have passed through uncopied) stays as writeable as it was."""
    view = array.view()
    view.flags.writeable = False
    return view


@dataclasses.dataclass(frozen=True, eq=False)
class AttentionMaps:
    """Attention weights of one kind for every layer and head.

    weights: float32 `[layer, head, query, key]`, each row summing to 1 over visible keys.
    visible: bool `[query, key]`, False where a key is masked (padding, future positions);
        masked weights are exactly 0. None means every key is visible.
    scores: optional float32 `[layer, head, query, key]`, the logits before the softmax, kept
        for views that explain the softmax.
    """

    kind: str
    weights: np.ndarray  # [layer, head, query, key]
    query_tokens: tuple[str, ...]
    key_tokens: tuple[str, ...]
    visible: np.ndarray | None = None  # [query, key]
    scores: np.ndarray | None = None  # [layer, head, query, key]

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown attention kind {self.kind!r}; allowed: {', '.join(KINDS)}.")
        object.__setattr__(self, "query_tokens", tuple(str(t) for t in self.query_tokens))
        object.__setattr__(self, "key_tokens", tuple(str(t) for t in self.key_tokens))
        weights = np.asarray(self.weights)
        if weights.dtype != np.float32:
            raise ValueError(f"Attention weights must be float32, got {weights.dtype}.")
        if weights.ndim != 4:
            raise ValueError(
                "Attention weights must be 4-D [layer, head, query, key], "
                f"got shape {weights.shape}."
            )
        n_query, n_key = weights.shape[2:]
        if (n_query, n_key) != (len(self.query_tokens), len(self.key_tokens)):
            raise ValueError(
                f"Weights of shape {weights.shape} do not match {len(self.query_tokens)} query "
                f"and {len(self.key_tokens)} key tokens."
            )
        visible = self._check_visible(n_query, n_key)
        self._check_rows(weights, visible)
        object.__setattr__(self, "weights", _freeze(weights))
        if self.scores is not None:
            scores = np.asarray(self.scores, dtype=np.float32)
            if scores.shape != weights.shape:
                raise ValueError(
                    f"Scores of shape {scores.shape} differ from weights {weights.shape}."
                )
            object.__setattr__(self, "scores", _freeze(scores))

    def _check_visible(self, n_query: int, n_key: int) -> np.ndarray | None:
        if self.visible is None:
            return None
        visible = np.asarray(self.visible, dtype=bool)
        if visible.shape != (n_query, n_key):
            raise ValueError(
                f"Mask of shape {visible.shape} must be [query, key] = {(n_query, n_key)}."
            )
        object.__setattr__(self, "visible", _freeze(visible))
        return visible

    @staticmethod
    def _check_rows(weights: np.ndarray, visible: np.ndarray | None) -> None:
        if not np.isfinite(weights).all() or (weights < 0).any():
            raise ValueError("Attention weights must be finite and non-negative.")
        if visible is not None and (weights[..., ~visible] != 0).any():
            raise ValueError("Masked attention weights must be exactly 0.")
        if weights.size == 0:
            return
        row_sums = weights.sum(axis=-1, dtype=np.float64)  # [layer, head, query]
        if visible is not None:
            # A query that sees no key at all (fully masked row) sums to 0.
            row_sums = np.where(visible.any(axis=-1), row_sums, 1.0)
        worst = float(np.abs(row_sums - 1.0).max())
        if worst > ROW_SUM_TOLERANCE:
            raise ValueError(f"Attention rows must sum to 1 over visible keys; off by {worst:.2e}.")

    @property
    def n_layers(self) -> int:
        return int(self.weights.shape[0])

    @property
    def n_heads(self) -> int:
        return int(self.weights.shape[1])

    def head(self, layer: int, head: int) -> np.ndarray:
        """One head's map, `[query, key]`; layer and head count from 0."""
        self.check_index(layer, head)
        return self.weights[layer, head]

    def layer(self, layer: int) -> np.ndarray:
        """All heads of one layer, `[head, query, key]`."""
        self.check_index(layer, 0)
        return self.weights[layer]

    def check_index(self, layer: int, head: int) -> None:
        """Raise ValueError unless `layer` and `head` exist in this map."""
        if not 0 <= layer < self.n_layers:
            raise ValueError(
                f"Layer {layer} is out of range; {self.kind} has layers 0 to {self.n_layers - 1}."
            )
        if not 0 <= head < self.n_heads:
            raise ValueError(
                f"Head {head} is out of range; {self.kind} has heads 0 to {self.n_heads - 1}."
            )

    def __repr__(self) -> str:
        shape = ", ".join(str(n) for n in self.weights.shape)
        return f"AttentionMaps({self.kind}, [layer, head, query, key] = [{shape}])"

    def to_json(self) -> dict[str, Any]:
        return {
            "query_tokens": list(self.query_tokens),
            "key_tokens": list(self.key_tokens),
            "weights": self.weights.tolist(),
        }


@dataclasses.dataclass(frozen=True, eq=False)
class Run:
    """One model applied to one text: the tokens, the output and every attention map.

    source_tokens: what the encoder (or a decoder-only model) reads.
    target_tokens: what a decoder produced; empty for encoders and decoder-only models.
    notes: plain sentences a view should show, such as "The text was cut at 512 tokens."
    probabilities: classifiers and question answering: label or answer -> probability (they
        sum to 1); None for other models.
    next_tokens: causal language models: for each position of `source_tokens`, the most
        probable next tokens as (token, probability), most probable first; None for others.

    A memory network reads sentences, not words: its `source_tokens` are the story's
    sentences and then the question, its `memory` map's keys are the sentences and its one
    query is the question.
    """

    model: str
    text: str
    source_tokens: tuple[str, ...]
    target_tokens: tuple[str, ...]
    output_text: str | None
    maps: Mapping[str, AttentionMaps]
    notes: tuple[str, ...] = ()
    extras: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    probabilities: Mapping[str, float] | None = None
    next_tokens: Sequence[Sequence[tuple[str, float]]] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "source_tokens", tuple(self.source_tokens))
        object.__setattr__(self, "target_tokens", tuple(self.target_tokens))
        object.__setattr__(self, "notes", tuple(self.notes))
        object.__setattr__(self, "maps", MappingProxyType(dict(self.maps)))
        object.__setattr__(self, "extras", MappingProxyType(dict(self.extras)))
        self._check_probabilities()
        self._check_next_tokens()
        for kind, maps in self.maps.items():
            if kind != maps.kind:
                raise ValueError(f"Map stored under {kind!r} has kind {maps.kind!r}.")
            query, key = self._expected_tokens(kind)
            # A translator's decoder reads [BOS] and its output shifted by one: its decoder_self
            # keys are those inputs, so only their number is fixed here.
            shifted = kind == "decoder_self" and bool(self.target_tokens)
            key_ok = len(maps.key_tokens) == len(key) if shifted else maps.key_tokens == tuple(key)
            if maps.query_tokens != tuple(query) or not key_ok:
                raise ValueError(f"The {kind} map's tokens do not match the run's tokens.")

    def _check_probabilities(self) -> None:
        if self.probabilities is None:
            return
        chances = {str(k): float(v) for k, v in dict(self.probabilities).items()}
        values = np.array(list(chances.values()), dtype=np.float64)
        if not chances or not np.isfinite(values).all() or (values < 0).any():
            raise ValueError("Probabilities must be finite, non-negative and not empty.")
        if abs(values.sum() - 1.0) > ROW_SUM_TOLERANCE:
            raise ValueError(f"Probabilities must sum to 1, got {values.sum():.4f}.")
        object.__setattr__(self, "probabilities", MappingProxyType(chances))

    def _check_next_tokens(self) -> None:
        if self.next_tokens is None:
            return
        table = tuple(tuple((str(token), float(p)) for token, p in row) for row in self.next_tokens)
        if len(table) != len(self.source_tokens):
            raise ValueError(
                f"next_tokens has {len(table)} rows for {len(self.source_tokens)} tokens."
            )
        for row in table:
            chances = np.array([p for _, p in row], dtype=np.float64)
            if not np.isfinite(chances).all() or (chances < 0).any() or chances.sum() > 1 + 1e-6:
                raise ValueError("Next-token probabilities must be finite, non-negative, <= 1.")
            if (np.diff(chances) > 0).any():
                raise ValueError("Next tokens must be listed most probable first.")
        object.__setattr__(self, "next_tokens", table)

    def _expected_tokens(self, kind: str) -> tuple[Sequence[str], Sequence[str]]:
        if kind == "pooling":
            return ("[summary]",), self.source_tokens
        if kind == "memory":
            return self.source_tokens[-1:], self.source_tokens[:-1]
        if kind == "encoder_self":
            return self.source_tokens, self.source_tokens
        if kind == "cross":
            return self.target_tokens, self.source_tokens
        # decoder_self: a decoder-only model attends over its input, an encoder-decoder's
        # decoder over what it produced.
        tokens = self.target_tokens or self.source_tokens
        return tokens, tokens

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds this run has, in the canonical order."""
        return tuple(kind for kind in KINDS if kind in self.maps)

    def __repr__(self) -> str:
        """One line: model, text (shortened), token counts, kinds with their shapes."""
        text = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        shapes = ", ".join(
            f"{kind} [{', '.join(str(n) for n in self.maps[kind].weights.shape)}]"
            for kind in self.kinds
        )
        target = f", {len(self.target_tokens)} target tokens" if self.target_tokens else ""
        return (
            f"Run({self.model!r}, {text!r}, {len(self.source_tokens)} source tokens{target}, "
            f"maps: {shapes or 'none'})"
        )

    def show(self, kind: str | None = None, layer: int = 0, head: int = 0) -> go.Figure:
        """One head as a Plotly figure, for notebooks (see `attnviz.notebook.show`)."""
        from attnviz import notebook

        return notebook.show(self, kind, layer, head)

    def show_model(self, kind: str | None = None) -> go.Figure:
        """Every layer x head as thumbnails, for notebooks (see `attnviz.notebook.show_model`)."""
        from attnviz import notebook

        return notebook.show_model(self, kind)

    def to_json(self) -> dict[str, Any]:
        """The `python -m attnviz run --json` object (DESIGN.md section 4)."""
        maps = {kind: self.maps[kind].to_json() for kind in self.kinds}
        return {**self.json_head(), "maps": maps, **self.json_tail()}

    def json_head(self) -> dict[str, Any]:
        """The keys of `to_json` before "maps" (a streamed export writes the maps between)."""
        return {
            "model": self.model,
            "text": self.text,
            "output_text": self.output_text,
            "source_tokens": list(self.source_tokens),
            "target_tokens": list(self.target_tokens),
        }

    def json_tail(self) -> dict[str, Any]:
        """The keys of `to_json` after "maps"."""
        return {
            "probabilities": None if self.probabilities is None else dict(self.probabilities),
            "next_tokens": None
            if self.next_tokens is None
            else [[{"token": t, "p": p} for t, p in row] for row in self.next_tokens],
        }

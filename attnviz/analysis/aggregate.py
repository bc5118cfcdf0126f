"""Aggregates over heads and layers: mean, max, attention rollout and attention flow.

Rollout and flow follow Abnar and Zuidema (2020), "Quantifying Attention Flow in Transformers":
each layer's heads are averaged, the identity is added for the residual connection and rows are
renormalised, giving `A_l = (mean_h W_lh + I) / 2` (rows of W sum to 1). Rollout multiplies these
matrices; flow treats them as capacities of a layered graph and solves a max-flow problem for
each pair of an output position and an input token.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow

FLOW_MAX_TOKENS = 32
FLOW_LIMIT_NOTE = (
    f"Attention flow solves one max-flow problem for every pair of tokens (n² of them), "
    f"so it is offered for inputs of up to {FLOW_MAX_TOKENS} tokens only."
)
# scipy's max-flow needs integer capacities: weights are scaled by this and rounded, so flows
# are exact to about 1e-6 of a unit of attention.
FLOW_CAPACITY_SCALE = 1_000_000


def head_mean(layer_weights: np.ndarray) -> np.ndarray:
    """Mean over the heads of one layer; rows still sum to 1.

    layer_weights: `[head, query, key]` -> `[query, key]` float32.
    """
    layer_weights = _check_layer(layer_weights)
    return layer_weights.mean(axis=0, dtype=np.float32)


def head_max(layer_weights: np.ndarray) -> np.ndarray:
    """Maximum over the heads of one layer; rows no longer sum to 1 (each lies in [1, heads]).

    layer_weights: `[head, query, key]` -> `[query, key]` float32. Shows where *any* head looks.
    """
    layer_weights = _check_layer(layer_weights)
    return layer_weights.max(axis=0).astype(np.float32, copy=False)


def _check_layer(layer_weights: np.ndarray) -> np.ndarray:
    layer_weights = np.asarray(layer_weights)
    if layer_weights.ndim != 3 or layer_weights.shape[0] == 0:
        raise ValueError(
            f"One layer's weights must be 3-D [head, query, key] with at least one head, "
            f"got shape {layer_weights.shape}."
        )
    return layer_weights


def residual_attention(weights: np.ndarray, up_to_layer: int) -> np.ndarray:
    """Head-averaged attention with the residual path added, for layers 0..up_to_layer.

    weights: `[layer, head, n, n]` (self-attention) -> `[up_to_layer + 1, n, n]` float64,
    `A_l = renormalised(mean_h W_lh + I)` (Abnar and Zuidema 2020, section 3).
    """
    weights = _check_self_attention(weights, up_to_layer)
    n = weights.shape[-1]
    mean = weights[: up_to_layer + 1].mean(axis=1, dtype=np.float64)  # [layer, n, n]
    adjusted = mean + np.eye(n)
    return adjusted / adjusted.sum(axis=-1, keepdims=True)  # rows sum >= 1, never 0


def _check_self_attention(weights: np.ndarray, up_to_layer: int) -> np.ndarray:
    weights = np.asarray(weights)
    if weights.ndim != 4:
        raise ValueError(f"Weights must be 4-D [layer, head, query, key], got {weights.shape}.")
    n_layers, n_heads, n_query, n_key = weights.shape
    if n_query != n_key:
        raise ValueError(
            f"Rollout and flow need self-attention (as many queries as keys), got {n_query} "
            f"queries and {n_key} keys; cross-attention has no residual path to follow."
        )
    if n_heads == 0 or n_query == 0:
        raise ValueError(f"Weights of shape {weights.shape} have no heads or no tokens.")
    if not 0 <= up_to_layer < n_layers:
        raise ValueError(f"Layer {up_to_layer} is out of range; layers are 0 to {n_layers - 1}.")
    return weights


def attention_rollout(weights: np.ndarray, up_to_layer: int) -> np.ndarray:
    """Attention rollout: how much each output position draws on each input token.

    weights: `[layer, head, n, n]` self-attention -> `[n, n]` float32 (output position at layer
    `up_to_layer`, input token), rows summing to 1. `R = A_L ... A_1 A_0` with the
    residual-adjusted, head-averaged `A_l` (Abnar and Zuidema 2020, equation 1).
    """
    layers = residual_attention(weights, up_to_layer)  # [layer, n, n]
    rollout = layers[0]
    for adjusted in layers[1:]:
        rollout = adjusted @ rollout  # later layers on the left
    return rollout.astype(np.float32)


def attention_flow(
    weights: np.ndarray, up_to_layer: int, max_tokens: int = FLOW_MAX_TOKENS
) -> np.ndarray:
    """Attention flow: max flow from each output position to each input token, rows normalised.

    weights: `[layer, head, n, n]` self-attention -> `[n, n]` float32, rows summing to 1.
    Abnar and Zuidema (2020), section 3: nodes are the n positions at levels 0..up_to_layer + 1
    (level 0 = input tokens); an edge from position i at level l + 1 to position j at level l has
    capacity `A_l[i, j]`. Entry [i, j] is the max-flow value from position i at the top level to
    token j at level 0, solved exactly with scipy's Dinic max-flow on capacities scaled by
    FLOW_CAPACITY_SCALE and rounded to integers; then each row is divided by its sum.
    """
    layers = residual_attention(weights, up_to_layer)  # [layer, n, n]
    n = layers.shape[-1]
    if n > max_tokens:
        raise ValueError(
            f"Attention flow is limited to {max_tokens} tokens and this input has {n}: it solves "
            f"one max-flow problem per pair of tokens ({n * n} here), which grows too slow."
        )
    graph = _flow_graph(layers)
    top = len(layers) * n  # first node id of the top level
    flows = np.zeros((n, n), dtype=np.float64)
    for output in range(n):
        for token in range(n):
            flows[output, token] = maximum_flow(graph, top + output, token).flow_value
    return (flows / flows.sum(axis=-1, keepdims=True)).astype(np.float32)


def _flow_graph(layers: np.ndarray) -> csr_array:
    """The layered graph as an int32 CSR capacity matrix over (levels x n) nodes.

    layers: `[layer, n, n]`; node `level * n + position`; edges point from level l + 1 down to l.
    """
    n_layers, n, _ = layers.shape
    n_nodes = (n_layers + 1) * n
    capacities = np.rint(layers * FLOW_CAPACITY_SCALE).astype(np.int32)  # [layer, n, n]
    level, source, target = np.nonzero(capacities)
    rows = (level + 1) * n + source
    columns = level * n + target
    return csr_array((capacities[level, source, target], (rows, columns)), shape=(n_nodes, n_nodes))

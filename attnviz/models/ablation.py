"""Switching attention heads off for one request, without changing the shared model.

A forward pre-hook is installed once, when a model is loaded, on the output projection of
every attention layer. It does nothing unless the calling thread has set a plan with
`switched_off(...)`; the plan lives in a ContextVar, so each thread (each Streamlit session's
rerun) sees only its own plan and other sessions keep using the unablated model at the same
moment. With a plan, the hook zeroes the chosen heads' slices of the projection's input: each
head's output is zeroed before the heads are mixed, as in head masking (Michel, Levy and Neubig
2019, "Are Sixteen Heads Really Better than One?").
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar

from torch import nn

# (kind, layer) -> heads to switch off, for the current thread only
_PLAN: ContextVar[Mapping[tuple[str, int], tuple[int, ...]] | None] = ContextVar(
    "attnviz_ablation_plan", default=None
)

# Output projections of attention layers, by module name: (pattern with the layer number, kind)
HF_PROJECTIONS = (
    (r"(?:^|\.)encoder\.layer\.(\d+)\.attention\.output\.dense$", "encoder_self"),  # BERT
    (r"(?:^|\.)h\.(\d+)\.attn\.c_proj$", "decoder_self"),  # GPT-2
    (r"(?:^|\.)encoder\.layers\.(\d+)\.self_attn\.out_proj$", "encoder_self"),  # BART, Marian
    (r"(?:^|\.)decoder\.layers\.(\d+)\.self_attn\.out_proj$", "decoder_self"),
    (r"(?:^|\.)decoder\.layers\.(\d+)\.encoder_attn\.out_proj$", "cross"),
    (r"(?:^|\.)encoder\.block\.(\d+)\.layer\.0\.SelfAttention\.o$", "encoder_self"),  # T5
    (r"(?:^|\.)decoder\.block\.(\d+)\.layer\.0\.SelfAttention\.o$", "decoder_self"),
    (r"(?:^|\.)decoder\.block\.(\d+)\.layer\.1\.EncDecAttention\.o$", "cross"),
)

# The same for attnviz's own encoder-decoder Transformer (attnviz.models.transformer)
OWN_TRANSFORMER_PROJECTIONS = (
    (r"^encoder\.(\d+)\.attention\.out$", "encoder_self"),
    (r"^decoder\.(\d+)\.self_attention\.out$", "decoder_self"),
    (r"^decoder\.(\d+)\.cross_attention\.out$", "cross"),
)

Heads = tuple[tuple[str, int, int], ...]  # (kind, layer, head) triples


@contextlib.contextmanager
def switched_off(heads: Iterable[tuple[str, int, int]]) -> Iterator[None]:
    """Within this block, in this thread only, the given (kind, layer, head) are switched off."""
    plan: dict[tuple[str, int], tuple[int, ...]] = {}
    for kind, layer, head in heads:
        plan[(kind, layer)] = (*plan.get((kind, layer), ()), head)
    token = _PLAN.set(plan or None)
    try:
        yield
    finally:
        _PLAN.reset(token)


def _zero_heads_hook(kind: str, layer: int, n_heads: int):
    def pre_hook(module: nn.Module, args: tuple) -> tuple | None:
        plan = _PLAN.get()
        heads = plan.get((kind, layer)) if plan else None
        if not heads:
            return None
        mixed = args[0]  # [batch, length, head * d_head], heads in order
        *lead, width = mixed.shape
        per_head = mixed.reshape(*lead, n_heads, width // n_heads).clone()
        per_head[..., list(heads), :] = 0
        return (per_head.reshape(*lead, width), *args[1:])

    return pre_hook


def install(
    model: nn.Module, heads: Mapping[str, int], patterns: Iterable[tuple[str, str]]
) -> dict[str, set[int]]:
    """Install the hooks once, at load; returns the layers per kind whose heads can be switched off.

    heads: number of heads per kind; patterns: (module-name regex with the layer number, kind).
    """
    compiled = [(re.compile(pattern), kind) for pattern, kind in patterns]
    switchable: dict[str, set[int]] = {}
    for name, module in model.named_modules():
        for pattern, kind in compiled:
            match = pattern.search(name)
            if match and kind in heads:
                layer = int(match.group(1))
                module.register_forward_pre_hook(_zero_heads_hook(kind, layer, heads[kind]))
                switchable.setdefault(kind, set()).add(layer)
    return switchable


def check_heads(
    heads: Iterable[tuple[str, int, int]],
    switchable: Mapping[str, set[int]],
    n_heads: Mapping[str, int],
) -> Heads:
    """Validate (kind, layer, head) triples against what this model can switch off."""
    result = []
    for kind, layer, head in heads:
        if layer not in switchable.get(kind, set()):
            raise ValueError(f"Heads of {kind} layer {layer} cannot be switched off in this model.")
        if not 0 <= head < n_heads[kind]:
            raise ValueError(
                f"Head {head} is out of range; {kind} has heads 0 to {n_heads[kind] - 1}."
            )
        result.append((kind, int(layer), int(head)))
    return tuple(sorted(set(result)))


def parse_heads(text: str, kind: str) -> Heads:
    """'2.5,3.0' (layer.head pairs, as in URLs) -> ((kind, 2, 5), (kind, 3, 0))."""
    heads = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        layer, dot, head = part.partition(".")
        if not dot or not layer.isdigit() or not head.isdigit():
            raise ValueError(f"{part!r} is not a head; write layer.head, for example 2.5.")
        heads.append((kind, int(layer), int(head)))
    return tuple(heads)


def format_heads(heads: Heads) -> str:
    """The inverse of `parse_heads` for one kind."""
    return ",".join(f"{layer}.{head}" for _, layer, head in heads)

"""What every causal language model shares: next-token tables, temperature and top-k sampling.

Written once for attnviz's own GPT and for decoder-only Hugging Face folders: a model gives a
function from token ids to the next token's logits, this module does the rest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import torch

from attnviz.attention import Run

TOP_NEXT = 10  # next tokens listed per position (Run.next_tokens)
TOP_LOGITS = 100  # tokens whose logits a run keeps for the last position (views reshape them)
MAX_NEW_TOKENS = 200
MAX_TEMPERATURE = 5.0


@dataclasses.dataclass(frozen=True)
class Sampling:
    """How a continuation is drawn."""

    max_new_tokens: int = 40  # tokens added at most
    temperature: float = 1.0  # logits are divided by it; 0 takes the most probable token
    top_k: int = 0  # draw only among the k most probable tokens; 0 for all of them
    seed: int = 0  # the same seed gives the same text


def check_settings(max_new_tokens: Any, temperature: Any, top_k: Any, seed: Any) -> Sampling:
    """Validated sampling settings; ValueError says what was given and what is allowed."""

    def whole(value: Any, name: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(
                f"{name} must be a whole number from {low} to {high:,}, got {value!r}."
            )
        return value

    whole(max_new_tokens, "The number of new tokens", 1, MAX_NEW_TOKENS)
    whole(top_k, "Top-k", 0, 1_000_000)
    whole(seed, "The seed", 0, 2**63 - 1)
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)):
        raise ValueError(f"The temperature must be a number, got {temperature!r}.")
    if not 0.0 <= float(temperature) <= MAX_TEMPERATURE:
        raise ValueError(
            f"The temperature must be from 0 to {MAX_TEMPERATURE:g}, got {temperature!r}."
        )
    return Sampling(max_new_tokens, float(temperature), top_k, seed)


def reshape(logits: torch.Tensor, temperature: float, top_k: int) -> torch.Tensor:
    """Probabilities `[vocab]` from logits `[vocab]` at `temperature` among the `top_k` most
    probable (0: all); temperature 0 puts all the probability on the most probable token."""
    logits = logits.to(torch.float64)
    if temperature == 0:
        probs = torch.zeros_like(logits)
        probs[int(logits.argmax())] = 1.0
        return probs
    scaled = logits / temperature
    if 0 < top_k < scaled.numel():
        cut = scaled.topk(top_k).values[-1]
        scaled = scaled.masked_fill(scaled < cut, float("-inf"))
    return torch.softmax(scaled, dim=-1)


def sample_ids(
    next_logits: Callable[[list[int]], torch.Tensor],
    ids: list[int],
    settings: Sampling,
    stop_id: int | None = None,
) -> list[int]:
    """New token ids after `ids`, one at a time from `next_logits(ids)` `[vocab]`; stops after
    `stop_id` (kept) or `max_new_tokens`. Deterministic for a seed."""
    generator = torch.Generator().manual_seed(settings.seed)
    every = list(ids)
    for _ in range(settings.max_new_tokens):
        probs = reshape(next_logits(every), settings.temperature, settings.top_k)
        token = int(torch.multinomial(probs.to(torch.float32), 1, generator=generator))
        every.append(token)
        if token == stop_id:
            break
    return every[len(ids) :]


def next_token_table(
    logits: torch.Tensor, id_to_token: Callable[[int], str], k: int = TOP_NEXT
) -> list[list[tuple[str, float]]]:
    """The `k` most probable next tokens with their probabilities at every position, most
    probable first; logits `[position, vocab]`."""
    probs, ids = torch.softmax(logits.to(torch.float64), dim=-1).topk(k, dim=-1)
    return [
        [(id_to_token(i), float(p)) for i, p in zip(row_ids, row_probs, strict=True)]
        for row_ids, row_probs in zip(ids.tolist(), probs.tolist(), strict=True)
    ]


def top_logits(
    logits: torch.Tensor, id_to_token: Callable[[int], str], k: int = TOP_LOGITS
) -> dict[str, list]:
    """The `k` largest of one position's logits `[vocab]`, with their ids and tokens, so a view
    can reshape the distribution with temperature and top-k without the model."""
    values, ids = logits.to(torch.float32).topk(min(k, logits.numel()))
    return {
        "ids": ids.tolist(),
        "tokens": [id_to_token(i) for i in ids.tolist()],
        "logits": values.tolist(),
    }


def with_generation(run: Run, continuation: str, prompt_tokens: int, settings: Sampling) -> Run:
    """`run` of prompt and continuation, with the continuation as its output text."""
    extras = {
        **run.extras,
        "prompt_tokens": prompt_tokens,
        "sampling": dataclasses.asdict(settings),
    }
    return dataclasses.replace(run, output_text=continuation, extras=extras)

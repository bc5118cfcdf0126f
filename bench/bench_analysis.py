"""Budgets of the analysis package (issue 5), printed as medians on one thread.

MiniLM-shaped weights at 64 tokens, `[6, 12, 64, 64]`: all statistics for 72 heads (budget
<= 50 ms), rollout to the last layer (budget <= 20 ms), and, without a budget, attention flow at
32 tokens, the two word-level options and the head aggregates. Random row-stochastic weights first,
then the real minilm-l6 attention of a 64-token text (skip it with --random-only).

Run: python bench/bench_analysis.py [--random-only]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread, before numpy loads its BLAS
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import median_ms

from attnviz.analysis import (
    attention_flow,
    attention_rollout,
    head_max,
    head_mean,
    head_roles,
    head_statistics,
    hide_special_tokens,
    merge_word_pieces,
)

# 62 pieces + [CLS] and [SEP] = 64 tokens on minilm-l6 (checked when it runs).
TEXT = (
    "The old fisherman carried his heavy nets down to the quiet harbour just before the pale sun "
    "rose over the hills, while his granddaughter, who had never been out on the water, watched "
    "from the pier and wondered whether the storm that the radio promised would arrive before they "
    "returned with the boat late that night, tired."
)


def report(name: str, ms: float, budget: float | None = None) -> None:
    limit = f"(budget {budget:g} ms)" if budget is not None else "(no budget)"
    verdict = "" if budget is None else ("  ok" if ms <= budget else "  OVER BUDGET")
    print(f"{name}: {ms:.2f} ms {limit}{verdict}")


def random_weights(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """Row-stochastic float32 weights `[layer, head, query, key]`, peaked like real heads."""
    weights = np.random.default_rng(seed).random(shape).astype(np.float32) ** 4
    return weights / weights.sum(axis=-1, keepdims=True)


def bench(label: str, weights: np.ndarray, tokens: Sequence[str]) -> None:
    print(f"-- {label}: weights {list(weights.shape)} [layer, head, query, key]")
    last = weights.shape[0] - 1
    report(
        "all statistics, 72 heads", median_ms(lambda: head_statistics(weights, tokens, tokens)), 50
    )
    report(
        "statistics + roles",
        median_ms(lambda: head_roles(head_statistics(weights, tokens, tokens))),
    )
    report("rollout to the last layer", median_ms(lambda: attention_rollout(weights, last)), 20)
    report(
        "head mean + max of one layer",
        median_ms(lambda: (head_mean(weights[3]), head_max(weights[3]))),
    )
    report("hide special tokens", median_ms(lambda: hide_special_tokens(weights, tokens, tokens)))
    report("merge word pieces", median_ms(lambda: merge_word_pieces(weights, tokens, tokens)))
    short = weights[..., :32, :32]
    short = short / short.sum(axis=-1, keepdims=True)
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    flow = median_ms(lambda: attention_flow(short, last), repeats=3, warmup=1)
    cpu = (time.process_time() - start_cpu) / (time.perf_counter() - start_wall) * flow
    report(f"attention flow, 32 tokens x {last + 1} layers", flow)
    print(f"  (of which CPU time {cpu:.0f} ms: the rest is waiting for a busy core)")


def minilm_weights() -> tuple[np.ndarray, tuple[str, ...]]:
    import torch

    import attnviz

    torch.set_num_threads(1)
    run = attnviz.run("minilm-l6", TEXT)
    maps = run.maps["encoder_self"]
    assert len(maps.query_tokens) == 64, len(maps.query_tokens)
    return np.asarray(maps.weights), maps.query_tokens


def main() -> None:
    tokens = ("[CLS]", *(f"w{i}" if i % 4 else f"##p{i}" for i in range(62)), "[SEP]")
    bench("random, MiniLM-shaped", random_weights((6, 12, 64, 64)), tokens)
    if "--random-only" in sys.argv:
        return
    weights, tokens = minilm_weights()
    bench(f"minilm-l6, {len(tokens)} tokens", weights, tokens)


if __name__ == "__main__":
    main()

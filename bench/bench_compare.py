"""Budgets of /compare (issue 6), medians on one torch thread, MiniLM at 32 tokens:

- the 72 x 72 Jensen-Shannon head-distance matrix (budget <= 200 ms), and its clustering;
- a run with two heads switched off against a plain run of the same text measured in the same
  process (budget: ablated <= 2x plain).

Run: python bench/bench_compare.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch
from _common import median_ms

import attnviz
from attnviz.analysis.similarity import cluster_order, js_distance_matrix

TEXT = "The committee postponed the final vote because several members were still abroad"
OFF = (("encoder_self", 0, 3), ("encoder_self", 2, 7))


def main() -> None:
    torch.set_num_threads(1)
    model = attnviz.load("minilm-l6")
    text = TEXT
    while len(model.tokenize(text)[0]) < 32:
        text += " again"
    weights = model.run(text).maps["encoder_self"].weights
    heads = weights.reshape(-1, *weights.shape[2:])  # [layer * head, query, key]
    print(f"minilm-l6, {weights.shape[-1]} tokens, {len(heads)} heads, torch threads 1")
    distances = median_ms(lambda: js_distance_matrix(heads))
    matrix = js_distance_matrix(heads)
    order = median_ms(lambda: cluster_order(matrix))
    print(f"72 x 72 head distances:   {distances:7.2f} ms  budget 200 ms")
    print(f"clustered order:          {order:7.2f} ms")
    plain = median_ms(lambda: model.run(text))
    ablated = median_ms(lambda: model.run(text, ablate=OFF))
    print(f"plain run:                {plain:7.2f} ms (baseline)")
    print(f"run with 2 heads off:     {ablated:7.2f} ms  x{ablated / plain:.2f}  budget x2")


if __name__ == "__main__":
    main()

"""Median time of one `run` (translation + alignment) on one thread, against the budgets.

python bench/bench_translate.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from attnviz.models.registry import REGISTRY, load

SENTENCE = "My old friend bought a small red car last year and drives it to work."
CASES = [  # (model, beam, budget in ms)
    ("bahdanau-en-es", 1, 30.0),
    ("bahdanau-en-es", 5, 150.0),
    ("transformer-en-es", 1, 60.0),
    ("luong-dot-en-es", 1, 30.0),
    ("luong-general-en-es", 1, 30.0),
    ("bahdanau-dates", 1, 30.0),
]


def median_ms(model_name: str, text: str, beam: int, repeats: int) -> float:
    model = load(model_name)
    model.run(text, beam=beam)  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        model.run(text, beam=beam)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"sentence: {SENTENCE!r} ({len(SENTENCE.split())} words); one torch thread")
    over = 0
    for name, beam, budget in CASES:
        if name not in REGISTRY:
            print(f"{name:22s} beam {beam}: not in the registry, skipped")
            continue
        text = "Thursday, 27 November 2026" if name == "bahdanau-dates" else SENTENCE
        median = median_ms(name, text, beam, args.repeats)
        verdict = "ok" if median <= budget else "OVER BUDGET"
        over += median > budget
        print(
            f"{name:22s} beam {beam}: median {median:7.1f} ms  (budget {budget:.0f} ms) {verdict}"
        )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

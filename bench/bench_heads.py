"""Budgets of the first slice (issue 2), printed as medians on one torch thread.

- a 20-token sentence on minilm-l6: tokenize + forward + maps (budget <= 30 ms), beside the bare
  transformers forward pass with output_attentions=True measured in the same process;
- a /heads rerun that only changes layer or head, run cached (budget <= 100 ms server time,
  measured through AppTest, which runs the page script as the server does);
- the main heatmap's JSON payload for 20 tokens (budget <= 20 KB), and the layer's small multiples;
- the model overview (72 thumbnails) at 64 tokens: payload (budget <= 1.5 MB) and build time
  (budget <= 300 ms) (issue 5).

Run: python bench/bench_heads.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import plotly.io  # noqa: E402
import torch  # noqa: E402
from _common import median_ms  # noqa: E402  (bench/ is on sys.path when run as a script)

import attnviz  # noqa: E402
from attnviz.figures import head_heatmap, layer_small_multiples, model_overview  # noqa: E402

# 18 words -> 20 tokens with [CLS] and [SEP]
SENTENCE = (
    "The old fisherman carried his heavy nets down to the quiet harbour"
    " just before the pale sun rose"
)


def bench_run(model) -> None:
    tokens = model.tokenize(SENTENCE)[0]
    assert len(tokens) == 20, len(tokens)
    inputs = {"input_ids": torch.tensor([tokens])}

    def bare_forward():
        with torch.inference_mode():
            model.model(**inputs, output_attentions=True)

    bare = median_ms(bare_forward)
    ours = median_ms(lambda: model.run(SENTENCE))
    print(f"transformers forward, 20 tokens:        {bare:7.2f} ms (baseline)")
    ratio = ours / bare
    print(f"attnviz run (tokenize+forward+maps):    {ours:7.2f} ms  x{ratio:.2f}  budget 30 ms")


def bench_rerun() -> None:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "pages" / "heads.py"), default_timeout=120)
    app.query_params["text"] = SENTENCE
    app.run()
    boxes = {box.label: box for box in app.selectbox}
    times = []
    for step in range(20):
        label, value = ("Layer", step % 6) if step % 2 else ("Head", step % 12)
        start = time.perf_counter()
        boxes[label].set_value(value).run()
        times.append((time.perf_counter() - start) * 1000)
        boxes = {box.label: box for box in app.selectbox}
    assert not app.exception
    median = statistics.median(times)
    print(f"/heads rerun, layer or head changed:    {median:7.2f} ms  budget 100 ms")


def bench_payload(model) -> None:
    run = model.run(SENTENCE)
    maps = run.maps["encoder_self"]
    main = head_heatmap(maps.head(2, 3), maps.query_tokens, maps.key_tokens, "layer 2 · head 3")
    grid = layer_small_multiples(maps.layer(2), 3)
    main_bytes = len(plotly.io.to_json(main, validate=False))
    grid_bytes = len(plotly.io.to_json(grid, validate=False))
    print(f"main heatmap payload, 20 tokens:        {main_bytes / 1000:7.1f} KB  budget 20 KB")
    print(f"layer small multiples, 12 heads:        {grid_bytes / 1000:7.1f} KB")


def bench_overview(model) -> None:
    text = " ".join(["the quick brown fox jumps over the lazy dog"] * 7)
    run = model.run(text)
    maps = run.maps["encoder_self"]
    assert maps.weights.shape[-1] == 65, maps.weights.shape
    build = median_ms(lambda: model_overview(maps.weights, (0, 0), maps.visible), repeats=10)
    figure = model_overview(maps.weights, (0, 0), maps.visible)
    payload = len(plotly.io.to_json(figure, validate=False))
    print(f"model overview, 72 heads x 65 tokens:   {payload / 1e6:7.3f} MB  budget 1.5 MB")
    print(f"model overview build:                   {build:7.2f} ms  budget 300 ms")


def main() -> None:
    torch.set_num_threads(1)
    model = attnviz.load("minilm-l6")
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    bench_run(model)
    bench_payload(model)
    bench_overview(model)
    bench_rerun()


if __name__ == "__main__":
    main()

"""Issue 8 at every size, on one torch thread: floor, payload against bertviz, interactions.

- the floor: the bare `transformers` forward pass with `output_attentions=True` against
  `attnviz.run` on the same text, at 16, 64, 256 and 512 tokens (target: run <= 1.3x the
  forward pass at 64 tokens and above); the two are timed alternately so load on the shared
  cores hits both alike;
- payload: bytes of the figure JSON the /heads page sends for one head, one layer's heads and
  the whole model, against the HTML of bertviz 1.4 `head_view` and `model_view` for the same
  attention, at 16, 64, 128, 256 and 512 tokens (targets: whole model at 128 tokens >= 20x
  smaller than `model_view`; at 512 tokens <= 3 MB);
- interaction latency, server side, through AppTest on app.py (the page script as the server
  runs it): a rerun that only changes layer or head, a new sentence, a page switch.

Run: python bench/bench_scaling.py   (bertviz: pip install -r bench/requirements.txt)
"""

from __future__ import annotations

import functools
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import plotly.io
import torch
from _common import ROOT, median_ms, text_of_tokens, time_ms

import attnviz
from attnviz.figures import head_heatmap, layer_small_multiples, model_overview

FLOOR_SIZES = (16, 64, 256, 512)
PAYLOAD_SIZES = (16, 64, 128, 256, 512)
OVERHEAD_TARGET = 1.3
BERTVIZ_FACTOR_TARGET = 20
OVERVIEW_512_TARGET_MB = 3.0


def paired_medians(first, second, repeats: int) -> tuple[float, float]:
    """Medians (ms) of two functions timed alternately, after one warm-up call each."""
    first(), second()
    times_first, times_second = [], []
    for _ in range(repeats):
        times_first.append(time_ms(first))
        times_second.append(time_ms(second))
    return statistics.median(times_first), statistics.median(times_second)


def bare_forward(model, inputs: dict):
    """The reference: transformers' own forward pass asked for attention, nothing else."""
    with torch.inference_mode():
        return model.model(**inputs, output_attentions=True)


def overhead_parts(model, ids: list[int]) -> tuple[float, float]:
    """Medians (ms) of the two steps of `run` after the forward pass that touch every weight:
    stacking the per-layer tensors into one float32 array, and AttentionMaps' checks."""
    from attnviz.attention import AttentionMaps
    from attnviz.models.hf import stack

    attentions = bare_forward(model, {"input_ids": torch.tensor([ids])}).attentions
    weights = stack(attentions)  # [layer, head, query, key]
    tokens = model.tokens(ids)
    stack_ms = median_ms(functools.partial(stack, attentions), repeats=7, warmup=1)
    maps = functools.partial(AttentionMaps, "encoder_self", weights, tokens, tokens)
    return stack_ms, median_ms(maps, repeats=7, warmup=1)


def bench_floor(model) -> None:
    print("\n## Floor: bare transformers forward (baseline) vs attnviz.run, one thread")
    print(f"{'tokens':>6} {'forward ms':>11} {'run ms':>9} {'ratio':>6}  target       ", end="")
    print(f"{'of which: stack ms':>18} {'maps checks ms':>15}")
    for n_tokens in FLOOR_SIZES:
        text = text_of_tokens(n_tokens)
        ids, _ = model.tokenize(text)
        assert len(ids) == n_tokens, (n_tokens, len(ids))
        inputs = {"input_ids": torch.tensor([ids])}
        repeats = 25 if n_tokens <= 64 else 9
        ours = functools.partial(attnviz.run, model, text)
        bare, ours = paired_medians(functools.partial(bare_forward, model, inputs), ours, repeats)
        stack_ms, checks_ms = overhead_parts(model, ids)
        ratio = ours / bare
        target = f"<= {OVERHEAD_TARGET}x" if n_tokens >= 64 else "-"
        verdict = "" if n_tokens < 64 else ("ok" if ratio <= OVERHEAD_TARGET else "MISS")
        print(
            f"{n_tokens:>6} {bare:>11.1f} {ours:>9.1f} {ratio:>5.2f}x  {target:<7} {verdict:<4}"
            f" {stack_ms:>18.1f} {checks_ms:>15.1f}"
        )


def page_figures(maps, layer: int = 2, head: int = 3) -> dict[str, object]:
    """The figures /heads builds: the head view (main + small multiples) and the overview."""
    title = f"encoder_self · layer {layer} · head {head}"
    return {
        "one head": head_heatmap(
            maps.head(layer, head), maps.query_tokens, maps.key_tokens, title, maps.visible
        ),
        "layer's 12 heads": layer_small_multiples(maps.layer(layer), head, maps.visible),
        "whole model": model_overview(maps.weights, (layer, head), maps.visible),
    }


def overview_json(maps) -> str:
    return plotly.io.to_json(model_overview(maps.weights, (2, 3), maps.visible), validate=False)


def figure_bytes(figure) -> int:
    return len(plotly.io.to_json(figure, validate=False).encode())


def bertviz_bytes(maps) -> tuple[int, int] | None:
    """Bytes of bertviz's head_view and model_view HTML for the same attention (None: no
    bertviz; it is installed with `pip install --no-deps -r bench/requirements.txt`)."""
    try:
        from bertviz import head_view, model_view
    except ImportError:
        return None

    # bertviz wants one tensor [batch=1, head, query, key] per layer
    attention = tuple(torch.from_numpy(maps.weights[layer].copy())[None] for layer in range(6))
    tokens = list(maps.key_tokens)
    head_html = head_view(attention, tokens, html_action="return").data
    model_html = model_view(attention, tokens, html_action="return").data
    return len(head_html.encode()), len(model_html.encode())


def bench_payload(model) -> dict[int, dict[str, float]]:
    print("\n## Payload: figure JSON /heads sends vs bertviz 1.4 HTML (same attention)")
    header = (
        f"{'tokens':>6} {'one head':>10} {'layer':>10} {'model':>10} {'bv head':>10}"
        f" {'bv model':>10} {'bv/model':>9} {'build+json ms':>14}"
    )
    print(header + "   (KB; bv = bertviz; build = whole-model figure + to_json)")
    results = {}
    for n_tokens in PAYLOAD_SIZES:
        maps = attnviz.run(model, text_of_tokens(n_tokens)).maps["encoder_self"]
        assert maps.weights.shape[-1] == n_tokens
        sizes = {name: figure_bytes(figure) for name, figure in page_figures(maps).items()}
        bertviz = bertviz_bytes(maps)
        head_bv, model_bv = bertviz or (float("nan"), float("nan"))
        build = median_ms(functools.partial(overview_json, maps), repeats=5, warmup=1)
        factor = model_bv / sizes["whole model"]
        results[n_tokens] = {"model": sizes["whole model"], "factor": factor}
        head_kb, layer_kb, model_kb = (size / 1e3 for size in sizes.values())
        print(
            f"{n_tokens:>6} {head_kb:>10.1f} {layer_kb:>10.1f} {model_kb:>10.1f}"
            f" {head_bv / 1e3:>10.1f} {model_bv / 1e3:>10.1f} {factor:>8.0f}x {build:>14.1f}"
        )
    factor_128 = results[128]["factor"]
    mb_512 = results[512]["model"] / 1e6
    verdict_128 = "ok" if factor_128 >= BERTVIZ_FACTOR_TARGET else "MISS"
    verdict_512 = "ok" if mb_512 <= OVERVIEW_512_TARGET_MB else "MISS"
    if bertviz is None:
        verdict_128 = "not measured: pip install --no-deps -r bench/requirements.txt"
    print(f"whole model at 128 tokens: {factor_128:.1f}x smaller than bertviz model_view")
    print(f"  target >= {BERTVIZ_FACTOR_TARGET}x: {verdict_128}")
    print(f"whole model at 512 tokens: {mb_512:.3f} MB  target <= 3 MB: {verdict_512}")
    return results


def heads_app(text: str):
    """AppTest of app.py switched to /heads with `text` typed, run once (model warm)."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    app.run()
    app.switch_page("pages/heads.py").run()
    app.text_area[0].input(text).run()
    assert not app.exception, app.exception
    return app


def type_text(app, text: str) -> None:
    app.text_area[0].input(text).run()


def select(app, label: str, value: int) -> None:
    next(box for box in app.selectbox if box.label == label).set_value(value).run()


def bench_layer_head(n_tokens: int, repeats: int) -> float:
    """Median ms of a rerun that changes only the layer or the head (the run is cached)."""
    app = heads_app(text_of_tokens(n_tokens, seed=1))
    times = []
    for step in range(repeats):
        label, value = ("Layer", step % 6) if step % 2 else ("Head", (step * 5 + 1) % 12)
        times.append(time_ms(select, app, label, value))
    assert not app.exception and len(app.get("plotly_chart")) == 2
    return statistics.median(times)


def bench_new_sentence(n_tokens: int, repeats: int) -> float:
    """Median ms of a rerun with a sentence never seen before (model forward included)."""
    app = heads_app(text_of_tokens(n_tokens, seed=2))
    times = []
    for seed in range(100 + n_tokens, 100 + n_tokens + repeats):
        text = text_of_tokens(n_tokens, seed=seed)
        times.append(time_ms(type_text, app, text))
    assert not app.exception and len(app.get("plotly_chart")) == 2
    return statistics.median(times)


def bench_page_switch(repeats: int) -> tuple[float, float, bool]:
    """Median ms of Start -> Heads and Heads -> Start; and whether /heads kept its figure."""
    app = heads_app(text_of_tokens(16, seed=3))
    to_heads, to_start = [], []
    for _ in range(repeats):
        to_start.append(time_ms(lambda: app.switch_page("pages/home.py").run()))
        to_heads.append(time_ms(lambda: app.switch_page("pages/heads.py").run()))
    assert not app.exception
    kept = len(app.get("plotly_chart")) == 2
    return statistics.median(to_heads), statistics.median(to_start), kept


def bench_interactions() -> None:
    # AppTest has no server, so Streamlit warns on every run that there is no script context;
    # expected here. A filter, because Streamlit resets its loggers' levels.
    context_logger = "streamlit.runtime.scriptrunner_utils.script_run_context"
    logging.getLogger(context_logger).addFilter(lambda record: False)
    print("(AppTest never runs Streamlit's post-run gc.collect(2); our server config skips it)")
    print("\n## Interaction latency, server side (AppTest on app.py), medians")
    for n_tokens, repeats in ((16, 20), (512, 8)):
        layer_head = bench_layer_head(n_tokens, repeats)
        print(f"layer or head changed, {n_tokens:>3} tokens:   {layer_head:8.1f} ms")
    for n_tokens, repeats in ((16, 15), (512, 6)):
        new = bench_new_sentence(n_tokens, repeats)
        print(f"new sentence, {n_tokens:>3} tokens:            {new:8.1f} ms")
    to_heads, to_start, kept = bench_page_switch(10)
    print(f"page switch Start -> Heads:           {to_heads:8.1f} ms")
    print(f"page switch Heads -> Start:           {to_start:8.1f} ms")
    if not kept:
        print("  NOTE: after Heads -> Start -> Heads the text is empty and no figure is drawn")


def main() -> None:
    torch.set_num_threads(1)
    model = attnviz.load("minilm-l6")
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, {time.ctime()}")
    bench_floor(model)
    bench_payload(model)
    bench_interactions()


if __name__ == "__main__":
    main()

"""Issue 18: payload of the /heads figures and bytes of a run at 512 and at 1024 tokens.

attnviz now keeps a model's own context (up to the 1024-token display cap) instead of cutting
every model at 512. This checks that the overview's budget (whole model <= 3 MB, the target of
bench_scaling.py at 512 tokens) still holds at 1024 tokens, on a 6 x 12-head decoder (MiniLM's
shape; a randomly initialised GPT-2 with 1024 positions, built here, since MiniLM takes 512),
and prints the baseline at 512 tokens from the same run. It also prints the bytes a run holds
(the run cache's unit, attnviz/ui/cache.py) and the time of `attnviz.run`.

Run: python bench/bench_context.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import plotly.io
import torch

import attnviz
from attnviz.figures import head_heatmap, layer_small_multiples, model_overview

SIZES = (512, 1024)
OVERVIEW_TARGET_MB = 3.0
LAYER, HEAD = 2, 3


def tiny_gpt2():
    """6 layers x 12 heads, 1024 positions, byte-level tokenizer trained on a few words."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(["the cat sat on the mat"] * 5, vocab_size=300, show_progress=False)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe._tokenizer)
    torch.manual_seed(0)
    config = GPT2Config(
        vocab_size=bpe.get_vocab_size(), n_embd=96, n_layer=6, n_head=12, n_positions=1024
    )
    return attnviz.from_transformers(GPT2LMHeadModel(config), tokenizer, name="gpt2-1024")


def figure_bytes(figure) -> int:
    return len(plotly.io.to_json(figure, validate=False).encode())


def main() -> None:
    import time

    torch.set_num_threads(1)
    model = tiny_gpt2()
    print("## /heads figures on a 6 x 12-head decoder (KB of figure JSON)")
    print(f"{'tokens':>6} {'one head':>10} {'layer':>10} {'model':>10} {'run MB':>8} {'run s':>7}")
    results = {}
    for n_tokens in SIZES:
        ids = model.tokenizer("the cat sat on the mat " * 600)["input_ids"][:n_tokens]
        text = model.tokenizer.decode(ids)
        start = time.perf_counter()
        run = attnviz.run(model, text)
        seconds = time.perf_counter() - start
        maps = run.maps["decoder_self"]
        assert len(maps.key_tokens) == n_tokens, len(maps.key_tokens)
        title = f"decoder_self · layer {LAYER} · head {HEAD}"
        head = head_heatmap(
            maps.head(LAYER, HEAD), maps.query_tokens, maps.key_tokens, title, maps.visible
        )
        layer = layer_small_multiples(maps.layer(LAYER), HEAD, maps.visible)
        overview = model_overview(maps.weights, (LAYER, HEAD), maps.visible)
        sizes = [figure_bytes(figure) / 1e3 for figure in (head, layer, overview)]
        results[n_tokens] = sizes[2] / 1e3
        run_mb = maps.weights.nbytes / 1e6
        print(
            f"{n_tokens:>6} {sizes[0]:>10.1f} {sizes[1]:>10.1f} {sizes[2]:>10.1f}"
            f" {run_mb:>8.1f} {seconds:>7.2f}"
        )
    verdict = "ok" if results[1024] <= OVERVIEW_TARGET_MB else "MISS"
    print(
        f"whole model at 1024 tokens: {results[1024]:.3f} MB (512 tokens: {results[512]:.3f} MB)"
        f"  target <= {OVERVIEW_TARGET_MB:g} MB: {verdict}"
    )
    print("the notice past the cap:", model.tokenize("the cat sat on the mat " * 600)[1][-1])


if __name__ == "__main__":
    main()

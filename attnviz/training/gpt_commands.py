"""The command-line steps of gpt-austen: train it, and measure what its model card reports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from attnviz.models.seq2seq import WEIGHTS_DIR
from attnviz.training.gpt_train import NAME, GPTTrainConfig, train_gpt


def train_gpt_command(
    data_dir: Path,
    log: Callable[[str], None],
    minutes: float | None,
    resume: bool,
    synthetic_share: float | None = None,
    learning_rate: float | None = None,
    smear_reset: float | None = None,
) -> dict:
    """Train (or, with `resume`, continue) gpt-austen for `minutes` and ship its weights;
    synthetic_share, learning_rate and smear_reset replace the defaults of `GPTTrainConfig`
    when given."""
    given = {
        "minutes": minutes,
        "synthetic_share": synthetic_share,
        "learning_rate": learning_rate,
        "smear_reset": smear_reset,
    }
    config = GPTTrainConfig(**{k: v for k, v in given.items() if v is not None})
    return train_gpt(
        data_dir / "austen",
        data_dir / "checkpoints" / NAME,
        WEIGHTS_DIR / NAME,
        log,
        config,
        resume=resume,
    )


PROMPTS_FILE = Path(__file__).resolve().parent / "heldout_sets" / "austen_prompts.txt"
INDUCTION_SEEDS = range(10)  # random sequences the induction scores are averaged over


def held_out_prompts(path: Path = PROMPTS_FILE) -> list[str]:
    """The prompts of the dictionary-word check (lines not starting with #)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def induction_figures(model) -> dict:
    """Every head's induction and previous-token scores, averaged over random sequences of
    `EVALUATION_WORDS` words written twice; the best head of each."""
    import numpy as np

    from attnviz.analysis.induction import mean_scores

    def attention(text: str):
        run = model.run(text)
        return run.maps["decoder_self"].weights, run.source_tokens

    # float64 before rounding, so the JSON holds 0.012, not 0.012000000104308128
    induction_mean, previous_mean = mean_scores(attention, INDUCTION_SEEDS)
    best = np.unravel_index(int(induction_mean.argmax()), induction_mean.shape)
    best_previous = np.unravel_index(int(previous_mean.argmax()), previous_mean.shape)
    return {
        "induction_scores": np.round(induction_mean, 3).tolist(),  # [layer][head]
        "previous_token_scores": np.round(previous_mean, 3).tolist(),
        "best_induction_head": [int(best[0]), int(best[1]), round(float(induction_mean[best]), 3)],
        "best_previous_token_head": [
            int(best_previous[0]),
            int(best_previous[1]),
            round(float(previous_mean[best_previous]), 3),
        ],
    }


def dictionary_figures(model, temperature: float = 0.8, new_tokens: int = 40) -> dict:
    """Share of dictionary words in the continuations of the held-out prompts."""
    from attnviz.training.dictionary import dictionary_share

    prompts = held_out_prompts()
    continuations = [
        model.generate_text(prompt, new_tokens, temperature, 0, seed).output_text
        for seed, prompt in enumerate(prompts)
    ]
    share, words = dictionary_share(continuations)
    return {
        "dictionary_share": round(share, 4),
        "dictionary_words_checked": words,
        "dictionary_temperature": temperature,
        "samples": [p + c for p, c in zip(prompts[:3], continuations[:3], strict=True)],
    }


def evaluate_gpt(data_dir: Path) -> dict:
    """Held-out perplexity, induction scores and the dictionary-word share of the shipped
    gpt-austen."""
    import math

    import torch

    from attnviz.models.gpt import load_folder
    from attnviz.training.austen import read_paragraphs
    from attnviz.training.dictionary import dictionary_share
    from attnviz.training.gpt_train import held_out_loss, token_stream

    folder = WEIGHTS_DIR / NAME
    model = load_folder(folder, NAME)
    paragraphs = read_paragraphs(data_dir / "austen" / "heldout.txt")
    stream = token_stream(paragraphs, model.tokenizer)
    loss = held_out_loss(model.network, stream)
    words = sum(len(p.split()) for p in paragraphs)
    with torch.inference_mode():
        figures = {
            "model": NAME,
            "split": "held-out chapters (every 20th)",
            "held_out_tokens": len(stream),
            "held_out_words": words,
            "held_out_perplexity": round(math.exp(loss), 2),
            # Per word: the same total log-likelihood spread over whitespace-separated words.
            "held_out_word_perplexity": round(math.exp(loss * (len(stream) - 1) / words), 1),
            "parameters": sum(p.numel() for p in model.network.parameters()),
            "weights_bytes": (folder / "model.safetensors").stat().st_size,
            **induction_figures(model),
            **dictionary_figures(model),
        }
    figures["held_out_text_dictionary_share"] = round(dictionary_share(paragraphs)[0], 4)
    return figures

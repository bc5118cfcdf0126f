"""attnviz: see what neural networks attend to.

The public API (DESIGN.md section 4)::

    import attnviz
    attnviz.list_models()                      # registry entries
    model = attnviz.load("minilm-l6")          # or a Hugging Face model folder on disk
    run = attnviz.run(model, "The cat sat.")   # Run with tokens and AttentionMaps per kind
    run.show(layer=2, head=3)                  # a Plotly figure; run.show_model() the overview
    attnviz.load("org/name")                   # a Hugging Face name from the local cache
    attnviz.from_transformers(model, tokenizer)  # a transformers model already loaded
    attnviz.generate("gpt-austen", "It is a truth", seed=1)  # prompt + continuation, a Run
"""

from __future__ import annotations

from typing import Any

from attnviz.attention import KINDS, AttentionMaps, Run
from attnviz.models.base import AttentionModel, ModelInfo, clean_text
from attnviz.models.registry import ModelEntry, list_models, load

__all__ = [
    "KINDS",
    "AttentionMaps",
    "AttentionModel",
    "ModelEntry",
    "ModelInfo",
    "Run",
    "download",
    "from_transformers",
    "generate",
    "list_models",
    "load",
    "run",
]


def run(model: AttentionModel | str, text: str, **options: Any) -> Run:
    """Apply `model` (a loaded model, a registry name or a folder path) to `text`."""
    clean_text(text)  # refuse bad text before spending seconds on loading a model
    if isinstance(model, str):
        model = load(model)
    return model.run(text, **options)


def generate(
    model: AttentionModel | str,
    prompt: str,
    max_new_tokens: int = 40,
    temperature: float = 1.0,
    top_k: int = 0,
    seed: int = 0,
) -> Run:
    """Continue `prompt` with a causal language model (gpt-austen or a decoder-only folder):
    the Run of prompt and continuation, whose `output_text` is the continuation. The same seed
    gives the same text; temperature 0 is greedy; top_k 0 draws among all tokens."""
    from attnviz.models.sampling import check_settings

    clean_text(prompt)
    check_settings(max_new_tokens, temperature, top_k, seed)
    if isinstance(model, str):
        model = load(model)
    if not callable(getattr(model, "generate_text", None)):
        raise ValueError(
            f"{model.info.name} is not a causal language model; generate takes gpt-austen or "
            "a decoder-only model folder."
        )
    return model.generate_text(prompt, max_new_tokens, temperature, top_k, seed)


def from_transformers(model: Any, tokenizer: Any, name: str | None = None) -> AttentionModel:
    """Wrap a loaded `transformers` model and its tokenizer so `run` accepts it.

    See `attnviz.models.from_transformers`: the model switches to eager attention (or this
    raises ValueError saying it cannot) and its maps are its own `output_attentions`.
    """
    from attnviz.models import from_transformers as wrapping

    return wrapping.from_transformers(model, tokenizer, name)


def download(name: str) -> AttentionModel:
    """Download a Hugging Face model ("org/name") into the local cache, check it, load it.

    The one deliberate network access of attnviz: only configuration, tokenizer and
    safetensors files are fetched, and the folder must pass the same checks as any other.
    """
    return load(name, download=True)

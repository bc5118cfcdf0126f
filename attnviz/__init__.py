"""attnviz: see what neural networks attend to.

The public API (DESIGN.md section 4)::

    import attnviz
    attnviz.list_models()                      # registry entries
    model = attnviz.load("minilm-l6")          # or a Hugging Face model folder on disk
    run = attnviz.run(model, "The cat sat.")   # Run with tokens and AttentionMaps per kind
    run.show(layer=2, head=3)                  # a Plotly figure; run.show_model() the overview
    attnviz.load("org/name")                   # a Hugging Face name from the local cache
    attnviz.from_transformers(model, tokenizer)  # a transformers model already loaded
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

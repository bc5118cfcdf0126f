"""attnviz: see what neural networks attend to.

The public API (DESIGN.md section 4)::

    import attnviz
    attnviz.list_models()                      # registry entries
    model = attnviz.load("minilm-l6")          # or a Hugging Face model folder on disk
    run = attnviz.run(model, "The cat sat.")   # Run with tokens and AttentionMaps per kind
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

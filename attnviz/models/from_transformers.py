"""A `transformers` model the caller already loaded, wrapped so `attnviz.run` accepts it.

    model = AutoModel.from_pretrained("bert-base-uncased")   # or any model built in memory
    tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
    run = attnviz.run(attnviz.from_transformers(model, tokenizer), "The cat sat.")

The wrapped model is driven exactly as a model folder is (`attnviz.models.hf.HFModel`): maps
come from the model's own `output_attentions=True`. Three things change on the model the caller
passed, once, when it is wrapped: its attention implementation becomes "eager" (the fused ones
return no weights), it is put in eval mode (dropout would randomise the maps), and an inert
hook per attention layer lets `run(..., ablate=...)` switch heads off for one run only.
"""

from __future__ import annotations

import dataclasses
import threading
import weakref
from typing import Any

from attnviz.models.hf import HFModel, architecture_of, driving_config

_wrapped: weakref.WeakKeyDictionary[Any, tuple[Any, str, HFModel]] = weakref.WeakKeyDictionary()
_wrap_lock = threading.Lock()


def from_transformers(model: Any, tokenizer: Any, name: str | None = None) -> HFModel:
    """Wrap a loaded `transformers` model (encoder, decoder or encoder-decoder) and tokenizer.

    name: what runs are called (default: the name the model was loaded from, else its class).
    Raises ValueError for objects that are not a transformers model and tokenizer, a model off
    the CPU, or one that cannot switch to eager attention.
    """
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

    if not isinstance(model, PreTrainedModel):
        raise ValueError(
            f"from_transformers needs a transformers model (PreTrainedModel), "
            f"got {type(model).__name__}."
        )
    if not isinstance(tokenizer, PreTrainedTokenizerBase):
        raise ValueError(
            f"from_transformers needs the model's transformers tokenizer, "
            f"got {type(tokenizer).__name__}."
        )
    name = name or str(getattr(model.config, "name_or_path", "") or type(model).__name__)
    with _wrap_lock:
        known = _wrapped.get(model)
        if known is not None and known[0] is tokenizer and known[1] == name:
            return known[2]  # wrapping the same objects again installs no second set of hooks
        wrapped = _wrap(model, tokenizer, name)
        _wrapped[model] = (tokenizer, name, wrapped)
        return wrapped


def _wrap(model: Any, tokenizer: Any, name: str) -> HFModel:
    devices = {parameter.device.type for parameter in model.parameters()}
    if devices - {"cpu"}:
        raise ValueError(
            f"attnviz runs models on the CPU and {name!r} is on {', '.join(sorted(devices))}; "
            "move it with model.to('cpu') first."
        )
    use_eager_attention(model, name)
    architecture = architecture_of(model.config)
    # Encoders and decoders run as their base model, whose output has last_hidden_state
    # (BertForSequenceClassification -> BertModel); encoder-decoders keep their head to generate.
    driven = model if architecture == "encoder-decoder" else model.base_model
    driven.eval()
    config = driving_config(model.config, architecture, model)
    # A causal LM (GPT2LMHeadModel) keeps its output layer for next-token predictions.
    lm = model if architecture == "decoder" and model is not driven and _has_head(model) else None
    wrapped = HFModel(name, driven, tokenizer, config, lm=lm)
    description = f"{model.config.model_type} {architecture} model ({type(model).__name__})"
    wrapped.info = dataclasses.replace(wrapped.info, description=description)
    return wrapped


def _has_head(model: Any) -> bool:
    from attnviz.models.hf_causal import has_output_layer

    return has_output_layer(model)


def use_eager_attention(model: Any, name: str) -> None:
    """Switch `model` (and every sub-model) to eager attention, or raise ValueError."""
    if _implementations(model) != {"eager"}:
        try:
            model.set_attn_implementation("eager")
        except Exception as error:  # transformers raises ValueError, ImportError, ...
            lines = str(error).strip().splitlines()
            reason = lines[0][:200] if lines else type(error).__name__
            raise ValueError(
                f"{name!r} cannot switch to eager attention ({reason})"
                "; attnviz needs it to read attention weights: load the model with "
                "attn_implementation='eager'."
            ) from None
    left = _implementations(model) - {"eager"}
    if left:
        raise ValueError(
            f"{name!r} still uses {', '.join(sorted(left))} attention, which returns no weights, "
            "and cannot switch to eager attention by itself; load the model with "
            "attn_implementation='eager'."
        )


def _implementations(model: Any) -> set[str]:
    """The attention implementations that the model and its sub-models are set to."""
    from transformers import PreTrainedModel

    return {
        str(module.config._attn_implementation)
        for module in model.modules()
        if isinstance(module, PreTrainedModel)
    }

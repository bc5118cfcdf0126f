"""Next-token predictions and generation for decoder-only Hugging Face models.

A decoder folder loads as its causal-LM class (`AutoModelForCausalLM`), so its output layer
is there; attention is still read from the base model inside it, exactly as before. A folder
whose weights hold no output layer (a base model saved on its own, untied) loads as the base
model and simply has no predictions.
"""

from __future__ import annotations

from typing import Any

import torch

from attnviz.attention import Run
from attnviz.models import sampling


def causal_class(hf_config: Any) -> Any | None:
    """The `AutoModelForCausalLM` class for this config, or None when it has none."""
    from transformers import AutoModelForCausalLM
    from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES

    if hf_config.model_type not in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES:
        return None
    return AutoModelForCausalLM


def has_output_layer(model: Any) -> bool:
    return callable(getattr(model, "get_output_embeddings", None)) and (
        model.get_output_embeddings() is not None
    )


def forward(lm: Any, ids: list[int]) -> Any:
    """The causal LM's own forward pass with attentions and hidden states."""
    with torch.inference_mode():
        return lm(
            input_ids=torch.tensor([ids]),
            output_attentions=True,
            output_hidden_states=True,
            use_cache=False,
        )


def predictions(lm: Any, tokenizer: Any, logits: torch.Tensor) -> tuple[list, dict]:
    """Run.next_tokens and the last position's top logits from `logits` `[position, vocab]`."""

    def id_to_token(index: int) -> str:
        return str(tokenizer.convert_ids_to_tokens(int(index)))

    logits = logits.float()
    return (
        sampling.next_token_table(logits, id_to_token),
        sampling.top_logits(logits[-1], id_to_token),
    )


def generate(model: Any, prompt: str, settings: sampling.Sampling) -> Run:
    """Prompt and continuation as a Run (`model` is an HFModel with `lm`)."""
    from attnviz.models.base import clean_text

    cleaned, _ = clean_text(prompt)
    ids, notes = model.tokenize(prompt)
    limit = model.config.max_tokens

    def next_logits(every: list[int]) -> torch.Tensor:
        with torch.inference_mode():
            return model.lm(input_ids=torch.tensor([every[-limit:]]), use_cache=False).logits[0, -1]

    stop = model.lm.config.eos_token_id
    new_ids = sampling.sample_ids(
        next_logits, ids, settings, stop if isinstance(stop, int) else None
    )
    every = ids + new_ids
    prefix = model.tokenizer.decode(ids, skip_special_tokens=True)
    continuation = model.tokenizer.decode(every, skip_special_tokens=True)[len(prefix) :]
    if len(every) > limit:
        notes += (f"The maps show the first {limit} tokens.",)
    run = model.run_ids(cleaned + continuation, every[:limit], notes)
    return sampling.with_generation(run, continuation, len(ids), settings)

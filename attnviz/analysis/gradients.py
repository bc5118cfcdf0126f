"""How far back an output word's error reaches: gradients with respect to the source words.

For a trained RNN translator and one sentence, `source_gradients` takes the loss of one output
token, L_i = -log p(y_i | y_<i, x), of the model's own greedy translation, and returns the size
of its gradient with respect to each source token's embedding, ||dL_i / dx_j||. Without
attention (rnnenc-en-es) the decoder reaches the sentence only through the encoder's final
states, so the gradient to a word in the middle passes through many GRU steps and shrinks;
with attention (bahdanau-en-es) every annotation h_j is one step from the decoder.

The gradients are taken with `torch.autograd.grad`, so the shared model is not changed (no
hooks, no stored .grad, no train/eval toggle). Torch is imported on first use, so figures and
pages can import this module cheaply.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from attnviz.models.rnn import RNNModel


@dataclasses.dataclass(frozen=True)
class SourceGradients:
    """One model's gradient sizes for one sentence and one output step."""

    model: str
    source_tokens: tuple[str, ...]  # what the encoder read, [EOS] last
    target_tokens: tuple[str, ...]  # the model's greedy translation, [EOS] last
    step: int  # which output token's loss, 0 for the first
    norms: np.ndarray  # float64 [source]: ||dL_step / dx_j|| for every source token j
    notes: tuple[str, ...] = ()  # what prepare_source changed in the text


def source_gradients(model: RNNModel, text: str, step: int = 0) -> SourceGradients:
    """||dL_step / dx_j|| for every source token j of `text` (see the module docstring).

    step: which output token (0 = the first); ValueError if the translation is shorter.
    """
    import torch

    from attnviz.models.seq2seq import forced_inputs, prepare_source
    from attnviz.models.tokens import PAD_ID

    if isinstance(step, bool) or not isinstance(step, int) or step < 0:
        raise ValueError(f"The output step must be a whole number from 0, got {step!r}.")
    _, source_ids, source_tokens, notes = prepare_source(
        text, model.source_tokenizer, model.config.max_source_tokens
    )
    target_ids = model.translate_ids(source_ids)
    if step >= len(target_ids):
        raise ValueError(
            f"The translation has {len(target_ids)} tokens ([EOS] included), so it has no "
            f"output token {step + 1}; choose a smaller one."
        )
    network = model.network
    source = torch.tensor([source_ids])
    lengths = torch.tensor([len(source_ids)])
    inputs = forced_inputs(target_ids)  # [1, step] [BOS] y_1 ...
    with torch.enable_grad():
        embedded = network.encoder.embed(source).detach().requires_grad_(True)  # [1, src, emb]
        annotations, state = network.encoder.from_embeddings(embedded, lengths)
        visible = source != PAD_ID
        keys = network.decoder.attention.project_keys(annotations)
        for i in range(step + 1):
            result = network.decoder.step(inputs[:, i], state, keys, annotations, visible)
            state = result["state"]
        logits = network.decoder.project(result["output"])  # [1, vocab]
        loss = -torch.log_softmax(logits, dim=-1)[0, target_ids[step]]
        (gradient,) = torch.autograd.grad(loss, embedded)  # [1, source, embedding]
    norms = gradient[0].norm(dim=-1).double().numpy()
    return SourceGradients(
        model.info.name,
        tuple(source_tokens),
        tuple(model.target_tokenizer.tokens_of(target_ids)),
        step,
        norms,
        tuple(notes),
    )


def share_by_position(norms: np.ndarray) -> np.ndarray:
    """Each token's share of the summed gradient sizes (sums to 1): comparable across models."""
    total = float(norms.sum())
    return norms / total if total > 0 else np.zeros_like(norms)


def middle_to_ends(norms: np.ndarray) -> float:
    """The median gradient of the middle third of the sentence divided by the median of its
    first and last thirds (below 1: the middle is harder to reach)."""
    if len(norms) < 3:
        raise ValueError(f"Need at least 3 source tokens, got {len(norms)}.")
    third = len(norms) // 3
    middle = norms[third : len(norms) - third]
    ends = np.concatenate([norms[:third], norms[len(norms) - third :]])
    return float(np.median(middle) / max(np.median(ends), 1e-30))

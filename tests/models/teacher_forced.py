"""What a beam-search run must agree with: the network's own teacher-forced pass.

Beam search scores hypotheses step by step through the model's stepper (the RNN's GRU cell,
the Transformer's cached keys and values); the run then draws the chosen hypothesis' attention.
Both are checked here against one whole-sequence forward pass of the network, fed the
hypothesis' tokens, written out in the test rather than taken from the model's helpers.
"""

from __future__ import annotations

import numpy as np
import torch

from attnviz.models.rnn import RNNModel
from attnviz.models.seq2seq import prepare_source
from attnviz.models.tokens import BOS_ID
from attnviz.models.transformer import TransformerModel


def source_ids(model, text: str) -> list[int]:
    return prepare_source(text, model.source_tokenizer, model.config.max_source_tokens)[1]


def forward(model, source: list[int], target: list[int]) -> dict:
    """The network's teacher-forced pass: it reads [BOS] and every target token but the last."""
    with torch.inference_mode():
        return model.network(
            torch.tensor([source]),
            torch.tensor([len(source)]),
            torch.tensor([[BOS_ID, *target[:-1]]]),
        )


def cross_attention(model, forced: dict) -> np.ndarray:
    """The pass's cross-attention as `[layer, head, target, source]`."""
    if isinstance(model, RNNModel):
        return forced["weights"][0][None, None].numpy()  # one layer, one head
    assert isinstance(model, TransformerModel)
    return torch.stack([layer[0] for layer in forced["cross"]]).numpy()


def mean_log_probability(forced: dict, target: list[int]) -> float:
    """Mean over the target's tokens of log p(token | source, the tokens before it)."""
    log_probs = torch.log_softmax(forced["logits"][0].double(), dim=-1)  # [step, vocab]
    return float(log_probs[torch.arange(len(target)), torch.tensor(target)].mean())


def check_beam_run(model, text: str, beam: int, hypothesis: int):
    """Run `text` with `beam` and show `hypothesis`; every listed score is the mean
    log-probability of its hypothesis in a forced pass, and the cross map is the forced pass's
    attention over the hypothesis shown. Returns the run."""
    run = model.run(text, beam=beam, hypothesis=hypothesis)
    source = source_ids(model, text)
    ranked = model.ranked_ids(source, beam)
    listed = run.extras["hypotheses"]
    assert [h["text"] for h in listed] == [model.target_tokenizer.decode(ids) for ids, _ in ranked]
    for (ids, _), shown in zip(ranked, listed, strict=True):
        forced_score = mean_log_probability(forward(model, source, ids), ids)
        assert abs(shown["score"] - forced_score) < 2e-4, (shown, forced_score)
    chosen = ranked[hypothesis][0]
    assert run.target_tokens == tuple(model.target_tokenizer.tokens_of(chosen))
    assert run.output_text == listed[hypothesis]["text"]
    expected = cross_attention(model, forward(model, source, chosen))
    np.testing.assert_allclose(run.maps["cross"].weights, expected, rtol=1e-5, atol=1e-6)
    return run

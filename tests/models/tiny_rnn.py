"""One tiny, seeded RNN translator for the tests that need a network of each score."""

from __future__ import annotations

import torch

from attnviz.models import rnn


def tiny_rnn(
    score: str, source_vocab: int = 30, target_vocab: int = 20, **sizes: int
) -> rnn.RNNTranslator:
    """A seeded RNNTranslator in eval mode with small sizes; `sizes` override RNNConfig."""
    torch.manual_seed(0)
    config = rnn.RNNConfig(
        score=score,
        source_vocab=source_vocab,
        target_vocab=target_vocab,
        embedding=8,
        encoder_hidden=6,
        decoder_hidden=12,
        attention_hidden=5,
        output_hidden=7,
        **sizes,
    )
    return rnn.RNNTranslator(config).eval()

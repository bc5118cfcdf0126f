"""The MiniLM trainer's shortcut (frozen bottom layers computed once, padding dropped) gives
the same logits as the whole classifier run on the padded batch."""

from __future__ import annotations

import torch

from attnviz.models import sentiment_minilm
from attnviz.training import sentiment_minilm as trainer

EXAMPLES = [("A fine film.", 1), ("The worst meal I have had in a long, long time.", 0), ("Meh", 0)]


def test_bottom_states_then_top_layers_equal_the_whole_classifier():
    base, tokenizer = sentiment_minilm.load_base(attn_implementation="eager")
    base.eval()
    torch.manual_seed(0)
    classifier = sentiment_minilm.MiniLMClassifier(base, (3, 4, 5)).eval()
    states = trainer.bottom_states(base, tokenizer, EXAMPLES, first_tuned=3, max_tokens=64)
    lengths = [len(tokenizer(s)["input_ids"]) for s, _ in EXAMPLES]
    assert [len(s) for s, _ in states] == lengths
    assert [label for _, label in states] == [1, 0, 0]
    inputs = tokenizer([s for s, _ in EXAMPLES], padding=True, return_tensors="pt")
    with torch.no_grad():
        whole = classifier(inputs["input_ids"], inputs["attention_mask"])
        ((hidden, mask, labels),) = trainer.batches(states, 8, None)
        order = sorted(range(3), key=lambda i: lengths[i])  # batches sort by length
        shortcut = trainer.top_logits(classifier, hidden, mask)
    torch.testing.assert_close(shortcut, whole[order], atol=1e-5, rtol=1e-5)
    assert labels.tolist() == [EXAMPLES[i][1] for i in order]

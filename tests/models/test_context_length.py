"""Texts are cut at the model's own limit or at attnviz's display cap; the notice says which."""

from __future__ import annotations

import pytest

import attnviz
from attnviz.models.hf import DISPLAY_MAX_TOKENS, token_limit


def gpt2_config(n_positions: int, vocab_size: int = 300):
    from transformers import GPT2Config

    return GPT2Config(
        vocab_size=vocab_size, n_embd=32, n_layer=2, n_head=2, n_positions=n_positions
    )


def test_the_limit_is_the_models_own_positions():
    from transformers import BertConfig

    assert token_limit(BertConfig(max_position_embeddings=512)) == (
        512,
        "this model's limit (max_position_embeddings = 512)",
    )
    limit, reason = token_limit(gpt2_config(1024))
    assert limit == 1024 and "this model's limit" in reason and "1024" in reason


def test_longer_models_are_capped_and_the_notice_names_the_cap():
    limit, reason = token_limit(gpt2_config(4096))
    assert limit == DISPLAY_MAX_TOKENS == 1024
    assert "cap for the browser" in reason and "this model takes up to 4096" in reason
    assert "this model's limit" not in reason


def test_models_with_relative_positions_get_the_cap():
    from transformers import T5Config

    limit, reason = token_limit(T5Config())
    assert limit == DISPLAY_MAX_TOKENS and "names no limit of its own" in reason


@pytest.mark.parametrize(
    ("n_positions", "kept", "says"),
    [(600, 600, "this model's limit"), (2048, 1024, "cap for the browser")],
)
def test_a_gpt2_style_model_keeps_more_than_512_tokens(tiny_folders, n_positions, kept, says):
    """The old behaviour cut every model at 512 tokens and called it the model's limit."""
    import torch
    from transformers import AutoTokenizer, GPT2LMHeadModel

    tokenizer = AutoTokenizer.from_pretrained(tiny_folders["gpt2"])
    torch.manual_seed(0)
    model = GPT2LMHeadModel(gpt2_config(n_positions, vocab_size=len(tokenizer)))
    wrapped = attnviz.from_transformers(model, tokenizer, name=f"gpt2-{n_positions}")
    assert wrapped.info.max_tokens == kept
    run = attnviz.run(wrapped, "the cat sat on the mat " * 400)
    assert len(run.source_tokens) == kept
    assert run.maps["decoder_self"].weights.shape == (2, 2, kept, kept)
    (note,) = [note for note in run.notes if "cut at" in note]
    assert note.startswith(f"The text was cut at {kept} tokens, ") and says in note


def test_a_short_text_is_not_cut(tiny_folders):
    run = attnviz.run(str(tiny_folders["gpt2"]), "the cat sat")
    assert not any("cut at" in note for note in run.notes)


def test_roberta_like_positions_after_the_padding_index_are_not_overrun(tiny_folders):
    """514 embeddings hold 512 tokens in RoBERTa; cutting at 514 would be an index error."""
    import torch
    from transformers import AutoTokenizer, RobertaConfig, RobertaModel

    tokenizer = AutoTokenizer.from_pretrained(tiny_folders["bert"])
    torch.manual_seed(0)
    config = RobertaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=64,
        max_position_embeddings=66,
        pad_token_id=1,
    )
    wrapped = attnviz.from_transformers(RobertaModel(config), tokenizer, name="tiny-roberta")
    assert wrapped.info.max_tokens == 64
    run = attnviz.run(wrapped, "the cat sat on the mat " * 20)
    assert len(run.source_tokens) == 64 and run.source_tokens[-1] == "[SEP]"
    assert any("cut at 64 tokens, this model's limit (64 positions" in note for note in run.notes)

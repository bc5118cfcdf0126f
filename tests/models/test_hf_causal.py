"""Decoder-only Hugging Face folders: next-token predictions and generation equal transformers'."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import attnviz

TEXT = "the cat sat on the mat"


@pytest.fixture(scope="module")
def gpt2(tiny_folders):
    return attnviz.load(str(tiny_folders["gpt2"]))


@pytest.fixture(scope="module")
def reference(tiny_folders):
    from transformers import GPT2LMHeadModel

    return GPT2LMHeadModel.from_pretrained(tiny_folders["gpt2"], attn_implementation="eager").eval()


def test_next_tokens_are_transformers_softmax_top_ten(gpt2, reference):
    run = gpt2.run(TEXT)
    ids = run.extras["input_ids"]
    with torch.inference_mode():
        output = reference(torch.tensor([ids]), output_attentions=True)
    probs = torch.softmax(output.logits[0].double(), -1).numpy()
    assert len(run.next_tokens) == len(run.source_tokens) == len(ids)
    for position, row in enumerate(run.next_tokens):
        assert len(row) == 10
        expected = np.sort(probs[position])[::-1][:10]
        np.testing.assert_allclose([p for _, p in row], expected, rtol=1e-5)
        top = int(probs[position].argmax())
        assert row[0][0] == gpt2.tokenizer.convert_ids_to_tokens(top)
    expected_maps = np.stack([a[0].numpy() for a in output.attentions])
    np.testing.assert_allclose(run.maps["decoder_self"].weights, expected_maps, atol=1e-6)
    assert run.maps["decoder_self"].visible is not None


def test_greedy_generation_equals_transformers_generate(gpt2, reference):
    ids = gpt2.tokenize(TEXT)[0]
    with torch.inference_mode():
        expected = reference.generate(
            torch.tensor([ids]), do_sample=False, max_new_tokens=8, pad_token_id=0
        )[0].tolist()
    run = attnviz.generate(gpt2, TEXT, max_new_tokens=8, temperature=0.0)
    eos = reference.config.eos_token_id
    new = expected[len(ids) :]
    if eos in new:  # both stop after the end token
        new = new[: new.index(eos) + 1]
    assert run.extras["input_ids"] == ids + new
    assert run.text.startswith(TEXT) and run.output_text == run.text[len(TEXT) :]


def test_sampling_is_reproducible_by_seed(gpt2):
    runs = [attnviz.generate(gpt2, TEXT, 10, 1.0, 0, seed).text for seed in (3, 3, 4, 5, 6)]
    assert runs[0] == runs[1]
    assert len(set(runs[1:])) > 1


def test_an_encoder_folder_has_no_predictions_and_cannot_generate(tiny_folders):
    bert = attnviz.load(str(tiny_folders["bert"]))
    assert bert.run(TEXT).next_tokens is None
    with pytest.raises(ValueError, match="not a causal language model"):
        attnviz.generate(bert, TEXT)


def test_a_wrapped_causal_lm_gives_the_same_predictions_as_its_folder(gpt2, reference):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gpt2.model.name_or_path)
    wrapped = attnviz.from_transformers(reference, tokenizer, name="wrapped")
    assert wrapped.run(TEXT).next_tokens == gpt2.run(TEXT).next_tokens

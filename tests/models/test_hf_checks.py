"""Model folders are checked before anything is built: sane sizes, complete weights, no
tensor left unset; and one folder is one model however its path is spelled."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from attnviz.models import hf


@pytest.fixture
def bert(tiny_folders, tmp_path) -> Path:
    folder = tmp_path / "bert"
    shutil.copytree(tiny_folders["bert"], folder)
    return folder


def set_config(folder: Path, **values) -> None:
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, **values}))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("num_hidden_layers", 0),
        ("num_hidden_layers", -5),
        ("num_hidden_layers", 10**6),
        ("num_attention_heads", "4"),
        ("hidden_size", True),
        ("vocab_size", 10**9),
        ("max_position_embeddings", 0),
    ],
)
def test_configs_out_of_bounds_are_refused_before_a_model_is_built(bert, key, value):
    set_config(bert, **{key: value})
    with pytest.raises(ValueError, match=f"gives {key} = {value!r}; attnviz opens models whose"):
        hf.check_folder(bert)


def test_a_truncated_weights_file_is_named(bert):
    weights = bert / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:5000])
    with pytest.raises(ValueError, match=r"model\.safetensors is incomplete"):
        hf.load_folder(bert)
    weights.write_bytes(b"not safetensors at all")
    with pytest.raises(ValueError, match=r"model\.safetensors is damaged"):
        hf.load_folder(bert)


def test_weights_that_match_none_of_the_tensors_are_refused(bert):
    from safetensors.torch import load_file, save_file

    state = load_file(bert / "model.safetensors")
    save_file({f"other.{key}": tensor for key, tensor in state.items()}, bert / "model.safetensors")
    with pytest.raises(ValueError, match=r"leave .* of the model's tensors unset"):
        hf.load_folder(bert)


def test_a_config_larger_than_its_weights_is_refused_before_loading(bert):
    set_config(bert, num_hidden_layers=12)  # the weights hold 2 layers
    with pytest.raises(ValueError, match=r"hold .* numbers but its config describes"):
        hf.load_folder(bert)


def test_every_spelling_of_one_folder_is_one_model(bert, tmp_path):
    (tmp_path / "link").symlink_to(bert)
    spellings = [
        str(bert),
        str(bert) + "/",
        str(tmp_path) + "//bert",
        str(bert / ".." / "bert"),
        str(tmp_path / "link"),
    ]
    models = {id(hf.load_folder(spelling)) for spelling in spellings}
    assert len(models) == 1
    assert hf.load_folder(spellings[-1]).info.name == str(bert.resolve())


def test_a_broken_tokenizer_file_is_named_in_one_sentence(bert):
    (bert / "tokenizer.json").write_text('{"version": "1.0", "trunc')
    with pytest.raises(ValueError) as refused:
        hf.load_folder(bert)
    message = str(refused.value)
    assert "tokenizer.json is damaged" in message and "\n" not in message

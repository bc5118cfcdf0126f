"""Switching heads off: exact when nothing is off, per thread, and never on the shared model."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import attnviz
from attnviz.models.ablation import format_heads, parse_heads

TEXT = "The quick brown fox jumps over the lazy dog."
OFF = (("encoder_self", 0, 3), ("encoder_self", 1, 7))


def test_switching_off_no_heads_reproduces_the_original_exactly(minilm):
    plain = attnviz.run(minilm, TEXT)
    none_off = attnviz.run(minilm, TEXT, ablate=())
    np.testing.assert_array_equal(
        plain.maps["encoder_self"].weights, none_off.maps["encoder_self"].weights
    )
    np.testing.assert_array_equal(
        plain.extras["sentence_embedding"], none_off.extras["sentence_embedding"]
    )


def test_switching_off_heads_changes_later_layers_only(minilm):
    plain = attnviz.run(minilm, TEXT).maps["encoder_self"].weights
    ablated = attnviz.run(minilm, TEXT, ablate=OFF).maps["encoder_self"].weights
    np.testing.assert_array_equal(plain[0], ablated[0])  # layer 0's attention is computed first
    assert np.abs(plain[1:] - ablated[1:]).max() > 1e-3


def test_switching_off_equals_zeroing_the_heads_output_by_hand(minilm):
    """Zeroing head 3's slice of layer 0's output projection weight gives the same maps."""
    import torch

    from attnviz.models.hf import stack

    ids = minilm.tokenize(TEXT)[0]
    dense = minilm.model.encoder.layer[0].attention.output.dense
    width = dense.in_features // 12
    original = dense.weight.detach().clone()
    edited = original.clone()
    edited[:, 3 * width : 4 * width] = 0
    try:  # a private copy of the check: mutating the shared model is what the hooks avoid
        with torch.no_grad():
            dense.weight.copy_(edited)
        expected = stack(minilm.forward(ids).attentions)
    finally:
        with torch.no_grad():
            dense.weight.copy_(original)
    ablated = attnviz.run(minilm, TEXT, ablate=[("encoder_self", 0, 3)])
    np.testing.assert_allclose(ablated.maps["encoder_self"].weights, expected, atol=1e-6)


def test_an_ablating_and_a_plain_thread_at_once_each_get_their_own_result(minilm):
    plain = attnviz.run(minilm, TEXT).maps["encoder_self"].weights
    ablated = attnviz.run(minilm, TEXT, ablate=OFF).maps["encoder_self"].weights
    results: dict[str, list[np.ndarray]] = {"plain": [], "ablated": []}
    start = threading.Barrier(2)

    def work(name: str, options: dict) -> None:
        start.wait()
        for _ in range(15):
            results[name].append(attnviz.run(minilm, TEXT, **options).maps["encoder_self"].weights)

    threads = [
        threading.Thread(target=work, args=("plain", {})),
        threading.Thread(target=work, args=("ablated", {"ablate": OFF})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(np.array_equal(weights, plain) for weights in results["plain"])
    assert all(np.array_equal(weights, ablated) for weights in results["ablated"])


def test_heads_that_do_not_exist_are_refused(minilm):
    with pytest.raises(ValueError, match="heads 0 to 11"):
        attnviz.run(minilm, TEXT, ablate=[("encoder_self", 0, 12)])
    with pytest.raises(ValueError, match="cannot be switched off"):
        attnviz.run(minilm, TEXT, ablate=[("cross", 0, 0)])


def test_encoder_decoder_folders_switch_heads_in_every_kind(tiny_folders):
    model = attnviz.load(str(tiny_folders["bart"]))
    assert model.switchable == {"encoder_self": {0, 1}, "decoder_self": {0, 1}, "cross": {0, 1}}
    plain = attnviz.run(model, "the cat sat")
    ablated = attnviz.run(model, "the cat sat", ablate=[("encoder_self", 0, 0), ("cross", 0, 1)])
    assert not np.array_equal(
        plain.maps["encoder_self"].weights[1], ablated.maps["encoder_self"].weights[1]
    )


def test_head_lists_round_trip_through_their_url_form():
    heads = parse_heads("2.5, 3.0", "encoder_self")
    assert heads == (("encoder_self", 2, 5), ("encoder_self", 3, 0))
    assert format_heads(heads) == "2.5,3.0"
    with pytest.raises(ValueError, match=r"layer\.head"):
        parse_heads("2-5", "encoder_self")


def test_the_shipped_transformer_switches_heads_off_and_its_translation_changes():
    model = attnviz.load("transformer-en-es")
    text = "The red car is very fast."
    plain = attnviz.run(model, text)
    unchanged = attnviz.run(model, text, ablate=())
    np.testing.assert_array_equal(plain.maps["cross"].weights, unchanged.maps["cross"].weights)
    every_cross_head = [("cross", layer, head) for layer in range(3) for head in range(4)]
    blind = attnviz.run(model, text, ablate=every_cross_head)
    assert blind.output_text != plain.output_text  # the decoder no longer sees the source
    assert attnviz.run(model, text).output_text == plain.output_text  # the shared model is intact

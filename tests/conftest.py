"""Shared test setup: one torch thread, fixed seeds, offline, quiet libraries."""

from __future__ import annotations

import os
import random

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from pathlib import Path

import numpy as np
import pytest


@pytest.fixture(autouse=True, scope="session")
def _deterministic() -> None:
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    random.seed(0)
    np.random.seed(0)


@pytest.fixture(scope="session")
def minilm():
    """The shared minilm-l6 model (loaded once per test session, never at import time)."""
    import attnviz

    return attnviz.load("minilm-l6")


# Tiny randomly initialised Hugging Face models of each architecture, saved to disk.
# Nothing is downloaded: each model is built from a config, its tokenizer from a word list.

WORDS = [
    "the",
    "a",
    "cat",
    "dog",
    "sat",
    "on",
    "mat",
    "ran",
    "far",
    "away",
    "is",
    "was",
    "big",
    "small",
    "red",
    "blue",
    "and",
    "it",
]
SENTENCES = [
    "the cat sat on the mat",
    "a big dog ran far away",
    "it was red and blue",
    "the small cat is big",
]


def word_level_tokenizer(specials: list[str], template: str | None):
    """A PreTrainedTokenizerFast over WORDS with the given special tokens."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate(specials + WORDS)}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    if template:
        tokenizer.post_processor = processors.TemplateProcessing(
            single=template, special_tokens=[("</s>", vocab["</s>"])]
        )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, pad_token="<pad>", eos_token="</s>", unk_token="<unk>"
    )


def bert_folder(folder: Path) -> Path:
    from transformers import BertConfig, BertModel, BertTokenizerFast

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS, "##s"]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n")
    BertTokenizerFast(vocab={token: i for i, token in enumerate(vocab)}).save_pretrained(folder)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(folder)
    return folder


def gpt2_folder(folder: Path) -> Path:
    from tokenizers import ByteLevelBPETokenizer
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(SENTENCES * 5, vocab_size=300, min_frequency=1, show_progress=False)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe._tokenizer)
    tokenizer.save_pretrained(folder)
    config = GPT2Config(
        vocab_size=bpe.get_vocab_size(), n_embd=32, n_layer=3, n_head=2, n_positions=48
    )
    GPT2LMHeadModel(config).save_pretrained(folder)
    return folder


SEQ2SEQ_SPECIALS = ["<pad>", "</s>", "<unk>", "<s>"]


def t5_folder(folder: Path) -> Path:
    from transformers import T5Config, T5ForConditionalGeneration

    word_level_tokenizer(SEQ2SEQ_SPECIALS, "$A </s>").save_pretrained(folder)
    config = T5Config(
        vocab_size=len(SEQ2SEQ_SPECIALS) + len(WORDS),
        d_model=32,
        d_kv=8,
        d_ff=64,
        num_layers=2,
        num_decoder_layers=3,
        num_heads=4,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )
    T5ForConditionalGeneration(config).save_pretrained(folder)
    return folder


def bart_like_config(config_class):
    return config_class(
        vocab_size=len(SEQ2SEQ_SPECIALS) + len(WORDS),
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=64,
        pad_token_id=0,
        eos_token_id=1,
        bos_token_id=3,
        decoder_start_token_id=0,
        forced_eos_token_id=None,
    )


def bart_folder(folder: Path) -> Path:
    from transformers import BartConfig, BartForConditionalGeneration

    word_level_tokenizer(SEQ2SEQ_SPECIALS, "$A </s>").save_pretrained(folder)
    BartForConditionalGeneration(bart_like_config(BartConfig)).save_pretrained(folder)
    return folder


def marian_folder(folder: Path) -> Path:
    from transformers import MarianConfig, MarianMTModel

    word_level_tokenizer(SEQ2SEQ_SPECIALS, "$A </s>").save_pretrained(folder)
    MarianMTModel(bart_like_config(MarianConfig)).save_pretrained(folder)
    return folder


BUILDERS = {
    "bert": bert_folder,
    "gpt2": gpt2_folder,
    "t5": t5_folder,
    "bart": bart_folder,
    "marian": marian_folder,
}


@pytest.fixture(scope="session")
def tiny_folders(tmp_path_factory) -> dict[str, Path]:
    """One saved folder per architecture, built with a fixed seed."""
    import torch

    folders = {}
    for name, build in BUILDERS.items():
        torch.manual_seed(0)
        folders[name] = build(tmp_path_factory.mktemp(name))
    return folders

"""A two-sentence English-Spanish corpus in a temporary folder, for trainings of a second."""

from __future__ import annotations

from pathlib import Path

from attnviz.models.tokens import SubwordTokenizer

PAIRS = [("the red car", "el coche rojo"), ("a white dog", "un perro blanco")] * 20


def write_corpus(tmp_path: Path) -> tuple[Path, Path, SubwordTokenizer]:
    """`tmp_path/corpus` with train.tsv and valid.tsv, the (not yet made) weights folder, and
    a tokenizer of the corpus."""
    corpus, weights = tmp_path / "corpus", tmp_path / "weights"
    corpus.mkdir()
    lines = "".join(f"{e}\t{s}\n" for e, s in PAIRS)
    (corpus / "train.tsv").write_text(lines, encoding="utf-8")
    (corpus / "valid.tsv").write_text(lines[:60], encoding="utf-8")
    tokenizer = SubwordTokenizer.train([t for pair in PAIRS for t in pair], vocab_size=60)
    return corpus, weights, tokenizer

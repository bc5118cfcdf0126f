"""Tokenisers for the translators: subwords for English-Spanish, characters for dates.

The English-Spanish translators share one byte-pair vocabulary (BPE) for both languages, so a
name the model has never seen splits into the same pieces on both sides and can be copied piece
by piece; every digit is a piece of its own, so numbers are copied digit by digit. Pieces are
shown WordPiece-style: a piece that continues a word carries `##` ("fal", "##so"), which is what
the merge-into-words views read. Older folders with a WordPiece vocabulary still load.

Both map any text to ids; a piece they do not know becomes the visible token `[UNK]`, never a
silent gap. Ids 0-3 are the same special tokens on both.
"""

from __future__ import annotations

import itertools
import json
import unicodedata
from collections.abc import Iterable
from pathlib import Path

PAD, UNK, BOS, EOS = "[PAD]", "[UNK]", "[BOS]", "[EOS]"
SPECIALS = (PAD, UNK, BOS, EOS)
PAD_ID, UNK_ID, BOS_ID, EOS_ID = range(4)

# Letters every WordPiece alphabet starts with, so words of English, Spanish and their
# neighbours get pieces even when the corpus never showed a letter.
_INITIAL_ALPHABET = [chr(c) for c in range(0x20, 0x7F)] + list(
    "áéíóúüñÁÉÍÓÚÜÑ¿¡«»àèìòùâêîôûäëïöçÀÈÌÒÙÂÊÎÔÛÄËÏÖÇ€£°ºª·–—‘’“”…"
)
SPACE_TOKEN = "␣"  # how a space is shown on an axis
WORD_START = "▁"  # how a BPE piece marks the start of a word (SentencePiece's convention)
# After the split on spaces, each piece of text is one digit, one punctuation mark or a run of
# letters, each with the space marker before it if it had one: digits never merge.
_PIECE_PATTERN = r"▁?[0-9]|▁?[^\w▁]|▁?[^\W0-9_]+|▁?_+|▁"
_NO_SPACE_BEFORE = set(".,;:!?%)]}»”’…")
_NO_SPACE_AFTER = set("¿¡([{«“‘")


def detokenize(tokens: Iterable[str]) -> str:
    """Join WordPiece tokens into text: `##` pieces glue on, punctuation hugs its word.

    Special tokens are left out; `[UNK]` stays visible.
    """
    text = ""
    previous = ""
    for token in tokens:
        if token in SPECIALS and token != UNK:
            continue
        if token.startswith("##"):
            text += token[2:]
        elif not text or token in _NO_SPACE_BEFORE or previous in _NO_SPACE_AFTER:
            text += token
        elif previous in ".," and token.isdigit() and len(text) > 1 and text[-2].isdigit():
            text += token  # 3.5, 1,000
        else:
            text += " " + token
        previous = token
    return text


def display_pieces(pieces: Iterable[str]) -> list[str]:
    """BPE pieces ("▁fal", "so", "▁2", "0") as shown on axes ("fal", "##so", "2", "##0").

    A piece without the word-start mark continues the word before it when both sides are
    letters or digits; punctuation never carries `##`.
    """
    shown: list[str] = []
    previous = ""
    for piece in pieces:
        if piece in SPECIALS:
            shown.append(piece)
        elif piece.startswith(WORD_START):
            shown.append(piece[1:] or SPACE_TOKEN)
        elif previous[-1:].isalnum() and piece[:1].isalnum():
            shown.append("##" + piece)
        else:
            shown.append(piece)
        previous = piece
    return shown


def _numbered_in_order(tokenizer: object) -> object:
    """The same vocabulary with reproducible ids: the specials first, then the pieces sorted.

    The `tokenizers` trainers learn the same pieces from the same texts, but number the
    alphabet in a hash order that changes from process to process; a model trained twice on
    the same data would then start from different embeddings. Ids do not change what a
    WordPiece or BPE model cuts (BPE's merges are stored as strings).
    """
    from tokenizers import Tokenizer

    spec = json.loads(tokenizer.to_str())
    vocab = spec["model"]["vocab"]
    specials = [piece for piece in SPECIALS if piece in vocab]
    rest = sorted(piece for piece in vocab if piece not in SPECIALS)
    spec["model"]["vocab"] = {piece: i for i, piece in enumerate(specials + rest)}
    for added in spec.get("added_tokens", []):
        added["id"] = spec["model"]["vocab"][added["content"]]
    return Tokenizer.from_str(json.dumps(spec))


class SubwordTokenizer:
    """A subword tokenizer from the `tokenizers` library, with our special tokens at 0-3.

    Byte-pair pieces with a word-start mark (`train_bpe`, the shipped translators), or
    WordPiece (`train`, folders made before the shared vocabulary).
    """

    def __init__(self, tokenizer: object) -> None:
        from tokenizers import Tokenizer, decoders

        assert isinstance(tokenizer, Tokenizer)
        for index, special in enumerate(SPECIALS):
            assert tokenizer.token_to_id(special) == index, f"{special} must have id {index}"
        self._tokenizer = tokenizer
        self.vocab_size: int = tokenizer.get_vocab_size()
        self.marks_word_starts = isinstance(tokenizer.decoder, decoders.Metaspace)

    @classmethod
    def train_bpe(cls, texts: Iterable[str], vocab_size: int) -> SubwordTokenizer:
        """Learn a byte-pair vocabulary of at most `vocab_size` pieces, one digit a piece."""
        from tokenizers import (
            Regex,
            Tokenizer,
            decoders,
            models,
            normalizers,
            pre_tokenizers,
            trainers,
        )

        tokenizer = Tokenizer(models.BPE(unk_token=UNK))
        tokenizer.normalizer = normalizers.NFC()
        tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
            [
                pre_tokenizers.Metaspace(replacement=WORD_START, prepend_scheme="always"),
                pre_tokenizers.Split(Regex(_PIECE_PATTERN), behavior="isolated"),
            ]
        )
        tokenizer.decoder = decoders.Metaspace(replacement=WORD_START, prepend_scheme="always")
        trainer = trainers.BpeTrainer(
            vocab_size=vocab_size,
            min_frequency=2,
            special_tokens=list(SPECIALS),
            initial_alphabet=[*_INITIAL_ALPHABET, WORD_START],
            show_progress=False,
        )
        # Every letter and digit of the alphabet also as a word start ("▁Z"), so no word of
        # known letters leaves a lone space piece on an axis, however rare its first letter.
        starts = " ".join(c for c in _INITIAL_ALPHABET if not c.isspace())
        tokenizer.train_from_iterator(itertools.chain(texts, [starts] * 200), trainer)
        return cls(_numbered_in_order(tokenizer))

    @classmethod
    def train(cls, texts: Iterable[str], vocab_size: int) -> SubwordTokenizer:
        """Learn a WordPiece vocabulary of at most `vocab_size` pieces from `texts`."""
        from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers

        tokenizer = Tokenizer(models.WordPiece(unk_token=UNK, max_input_chars_per_word=50))
        tokenizer.normalizer = normalizers.NFC()
        tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        trainer = trainers.WordPieceTrainer(
            vocab_size=vocab_size,
            min_frequency=2,
            special_tokens=list(SPECIALS),
            initial_alphabet=_INITIAL_ALPHABET,
            show_progress=False,
        )
        tokenizer.train_from_iterator(texts, trainer)
        return cls(_numbered_in_order(tokenizer))

    @classmethod
    def load(cls, path: Path) -> SubwordTokenizer:
        from tokenizers import Tokenizer

        return cls(Tokenizer.from_file(str(path)))

    def save(self, path: Path) -> None:
        self._tokenizer.save(str(path))

    def encode(self, text: str) -> tuple[list[int], list[str]]:
        """Ids and token strings of `text` as shown (`##` for continued words), no specials."""
        encoding = self._tokenizer.encode(text, add_special_tokens=False)
        return list(encoding.ids), self._shown(encoding.tokens)

    def _shown(self, pieces: list[str]) -> list[str]:
        return display_pieces(pieces) if self.marks_word_starts else list(pieces)

    def id_to_token(self, index: int) -> str:
        """One piece as shown on its own (`##` when it cannot start a word)."""
        piece = self._tokenizer.id_to_token(index) or UNK
        if not self.marks_word_starts or piece in SPECIALS:
            return piece
        if piece.startswith(WORD_START):
            return piece[1:] or SPACE_TOKEN
        return "##" + piece if piece[:1].isalnum() else piece

    def tokens_of(self, ids: Iterable[int]) -> list[str]:
        """The tokens of a sequence of ids as shown, in context (a digit after a digit: `##`)."""
        pieces = [self._tokenizer.id_to_token(i) or UNK for i in ids]
        return self._shown(pieces)

    def decode(self, ids: Iterable[int]) -> str:
        """The text of `ids` (special tokens left out, `[UNK]` kept visible)."""
        if not self.marks_word_starts:
            return detokenize(self.id_to_token(i) for i in ids)
        pieces = [self._tokenizer.id_to_token(i) or UNK for i in ids]
        kept = [p for p in pieces if p not in SPECIALS or p == UNK]
        return self._tokenizer.decoder.decode(kept)


class CharTokenizer:
    """One token per character; characters outside the vocabulary become `[UNK]`."""

    def __init__(self, characters: Iterable[str]) -> None:
        self.characters = [c for c in dict.fromkeys(characters) if c not in SPECIALS]
        self._index = {c: i + len(SPECIALS) for i, c in enumerate(self.characters)}
        self.vocab_size = len(SPECIALS) + len(self.characters)

    @classmethod
    def load(cls, path: Path) -> CharTokenizer:
        return cls(json.loads(Path(path).read_text(encoding="utf-8"))["characters"])

    def save(self, path: Path) -> None:
        data = {"kind": "characters", "specials": list(SPECIALS), "characters": self.characters}
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")

    def encode(self, text: str) -> tuple[list[int], list[str]]:
        text = unicodedata.normalize("NFC", text)
        ids = [self._index.get(c, UNK_ID) for c in text]
        tokens = [self.id_to_token(i) if i != UNK_ID else UNK for i in ids]
        return ids, tokens

    def tokens_of(self, ids: Iterable[int]) -> list[str]:
        return [self.id_to_token(i) for i in ids]

    def id_to_token(self, index: int) -> str:
        if index < len(SPECIALS):
            return SPECIALS[index]
        character = self.characters[index - len(SPECIALS)]
        return SPACE_TOKEN if character == " " else character

    def decode(self, ids: Iterable[int]) -> str:
        return "".join(
            self.characters[i - len(SPECIALS)]
            if i >= len(SPECIALS)
            else ("" if i != UNK_ID else UNK)
            for i in ids
        )

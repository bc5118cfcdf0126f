"""Tokenisers for the translators: WordPiece subwords for English-Spanish, characters for dates.

Both map any text to ids; a piece they do not know becomes the visible token `[UNK]`, never a
silent gap. Ids 0-3 are the same special tokens on both.
"""

from __future__ import annotations

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


class SubwordTokenizer:
    """A WordPiece tokenizer from the `tokenizers` library, with our special tokens at 0-3."""

    def __init__(self, tokenizer: object) -> None:
        from tokenizers import Tokenizer

        assert isinstance(tokenizer, Tokenizer)
        for index, special in enumerate(SPECIALS):
            assert tokenizer.token_to_id(special) == index, f"{special} must have id {index}"
        self._tokenizer = tokenizer
        self.vocab_size: int = tokenizer.get_vocab_size()

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
        return cls(tokenizer)

    @classmethod
    def load(cls, path: Path) -> SubwordTokenizer:
        from tokenizers import Tokenizer

        return cls(Tokenizer.from_file(str(path)))

    def save(self, path: Path) -> None:
        self._tokenizer.save(str(path))

    def encode(self, text: str) -> tuple[list[int], list[str]]:
        """Ids and token strings of `text`, without special tokens."""
        encoding = self._tokenizer.encode(text, add_special_tokens=False)
        return list(encoding.ids), list(encoding.tokens)

    def id_to_token(self, index: int) -> str:
        return self._tokenizer.id_to_token(index) or UNK

    def decode(self, ids: Iterable[int]) -> str:
        return detokenize(self.id_to_token(i) for i in ids)


SPACE_TOKEN = "␣"  # how a space is shown on an axis


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

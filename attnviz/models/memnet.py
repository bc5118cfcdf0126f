"""`qa-memnet`: an end-to-end memory network that answers questions about short stories.

Each sentence of the story becomes a memory: the position-weighted sum of its word vectors
plus a vector for how recent it is. The question is a query vector u; every hop scores each
memory against u, takes the softmax over sentences (the attention shown as the `memory` map,
`[hop, 1, 1, sentence]`), reads the weighted sum o of the output memories and adds it to u.
After the last hop a small MLP picks the answer. Adjacent weight tying, position encoding
and temporal encoding as in Sukhbaatar et al. 2015, "End-To-End Memory Networks"; the paper's
answer layer is linear, but a yes/no question ("Is John in the kitchen?") asks whether the
place read from memory equals the place in the question, which no linear function of their
sum decides, so one hidden ReLU layer comes before the answer.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from attnviz.attention import AttentionMaps, Run
from attnviz.models.base import ModelInfo, clean_text
from attnviz.models.sentiment import WordVocabulary, check_options, unknown_words_note
from attnviz.models.seq2seq import WEIGHTS_DIR, masked_softmax, read_config

NAME = "qa-memnet"
FAMILY = "memnet"
WORD = re.compile(r"[a-z]+")
SENTENCE = re.compile(r"[^.?!]+[.?!]?")


@dataclasses.dataclass(frozen=True)
class MemNetConfig:
    """Sizes of the memory network."""

    vocab: int = 2  # words, with [PAD] = 0 and [UNK] = 1
    answers: tuple[str, ...] = ()  # the answer words, in logit order
    dim: int = 64  # embedding size d
    hops: int = 3  # memory hops K
    memory: int = 16  # sentences kept (the most recent); older ones are dropped with a notice
    sentence_words: int = 10  # words per sentence kept; longer sentences are cut with a notice
    answer_hidden: int = 64  # hidden units of the answer MLP


def sentence_words(sentence: str) -> list[str]:
    return WORD.findall(sentence.lower())


def split_story(text: str) -> tuple[list[str], str]:
    """A story's text -> its sentences and the question (the last sentence, ending in '?')."""
    parts = [p.strip() for p in SENTENCE.findall(text) if p.strip(" .?!")]
    if not parts or not parts[-1].endswith("?"):
        raise ValueError(
            "End the text with a question ending in '?', after the story's sentences "
            "(for example: 'Mary went to the kitchen. Where is Mary?')."
        )
    if len(parts) == 1:
        raise ValueError("Write at least one sentence of story before the question.")
    return parts[:-1], parts[-1]


def position_encoding(words: int, dim: int) -> torch.Tensor:
    """`[word, dim]` weights l_kj = (1 - j/J) - (k/d)(1 - 2j/J), Sukhbaatar et al. eq. in 4.1."""
    j = torch.arange(1, words + 1, dtype=torch.float32)[:, None]
    k = torch.arange(1, dim + 1, dtype=torch.float32)[None, :]
    return (1 - j / words) - (k / dim) * (1 - 2 * j / words)


class MemN2N(nn.Module):
    """Story `[batch, sentence, word]` and question `[batch, word]` ids -> answer logits."""

    def __init__(self, config: MemNetConfig):
        super().__init__()
        self.config = config
        d = config.dim
        # Adjacent tying: A_{k+1} = C_k, so hops + 1 tables cover every A, C (B = A_1).
        self.embeddings = nn.ModuleList(
            nn.Embedding(config.vocab, d, padding_idx=0) for _ in range(config.hops + 1)
        )
        # Temporal encoding T_A, T_C per table; row 0 is the most recent sentence.
        self.temporal = nn.Parameter(torch.randn(config.hops + 1, config.memory, d) * 0.1)
        self.answer = nn.Sequential(
            nn.Linear(d, config.answer_hidden),
            nn.ReLU(),
            nn.Linear(config.answer_hidden, len(config.answers)),
        )
        with torch.no_grad():
            for table in self.embeddings:
                nn.init.normal_(table.weight, std=0.1)
                table.weight[0].zero_()  # [PAD] adds nothing to a sentence
        self.register_buffer(
            "encoding", position_encoding(config.sentence_words, d), persistent=False
        )

    def embed(self, table: int, ids: torch.Tensor) -> torch.Tensor:
        """ids `[..., word]` -> position-encoded sums `[..., dim]`."""
        return (self.embeddings[table](ids) * self.encoding[: ids.shape[-1]]).sum(dim=-2)

    def forward(
        self, story: torch.Tensor, question: torch.Tensor, n_sentences: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """story `[batch, sentence, word]` (most recent sentence last, padded in front),
        question `[batch, word]`, n_sentences `[batch]` -> logits `[batch, answer]`,
        weights `[batch, hop, sentence]` and scores `[batch, hop, sentence]`.
        """
        slots = story.shape[1]
        visible = torch.arange(slots)[None, :] >= (slots - n_sentences)[:, None]  # [batch, slot]
        # Slot `slots - 1` is the newest sentence: it gets temporal row 0.
        recency = torch.arange(slots - 1, -1, -1)
        u = self.embed(0, question)  # [batch, dim]
        weights, scores = [], []
        for hop in range(self.config.hops):
            keys = self.embed(hop, story) + self.temporal[hop, recency]  # [batch, slot, dim]
            values = self.embed(hop + 1, story) + self.temporal[hop + 1, recency]
            score = (keys @ u.unsqueeze(-1)).squeeze(-1)  # m_i . u: [batch, slot]
            weight = masked_softmax(score, visible)  # p_i: [batch, slot]
            u = u + (weight.unsqueeze(-1) * values).sum(dim=1)  # u_{k+1} = u_k + o_k
            weights.append(weight)
            scores.append(score.masked_fill(~visible, 0.0))
        return self.answer(u), torch.stack(weights, dim=1), torch.stack(scores, dim=1)


def encode_story(
    sentences: list[str], question: str, vocabulary: WordVocabulary, config: MemNetConfig
) -> tuple[torch.Tensor, torch.Tensor, int]:
    """Ids for one story: `[memory, sentence_words]` (newest last), `[sentence_words]`, count."""
    kept = sentences[-config.memory :]
    story = torch.zeros(config.memory, config.sentence_words, dtype=torch.long)
    offset = config.memory - len(kept)
    for row, sentence in enumerate(kept):
        ids = vocabulary.encode(sentence_words(sentence))[: config.sentence_words]
        story[offset + row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
    ids = vocabulary.encode(sentence_words(question))[: config.sentence_words]
    query = torch.zeros(config.sentence_words, dtype=torch.long)
    query[: len(ids)] = torch.tensor(ids, dtype=torch.long)
    return story, query, len(kept)


class MemNetModel:
    """The trained memory network, shared read-only; `run` returns its `memory` map."""

    def __init__(self, network: MemN2N, vocabulary: WordVocabulary):
        self.network = network.eval()
        self.vocabulary = vocabulary
        self.config = network.config
        self.info = ModelInfo(
            name=NAME,
            description=f"End-to-end memory network, {self.config.hops} hops, bAbI-style stories",
            layers={"memory": self.config.hops},
            heads={"memory": 1},
            max_tokens=self.config.memory,
        )

    def run(self, text: str, **options: Any) -> Run:
        """Run on `text`; the one option is `beam`, which must be 1 (there is no search)."""
        check_options(options)
        cleaned, notes = clean_text(text)
        sentences, question = split_story(cleaned)
        if len(sentences) > self.config.memory:
            notes += (
                f"Only the last {self.config.memory} sentences are kept, this model's memory.",
            )
            sentences = sentences[-self.config.memory :]
        longest = max(len(sentence_words(s)) for s in (*sentences, question))
        if longest > self.config.sentence_words:
            notes += (
                f"Sentences are cut at {self.config.sentence_words} words, this model's limit.",
            )
        words = [w for s in (*sentences, question) for w in sentence_words(s)]
        unknown = self.vocabulary.unknown(words)
        if unknown:
            notes += (unknown_words_note(unknown),)
        story, query, n = encode_story(sentences, question, self.vocabulary, self.config)
        with torch.inference_mode():
            logits, weights, scores = self.network(story[None], query[None], torch.tensor([n]))
            probabilities = torch.softmax(logits[0], dim=-1).numpy()
        shape = (self.config.hops, 1, 1, n)  # [hop, head, query, sentence]
        memory = AttentionMaps(
            "memory",
            weights[0, :, -n:].numpy().astype(np.float32).reshape(shape),
            (question,),
            sentences,
            scores=scores[0, :, -n:].numpy().reshape(shape),
        )
        answers = self.config.answers
        chances = {a: float(p) for a, p in zip(answers, probabilities, strict=True)}
        answer = answers[int(np.argmax(probabilities))]
        extras = {"unknown_words": tuple(unknown)}
        tokens = (*sentences, question)
        return Run(NAME, cleaned, tokens, (), answer, {"memory": memory}, notes, extras, chances)


def save_memnet(network: MemN2N, vocabulary: WordVocabulary, folder: Path) -> None:
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().contiguous() for k, v in network.state_dict().items()}
    save_file(state, str(folder / "model.safetensors"), metadata={"family": FAMILY})
    config = {"family": FAMILY, **dataclasses.asdict(network.config)}
    (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    vocabulary.save(folder / "vocabulary.json")


def load_folder(folder: Path) -> MemNetModel:
    from safetensors.torch import load_file

    if not (folder / "model.safetensors").is_file():
        raise ValueError(f"{NAME} has no shipped weights in {folder.name}; train it first.")
    config = read_config(folder, MemNetConfig, FAMILY)
    config = dataclasses.replace(config, answers=tuple(config.answers))
    network = MemN2N(config)
    network.load_state_dict(load_file(str(folder / "model.safetensors")), strict=True)
    network.requires_grad_(False)
    return MemNetModel(network, WordVocabulary.load(folder / "vocabulary.json"))


def load_qa_memnet() -> MemNetModel:
    return load_folder(WEIGHTS_DIR / NAME)

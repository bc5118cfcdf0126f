"""RNN encoder-decoder translators: a BiGRU encoder, an attention score, a GRU decoder.

The decoder is Bahdanau's: at step i the previous state s_{i-1} scores every annotation h_j,
the softmax of the scores weights the annotations into a context c_i, and the GRU reads
[y_{i-1}; c_i]. Three score modules share that encoder and decoder:
additive v^T tanh(W s + U h) (Bahdanau, Cho and Bengio 2014, arXiv:1409.0473), and
dot s^T h and general s^T W h (Luong, Pham and Manning 2015, arXiv:1508.04025). A fourth,
"none", is the baseline without attention: the context is the encoder's final state, the same
at every step (the RNN encoder-decoder of Cho et al. 2014, Bahdanau's "RNNenc").
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from attnviz.attention import AttentionMaps, Run
from attnviz.models.base import ModelInfo, refuse_unknown_options
from attnviz.models.seq2seq import (
    WEIGHTS_DIR,
    Seq2SeqModel,
    load_weights,
    masked_softmax,
    read_config,
    to_numpy,
)
from attnviz.models.tokens import BOS_ID, EOS_ID, PAD_ID, CharTokenizer, SubwordTokenizer

SCORES = ("additive", "dot", "general", "none")


@dataclasses.dataclass(frozen=True)
class RNNConfig:
    """Sizes of one RNN translator; the defaults are those of the English-Spanish models."""

    score: str = "additive"  # "additive" (Bahdanau), "dot" or "general" (Luong), "none" (Cho)
    source_vocab: int = 8000  # source token ids, special tokens included
    target_vocab: int = 6000  # target token ids, special tokens included
    embedding: int = 96  # token embedding width, source and target
    encoder_hidden: int = 128  # GRU state per direction; annotations h_j are twice as wide
    decoder_hidden: int = 256  # decoder state s_i; equals 2 * encoder_hidden so s^T h is defined
    attention_hidden: int = 128  # width of the additive score's tanh layer (unused by Luong)
    output_hidden: int = 192  # deep-output layer between [s_i; c_i; y_{i-1}] and the vocabulary
    dropout: float = 0.1  # on embeddings and the deep output, in training only
    max_source_tokens: int = 100  # longest encoder input, [EOS] included
    max_target_tokens: int = 120  # longest output, [EOS] included

    def __post_init__(self) -> None:
        if self.score not in SCORES:
            raise ValueError(f"Unknown score {self.score!r}; allowed: {', '.join(SCORES)}.")
        if self.decoder_hidden != 2 * self.encoder_hidden:
            raise ValueError("decoder_hidden must be 2 * encoder_hidden (dot scores need it).")


# ---- attention: each returns (context, weights, scores) --------------------------------------


class AdditiveAttention(nn.Module):
    """score_j = v^T tanh(W s + U h_j) (Bahdanau et al. 2014, eq. 6 and appendix A.1.2)."""

    def __init__(self, config: RNNConfig) -> None:
        super().__init__()
        self.query = nn.Linear(config.decoder_hidden, config.attention_hidden, bias=False)  # W
        self.key = nn.Linear(2 * config.encoder_hidden, config.attention_hidden)  # U (+ bias)
        self.energy = nn.Linear(config.attention_hidden, 1, bias=False)  # v

    def project_keys(self, annotations: torch.Tensor) -> torch.Tensor:
        """U h_j for every j, once per sentence: `[batch, source, attention_hidden]`."""
        return self.key(annotations)

    def forward(
        self,
        state: torch.Tensor,
        keys: torch.Tensor,
        annotations: torch.Tensor,
        visible: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """state `[batch, decoder_hidden]`; returns context `[batch, 2*encoder_hidden]`, weights
        and scores `[batch, source]`."""
        hidden = torch.tanh(self.query(state).unsqueeze(1) + keys)  # [batch, source, attn]
        scores = self.energy(hidden).squeeze(-1)  # [batch, source]
        return _weigh(scores, annotations, visible)


class DotAttention(nn.Module):
    """score_j = s^T h_j (Luong et al. 2015, eq. 8, "dot")."""

    def __init__(self, config: RNNConfig) -> None:
        super().__init__()

    def project_keys(self, annotations: torch.Tensor) -> torch.Tensor:
        return annotations

    def forward(
        self,
        state: torch.Tensor,
        keys: torch.Tensor,
        annotations: torch.Tensor,
        visible: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        scores = torch.einsum("bd,bsd->bs", state, keys)  # [batch, source]
        return _weigh(scores, annotations, visible)


class GeneralAttention(DotAttention):
    """score_j = s^T W h_j (Luong et al. 2015, eq. 8, "general"); W h_j is computed once."""

    def __init__(self, config: RNNConfig) -> None:
        super().__init__(config)
        self.key = nn.Linear(2 * config.encoder_hidden, config.decoder_hidden, bias=False)  # W

    def project_keys(self, annotations: torch.Tensor) -> torch.Tensor:
        return self.key(annotations)


def _weigh(
    scores: torch.Tensor, annotations: torch.Tensor, visible: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    weights = masked_softmax(scores, visible)  # [batch, source]
    context = torch.einsum("bs,bsd->bd", weights, annotations)  # [batch, 2*encoder_hidden]
    return context, weights, scores


class NoAttention(nn.Module):
    """No attention: c = [->h_T; <-h_1], the two final states of the BiGRU, at every step.

    The decoder of Cho et al. 2014 (arXiv:1406.1078) reads one fixed summary of the sentence;
    weights and scores come out all 0 and are never shown.
    """

    def __init__(self, config: RNNConfig) -> None:
        super().__init__()
        self.half = config.encoder_hidden

    def project_keys(self, annotations: torch.Tensor) -> torch.Tensor:
        return annotations

    def forward(
        self,
        state: torch.Tensor,
        keys: torch.Tensor,
        annotations: torch.Tensor,
        visible: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The state is not used: the context does not depend on the step."""
        last = visible.sum(-1) - 1  # [batch] index of each sentence's last token ([EOS])
        rows = torch.arange(annotations.shape[0])
        forward_last = annotations[rows, last, : self.half]  # ->h_T [batch, encoder_hidden]
        backward_first = annotations[:, 0, self.half :]  # <-h_1 [batch, encoder_hidden]
        context = torch.cat([forward_last, backward_first], dim=-1)
        zeros = torch.zeros(visible.shape, dtype=annotations.dtype)
        return context, zeros, zeros


ATTENTION = {
    "additive": AdditiveAttention,
    "dot": DotAttention,
    "general": GeneralAttention,
    "none": NoAttention,
}


# ---- encoder and decoder -------------------------------------------------------------------


class Encoder(nn.Module):
    """Bidirectional GRU over source embeddings; padding never reaches a real state."""

    def __init__(self, config: RNNConfig) -> None:
        super().__init__()
        self.embed = nn.Embedding(config.source_vocab, config.embedding, padding_idx=PAD_ID)
        self.gru = nn.GRU(
            config.embedding, config.encoder_hidden, batch_first=True, bidirectional=True
        )
        self.dropout = nn.Dropout(config.dropout)
        self.init_state = nn.Linear(config.encoder_hidden, config.decoder_hidden)

    def forward(
        self, source: torch.Tensor, lengths: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """source `[batch, source]` ids; returns annotations `[batch, source, 2*encoder_hidden]` and
        the decoder's first state `[batch, decoder_hidden]` = tanh(W_s <-h_1) (Bahdanau A.2.2)."""
        return self.from_embeddings(self.dropout(self.embed(source)), lengths)

    def from_embeddings(
        self, embedded: torch.Tensor, lengths: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """`forward` from the source embeddings `[batch, source, embedding]` (for gradients
        with respect to them)."""
        packed = pack_padded_sequence(
            embedded, lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        outputs, last = self.gru(packed)  # last: [direction, batch, encoder_hidden]
        annotations, _ = pad_packed_sequence(
            outputs, batch_first=True, total_length=embedded.shape[1]
        )
        return annotations, torch.tanh(self.init_state(last[1]))


class Decoder(nn.Module):
    """One GRU step at a time: attend with s_{i-1}, read [y_{i-1}; c_i], predict y_i."""

    def __init__(self, config: RNNConfig) -> None:
        super().__init__()
        annotation = 2 * config.encoder_hidden
        self.embed = nn.Embedding(config.target_vocab, config.embedding, padding_idx=PAD_ID)
        self.attention = ATTENTION[config.score](config)
        self.cell = nn.GRUCell(config.embedding + annotation, config.decoder_hidden)
        self.deep_output = nn.Linear(
            config.decoder_hidden + annotation + config.embedding, config.output_hidden
        )
        self.project = nn.Linear(config.output_hidden, config.target_vocab)
        self.dropout = nn.Dropout(config.dropout)

    def step(
        self,
        previous: torch.Tensor,
        state: torch.Tensor,
        keys: torch.Tensor,
        annotations: torch.Tensor,
        visible: torch.Tensor,
    ) -> dict[str, torch.Tensor]:
        """previous `[batch]` ids y_{i-1}, state s_{i-1} `[batch, decoder_hidden]`.

        Returns the new state, the deep-output vector `[batch, output_hidden]` (logits are
        `project` of it), and the attention's context, weights and scores.
        """
        embedded = self.dropout(self.embed(previous))  # [batch, embedding]
        context, weights, scores = self.attention(state, keys, annotations, visible)
        new_state = self.cell(torch.cat([embedded, context], dim=-1), state)
        features = torch.cat([new_state, context, embedded], dim=-1)
        output = self.dropout(torch.tanh(self.deep_output(features)))
        return {
            "state": new_state,
            "output": output,
            "context": context,
            "weights": weights,
            "scores": scores,
        }


class RNNTranslator(nn.Module):
    """Encoder, attention and decoder; `forward` is teacher-forced and returns every step."""

    def __init__(self, config: RNNConfig) -> None:
        super().__init__()
        self.config = config
        self.encoder = Encoder(config)
        self.decoder = Decoder(config)

    def encode(self, source: torch.Tensor, lengths: torch.Tensor) -> dict[str, torch.Tensor]:
        annotations, state = self.encoder(source, lengths)
        visible = source != PAD_ID  # [batch, source]
        keys = self.decoder.attention.project_keys(annotations)
        return {"annotations": annotations, "keys": keys, "visible": visible, "state": state}

    def forward(
        self, source: torch.Tensor, lengths: torch.Tensor, target_inputs: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """source `[batch, source]`, target_inputs `[batch, step]` ([BOS] y_1 ... y_{T-1}).

        Returns logits `[batch, step, target_vocab]`, weights and scores `[batch, step, source]`,
        queries s_{i-1} `[batch, step, decoder_hidden]` and contexts `[batch, step, 2*enc]`.
        """
        memory = self.encode(source, lengths)
        state = memory["state"]
        collected: dict[str, list[torch.Tensor]] = {
            k: [] for k in ("output", "weights", "scores", "context")
        }
        queries = []
        for i in range(target_inputs.shape[1]):
            queries.append(state)
            result = self.decoder.step(
                target_inputs[:, i], state, memory["keys"], memory["annotations"], memory["visible"]
            )
            state = result["state"]
            for key, values in collected.items():
                values.append(result[key])
        stacked = {k: torch.stack(v, dim=1) for k, v in collected.items()}  # [batch, step, ...]
        return {
            "logits": self.decoder.project(stacked["output"]),
            "weights": stacked["weights"],
            "scores": stacked["scores"],
            "contexts": stacked["context"],
            "queries": torch.stack(queries, dim=1),
            "annotations": memory["annotations"],
        }


def greedy_batch(
    network: RNNTranslator, sources: list[list[int]], max_steps: int
) -> list[list[int]]:
    """Greedy outputs for many sentences at once (for validation); each ends at its [EOS]."""
    lengths = torch.tensor([len(s) for s in sources])
    source = torch.full((len(sources), int(lengths.max())), PAD_ID)
    for row, ids in enumerate(sources):
        source[row, : len(ids)] = torch.tensor(ids)
    memory = network.encode(source, lengths)
    state, last = memory["state"], torch.full((len(sources),), BOS_ID)
    steps = []
    for _ in range(max_steps):
        result = network.decoder.step(
            last, state, memory["keys"], memory["annotations"], memory["visible"]
        )
        state, last = result["state"], network.decoder.project(result["output"]).argmax(-1)
        steps.append(last)
        if bool((torch.stack(steps, 1) == EOS_ID).any(1).all()):
            break
    return [_cut_at_eos(row) for row in torch.stack(steps, 1).tolist()]


def _cut_at_eos(ids: list[int]) -> list[int]:
    return ids[: ids.index(EOS_ID) + 1] if EOS_ID in ids else ids


class _RNNStepper:
    """Decodes one encoded sentence for several hypotheses (see `seq2seq.Stepper`)."""

    def __init__(self, model: RNNTranslator, memory: dict[str, torch.Tensor]) -> None:
        self.model = model
        self.memory = memory

    def start(self) -> torch.Tensor:
        return self.memory["state"]  # [1, decoder_hidden]

    def step(self, state: torch.Tensor, last: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        n = last.shape[0]
        memory = {k: v.expand(n, *v.shape[1:]) for k, v in self.memory.items() if k != "state"}
        result = self.model.decoder.step(
            last, state, memory["keys"], memory["annotations"], memory["visible"]
        )
        logits = self.model.decoder.project(result["output"])  # [n, vocab]
        return torch.log_softmax(logits, dim=-1), result["state"]

    def reorder(self, state: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
        return state.index_select(0, rows)


class RNNModel(Seq2SeqModel):
    """A trained RNN translator behind the attnviz `AttentionModel` protocol."""

    def __init__(
        self,
        name: str,
        description: str,
        network: RNNTranslator,
        source_tokenizer: Any,
        target_tokenizer: Any,
    ) -> None:
        super().__init__(network, source_tokenizer, target_tokenizer)
        self.network: RNNTranslator
        self.config: RNNConfig = network.config
        kinds = {} if self.config.score == "none" else {"cross": 1}
        self.info = ModelInfo(name, description, kinds, kinds, self.config.max_source_tokens)

    def _encode(self, source_ids: list[int]) -> dict[str, torch.Tensor]:
        return self.network.encode(torch.tensor([source_ids]), torch.tensor([len(source_ids)]))

    def stepper(self, source_ids: list[int]) -> _RNNStepper:
        return _RNNStepper(self.network, self._encode(source_ids))

    def greedy_pass(self, source_ids: list[int]) -> tuple[list[int], dict[str, torch.Tensor]]:
        return self._greedy_record(source_ids)

    def _greedy_record(self, source_ids: list[int]) -> tuple[list[int], dict[str, torch.Tensor]]:
        """Greedy decoding that keeps every step's attention, as the teacher-forced pass would
        give it (`RNNTranslator.forward`'s keys, batch of one); saves a second pass."""
        memory = self._encode(source_ids)
        state, last = memory["state"], torch.tensor([BOS_ID])
        steps: dict[str, list[torch.Tensor]] = {
            k: [] for k in ("weights", "scores", "contexts", "queries", "logits")
        }
        output: list[int] = []
        for _ in range(self.max_steps(source_ids)):
            steps["queries"].append(state)
            result = self.network.decoder.step(
                last, state, memory["keys"], memory["annotations"], memory["visible"]
            )
            logits = self.network.decoder.project(result["output"])  # [1, vocab]
            for key, value in (
                ("weights", result["weights"]),
                ("scores", result["scores"]),
                ("contexts", result["context"]),
                ("logits", logits),
            ):
                steps[key].append(value)
            state, token = result["state"], int(logits[0].argmax())
            output.append(token)
            if token == EOS_ID:
                break
            last = torch.tensor([token])
        record = {k: torch.stack(v, dim=1) for k, v in steps.items()}  # [1, step, ...]
        return output, {**record, "annotations": memory["annotations"]}

    def run(self, text: str, beam: int = 1, hypothesis: int = 0, **unknown: Any) -> Run:
        """Translate `text`; the `cross` map is the alignment of the output actually produced
        (no map at all for the score "none", which has no attention).

        hypothesis: with beam > 1, which of beam search's hypotheses (best first) to show;
        extras["hypotheses"] lists them all with their mean log-probability per token.

        extras: `top_next` (per step, the 5 likeliest tokens with probabilities),
        `encoder_states` `[source, 2*encoder_hidden]`, `decoder_queries` `[target, decoder_hidden]`
        (s_{i-1}, the query of step i) and `contexts` `[target, 2*encoder_hidden]`.
        Any other option is a ValueError that names the allowed ones.
        """
        refuse_unknown_options(unknown, ("beam", "hypothesis"))
        return self.translate_run(text, beam, hypothesis)

    def maps_and_extras(
        self, forced: dict[str, Any], source_tokens: list[str], target_tokens: tuple[str, ...]
    ) -> tuple[dict[str, AttentionMaps], dict[str, Any]]:
        maps = {}
        if self.config.score != "none":  # rnnenc-en-es has no attention to show
            maps["cross"] = AttentionMaps(
                "cross",
                to_numpy(forced["weights"][0])[None, None],  # [layer=1, head=1, target, source]
                target_tokens,
                source_tokens,
                scores=to_numpy(forced["scores"][0])[None, None],
            )
        extras = {
            "encoder_states": to_numpy(forced["annotations"][0]),
            "decoder_queries": to_numpy(forced["queries"][0]),
            "contexts": to_numpy(forced["contexts"][0]),
            "score": self.config.score,
        }
        return maps, extras


# ---- loading shipped weights ---------------------------------------------------------------

_SCORES = {"additive": "additive (Bahdanau)", "dot": "Luong's dot", "general": "Luong's general"}


def describe(config: RNNConfig) -> str:
    """What an RNN translator is, from its config (the registry names the shipped ones)."""
    if config.score == "none":
        return "BiGRU encoder and GRU decoder without attention"
    return f"BiGRU encoder, {_SCORES.get(config.score, config.score)} attention, GRU decoder"


def read_folder(folder: Path) -> tuple[RNNTranslator, Any, Any]:
    """The network and its source and target tokenizers from a weights folder."""
    config = read_config(folder, RNNConfig, "rnn")
    network = load_weights(RNNTranslator(config), folder)
    if (folder / "source_chars.json").exists():
        source, target = (
            CharTokenizer.load(folder / "source_chars.json"),
            CharTokenizer.load(folder / "target_chars.json"),
        )
    else:
        source = SubwordTokenizer.load(folder / "source_tokenizer.json")
        target = SubwordTokenizer.load(folder / "target_tokenizer.json")
    return network, source, target


def load_folder(folder: Path, name: str) -> RNNModel:
    """An `RNNModel` from a weights folder (safetensors, config.json, tokenizer files)."""
    network, source, target = read_folder(folder)
    return RNNModel(name, describe(network.config), network, source, target)


def load_bahdanau_en_es() -> RNNModel:
    return load_folder(WEIGHTS_DIR / "bahdanau-en-es", "bahdanau-en-es")


def load_luong_dot_en_es() -> RNNModel:
    return load_folder(WEIGHTS_DIR / "luong-dot-en-es", "luong-dot-en-es")


def load_luong_general_en_es() -> RNNModel:
    return load_folder(WEIGHTS_DIR / "luong-general-en-es", "luong-general-en-es")


def load_rnnenc_en_es() -> RNNModel:
    return load_folder(WEIGHTS_DIR / "rnnenc-en-es", "rnnenc-en-es")

"""A small encoder-decoder Transformer translator that returns all its attention.

Pre-norm layers (Xiong et al. 2020) of multi-head attention with an explicit softmax
(Vaswani et al. 2017, arXiv:1706.03762), sinusoidal positions, tied target embeddings.
Every attention call returns (output, weights, scores); nothing is stored on a module.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import torch
from torch import nn

from attnviz.attention import AttentionMaps, Run
from attnviz.models import ablation
from attnviz.models.base import ModelInfo, refuse_unknown_options
from attnviz.models.seq2seq import (
    WEIGHTS_DIR,
    Seq2SeqModel,
    load_weights,
    masked_softmax,
    read_config,
    to_numpy,
)
from attnviz.models.tokens import BOS_ID, EOS_ID, PAD_ID, SubwordTokenizer


@dataclasses.dataclass(frozen=True)
class TransformerConfig:
    """Sizes of the Transformer translator."""

    source_vocab: int = 8000  # source token ids, special tokens included
    target_vocab: int = 6000  # target token ids, special tokens included
    d_model: int = 128  # width of every residual stream
    n_heads: int = 4  # attention heads per layer; d_model / n_heads per head
    encoder_layers: int = 3  # encoder blocks
    decoder_layers: int = 3  # decoder blocks
    d_ff: int = 512  # hidden width of the feed-forward blocks
    dropout: float = 0.1  # on residual branches and embeddings, in training only
    max_source_tokens: int = 100  # longest encoder input, [EOS] included
    max_target_tokens: int = 120  # longest output, [EOS] included

    def __post_init__(self) -> None:
        if self.d_model % self.n_heads:
            raise ValueError(f"d_model {self.d_model} is not divisible by n_heads {self.n_heads}.")


KeysValues = tuple[torch.Tensor, torch.Tensor]  # k, v: [batch, head, key, d_head]


class MultiHeadAttention(nn.Module):
    """softmax(q k^T / sqrt(d_head)) v per head, with masked keys at exactly 0."""

    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.n_heads = config.n_heads
        self.q = nn.Linear(config.d_model, config.d_model)
        self.k = nn.Linear(config.d_model, config.d_model)
        self.v = nn.Linear(config.d_model, config.d_model)
        self.out = nn.Linear(config.d_model, config.d_model)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, d_model = x.shape
        # [batch, length, d_model] -> [batch, head, length, d_head]
        return x.view(batch, length, self.n_heads, d_model // self.n_heads).transpose(1, 2)

    def forward(
        self, queries: torch.Tensor, keys: torch.Tensor, visible: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """queries `[batch, query, d_model]`, keys `[batch, key, d_model]`, visible bool
        broadcastable to `[batch, head, query, key]`. Returns output `[batch, query, d_model]`,
        weights and scores `[batch, head, query, key]`."""
        return self.attend(queries, *self.keys_values(keys), visible)

    def keys_values(self, keys: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """k and v `[batch, head, key, d_head]` of `keys` `[batch, key, d_model]`."""
        return self._split(self.k(keys)), self._split(self.v(keys))

    def attend(
        self, queries: torch.Tensor, k: torch.Tensor, v: torch.Tensor, visible: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """`forward` with k and v already projected (decoding reuses them step after step)."""
        q = self._split(self.q(queries))  # [batch, head, query, d_head]
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])  # [batch, head, query, key]
        weights = masked_softmax(scores, visible)
        mixed = weights @ v  # [batch, head, query, d_head]
        batch, _, length, _ = mixed.shape
        output = self.out(
            mixed.transpose(1, 2).reshape(batch, length, -1)
        )  # [batch, query, d_model]
        return output, weights, scores


class FeedForward(nn.Sequential):
    def __init__(self, config: TransformerConfig) -> None:
        super().__init__(
            nn.Linear(config.d_model, config.d_ff),
            nn.GELU(),
            nn.Linear(config.d_ff, config.d_model),
        )


class EncoderLayer(nn.Module):
    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.norm_attention = nn.LayerNorm(config.d_model)
        self.attention = MultiHeadAttention(config)
        self.norm_ff = nn.LayerNorm(config.d_model)
        self.ff = FeedForward(config)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor, visible: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        normed = self.norm_attention(x)
        attended, weights, _ = self.attention(normed, normed, visible)
        x = x + self.dropout(attended)
        x = x + self.dropout(self.ff(self.norm_ff(x)))
        return x, weights


class DecoderLayer(nn.Module):
    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.norm_self = nn.LayerNorm(config.d_model)
        self.self_attention = MultiHeadAttention(config)
        self.norm_cross = nn.LayerNorm(config.d_model)
        self.cross_attention = MultiHeadAttention(config)
        self.norm_ff = nn.LayerNorm(config.d_model)
        self.ff = FeedForward(config)
        self.dropout = nn.Dropout(config.dropout)

    def forward(
        self,
        x: torch.Tensor,
        memory: torch.Tensor,
        causal: torch.Tensor,
        source_visible: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        normed = self.norm_self(x)
        attended, self_weights, _ = self.self_attention(normed, normed, causal)
        x = x + self.dropout(attended)
        attended, cross_weights, _ = self.cross_attention(
            self.norm_cross(x), memory, source_visible
        )
        x = x + self.dropout(attended)
        x = x + self.dropout(self.ff(self.norm_ff(x)))
        return x, self_weights, cross_weights

    def step(
        self,
        x: torch.Tensor,
        cache: KeysValues | None,
        cross: KeysValues,
        source_visible: torch.Tensor,
    ) -> tuple[torch.Tensor, KeysValues]:
        """One new position `x` `[n, 1, d_model]` given the k, v of the earlier ones (`cache`);
        the same result as `forward` on the whole prefix, for inference. Returns the new state
        and the cache grown by one position."""
        normed = self.norm_self(x)
        k, v = self.self_attention.keys_values(normed)  # [n, head, 1, d_head]
        if cache is not None:
            k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
        everything = torch.ones(1, 1, 1, k.shape[2], dtype=torch.bool)  # the past is all visible
        x = x + self.self_attention.attend(normed, k, v, everything)[0]
        x = x + self.cross_attention.attend(self.norm_cross(x), *cross, source_visible)[0]
        x = x + self.ff(self.norm_ff(x))
        return x, (k, v)


def sinusoids(length: int, d_model: int) -> torch.Tensor:
    """Sinusoidal position encodings `[length, d_model]` (Vaswani et al. 2017, section 3.5)."""
    position = torch.arange(length, dtype=torch.float32).unsqueeze(1)
    frequency = torch.exp(
        torch.arange(0, d_model, 2, dtype=torch.float32) * (-math.log(10000.0) / d_model)
    )
    table = torch.zeros(length, d_model)
    table[:, 0::2] = torch.sin(position * frequency)
    table[:, 1::2] = torch.cos(position * frequency)
    return table


class TransformerTranslator(nn.Module):
    """Encoder and decoder stacks; `forward` is teacher-forced and returns every attention map."""

    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.config = config
        self.source_embed = nn.Embedding(config.source_vocab, config.d_model, padding_idx=PAD_ID)
        self.target_embed = nn.Embedding(config.target_vocab, config.d_model, padding_idx=PAD_ID)
        self.encoder = nn.ModuleList(EncoderLayer(config) for _ in range(config.encoder_layers))
        self.decoder = nn.ModuleList(DecoderLayer(config) for _ in range(config.decoder_layers))
        self.encoder_norm = nn.LayerNorm(config.d_model)
        self.decoder_norm = nn.LayerNorm(config.d_model)
        self.dropout = nn.Dropout(config.dropout)
        longest = max(config.max_source_tokens, config.max_target_tokens) + 1
        self.register_buffer("positions", sinusoids(longest, config.d_model), persistent=False)
        for table in (self.source_embed, self.target_embed):
            # The target table doubles as the output layer: small entries keep first logits near 0.
            nn.init.normal_(table.weight, std=config.d_model**-0.5)
            with torch.no_grad():
                table.weight[PAD_ID].zero_()

    def _embed(self, table: nn.Embedding, ids: torch.Tensor) -> torch.Tensor:
        scaled = table(ids) * math.sqrt(self.config.d_model)  # [batch, length, d_model]
        return self.dropout(scaled + self.positions[: ids.shape[1]])

    def encode(self, source: torch.Tensor) -> dict[str, Any]:
        """source `[batch, source]` -> memory `[batch, source, d_model]` and per-layer weights."""
        visible = (source != PAD_ID)[:, None, None, :]  # [batch, 1, 1, key]
        x = self._embed(self.source_embed, source)
        weights = []
        for layer in self.encoder:
            x, layer_weights = layer(x, visible)
            weights.append(layer_weights)
        return {"memory": self.encoder_norm(x), "visible": visible, "weights": weights}

    def decode(self, target_inputs: torch.Tensor, encoded: dict[str, Any]) -> dict[str, Any]:
        """target_inputs `[batch, step]` -> final states `[batch, step, d_model]` and per-layer
        weights."""
        steps = target_inputs.shape[1]
        causal = torch.ones(steps, steps, dtype=torch.bool).tril()  # [query, key]
        x = self._embed(self.target_embed, target_inputs)
        self_weights, cross_weights = [], []
        for layer in self.decoder:
            x, layer_self, layer_cross = layer(x, encoded["memory"], causal, encoded["visible"])
            self_weights.append(layer_self)
            cross_weights.append(layer_cross)
        hidden = self.decoder_norm(x)  # [batch, step, d_model]
        return {"hidden": hidden, "decoder_self": self_weights, "cross": cross_weights}

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """Next-token logits from decoder states `[..., d_model]`; the output layer is the
        target embedding (tied)."""
        return nn.functional.linear(hidden, self.target_embed.weight)

    def forward(
        self, source: torch.Tensor, lengths: torch.Tensor, target_inputs: torch.Tensor
    ) -> dict[str, Any]:
        """Teacher-forced pass; `lengths` is unused (padding is read from the ids)."""
        encoded = self.encode(source)
        decoded = self.decode(target_inputs, encoded)
        logits = self.logits(decoded["hidden"])  # [batch, step, vocab]
        return {**decoded, "logits": logits, "encoder_self": encoded["weights"]}


class _TransformerStepper:
    """Decodes one position at a time, keeping every layer's k and v of the earlier positions."""

    def __init__(self, network: TransformerTranslator, encoded: dict[str, Any]) -> None:
        self.network = network
        self.visible = encoded["visible"]
        # Cross-attention k, v of the source, once per sentence: [1, head, source, d_head] each.
        self.cross = [
            layer.cross_attention.keys_values(encoded["memory"]) for layer in network.decoder
        ]

    def start(self) -> tuple[int, list[KeysValues | None]]:
        return 0, [None] * len(self.network.decoder)  # (position, per-layer self k, v)

    def step(
        self, state: tuple[int, list[KeysValues | None]], last: torch.Tensor
    ) -> tuple[torch.Tensor, tuple[int, list[KeysValues | None]]]:
        position, caches = state
        n = last.shape[0]
        embedded = self.network.target_embed(last) * math.sqrt(self.network.config.d_model)
        x = (embedded + self.network.positions[position]).unsqueeze(1)  # [n, 1, d_model]
        grown: list[KeysValues | None] = []
        for layer, cache, (k, v) in zip(self.network.decoder, caches, self.cross, strict=True):
            cross = (k.expand(n, -1, -1, -1), v.expand(n, -1, -1, -1))
            x, new_cache = layer.step(x, cache, cross, self.visible)
            grown.append(new_cache)
        logits = self.network.logits(self.network.decoder_norm(x[:, 0]))  # [n, vocab]
        return torch.log_softmax(logits, dim=-1), (position + 1, grown)

    def reorder(
        self, state: tuple[int, list[KeysValues | None]], rows: torch.Tensor
    ) -> tuple[int, list[KeysValues | None]]:
        position, caches = state
        return position, [
            None if c is None else (c[0].index_select(0, rows), c[1].index_select(0, rows))
            for c in caches
        ]


def greedy_batch(
    network: TransformerTranslator, sources: list[list[int]], max_steps: int
) -> list[list[int]]:
    """Greedy outputs for many sentences at once (for validation)."""
    source = torch.full((len(sources), max(len(s) for s in sources)), PAD_ID)
    for row, ids in enumerate(sources):
        source[row, : len(ids)] = torch.tensor(ids)
    encoded = network.encode(source)
    prefix = torch.full((len(sources), 1), BOS_ID)
    for _ in range(max_steps):
        following = network.logits(network.decode(prefix, encoded)["hidden"][:, -1]).argmax(-1)
        prefix = torch.cat([prefix, following.unsqueeze(1)], dim=1)
        if bool((prefix == EOS_ID).any(1).all()):
            break
    rows = prefix[:, 1:].tolist()
    return [row[: row.index(EOS_ID) + 1] if EOS_ID in row else row for row in rows]


def _stack(per_layer: list[torch.Tensor]) -> Any:
    return to_numpy(torch.stack([w[0] for w in per_layer]))  # [layer, head, query, key]


class TransformerModel(Seq2SeqModel):
    """A trained Transformer translator behind the attnviz `AttentionModel` protocol."""

    def __init__(
        self,
        name: str,
        network: TransformerTranslator,
        source_tokenizer: Any,
        target_tokenizer: Any,
    ) -> None:
        super().__init__(network, source_tokenizer, target_tokenizer)
        self.network: TransformerTranslator
        self.config: TransformerConfig = network.config
        c = self.config
        self.info = ModelInfo(
            name,
            f"Encoder-decoder Transformer, {c.encoder_layers}+{c.decoder_layers} layers x "
            f"{c.n_heads} heads; English -> Spanish",
            {
                "encoder_self": c.encoder_layers,
                "decoder_self": c.decoder_layers,
                "cross": c.decoder_layers,
            },
            {"encoder_self": c.n_heads, "decoder_self": c.n_heads, "cross": c.n_heads},
            c.max_source_tokens,
        )
        # Layers per kind whose heads `run(..., ablate=...)` can switch off, per request.
        self.switchable = ablation.install(
            self.network, self.info.heads, ablation.OWN_TRANSFORMER_PROJECTIONS
        )

    def stepper(self, source_ids: list[int]) -> _TransformerStepper:
        return _TransformerStepper(self.network, self.network.encode(torch.tensor([source_ids])))

    def run(
        self,
        text: str,
        beam: int = 1,
        hypothesis: int = 0,
        ablate: Iterable = (),
        **unknown: Any,
    ) -> Run:
        """Translate `text` and return all three kinds of attention for the output produced.

        hypothesis: with beam > 1, which of beam search's hypotheses (best first) to show;
        extras["hypotheses"] lists them all with their mean log-probability per token.
        ablate: (kind, layer, head) triples switched off for this run only.

        Row i of `decoder_self` and `cross` is the step that produced target token i; its input
        was the token before (`extras["decoder_inputs"]`), [BOS] for the first step.
        Any other option is a ValueError that names the allowed ones.
        """
        refuse_unknown_options(unknown, ("beam", "hypothesis", "ablate"))
        ablate = ablation.check_heads(ablate, self.switchable, self.info.heads)
        with ablation.switched_off(ablate):
            return self.translate_run(text, beam, hypothesis)

    def maps_and_extras(
        self, forced: dict[str, Any], source_tokens: list[str], target_tokens: tuple[str, ...]
    ) -> tuple[dict[str, AttentionMaps], dict[str, Any]]:
        decoder_inputs = ["[BOS]", *target_tokens[:-1]]  # what each step read: the keys
        steps = len(target_tokens)
        maps = {
            "encoder_self": AttentionMaps(
                "encoder_self", _stack(forced["encoder_self"]), source_tokens, source_tokens
            ),
            "decoder_self": AttentionMaps(
                "decoder_self",
                _stack(forced["decoder_self"]),
                target_tokens,
                decoder_inputs,
                visible=torch.ones(steps, steps).tril().bool().numpy(),
            ),
            "cross": AttentionMaps("cross", _stack(forced["cross"]), target_tokens, source_tokens),
        }
        return maps, {"decoder_inputs": decoder_inputs}


def load_folder(folder: Path, name: str) -> TransformerModel:
    config = read_config(folder, TransformerConfig, "transformer")
    network = load_weights(TransformerTranslator(config), folder)
    source = SubwordTokenizer.load(folder / "source_tokenizer.json")
    target = SubwordTokenizer.load(folder / "target_tokenizer.json")
    return TransformerModel(name, network, source, target)


def load_transformer_en_es() -> TransformerModel:
    return load_folder(WEIGHTS_DIR / "transformer-en-es", "transformer-en-es")

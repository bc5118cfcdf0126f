"""A small decoder-only Transformer language model (GPT-style) that returns all its attention.

Pre-norm blocks of causal multi-head self-attention with an explicit softmax (Vaswani et al.
2017, arXiv:1706.03762; Radford et al. 2019), rotary position embeddings on queries and keys
(Su et al. 2021, arXiv:2104.09864), an output layer tied to the token embedding. Every attention
call returns (output, weights, scores); nothing is stored on a module.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import torch
from torch import nn

from attnviz.attention import AttentionMaps, Run
from attnviz.models import ablation, sampling
from attnviz.models.base import ModelInfo, clean_text, refuse_unknown_options
from attnviz.models.seq2seq import (
    WEIGHTS_DIR,
    load_weights,
    masked_softmax,
    read_config,
    to_numpy,
)
from attnviz.models.tokens import EOS_ID, UNK, SubwordTokenizer

FAMILY = "gpt"
# Output projections of the attention layers, for `run(..., ablate=...)`.
GPT_PROJECTIONS = ((r"^blocks\.(\d+)\.attention\.out$", "decoder_self"),)


@dataclasses.dataclass(frozen=True)
class GPTConfig:
    """Sizes of the decoder-only language model."""

    vocab: int = 4096  # token ids, special tokens included
    d_model: int = 192  # width of every residual stream
    n_heads: int = 4  # attention heads per layer; d_model / n_heads per head
    n_layers: int = 4  # decoder blocks
    d_ff: int = 768  # hidden width of the feed-forward blocks
    dropout: float = 0.0  # on residual branches, in training only
    context: int = 256  # longest input, in tokens
    rope_base: float = 10000.0  # rotary embedding's base wavelength
    # Each head's keys mix in the previous position's key by a learned share (Olsson et al.
    # 2022's "smeared keys"), so that one layer can attend to the token after an earlier
    # occurrence of the current one; Olsson et al. found that induction heads form earlier.
    smeared_keys: bool = False

    def __post_init__(self) -> None:
        if self.d_model % self.n_heads or (self.d_model // self.n_heads) % 2:
            raise ValueError(
                f"d_model {self.d_model} must split into {self.n_heads} heads of an even width."
            )


def rotary_tables(length: int, d_head: int, base: float) -> tuple[torch.Tensor, torch.Tensor]:
    """cos and sin `[length, d_head / 2]` of rotary position embeddings (Su et al. 2021)."""
    frequency = base ** (-torch.arange(0, d_head, 2, dtype=torch.float32) / d_head)
    angles = torch.arange(length, dtype=torch.float32)[:, None] * frequency[None, :]
    return torch.cos(angles), torch.sin(angles)


def rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate pairs of channels of `x` `[batch, head, position, d_head]` by their position's
    angle; `cos`, `sin` are `[position, d_head / 2]`. Pairs are (channel i, channel i + d/2)."""
    half = x.shape[-1] // 2
    first, second = x[..., :half], x[..., half:]
    return torch.cat([first * cos - second * sin, first * sin + second * cos], dim=-1)


class CausalSelfAttention(nn.Module):
    """softmax(rot(q) rot(k)^T / sqrt(d_head)) v per head; future keys exactly 0."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.n_heads = config.n_heads
        self.qkv = nn.Linear(config.d_model, 3 * config.d_model)
        self.out = nn.Linear(config.d_model, config.d_model)
        if config.smeared_keys:
            # sigmoid(smear) of each head's key is its own, the rest its predecessor's; 3.0
            # starts near plain keys (0.95), so a model without smearing can be warm-started.
            self.smear = nn.Parameter(torch.full((config.n_heads,), 3.0))

    def forward(
        self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, visible: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """x `[batch, position, d_model]`, visible bool `[query, key]`. Returns the output
        `[batch, position, d_model]`, weights and scores `[batch, head, query, key]`."""
        batch, length, d_model = x.shape
        d_head = d_model // self.n_heads
        # [batch, position, 3 * d_model] -> 3 x [batch, head, position, d_head]
        q, k, v = self.qkv(x).view(batch, length, 3, self.n_heads, d_head).permute(2, 0, 3, 1, 4)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        if hasattr(self, "smear"):
            own = torch.sigmoid(self.smear)[:, None, None]  # [head, 1, 1]
            previous = torch.cat([k[:, :, :1], k[:, :, :-1]], dim=2)  # position 0 keeps its own
            k = own * k + (1 - own) * previous
        scores = q @ k.transpose(-1, -2) / math.sqrt(d_head)  # [batch, head, query, key]
        weights = masked_softmax(scores, visible)
        mixed = weights @ v  # [batch, head, query, d_head]
        output = self.out(mixed.transpose(1, 2).reshape(batch, length, d_model))
        return output, weights, scores


class Block(nn.Module):
    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.norm_attention = nn.LayerNorm(config.d_model)
        self.attention = CausalSelfAttention(config)
        self.norm_ff = nn.LayerNorm(config.d_model)
        self.ff = nn.Sequential(
            nn.Linear(config.d_model, config.d_ff),
            nn.GELU(),
            nn.Linear(config.d_ff, config.d_model),
        )
        self.dropout = nn.Dropout(config.dropout)

    def forward(
        self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, visible: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        attended, weights, scores = self.attention(self.norm_attention(x), cos, sin, visible)
        x = x + self.dropout(attended)
        x = x + self.dropout(self.ff(self.norm_ff(x)))
        return x, weights, scores


class GPT(nn.Module):
    """Token embedding, blocks, final norm, tied output layer."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab, config.d_model)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.n_layers))
        self.norm = nn.LayerNorm(config.d_model)
        cos, sin = rotary_tables(config.context, config.d_model // config.n_heads, config.rope_base)
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)
        nn.init.normal_(self.embed.weight, std=0.02)
        for block in self.blocks:
            # GPT-2's scaled init of the residual projections keeps the stream's variance flat.
            for projection in (block.attention.out, block.ff[2]):
                nn.init.normal_(projection.weight, std=0.02 / math.sqrt(2 * config.n_layers))

    def forward(self, ids: torch.Tensor) -> dict[str, Any]:
        """ids `[batch, position]` (at most `context`) -> logits `[batch, position, vocab]` and
        per-layer weights and scores, each `[batch, head, query, key]`."""
        length = ids.shape[1]
        if length > self.config.context:
            raise ValueError(f"{length} tokens exceed the context of {self.config.context}.")
        visible = torch.ones(length, length, dtype=torch.bool).tril()  # [query, key]
        cos, sin = self.cos[:length], self.sin[:length]
        x = self.embed(ids)  # [batch, position, d_model]
        weights, scores = [], []
        for block in self.blocks:
            x, layer_weights, layer_scores = block(x, cos, sin, visible)
            weights.append(layer_weights)
            scores.append(layer_scores)
        logits = nn.functional.linear(self.norm(x), self.embed.weight)
        return {"logits": logits, "weights": weights, "scores": scores}


class GPTModel:
    """A trained GPT behind the attnviz `AttentionModel` protocol, with generation."""

    def __init__(self, name: str, network: GPT, tokenizer: SubwordTokenizer) -> None:
        self.network = network.eval()
        self.tokenizer = tokenizer
        self.config: GPTConfig = network.config
        c = self.config
        self.info = ModelInfo(
            name,
            f"Decoder-only language model, {c.n_layers} layers x {c.n_heads} heads, "
            f"context {c.context}; Jane Austen's novels",
            {"decoder_self": c.n_layers},
            {"decoder_self": c.n_heads},
            c.context,
        )
        # Layers whose heads `run(..., ablate=...)` can switch off, per request.
        self.switchable = ablation.install(self.network, self.info.heads, GPT_PROJECTIONS)

    def encode(self, text: str) -> tuple[str, list[int], list[str]]:
        """Cleaned text, its ids and notes; text beyond the context is cut with a note."""
        cleaned, notes = clean_text(text)
        ids, tokens = self.tokenizer.encode(cleaned)
        notes = list(notes)
        if not ids:
            raise ValueError(f"The text {cleaned!r} has no tokens this model can read.")
        if len(ids) > self.config.context:
            ids = ids[: self.config.context]
            notes.append(f"The text was cut at {self.config.context} tokens, the model's context.")
        if UNK in tokens:
            notes.append("Some pieces of the text are unknown to the model and are shown as [UNK].")
        return cleaned, ids, notes

    def logits(self, ids: list[int]) -> torch.Tensor:
        """Next-token logits `[vocab]` after `ids`, reading at most the last `context` tokens."""
        with torch.inference_mode():
            window = torch.tensor([ids[-self.config.context :]])
            return self.network(window)["logits"][0, -1]

    def run(self, text: str, beam: int = 1, ablate: Any = (), **unknown: Any) -> Run:
        """Every layer's causal self-attention over `text`, and the next-token predictions.

        beam: only 1 (a language model reads the text, it translates nothing); ablate:
        (kind, layer, head) triples switched off for this run only. Any other option is a
        ValueError that names these two.
        """
        refuse_unknown_options(unknown, ("beam", "ablate"))
        if beam != 1:
            raise ValueError(f"{self.info.name} reads text and takes no beam width, got {beam!r}.")
        heads = ablation.check_heads(ablate, self.switchable, self.info.heads)
        cleaned, ids, notes = self.encode(text)
        with ablation.switched_off(heads):
            return self.run_ids(cleaned, ids, tuple(notes))

    def run_ids(self, text: str, ids: list[int], notes: tuple[str, ...] = ()) -> Run:
        """The Run of token ids `ids` (at most `context`)."""
        with torch.inference_mode():
            forward = self.network(torch.tensor([ids]))
        tokens = self.tokenizer.tokens_of(ids)
        n = len(ids)
        maps = {
            "decoder_self": AttentionMaps(
                "decoder_self",
                to_numpy(torch.stack([w[0] for w in forward["weights"]])),  # [layer, head, q, k]
                tokens,
                tokens,
                visible=torch.ones(n, n, dtype=torch.bool).tril().numpy(),
                scores=to_numpy(torch.stack([s[0] for s in forward["scores"]])),
            )
        }
        logits = forward["logits"][0]  # [position, vocab]
        extras = {
            "input_ids": list(ids),
            "last_logits": sampling.top_logits(logits[-1], self.tokenizer.id_to_token),
        }
        next_tokens = sampling.next_token_table(logits, self.tokenizer.id_to_token)
        return Run(
            self.info.name, text, tokens, (), None, maps, notes, extras, next_tokens=next_tokens
        )

    def generate_text(
        self,
        prompt: str,
        max_new_tokens: int = 40,
        temperature: float = 1.0,
        top_k: int = 0,
        seed: int = 0,
    ) -> Run:
        """The Run of `prompt` and its continuation, sampled with `seed` (the same seed, the
        same text); temperature 0 is greedy. Generation stops early at a paragraph's end."""
        settings = sampling.check_settings(max_new_tokens, temperature, top_k, seed)
        cleaned, ids, notes = self.encode(prompt)
        new_ids = sampling.sample_ids(self.logits, ids, settings, stop_id=EOS_ID)
        if new_ids and new_ids[-1] == EOS_ID:
            new_ids = new_ids[:-1]
            notes.append("The model ended the paragraph there.")
        every = ids + new_ids
        if len(every) > self.config.context:
            notes.append(f"The maps show the first {self.config.context} tokens.")
        continuation = self.tokenizer.decode(every)[len(self.tokenizer.decode(ids)) :]
        run = self.run_ids(cleaned + continuation, every[: self.config.context], tuple(notes))
        return sampling.with_generation(run, continuation, len(ids), settings)

    def append(self, text: str, token_id: int) -> str:
        """`text` with the token `token_id` appended, as text (for the page's Next button)."""
        _, ids, _ = self.encode(text)
        return self.tokenizer.decode([*ids, int(token_id)])


def load_folder(folder: Path, name: str) -> GPTModel:
    config = read_config(folder, GPTConfig, FAMILY)
    network = load_weights(GPT(config), folder)
    tokenizer = SubwordTokenizer.load(folder / "tokenizer.json")
    return GPTModel(name, network, tokenizer)


def load_gpt_austen() -> GPTModel:
    return load_folder(WEIGHTS_DIR / "gpt-austen", "gpt-austen")

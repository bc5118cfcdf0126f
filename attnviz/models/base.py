"""What every loaded model offers the rest of attnviz."""

from __future__ import annotations

import dataclasses
import json
import math
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from attnviz.attention import Run


@dataclasses.dataclass(frozen=True)
class ModelInfo:
    """What a view needs to know before it has a Run: kinds, layers and heads per kind."""

    name: str
    description: str
    layers: dict[str, int]  # kind -> number of layers
    heads: dict[str, int]  # kind -> heads per layer
    max_tokens: int  # longest input the model takes, in tokens

    @property
    def kinds(self) -> tuple[str, ...]:
        from attnviz.attention import KINDS

        return tuple(kind for kind in KINDS if kind in self.layers)


@runtime_checkable
class AttentionModel(Protocol):
    """A model loaded once per process and shared read-only between sessions and threads.

    `run` must not mutate the model (no hooks, no train/eval toggles, no stored weights).
    """

    info: ModelInfo

    def run(self, text: str, **options: Any) -> Run: ...


# Why a model has no attention map: a view or command says this instead of drawing nothing.
NO_ATTENTION = {
    "rnnenc-en-es": (
        "rnnenc-en-es has no attention to draw: it is the encoder-decoder without attention "
        "(Cho et al. 2014), whose decoder reads one fixed summary of the sentence, the "
        "encoder's final state, at every step, never the source words one by one. It is the "
        "baseline of the lessons why-attention and vanishing-gradients "
        "(/classroom?lesson=why-attention)."
    ),
}


def no_attention_sentence(name: str) -> str:
    """Why the model `name` returned no attention maps, in one or two sentences."""
    return NO_ATTENTION.get(
        name, f"{name} returned no attention maps, so there is nothing to draw."
    )


def refuse_unknown_options(options: Mapping[str, Any], allowed: Sequence[str]) -> None:
    """ValueError naming the options a model's `run` does not take, and the ones it does."""
    if options:
        raise ValueError(
            f"Unknown option(s) {', '.join(map(str, options))}; allowed: {', '.join(allowed)}."
        )


def clean_text(text: str, max_chars: int = 20_000) -> tuple[str, tuple[str, ...]]:
    """Validate user text: drop control characters, refuse empty text, cut very long text.

    Whitespace runs become one space. Format characters (zero-width joiners in emoji,
    right-to-left marks) are kept: they carry meaning. Returns the cleaned text and the notes
    a view should show about what was changed.
    """
    if not isinstance(text, str):
        raise ValueError(f"Text must be a string, got {type(text).__name__}.")
    notes: list[str] = []
    kept = [ch for ch in text if ch.isspace() or unicodedata.category(ch) != "Cc"]
    if len(kept) != len(text):
        notes.append("Control characters were removed from the text.")
    cleaned = " ".join("".join(kept).split())
    if not cleaned:
        raise ValueError("The text is empty; type at least one word.")
    if len(cleaned) > max_chars:
        cleaned = cleaned[:max_chars]
        notes.append(f"The text was cut at {max_chars:,} characters.")
    return cleaned, tuple(notes)


# ---- checks before a model is built ---------------------------------------------------------

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# Largest sizes a config may give, by what they measure: a config.json that asks for 10^6
# layers or a billion-word vocabulary is refused before anything is built, not run until the
# server's memory is gone.
SIZE_LIMITS = {
    "layers": 128,
    "heads": 256,
    "width": 65_536,
    "vocabulary": 1_000_000,
    "positions": 131_072,
}
CONFIG_SIZES = {
    **dict.fromkeys(
        (
            "num_hidden_layers",
            "n_layer",
            "num_layers",
            "num_decoder_layers",
            "encoder_layers",
            "decoder_layers",
        ),
        "layers",
    ),
    **dict.fromkeys(
        (
            "num_attention_heads",
            "n_head",
            "num_heads",
            "n_heads",
            "num_key_value_heads",
            "encoder_attention_heads",
            "decoder_attention_heads",
        ),
        "heads",
    ),
    **dict.fromkeys(
        (
            "hidden_size",
            "n_embd",
            "d_model",
            "d_kv",
            "d_ff",
            "n_inner",
            "intermediate_size",
            "encoder_ffn_dim",
            "decoder_ffn_dim",
            "embedding",
            "encoder_hidden",
            "decoder_hidden",
            "attention_hidden",
            "output_hidden",
        ),
        "width",
    ),
    **dict.fromkeys(("vocab_size", "source_vocab", "target_vocab"), "vocabulary"),
    **dict.fromkeys(
        ("max_position_embeddings", "n_positions", "max_source_tokens", "max_target_tokens"),
        "positions",
    ),
}
MAX_SAFETENSORS_HEADER = 100 * 2**20  # bytes of a safetensors file's JSON header


def shown_path(path: Path) -> str:
    """A file's path as messages name it: inside attnviz, from the package (`attnviz/...`)."""
    try:
        return str(Path(path).resolve().relative_to(PACKAGE_DIR.parent))
    except (ValueError, OSError, RuntimeError):
        return str(path)


def check_config_sizes(config: Mapping[str, Any], where: str) -> None:
    """Refuse a config whose layers, heads, widths, vocabulary or positions are out of bounds.

    `config` is config.json as read; sub-configs (`text_config`, `encoder`, `decoder`) are
    checked too. `where` names the file in the message.
    """
    for key, value in config.items():
        if isinstance(value, Mapping):
            check_config_sizes(value, where)
        category = CONFIG_SIZES.get(key)
        if category is None or value is None:
            continue
        limit = SIZE_LIMITS[category]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
            raise ValueError(
                f"{where} gives {key} = {value!r}; attnviz opens models whose {category} "
                f"settings are whole numbers from 1 to {limit:,}."
            )


def safetensors_elements(path: Path) -> int:
    """How many numbers the tensors of a safetensors file hold, read from its header.

    Raises ValueError naming the file when it is missing, truncated or not safetensors: the
    header must parse and every tensor's bytes must lie inside the file.
    """
    where = shown_path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            prefix = handle.read(8)
            length = int.from_bytes(prefix, "little") if len(prefix) == 8 else -1
            if not 0 < length <= min(size - 8, MAX_SAFETENSORS_HEADER):
                raise ValueError("no valid header")
            header = json.loads(handle.read(length))
        total, end = 0, 0
        for name, entry in header.items():
            if name == "__metadata__":
                continue
            total += math.prod(int(n) for n in entry["shape"])
            end = max(end, int(entry["data_offsets"][1]))
    except FileNotFoundError:
        raise ValueError(f"The weights file {where} is missing.") from None
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        reason = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        raise ValueError(f"The weights file {where} is damaged ({reason}).") from None
    if 8 + length + end > size:
        raise ValueError(
            f"The weights file {where} is incomplete: its tensors need {8 + length + end:,} "
            f"bytes, the file has {size:,}."
        )
    return total

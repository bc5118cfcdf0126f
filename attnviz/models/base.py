"""What every loaded model offers the rest of attnviz."""

from __future__ import annotations

import dataclasses
import unicodedata
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

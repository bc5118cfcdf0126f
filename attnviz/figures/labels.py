"""Token labels that are safe to hand to Plotly.

Plotly renders a subset of HTML in tick labels, hover text and titles, so every token is
escaped. Heatmap axes are categorical, which would merge repeated tokens ("the" twice) into
one column; each repeat therefore gets a different number of invisible zero-width spaces, so
ticks and hover show the token itself while every position keeps its own column. This keeps
hover text O(tokens) instead of one string per cell.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

ZERO_WIDTH_SPACE = "\u200b"
BLANK_TOKEN = "\u2423"  # "open box", shown for a token that is empty or only whitespace


def escape_token(token: str) -> str:
    """One token as Plotly may show it: HTML-escaped, never blank."""
    if not token.strip():
        return BLANK_TOKEN * max(1, len(token))
    return html.escape(token, quote=False)


def axis_labels(tokens: Sequence[str]) -> list[str]:
    """Escaped, unique category labels for a token axis, in token order."""
    seen: dict[str, int] = {}
    labels = []
    for token in tokens:
        label = escape_token(token)
        repeat = seen.get(label, 0)
        seen[label] = repeat + 1
        labels.append(label + ZERO_WIDTH_SPACE * repeat)
    return labels


def token_from_label(label: str) -> str:
    """The token an axis label shows (inverse of `axis_labels` for display purposes)."""
    return html.unescape(label.rstrip(ZERO_WIDTH_SPACE))

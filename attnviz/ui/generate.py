"""Sections of the /generate page: the next-token distribution, the causal map, every head.

Each takes plain values and a Run and draws one part of the page; the page holds the widgets.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

import numpy as np
import streamlit as st

from attnviz.analysis.next_token import draw, reshaped
from attnviz.attention import Run
from attnviz.figures.grid import model_overview, thumbnail_note
from attnviz.figures.heatmap import head_heatmap
from attnviz.figures.next_token import next_token_bars
from attnviz.ui.safe_text import escape_markdown
from attnviz.ui.widgets import Download, clicked_key, file_stem, show_chart

INTRODUCTION = (
    "A **language model** reads a text and gives, for the next token, a probability for "
    "every token it knows. Dividing its scores (logits) by a **temperature** before the "
    "softmax sharpens the distribution (below 1) or flattens it (above 1); temperature 0 "
    "always takes the most probable token. **Top-k** keeps only the k most probable tokens. "
    "Press **Next** to append the highlighted token (drawn from the bars with the seed, or "
    "the one you clicked) and watch the causal map grow by one row: each new token can look "
    "only at the tokens before it."
)


@dataclasses.dataclass(frozen=True)
class Pick:
    """The token that Next appends: its id, as shown, and whether it was clicked or drawn."""

    token_id: int
    token: str
    probability: float
    clicked: bool


def chart_key(prefix: str, run: Run) -> str:
    """A new chart (and so no stale click) for every text."""
    return f"{prefix}.bars.{len(run.source_tokens)}.{abs(hash(run.text)) % 10**8}"


def next_token_section(
    run: Run, temperature: float, top_k: int, seed: int, prefix: str
) -> Pick | None:
    """Bars of the next-token distribution after the text, reshaped by the controls; returns
    the token Next appends (None when the model gives no predictions)."""
    last = run.extras.get("last_logits")
    if not last:
        st.info("This model gives no next-token predictions; pick a causal language model.")
        return None
    probabilities, excluded = reshaped(np.array(last["logits"]), temperature, top_k)
    key = chart_key(prefix, run)
    picked = clicked_key(key)
    clicked = bool(picked) and 0 <= picked[0] < len(probabilities) and not excluded[picked[0]]
    index = picked[0] if clicked else draw(probabilities, seed, len(run.source_tokens))
    title = f"Next token after “{run.source_tokens[-1]}” · temperature {temperature:g}" + (
        f" · top-{top_k}" if top_k else ""
    )
    figure = next_token_bars(last["tokens"], probabilities, title, index, excluded)
    table = (probabilities[None].astype(np.float32), ("p",), tuple(last["tokens"]))
    stem = file_stem(run.model, "next-token", f"T{temperature:g}", f"k{top_k}")
    show_chart(figure, key, on_select=lambda: None, download=Download(stem, table))
    st.caption(
        f"The {len(probabilities)} most probable tokens; click a bar to choose it. Without a "
        "click, Next appends the token drawn with the seed (highlighted)."
    )
    token = last["tokens"][index]
    return Pick(int(last["ids"][index]), token, float(probabilities[index]), clicked)


def causal_map_section(run: Run, layer: int, head: int, prefix: str) -> None:
    """The chosen head's causal map: one row per token, the newest at the bottom."""
    maps = run.maps["decoder_self"]
    title = f"{run.model} · decoder_self · layer {layer} · head {head}"
    figure = head_heatmap(
        maps.head(layer, head), maps.query_tokens, maps.key_tokens, title, maps.visible
    )
    matrix = (maps.head(layer, head), maps.query_tokens, maps.key_tokens)
    show_chart(
        figure,
        f"{prefix}.map",
        download=Download(file_stem(run.model, "decoder_self", layer, head), matrix, lambda: run),
    )
    st.caption(
        "Rows are queries, columns are keys; grey cells are the future, which a causal "
        "model may not see. The last row is the position that predicts the next token."
    )


def all_heads_section(run: Run, layer: int, head: int, prefix: str) -> None:
    """Every layer x head as thumbnails, and a link to the Heads explorer."""
    maps = run.maps["decoder_self"]
    figure = model_overview(maps.weights, (layer, head), maps.visible)
    show_chart(figure, f"{prefix}.overview")
    st.caption(thumbnail_note(len(maps.query_tokens), len(maps.key_tokens)))
    link = heads_link(run.model, run.text, layer, head)
    st.markdown(f"[Open this text in the Heads explorer]({link})")


def heads_link(model: str, text: str, layer: int, head: int) -> str:
    """/heads with this model, text and head (URL-encoded, so any text is safe)."""
    query = {"model": model, "text": text, "kind": "decoder_self", "layer": layer, "head": head}
    return "/heads?" + urlencode(query)


def show_pick(pick: Pick) -> None:
    how = "clicked" if pick.clicked else "drawn with the seed"
    st.markdown(
        f"Next token ({how}): **{escape_markdown(pick.token)}**, p = {pick.probability:.3f}"
    )

"""Pieces of /tasks: a sentiment classifier's or a memory network's attention, read at a glance.

Attention pooling (Yang et al. 2016) gives one weight per word: which words the summary of
the sentence is made of. MiniLM has no single pooling query, so its [CLS] row of one head,
and the rollout over all layers (Abnar and Zuidema 2020), stand in for it. A memory network
(Sukhbaatar et al. 2015) attends over the story's sentences once per hop.
"""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np
import streamlit as st

from attnviz.analysis import attention_rollout
from attnviz.attention import Run
from attnviz.figures.tasks import memory_heatmap, probability_bars, shaded_words, weight_bars
from attnviz.ui.cache import get_run
from attnviz.ui.safe_text import escape_markdown, show_error, show_info
from attnviz.ui.widgets import Download, file_stem, show_chart

SENTIMENT_MODELS = ("sentiment-bigru", "sentiment-minilm")
QA_MODEL = "qa-memnet"
SENTIMENT_INTRODUCTION = (
    "A classifier that attends reads every word, then asks one question of the whole "
    "sentence: *which words decide its sentiment?* In **attention pooling** (Yang et al. "
    "2016) a learned query scores each word's encoder state; a softmax turns the scores into "
    "weights that sum to 1, and the weighted sum of the states is classified. The shading "
    "shows those weights: the words the model built its verdict from."
)
MINILM_NOTE = (
    "MiniLM has no single pooling query: its head reads the mean of the last layer's states. "
    "The **[CLS] row** of one head shows what that position attends to in that layer; the "
    "**rollout** (Abnar and Zuidema 2020) multiplies the head-averaged maps of every layer, "
    "adding the residual connection, to trace what [CLS] draws on from the input words."
)
QA_INTRODUCTION = (
    "An **end-to-end memory network** (Sukhbaatar et al. 2015) stores each sentence of the "
    "story as a memory. The question becomes a query; in each of three **hops** the query "
    "scores every memory, a softmax turns the scores into weights, and the weighted sum of "
    "the memories is added to the query before the next hop. After the last hop it picks the "
    "answer. Each column below is one hop: outlined is the sentence it attended to most."
)


def show_notes(run: Run) -> None:
    """The run's notes (words outside the vocabulary, a cut text), escaped: they quote the user."""
    for note in run.notes:
        show_info(note)


def show_prediction(run: Run, what: str) -> None:
    """The label or answer in large type, with its probability."""
    chances = run.probabilities or {}
    label = run.output_text or ""
    chance = chances.get(label)
    shown = escape_markdown(label)
    suffix = f" (probability {chance:.1%})" if chance is not None else ""
    st.markdown(f"### {what}: **{shown}**{suffix}")


def show_probabilities(run: Run, key: str, title: str) -> None:
    if run.probabilities:
        show_chart(probability_bars(run.probabilities, title), key)


def pooling_view(run: Run, key: str) -> None:
    """sentiment-bigru: the words shaded by their pooling weight, the bars and the scores."""
    maps = run.maps["pooling"]
    weights = maps.weights[0, 0, 0]  # [token]
    tokens = maps.key_tokens
    title = "Attention pooling: how much each word counts in the summary"
    download = Download(
        file_stem(run.model, "pooling"), (maps.weights[0, 0], ("[summary]",), tokens), lambda: run
    )
    show_chart(shaded_words(weights, tokens, title), f"{key}.words", download=download)
    top = np.argsort(-weights)[:3]
    words = ", ".join(f"“{escape_markdown(tokens[i])}” ({weights[i]:.2f})" for i in top)
    st.caption(f"Heaviest words: {words}. The weights sum to {float(weights.sum()):.4f}.")
    left, right = st.columns(2)
    with left:
        show_chart(
            weight_bars(weights, tokens, "Pooling weights α (softmax of the scores)"), f"{key}.bars"
        )
    with right:
        if maps.scores is not None:
            show_chart(
                weight_bars(
                    maps.scores[0, 0, 0], tokens, "Scores u·tanh(W h + b), before the softmax"
                ),
                f"{key}.scores",
            )


def cls_rollout(run: Run) -> np.ndarray:
    """The rollout's [CLS] row `[token]` over all layers of the run's encoder."""
    weights = run.maps["encoder_self"].weights  # [layer, head, query, key]
    return attention_rollout(weights, weights.shape[0] - 1)[0]


def heads_link(model: str, text: str, layer: int, head: int) -> str:
    """The /heads URL that opens this model, text and head."""
    query = {"model": model, "text": text, "kind": "encoder_self", "layer": layer, "head": head}
    return "/heads?" + urlencode(query)


def minilm_view(run: Run, layer: int, head: int, key: str) -> None:
    """sentiment-minilm: the [CLS] row of one head, and the rollout's [CLS] row."""
    maps = run.maps["encoder_self"]
    tokens = maps.key_tokens
    row = maps.head(layer, head)[0]  # [key]: what [CLS] attends to
    download = Download(
        file_stem(run.model, "cls", layer, head),
        (maps.head(layer, head)[:1], tokens[:1], tokens),
        None,
    )
    show_chart(
        shaded_words(row, tokens, f"[CLS] row · layer {layer} · head {head}"),
        f"{key}.cls",
        download=download,
    )
    rollout = cls_rollout(run)
    rollout_download = Download(
        file_stem(run.model, "rollout_cls"), (rollout[None, :], tokens[:1], tokens), lambda: run
    )
    show_chart(
        shaded_words(rollout, tokens, "Rollout over all 6 layers · [CLS] row"),
        f"{key}.rollout",
        download=rollout_download,
    )
    st.caption(MINILM_NOTE)
    link = heads_link(run.model, run.text, layer, head)
    st.markdown(f"[Open every head of this model on this text in /heads]({link})")


def memory_view(run: Run, key: str) -> None:
    """qa-memnet: the hop x sentence heatmap, the answer and its probabilities."""
    maps = run.maps["memory"]
    weights = maps.weights[:, 0, 0]  # [hop, sentence]
    question = maps.query_tokens[0]
    title = f"{question} → {run.output_text}"
    matrix = (weights, tuple(f"hop {h}" for h in range(len(weights))), maps.key_tokens)
    download = Download(file_stem(run.model, "memory"), matrix, lambda: run)
    show_chart(memory_heatmap(weights, maps.key_tokens, title), f"{key}.memory", download=download)
    parts = []
    for hop, sentence in enumerate(weights.argmax(axis=1)):
        shown = escape_markdown(maps.key_tokens[sentence])
        parts.append(f"hop {hop}: “{shown}” ({weights[hop, sentence]:.2f})")
    st.caption("Most attended: " + "; ".join(parts) + ".")


def run_or_error(model: str, text: str) -> Run | None:
    """The shared run, or None with the reason shown (bad input, no weights)."""
    try:
        return get_run(model, text)
    except ValueError as error:
        show_error(str(error))
        return None

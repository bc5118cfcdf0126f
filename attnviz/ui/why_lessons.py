"""Why attention: two lessons on the real translators, each with one interactive figure.

- `why_attention`: quality by sentence length for rnnenc-en-es (no attention), bahdanau-en-es
  and transformer-en-es, the shipped figures of `python -m attnviz.training by-length`;
- `vanishing_gradients`: for a sentence the student types, how much of one output token's
  loss gradient reaches each source word, computed live in both RNN translators.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from attnviz.analysis.gradients import SourceGradients, share_by_position, source_gradients
from attnviz.figures.why import MODEL_LABELS, gradient_figure, quality_by_length_figure
from attnviz.ui.cache import get_model
from attnviz.ui.safe_text import escape_markdown, show_error
from attnviz.ui.widgets import Download, show_chart

KEY = "lesson"
GRADIENT_MODELS = ("rnnenc-en-es", "bahdanau-en-es")
LONG_SENTENCE = (
    "When my parents were young, they lived in a small flat above a shop in the old part of "
    "the city, and they had very little money, but they say that those were the happiest "
    "years of their lives."
)


def why_attention() -> None:
    """RNNenc against RNNsearch (Bahdanau et al. 2014, Figure 2), measured on our models."""
    st.markdown(
        "The **RNN encoder-decoder** (Cho et al. 2014, *Learning Phrase Representations using "
        "RNN Encoder-Decoder for Statistical Machine Translation*; Sutskever, Vinyals and Le "
        "2014 did the same with LSTMs) reads the source sentence into one fixed-length vector "
        "$c$, the encoder's final state, and the decoder writes the translation from $c$ "
        "alone. Bahdanau, Cho and Bengio (2014, *Neural Machine Translation by Jointly "
        "Learning to Align and Translate*, ICLR 2015) called this model **RNNenc** and "
        "argued that one vector is a bottleneck for long sentences. Their **RNNsearch** "
        "gives the decoder a new context $c_i$ at every output step $i$, an attention-"
        "weighted sum of one annotation $h_j$ per source word:"
    )
    st.latex(
        r"\text{RNNenc: } s_i = f(s_{i-1}, y_{i-1}, c) \qquad "
        r"\text{RNNsearch: } s_i = f(s_{i-1}, y_{i-1}, c_i),\ \ "
        r"c_i = \sum_{j=1}^{T_x} \alpha_{ij} h_j"
    )
    st.markdown(
        "Their Figure 2 plots BLEU on the English-to-French test set (WMT'14) against "
        "sentence length: RNNenc's score falls steeply as the sentences get longer, "
        "RNNsearch's much less, and RNNsearch-50 (trained on sentences of up to 50 words) "
        "shows no fall even at 50 words and more. Cho et al. (2014, *On the Properties of "
        "Neural Machine Translation: Encoder-Decoder Approaches*) had measured the same fall "
        "for the encoder-decoder. Attention did not start with the Transformer (Vaswani et "
        "al. 2017), and *Effective Approaches to Attention-based Neural Machine Translation* "
        "(Luong, Pham and Manning 2015) came a year after Bahdanau, Cho and Bengio, comparing "
        "simpler scores."
    )
    st.markdown(
        "**Our version.** `rnnenc-en-es` is `bahdanau-en-es` without attention: the same "
        "bidirectional GRU encoder, decoder, sizes and tokens, trained from scratch on the "
        "same corpus, with $c = [\\overrightarrow{h}_{T}; \\overleftarrow{h}_1]$, the two "
        "directions' final states, as the context of every step. The figure scores the three "
        "translators on held-out sentences of 5 to 40 words, never trained on, with chrF "
        "(character n-gram F-score, 0 to 100) against Apertium's translation, the teacher "
        "the models imitate."
    )
    from attnviz.training.by_length import read_result

    try:
        result = read_result()
    except ValueError as error:
        show_error(str(error))
        return
    names = tuple(result["chrf"])
    chosen = st.multiselect(
        "Translators",
        names,
        default=names,
        key=f"{KEY}.by_length_models",
        format_func=lambda name: MODEL_LABELS.get(name, name),
    )
    shown = {**result, "chrf": {name: result["chrf"][name] for name in chosen}}
    if not chosen:
        st.warning("Choose at least one translator to draw.")
    else:
        buckets = tuple(b["words"] for b in result["buckets"])
        scores = np.array([shown["chrf"][n] for n in chosen], dtype=np.float32)
        show_chart(
            quality_by_length_figure(shown),
            f"{KEY}.by_length",
            download=Download("quality-by-length", (scores, tuple(chosen), buckets)),
        )
    st.markdown(by_length_summary(result))


def by_length_summary(result: dict[str, Any]) -> str:
    """What the shipped figures show, in sentences computed from them."""
    chrf, buckets = result["chrf"], [b["words"] for b in result["buckets"]]
    base, attention = chrf.get("rnnenc-en-es"), chrf.get("bahdanau-en-es")
    if base is None or attention is None:
        return "The figures lack rnnenc-en-es or bahdanau-en-es, so there is no comparison."
    gaps = [a - b for a, b in zip(attention, base, strict=True)]
    drop_base, drop_attention = base[0] - base[-1], attention[0] - attention[-1]
    sentences = [
        f"From {buckets[0]} to {buckets[-1]} words, rnnenc-en-es falls from {base[0]:.1f} to "
        f"{base[-1]:.1f} chrF ({drop_base:.1f} points) and bahdanau-en-es from "
        f"{attention[0]:.1f} to {attention[-1]:.1f} ({drop_attention:.1f} points).",
        f"Attention is worth {gaps[0]:+.1f} chrF on the shortest sentences and "
        f"{gaps[-1]:+.1f} on the longest.",
    ]
    if gaps[-1] > gaps[0] and drop_base > drop_attention:
        sentences.append(
            "So our models show Bahdanau et al.'s finding: without attention quality falls "
            "faster with length, and the gap grows with the sentence."
        )
    else:
        sentences.append(
            "So our models do not show Bahdanau et al.'s finding: the gap does not grow with "
            "the sentence here."
        )
        if gaps[0] > 10:
            sentences.append(
                "rnnenc-en-es is far behind already on the shortest sentences: with about an "
                "hour on two shared CPU cores it has not learnt to translate short sentences "
                "well, so what limits it here is training, before the length of the sentence "
                "can."
            )
    if "transformer-en-es" in chrf:
        t = chrf["transformer-en-es"]
        sentences.append(
            f"The Transformer, all attention, scores {t[0]:.1f} and {t[-1]:.1f} on the same "
            "buckets."
        )
    sentences.append(
        "Unlike RNNsearch-50, bahdanau-en-es still loses quality on long sentences: it is "
        "small, trained for about an hour on two CPU cores, and most of its training "
        "sentences are short."
    )
    return " ".join(sentences)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_gradients(model: str, text: str, step: int) -> tuple[SourceGradients, str | None]:
    """The gradients, and the source token the model's attention weighs most at this step
    (None without attention)."""
    loaded = get_model(model)
    gradients = source_gradients(loaded, text, step)
    run = loaded.run(text)
    if "cross" not in run.maps:
        return gradients, None
    weights = run.maps["cross"].weights[0, 0, step]  # [source]
    return gradients, run.source_tokens[int(np.argmax(weights))]


def vanishing_gradients() -> None:
    """How much of one output token's loss reaches each source word, with and without
    attention."""
    st.markdown(
        "Training corrects each output word's error, its loss $L_i = -\\log p(y_i)$, by "
        "sending the gradient back to every weight and every input it came from. In a "
        "recurrent network the way back from the encoder's final state to word $j$ "
        "multiplies one Jacobian per step in between; when those factors are smaller than "
        "1 the product shrinks exponentially with the distance, the **vanishing gradient** "
        "(Hochreiter 1991; Bengio, Simard and Frasconi 1994). GRU and LSTM gates slow the "
        "shrinking, they do not stop it. Without attention the decoder reaches the sentence "
        "only through the final state:"
    )
    st.latex(
        r"\frac{\partial L_i}{\partial x_j} = \frac{\partial L_i}{\partial c}\,"
        r"\frac{\partial c}{\partial \overrightarrow{h}_{T}}"
        r"\prod_{t=j+1}^{T} \frac{\partial \overrightarrow{h}_t}{\partial \overrightarrow{h}_{t-1}}"
        r"\,\frac{\partial \overrightarrow{h}_j}{\partial x_j} + "
        r"(\text{the same through } \overleftarrow{h}_1)"
    )
    st.markdown(
        "With attention, $c_i = \\sum_j \\alpha_{ij} h_j$ adds a path of one step from the "
        "loss to every annotation $h_j$, with factor $\\alpha_{ij}$. Below, both translators "
        "read the same sentence; each line is the size $\\lVert \\partial L_i / \\partial "
        "x_j \\rVert$ of the gradient at every source token's embedding, for the loss of "
        "the token each model itself wrote at output step $i$, computed now."
    )
    text = st.text_input(
        "A long English sentence", LONG_SENTENCE, key=f"{KEY}.gradient_text", max_chars=600
    )
    left, right = st.columns(2)
    step = int(right.number_input("Output token i", 1, 60, 1, key=f"{KEY}.gradient_step")) - 1
    share = left.checkbox(
        "Divide each line by its sum (compare shapes)", True, key=f"{KEY}.gradient_share"
    )
    if not text.strip():
        st.warning("The text is empty; type an English sentence.")
        return
    try:
        computed = [cached_gradients(name, text, step) for name in GRADIENT_MODELS]
    except ValueError as error:
        show_error(str(error))
        return
    gradients = [g for g, _ in computed]
    values = np.stack([share_by_position(g.norms) if share else g.norms for g in gradients])
    show_chart(
        gradient_figure(gradients, share),
        f"{KEY}.gradients",
        download=Download(
            "source-gradients",
            (values.astype(np.float32), GRADIENT_MODELS, gradients[0].source_tokens),
        ),
    )
    st.markdown(gradient_summary(computed))


def gradient_summary(computed: list[tuple[SourceGradients, str | None]]) -> str:
    """Each model's output token, the middle third's share of its gradient, its top word and,
    with attention, the word the step attends to most."""
    parts = []
    for g, attended in computed:
        shares = share_by_position(g.norms)
        third = max(1, len(shares) // 3)
        middle = float(shares[third : len(shares) - third].sum())
        top = int(np.argmax(shares))
        word = escape_markdown(g.target_tokens[g.step])
        parts.append(
            f"**{escape_markdown(g.model)}** (output token “{word}”): the middle third of the "
            f"sentence gets {middle:.0%} of the gradient, the most ({shares[top]:.0%}) goes "
            f"to “{escape_markdown(g.source_tokens[top])}”"
            + (
                ""
                if attended is None
                else f", and its attention looks most at “{escape_markdown(attended)}”"
            )
        )
    return (
        "; ".join(parts)
        + ". Our encoder reads the sentence in both directions, and the decoder starts from "
        "the backward direction's final state, which read the first words last: without "
        "attention the first words are a few steps from the decoder and every other word "
        "is many steps away."
    )

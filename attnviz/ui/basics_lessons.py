"""The basics before attention, as lessons with one live figure each: activation functions,
softmax and its temperature, dropout, and optimizers on one loss surface.

Every figure is computed from the controls beside it (`attnviz.analysis.basics`), never a
picture; each has a Download menu.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attnviz.analysis import basics
from attnviz.figures.basics import (
    activation_figure,
    dropout_figure,
    optimizer_figure,
    softmax_figure,
)
from attnviz.ui.widgets import Download, show_chart

KEY = "lesson"


def activations() -> None:
    """Sigmoid, tanh, ReLU and Leaky ReLU with their derivatives; saturation and gradients."""
    st.markdown(
        "A **neuron** computes a weighted sum of its inputs plus a bias, $z = w^\\top x + b$, "
        "and passes it through an **activation function** $f$: its output is $f(z)$. Without "
        "a non-linear $f$, layers stacked on layers would still compute one linear function."
    )
    st.latex(r"\sigma(z) = \frac{1}{1 + e^{-z}} \qquad \operatorname{ReLU}(z) = \max(0, z)")
    name = st.radio(
        "Activation", tuple(basics.ACTIVATIONS), horizontal=True, key=f"{KEY}.activation"
    )
    x = np.linspace(-6, 6, 241)
    values, derivative = basics.activation_curves(name, x)
    figure = activation_figure(x, values, derivative, name)
    show_chart(figure, f"{KEY}.activations", download=Download(f"activation-{name}"))
    st.markdown(
        "Training sends the error back through every layer, multiplying by $f'(z)$ at each "
        "one. Sigmoid and tanh **saturate**: for large $|z|$ their derivative is almost 0 "
        "(sigmoid's is at most 0.25), so through many layers the gradient shrinks towards "
        "nothing, the *vanishing gradient*. ReLU's derivative is exactly 1 for $z > 0$, "
        "which is why deep networks train with it; Leaky ReLU keeps a small slope for "
        "$z < 0$ so a unit can never get stuck at 0. Activation functions make a network "
        "non-linear; they do not prevent overfitting (that is the job of more data, "
        "weight decay, dropout and early stopping)."
    )


def softmax_lesson() -> None:
    """Scores to weights, with a temperature slider."""
    st.markdown(
        "**Softmax** turns any scores into weights that are positive and sum to 1; it is "
        "the middle step of every attention. Dividing the scores by a **temperature** $T$ "
        "first changes how peaked the weights are:"
    )
    st.latex(r"\alpha_j = \frac{\exp(e_j / T)}{\sum_k \exp(e_k / T)}")
    temperature = st.slider("Temperature T", 0.1, 5.0, 1.0, 0.1, key=f"{KEY}.temperature")
    labels = ("the", "cat", "sat", "on", "the ", "mat")
    scores = np.array([0.5, 3.0, 1.0, -0.5, 0.2, 2.0])
    weights = basics.softmax(scores, temperature)
    figure = softmax_figure(labels, scores, weights, temperature)
    matrix = (weights[None].astype(np.float32), ("weight",), labels)
    show_chart(figure, f"{KEY}.softmax", download=Download("softmax", matrix))
    st.markdown(
        f"At T = {temperature:g} the largest weight is {weights.max():.3f}. As T grows the "
        "weights approach uniform (1/6 each here); as T falls towards 0 they approach all "
        "weight on the largest score, an *argmax*. Scaled dot-product attention divides by "
        "$\\sqrt{d_k}$ for this reason: with large vectors the raw scores grow, and a "
        "too-peaked softmax has tiny gradients. Adding the same number to every score "
        "changes nothing, which is why the maximum can be subtracted before `exp` to avoid "
        "overflow."
    )


def dropout_lesson() -> None:
    """A layer's units switched off at a chosen rate, and the scaling by 1 / (1 - p)."""
    st.markdown(
        "**Dropout** (Srivastava et al. 2014) switches off each unit of a layer with "
        "probability $p$ at every training step, so the network cannot rely on any single "
        "unit and must spread what it knows: a strong defence against overfitting. The kept "
        "units are multiplied by $1/(1-p)$ so the expected value of each unit stays the same; "
        "at evaluation nothing is dropped and nothing is scaled."
    )
    st.latex(
        r"\tilde h_i = \frac{m_i}{1 - p}\, h_i, \qquad m_i \sim \operatorname{Bernoulli}(1 - p)"
    )
    left, right = st.columns(2)
    rate = left.slider("Dropout rate p", 0.0, 0.9, 0.5, 0.05, key=f"{KEY}.rate")
    seed = int(
        right.number_input("Training step (a new mask each step)", 0, 999, 0, key=f"{KEY}.seed")
    )
    before = np.abs(np.sin(np.arange(1, 21) * 1.7)) + 0.2  # one layer's 20 activations
    after, kept = basics.dropout(before, rate, seed)
    figure = dropout_figure(before, after, kept, rate)
    units = tuple(f"unit {i}" for i in range(len(before)))
    matrix = (np.stack([before, after]).astype(np.float32), ("before", "after"), units)
    show_chart(figure, f"{KEY}.dropout", download=Download("dropout", matrix))
    st.markdown(
        f"Mean activation before: {before.mean():.3f}; after dropout, over this step: "
        f"{after.mean():.3f}. Over many steps the mean after dropout equals the mean before. "
        "The translators here train with dropout 0.1."
    )


def optimizers() -> None:
    """SGD, momentum and Adam stepping on the same 2-D loss surface."""
    st.markdown(
        "Training moves the weights downhill on the **loss**, the number that says how wrong "
        "the model is (cross-entropy for the translators). An **optimizer** decides each step "
        "from the gradient $g = \\nabla L(w)$:"
    )
    st.latex(r"\text{SGD: } w \leftarrow w - \eta\, g")
    st.latex(r"\text{momentum: } v \leftarrow \mu v - \eta\, g, \quad w \leftarrow w + v")
    st.latex(
        r"\text{Adam: } m \leftarrow \beta_1 m + (1-\beta_1) g,\ "
        r"s \leftarrow \beta_2 s + (1-\beta_2) g^2,\ "
        r"w \leftarrow w - \eta\, \frac{\hat m}{\sqrt{\hat s} + \epsilon}"
    )
    left, right = st.columns(2)
    rate = left.select_slider(
        "Learning rate η", (0.01, 0.03, 0.1, 0.2, 0.35, 0.5), 0.1, key=f"{KEY}.learning_rate"
    )
    steps = right.slider("Steps", 5, 200, 60, 5, key=f"{KEY}.steps")
    settings = basics.OptimizerSettings(learning_rate=float(rate))
    start = (-9.0, 1.5)
    paths = {m: basics.optimizer_path(m, start, steps, settings) for m in basics.OPTIMIZERS}
    axis1, axis2 = np.linspace(-10, 3, 131), np.linspace(-2.5, 2.5, 101)
    grid = basics.loss_surface(np.stack(np.meshgrid(axis1, axis2), axis=-1))  # [w2, w1]
    figure = optimizer_figure(grid, axis1, axis2, paths)
    show_chart(figure, f"{KEY}.optimizers", download=Download(f"optimizers-lr{rate}"))
    finals = ", ".join(f"{m} {basics.loss_surface(path[-1]):.4f}" for m, path in paths.items())
    st.markdown(
        f"Loss after {steps} steps: {finals}. The valley is steep across and flat along "
        "its length: SGD with a learning rate large enough to move along the valley "
        "zigzags across it (above η = 0.4 it diverges), momentum builds up speed along the "
        "valley, and Adam divides each coordinate's step by its own running gradient size, "
        "so it moves at a similar pace in both directions. The translators here train with "
        "Adam (Kingma and Ba 2015)."
    )

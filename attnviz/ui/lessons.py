"""Short lessons to read beside the pictures, one function each, so any page can show one.

Each lesson writes a few paragraphs and its formulas (LaTeX through `st.latex`) into the
current Streamlit container, some with a live figure; `lesson_picker` lets a student choose one,
and `/classroom?lesson=NAME` opens it (the names are the keys of `LESSONS`).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st


def what_attention_computes() -> None:
    """Score, softmax, weighted sum."""
    st.markdown(
        "Attention lets one position (the **query**) gather information from many others "
        "(the **keys**, each carrying a **value**). It takes three steps:\n\n"
        "1. **Score** every key against the query: one number per key, large when the key is "
        "relevant to the query.\n"
        "2. **Softmax** turns the scores into weights that are positive and add up to 1.\n"
        "3. **Weighted sum**: the result is the average of the values, weighted by step 2."
    )
    st.latex(r"e_j = \operatorname{score}(q, k_j)")
    st.latex(r"\alpha_j = \frac{\exp(e_j)}{\sum_{l=1}^{n} \exp(e_l)}")
    st.latex(r"c = \sum_{j=1}^{n} \alpha_j \, v_j")
    st.markdown(
        "The heatmaps in attnviz draw the weights $\\alpha_j$: one row per query, one column "
        "per key, and every row sums to 1. The weights say where a model looked, not why it "
        "decided what it did: whether attention explains a prediction is debated (Jain and "
        "Wallace 2019, *Attention is not Explanation*; Wiegreffe and Pinter 2019, *Attention "
        "is not not Explanation*)."
    )


def bahdanau_attention() -> None:
    """Bahdanau, Cho and Bengio's additive score."""
    st.markdown(
        "Bahdanau, Cho and Bengio (2014, *Neural Machine Translation by Jointly Learning to "
        "Align and Translate*, published at ICLR 2015) brought attention to translation. "
        "Before it, an encoder squeezed the whole sentence into one fixed vector. Their "
        "bidirectional RNN encoder keeps one annotation $h_j$ per source token instead, and "
        "before writing output token $i$ the decoder scores each annotation against its "
        "previous state $s_{i-1}$ with a small feed-forward network, the **additive** score:"
    )
    st.latex(r"e_{ij} = v_a^\top \tanh\left(W_a s_{i-1} + U_a h_j\right)")
    st.latex(r"\alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k} \exp(e_{ik})}")
    st.latex(r"c_i = \sum_j \alpha_{ij} h_j")
    st.markdown(
        "The context $c_i$ goes into the decoder's next step. The paper called the weights "
        "$\\alpha_{ij}$ an **alignment**: the model learns, without being told, which source "
        "words each output word comes from. The date model on this page is built the same "
        "way, one character at a time: once trained, its year digits should attend to the "
        "year, its month digits to the month name or number."
    )


def luong_attention() -> None:
    """Luong, Pham and Manning's dot and general scores."""
    st.markdown(
        "Luong, Pham and Manning (2015, *Effective Approaches to Attention-based Neural "
        "Machine Translation*, EMNLP 2015) compared simpler, **multiplicative** scores. "
        "They score the decoder's *current* state $h_t$ against each source state "
        "$\\bar h_s$:"
    )
    st.latex(r"\text{dot:} \quad h_t^\top \bar h_s")
    st.latex(r"\text{general:} \quad h_t^\top W_a \bar h_s")
    st.markdown(
        "Dot needs no parameters but requires the two states to have the same size and to "
        "live in comparable spaces; general learns a matrix $W_a$ that relates them. The "
        "paper also has a *concat* score, close to Bahdanau's additive one, and *local* "
        "attention, which looks only at a window of source positions. The weighted sum "
        "$c_t$ is combined with $h_t$ into $\\tilde h_t = \\tanh(W_c [c_t; h_t])$, "
        "which predicts the next word."
    )
    st.markdown(
        "**The Luong models in attnviz** (`luong-dot-en-es`, `luong-general-en-es`) are "
        "Bahdanau's decoder with Luong's scores, so that the score is the only thing that "
        "differs between the translators: like Bahdanau's, they score the *previous* "
        "decoder state $s_{i-1}$ against each encoder state $h_j$, and the context goes into "
        "the next recurrent step. In the notation of the Translate page:"
    )
    st.latex(r"\text{dot:} \quad e_{ij} = s_{i-1}^\top h_j")
    st.latex(r"\text{general:} \quad e_{ij} = s_{i-1}^\top W_a\, h_j")


def scaled_dot_product_attention() -> None:
    """Vaswani et al.'s scaled dot-product attention."""
    st.markdown(
        "The Transformer (Vaswani et al. 2017, *Attention Is All You Need*, NeurIPS 2017) "
        "drops the RNN and uses attention everywhere. Each token's vector is projected into "
        "a query, a key and a value; all queries are scored against all keys at once as "
        "dot products, divided by $\\sqrt{d_k}$, and the softmax of each row is the map "
        "$A$ that attnviz draws:"
    )
    st.latex(r"A = \operatorname{softmax}\!\left(\frac{Q K^\top}{\sqrt{d_k}}\right)")
    st.latex(r"\operatorname{Attention}(Q, K, V) = A V")
    st.markdown(
        "Why divide? If the $d_k$ components of a query and a key are independent, with "
        "mean 0 and variance 1, their dot product has variance $d_k$. Large scores push "
        "the softmax towards one-hot weights, where its gradients almost vanish; dividing by "
        "$\\sqrt{d_k}$ brings the variance back to 1. In **self-attention** queries, keys "
        "and values come from the same sequence (`encoder_self`, `decoder_self` in "
        "attnviz); in **cross-attention** the decoder's queries look at the encoder's "
        "output (`cross`)."
    )


def attention_heads() -> None:
    """What a head is and why heads differ."""
    st.markdown(
        "A Transformer layer runs several attentions side by side, the **heads**. Each "
        "head $i$ has its own projections into a smaller space ($d_k = d_{model} / h$ for "
        "$h$ heads), $Q_i = Q W_i^Q$, $K_i = K W_i^K$, $V_i = V W_i^V$, so each can score "
        "different relations:"
    )
    st.latex(r"\operatorname{head}_i = \operatorname{Attention}(Q_i, K_i, V_i)")
    st.markdown("The layer joins (concatenates) the heads' outputs and projects them back:")
    st.latex(r"[\operatorname{head}_1; \dots; \operatorname{head}_h] \, W^O")
    st.markdown(
        "Heads differ because they start from different random projections and "
        "nothing forces them to agree; training rewards heads that contribute something "
        "the others do not. In BERT, Clark et al. (2019, *What Does BERT Look At?*) found "
        "heads that attend to the previous or the next token, to [SEP] or punctuation, and "
        "heads that follow syntax, such as objects attending to their verbs. Many heads "
        "can be switched off at little cost (Michel, Levy and Neubig 2019, *Are Sixteen "
        "Heads Really Better than One?*; Voita et al. 2019): try it on the Compare page."
    )


def masking() -> None:
    """What masking does."""
    st.markdown(
        "A **mask** hides keys that a query must not see. Before the softmax, a hidden key's "
        "score is set to $-\\infty$ (in practice a very large negative number), so its "
        "weight becomes exactly 0 and the other weights in the row still sum to 1:"
    )
    st.latex(r"\operatorname{softmax}\!\left(\frac{Q K^\top}{\sqrt{d_k}} + M\right)")
    st.latex(
        r"M_{ij} = \begin{cases} 0 & \text{if query } i \text{ may see key } j \\ "
        r"-\infty & \text{otherwise} \end{cases}"
    )
    st.markdown(
        "- A **padding mask** hides the filler tokens that make sentences of a batch the "
        "same length.\n"
        "- A **causal mask** hides the future in a decoder ($M_{ij} = -\\infty$ for "
        "$j > i$): while training, each position predicts the next token and must not "
        "peek at it. The map is then lower-triangular.\n\n"
        "attnviz draws masked cells in grey, never as a weight of 0, so a hidden key and "
        "an ignored one look different."
    )


def _basics() -> dict[str, tuple[str, Callable[[], None]]]:
    from attnviz.ui import basics_lessons as basics

    return {
        "activations": ("Activation functions and their gradients", basics.activations),
        "softmax": ("Softmax: from scores to weights, and its temperature", basics.softmax_lesson),
        "dropout": ("Dropout: switching units off in training", basics.dropout_lesson),
        "optimizers": ("Optimizers: SGD, momentum and Adam", basics.optimizers),
    }


def _induction() -> dict[str, tuple[str, Callable[[], None]]]:
    from attnviz.ui.induction_lesson import induction_heads

    return {"induction-heads": ("Induction heads: how a model copies (2022)", induction_heads)}


def _why() -> dict[str, tuple[str, Callable[[], None]]]:
    from attnviz.ui import why_lessons as why

    return {
        "why-attention": ("Why attention: quality by sentence length", why.why_attention),
        "vanishing-gradients": (
            "Vanishing gradients, with and without attention",
            why.vanishing_gradients,
        ),
    }


# URL name (/classroom?lesson=NAME) -> (title, lesson), in the order a course takes them.
LESSONS: dict[str, tuple[str, Callable[[], None]]] = {
    **_basics(),
    "what-attention": ("What attention computes", what_attention_computes),
    **_why(),
    "bahdanau": ("Bahdanau's additive attention (2014)", bahdanau_attention),
    "luong": ("Luong's dot and general scores (2015)", luong_attention),
    "scaled-dot-product": ("Scaled dot-product attention (2017)", scaled_dot_product_attention),
    "heads": ("Heads: why several, and why they differ", attention_heads),
    "masking": ("Masking: what a query may not see", masking),
    **_induction(),
}
DEFAULT_LESSON = "bahdanau"


def lesson_picker(key: str) -> str:
    """A choice of lesson (its value in `st.session_state[key]`), and the chosen one shown."""
    name = st.selectbox(
        "Lesson", tuple(LESSONS), key=key, format_func=lambda name: LESSONS[name][0]
    )
    st.subheader(LESSONS[name][0])
    LESSONS[name][1]()
    return name

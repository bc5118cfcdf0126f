"""/generate: a language model's next-token distribution, sampling, and its causal map growing.

`GenerateView` is the page's state between the URL and the widgets; the controls return it,
and each section takes plain values and a Run and draws one part of the page.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from urllib.parse import urlencode

import numpy as np
import streamlit as st

from attnviz.analysis.next_token import draw, reshaped
from attnviz.attention import Run
from attnviz.figures.grid import model_overview, thumbnail_note
from attnviz.figures.heatmap import head_heatmap
from attnviz.figures.next_token import next_token_bars
from attnviz.models import sampling
from attnviz.ui.cache import get_model, get_run
from attnviz.ui.clickable_chart import clicked_point
from attnviz.ui.controls import load_info, model_from_url
from attnviz.ui.safe_text import escape_markdown, show_error, show_info
from attnviz.ui.url import page_params, read_int
from attnviz.ui.view_state import PageView, check_index, keep_pending_head, layer_head_pickers
from attnviz.ui.widgets import FOLDER_CHOICE, Download, file_stem, show_chart

MODEL = "gpt-austen"
DEFAULT_TEXT = "It was a fine morning, and Elizabeth"
MAX_CHARS = 2_000
TEMPERATURES = (0.0, 2.0)
MAX_TOP_K = sampling.TOP_LOGITS
SEEDS = 10**6  # seeds 0..SEEDS-1
CONTINUE_TOKENS = 20
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
class GenerateView(PageView):
    """What /generate shows; in the URL under the field names (layer and head once drawn).

    The model's widgets are two: `generate.model.choice` (gpt-austen or a folder) and
    `generate.model.folder`.
    """

    PAGE = "generate"

    model: str = MODEL  # gpt-austen, or a decoder-only model folder on disk
    text: str = DEFAULT_TEXT  # the prompt
    temperature: float = 1.0  # in TEMPERATURES; 0 takes the most probable token
    top_k: int = 0  # 0..MAX_TOP_K; 0 keeps every token shown
    seed: int = 0  # 0..SEEDS-1, for the draw that Next appends
    layer: int | None = None  # of the causal map; None until a model is there to index
    head: int | None = None

    def __post_init__(self) -> None:
        for name in ("model", "text"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be text, not {getattr(self, name)!r}.")
        low, high = TEMPERATURES
        if not low <= self.temperature <= high:
            raise ValueError(
                f"temperature must be from {low:g} to {high:g}, not {self.temperature!r}."
            )
        if self.top_k not in range(MAX_TOP_K + 1):
            raise ValueError(f"top_k must be from 0 to {MAX_TOP_K}, not {self.top_k!r}.")
        if self.seed not in range(SEEDS):
            raise ValueError(f"seed must be from 0 to {SEEDS - 1}, not {self.seed!r}.")
        check_index("layer", self.layer)
        check_index("head", self.head)

    @classmethod
    def from_url(cls, params: Mapping[str, str]) -> tuple[GenerateView, list[str]]:
        """The view a URL asks for (its layer and head are read once the model is known: see
        `keep_pending_head`), and a notice for each value replaced by its default."""
        choice, folder, model_note = model_from_url(params.get("model"), MODEL)
        text = (params.get("text") or "")[:MAX_CHARS]
        temperature, t_note = read_float(params, "temperature", *TEMPERATURES, 1.0)
        top_k, k_note = read_int(params, "top_k", MAX_TOP_K + 1, 0)
        seed, s_note = read_int(params, "seed", SEEDS, 0)
        view = cls(
            folder if choice == FOLDER_CHOICE else MODEL,  # another registry name: gpt-austen
            text if text.strip() else DEFAULT_TEXT,
            round(temperature, 2),
            top_k,
            seed,
        )
        return view, [note for note in (model_note, t_note, k_note, s_note) if note]

    def to_url(self) -> dict[str, object]:
        values = dataclasses.asdict(self)
        return {name: value for name, value in values.items() if value is not None}

    def into_widgets(self, skip: tuple[str, ...] = ()) -> None:
        folder = self.model != MODEL
        st.session_state[f"{self.key('model')}.choice"] = FOLDER_CHOICE if folder else MODEL
        st.session_state[f"{self.key('model')}.folder"] = self.model if folder else ""
        super().into_widgets(skip=(*skip, "model"))


NOTICES = GenerateView.state_key("notices")  # what a callback has to say on the next run


def read_float(
    params: Mapping[str, str], name: str, low: float, high: float, default: float
) -> tuple[float, str | None]:
    """`params[name]` as a number in low..high, or the default and a notice saying why."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default, None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        return default, f"{name} must be a number from {low:g} to {high:g}; using {default:g}."
    return value, None


def notices() -> list[str]:
    """This run's notices: the URL's replaced values on a first visit, a failed Continue."""
    found = st.session_state.pop(NOTICES, [])
    params = page_params(GenerateView.PAGE, GenerateView.key("text"))
    if params is not None:
        view, url_notices = GenerateView.from_url(params)
        view.into_widgets()
        keep_pending_head(GenerateView, params)
        found = url_notices + found
    return found


def model_controls() -> str:
    """gpt-austen, or a decoder-only model folder on disk."""
    key = GenerateView.key("model")
    choice = st.selectbox("Model", (MODEL, FOLDER_CHOICE), key=f"{key}.choice")
    if choice == MODEL:
        return MODEL
    return st.text_input(
        "Model folder",
        key=f"{key}.folder",
        placeholder="a decoder-only Hugging Face folder (GPT-2-like), safetensors only",
    ).strip()


def controls() -> GenerateView:
    """Model, prompt, temperature, top-k and seed; layer and head come with the model's run."""
    model = model_controls()
    key = GenerateView.key
    st.session_state.setdefault(key("text"), DEFAULT_TEXT)
    text = st.text_area("Prompt", key=key("text"), height=90, max_chars=MAX_CHARS)
    columns = st.columns(3)
    temperature = columns[0].slider(
        "Temperature", *TEMPERATURES, step=0.05, key=key("temperature"),
        help="0 always takes the most probable token (greedy).",
    )  # fmt: skip
    top_k = columns[1].slider(
        "Top-k", 0, MAX_TOP_K, key=key("top_k"), help="0 keeps all the tokens shown."
    )
    seed = columns[2].number_input("Seed", 0, SEEDS - 1, step=1, key=key("seed"))
    return GenerateView(model, text, float(temperature), int(top_k), int(seed))


def causal_run(view: GenerateView) -> Run | None:
    """The run of the view's model on its prompt, or None with the reason shown."""
    info = load_info(view.model)
    if info is None:
        return None
    if not view.text.strip():
        st.warning("The prompt is empty; type a few words.")
        return None
    model = get_model(view.model)
    if "decoder_self" not in info.layers or not callable(getattr(model, "append", None)):
        show_error(
            f"{view.model} is not a causal language model; pick gpt-austen or a GPT-2-like folder."
        )
        return None
    try:
        run = get_run(view.model, view.text)
    except ValueError as error:
        show_error(str(error))
        return None
    for note in run.notes:
        show_info(note)
    return run


def with_layer_head(view: GenerateView, run: Run) -> GenerateView:
    """The view with the layer and head picked for the causal map (the URL's values once)."""
    layers, heads = run.maps["decoder_self"].weights.shape[:2]  # [layer, head, query, key]
    layer, head = layer_head_pickers(GenerateView, layers, heads)
    return dataclasses.replace(view, layer=layer, head=head)


def append_token(model: str, text: str, token_id: int) -> None:
    """Callback of Next: the text with one more token."""
    st.session_state[GenerateView.key("text")] = get_model(model).append(text, token_id)[:MAX_CHARS]


def continue_text(view: GenerateView, text: str) -> None:
    """Callback: the model's own sampler adds CONTINUE_TOKENS tokens."""
    try:
        run = get_model(view.model).generate_text(
            text, CONTINUE_TOKENS, view.temperature, view.top_k, view.seed
        )
    except ValueError as error:
        st.session_state[NOTICES] = [str(error)]
        return
    st.session_state[GenerateView.key("text")] = run.text[:MAX_CHARS]


def next_token_controls(run: Run, view: GenerateView) -> None:
    """The next-token bars, the token Next appends, and the Next and Continue buttons."""
    pick = next_token_section(run, view.temperature, view.top_k, view.seed)
    if pick is None:
        return
    show_pick(pick)
    left, right = st.columns(2)
    left.button(
        f"Next: append “{escape_markdown(pick.token)}”",
        key=GenerateView.state_key("next"), type="primary", on_click=append_token,
        args=(view.model, run.text, pick.token_id),
    )  # fmt: skip
    right.button(
        f"Continue {CONTINUE_TOKENS} tokens", key=GenerateView.state_key("continue"),
        on_click=continue_text, args=(view, run.text),
    )  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Pick:
    """The token that Next appends: its id, as shown, and whether it was clicked or drawn."""

    token_id: int
    token: str
    probability: float
    clicked: bool


def text_digest(text: str) -> str:
    """A short name of a text, the context of a click on its bars."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def next_token_section(run: Run, temperature: float, top_k: int, seed: int) -> Pick | None:
    """Bars of the next-token distribution after the text, reshaped by the controls; returns
    the token Next appends (None when the model gives no predictions)."""
    last = run.extras.get("last_logits")
    if not last:
        st.info("This model gives no next-token predictions; pick a causal language model.")
        return None
    probabilities, excluded = reshaped(np.array(last["logits"]), temperature, top_k)
    key, context = GenerateView.state_key("bars"), text_digest(run.text)
    picked = clicked_point(key, context)  # none when the click was on an earlier text's bars
    clicked = bool(picked) and 0 <= picked[0] < len(probabilities) and not excluded[picked[0]]
    index = picked[0] if clicked else draw(probabilities, seed, len(run.source_tokens))
    title = f"Next token after “{run.source_tokens[-1]}” · temperature {temperature:g}" + (
        f" · top-{top_k}" if top_k else ""
    )
    figure = next_token_bars(last["tokens"], probabilities, title, index, excluded)
    table = (probabilities[None].astype(np.float32), ("p",), tuple(last["tokens"]))
    stem = file_stem(run.model, "next-token", f"T{temperature:g}", f"k{top_k}")
    show_chart(figure, key, on_select=lambda: None, download=Download(stem, table), context=context)
    st.caption(
        f"The {len(probabilities)} most probable tokens; click a bar to choose it. Without a "
        "click, Next appends the token drawn with the seed (highlighted)."
    )
    token = last["tokens"][index]
    return Pick(int(last["ids"][index]), token, float(probabilities[index]), clicked)


def causal_map_section(run: Run, layer: int, head: int) -> None:
    """The chosen head's causal map: one row per token, the newest at the bottom."""
    maps = run.maps["decoder_self"]
    title = f"{run.model} · decoder_self · layer {layer} · head {head}"
    figure = head_heatmap(
        maps.head(layer, head), maps.query_tokens, maps.key_tokens, title, maps.visible
    )
    matrix = (maps.head(layer, head), maps.query_tokens, maps.key_tokens)
    show_chart(
        figure,
        GenerateView.state_key("map"),
        download=Download(file_stem(run.model, "decoder_self", layer, head), matrix, lambda: run),
    )
    st.caption(
        "Rows are queries, columns are keys; grey cells are the future, which a causal "
        "model may not see. The last row is the position that predicts the next token."
    )


def all_heads_section(run: Run, layer: int, head: int) -> None:
    """Every layer x head as thumbnails, and a link to the Heads explorer."""
    maps = run.maps["decoder_self"]
    figure = model_overview(maps.weights, (layer, head), maps.visible)
    show_chart(figure, GenerateView.state_key("overview"))
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

"""Model names -> loaders, and the one cache of loaded models. Listing models imports no torch;
loading imports lazily."""

from __future__ import annotations

import dataclasses
import importlib
import os
import threading
from collections.abc import Callable, Hashable
from pathlib import Path

from attnviz.lru import SharedLRU
from attnviz.models.base import PACKAGE_DIR, AttentionModel

WEIGHTS_DIR = PACKAGE_DIR / "weights"  # where the shipped models' files are


@dataclasses.dataclass(frozen=True)
class ModelEntry:
    """One named model of the registry."""

    name: str
    description: str
    kinds: tuple[str, ...]
    loader: str  # "module:function"; the function takes no arguments and returns the model


REGISTRY: dict[str, ModelEntry] = {
    entry.name: entry
    for entry in (
        ModelEntry(
            "minilm-l6",
            "all-MiniLM-L6-v2 sentence encoder, 6 layers x 12 heads, pretrained",
            ("encoder_self",),
            "attnviz.models.hf:load_minilm",
        ),
        ModelEntry(
            "bahdanau-en-es",
            "BiGRU encoder, additive (Bahdanau) attention, GRU decoder; English -> Spanish",
            ("cross",),
            "attnviz.models.rnn:load_bahdanau_en_es",
        ),
        ModelEntry(
            "luong-dot-en-es",
            "The same encoder and decoder with Luong's dot score; English -> Spanish",
            ("cross",),
            "attnviz.models.rnn:load_luong_dot_en_es",
        ),
        ModelEntry(
            "luong-general-en-es",
            "The same encoder and decoder with Luong's general score; English -> Spanish",
            ("cross",),
            "attnviz.models.rnn:load_luong_general_en_es",
        ),
        ModelEntry(
            "rnnenc-en-es",
            "The Bahdanau encoder-decoder without attention (Cho et al. 2014); English -> Spanish",
            (),
            "attnviz.models.rnn:load_rnnenc_en_es",
        ),
        ModelEntry(
            "transformer-en-es",
            "Encoder-decoder Transformer, 3+3 layers x 4 heads; English -> Spanish",
            ("encoder_self", "decoder_self", "cross"),
            "attnviz.models.transformer:load_transformer_en_es",
        ),
        ModelEntry(
            "bahdanau-dates",
            "Character-level date normaliser (any date -> YYYY-MM-DD), additive attention",
            ("cross",),
            "attnviz.models.dates:load_bahdanau_dates",
        ),
        ModelEntry(
            "sentiment-bigru",
            "BiGRU + additive attention pooling; positive / negative sentiment",
            ("pooling",),
            "attnviz.models.sentiment:load_sentiment_bigru",
        ),
        ModelEntry(
            "sentiment-minilm",
            "all-MiniLM-L6-v2 fine-tuned for positive / negative sentiment, 6 layers x 12 heads",
            ("encoder_self",),
            "attnviz.models.sentiment_minilm:load_sentiment_minilm",
        ),
        ModelEntry(
            "qa-memnet",
            "End-to-end memory network, 3 hops; answers questions about bAbI-style stories",
            ("memory",),
            "attnviz.models.memnet:load_qa_memnet",
        ),
        ModelEntry(
            "gpt-austen",
            "Decoder-only language model (GPT), 4 layers x 4 heads; trained on Jane Austen",
            ("decoder_self",),
            "attnviz.models.gpt:load_gpt_austen",
        ),
    )
}

DEFAULT_MODEL = "minilm-l6"


def list_models() -> list[ModelEntry]:
    """Every named model, in registry order."""
    return list(REGISTRY.values())


def looks_like_path(name: str) -> bool:
    """A model name that names a folder rather than a registry entry."""
    return name not in REGISTRY and (os.sep in name or name.startswith(("~", ".")))


def load(name_or_path: str, *, download: bool = False) -> AttentionModel:
    """Load a registry model by name, a Hugging Face model folder by path, or a Hugging Face
    name ("org/name") from the local Hugging Face cache.

    Each model is loaded once per process and shared; raises ValueError for an unknown name or
    an unusable folder. download: fetch an "org/name" missing from the cache (the only way
    attnviz reaches the network).
    """
    if not isinstance(name_or_path, str) or not name_or_path.strip():
        raise ValueError("No model given; name one of: " + ", ".join(REGISTRY) + ", or a folder.")
    name = name_or_path.strip()
    if name in REGISTRY:
        return _load_named(name)
    if _is_hub_name_not_folder(name) and ("/" in name or download or _is_cached(name)):
        return _load_hub_name(name, download)
    if looks_like_path(name) or _is_folder(name):
        from attnviz.models import hf

        return hf.load_folder(name)
    raise ValueError(
        f"Unknown model {name!r}; choose one of: {', '.join(REGISTRY)}, a model folder path, "
        "or a Hugging Face name in the local cache."
    )


def _is_hub_name_not_folder(name: str) -> bool:
    """An "org/name" that names no folder here: a Hugging Face name for the local cache."""
    from attnviz.models import hub_cache

    return hub_cache.is_hub_name(name) and not Path(name).expanduser().exists()


def _is_cached(name: str) -> bool:
    from attnviz.models import hub_cache

    return hub_cache.snapshot_folder(name) is not None


def _load_hub_name(name: str, download: bool) -> AttentionModel:
    from attnviz.models import hf, hub_cache

    folder = hub_cache.snapshot_folder(name)
    folder = hub_cache.download(name) if folder is None and download else hub_cache.resolve(name)
    return hf.load_folder(folder, name=name)


def _is_folder(name: str) -> bool:
    from attnviz.models.folders import resolve

    folder = resolve(name)
    try:
        return folder is not None and folder.is_dir()
    except OSError:
        return False


# ---- the one cache of loaded models -----------------------------------------------------------

MAX_FOLDER_MODELS = 8  # folder and Hugging Face models kept; shipped ones are a fixed few
# Every model `load` returns, for the library, the command line and the app alike, keyed by
# ("shipped", name) or, for a folder, ("folder", resolved path, its files' mtimes, run name).
# Each entry counts as (model, 0) if shipped and (model, 1) otherwise, and the byte bound is
# the number of folder models: the shipped models stay for the process (as the weights of a
# class's pages), the least recently used folder model goes when a ninth is loaded.
LOADED: SharedLRU[tuple[AttentionModel, int]] = SharedLRU(
    len(REGISTRY) + MAX_FOLDER_MODELS, MAX_FOLDER_MODELS, lambda entry: entry[1]
)
# Loads happen one at a time (two models half-built at once would double the peak memory); a
# model asked for by several threads at once is built once (SharedLRU.get).
_load_lock = threading.RLock()


def cached(key: Hashable, make: Callable[[], AttentionModel], shipped: bool) -> AttentionModel:
    """The model under `key` in `LOADED`, made with `make` if it is not there yet."""

    def load() -> tuple[AttentionModel, int]:
        with _load_lock:
            return make(), 0 if shipped else 1

    return LOADED.get(key, load)[0]


def loaded(name: str) -> AttentionModel | None:
    """The model `load(name)` would return if it is in memory already, else None; loads
    nothing (the app shows a spinner only when a model must be loaded)."""
    from attnviz.models import hf, hub_cache

    name = name.strip() if isinstance(name, str) else ""
    if name in REGISTRY:
        return _lookup(("shipped", name))
    try:
        if _is_hub_name_not_folder(name):
            folder = hub_cache.snapshot_folder(name)
            return None if folder is None else _lookup(hf.folder_key(folder, name))
        if looks_like_path(name) or _is_folder(name):
            return _lookup(hf.folder_key(name))
    except ValueError:  # not loadable: `load` says why
        pass
    return None


def _lookup(key: Hashable) -> AttentionModel | None:
    found, entry = LOADED.lookup(key)
    return entry[0] if found and entry is not None else None


def _load_named(name: str) -> AttentionModel:
    return cached(("shipped", name), lambda: _load_named_once(name), shipped=True)


def _load_named_once(name: str) -> AttentionModel:
    module_name, function_name = REGISTRY[name].loader.split(":")
    module = importlib.import_module(module_name)
    loader = getattr(module, function_name)
    try:
        model = loader()
    except ValueError as error:  # our own checks: the sentence names the file already
        sentence = str(error)
        sentence = sentence[0].lower() + sentence[1:] if sentence.startswith("The ") else sentence
        raise ValueError(f"The model {name} cannot be loaded: {sentence}") from None
    except Exception as error:  # a damaged file inside a library's reader: name the file
        folder = Path(getattr(module, "WEIGHTS_DIR", WEIGHTS_DIR)) / name
        raise ValueError(damaged_model_message(name, folder, error)) from None
    # The registry's description is the one of a shipped model, wherever it is shown.
    model.info = dataclasses.replace(model.info, description=REGISTRY[name].description)
    return model


def damaged_model_message(name: str, folder: Path, error: Exception) -> str:
    """One sentence for a shipped model that failed to load from `folder`: which of its files
    is missing or damaged."""
    from attnviz.models.base import shown_path

    filename = getattr(error, "filename", None)
    culprit = shown_path(Path(filename)) if filename else damaged_file(folder)
    reason = str(error).strip().splitlines()[0][:160] if str(error).strip() else ""
    reason = reason or type(error).__name__
    if culprit:
        return (
            f"The model {name} cannot be loaded: its file {culprit} is missing or damaged "
            f"({reason})."
        )
    return f"The model {name} cannot be loaded ({reason}); reinstall attnviz to restore its files."


# The files of a shipped translator's folder besides config.json and model.safetensors: one
# of these pairs of tokenizers.
TOKENIZER_PAIRS = (
    ("source_tokenizer.json", "target_tokenizer.json"),
    ("source_chars.json", "target_chars.json"),
)


def damaged_file(folder: Path) -> str | None:
    """The first file of a shipped model's weights folder that is missing or does not parse."""
    import json

    from attnviz.models.base import shown_path

    if not folder.is_dir():
        return None
    for pair in TOKENIZER_PAIRS:
        present = [(folder / file).is_file() for file in pair]
        if any(present) and not all(present):
            return shown_path(folder / pair[present.index(False)])
    for path in sorted(folder.glob("*.json")):
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return shown_path(path)
    return None

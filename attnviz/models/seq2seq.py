"""What the encoder-decoder translators share: masked softmax, decoding, checkpoints, input checks.

Decoding is written once against a small `Stepper` protocol, so greedy and beam search are the
same for the RNNs and the Transformer, and beam width 1 is greedy by construction. The
`Seq2SeqModel` base turns one decoded output into a `Run` for both: each family gives only its
stepper, its teacher-forced pass and the maps it draws from that pass.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import torch
from torch import nn

from attnviz.attention import AttentionMaps, Run
from attnviz.models.base import check_config_sizes, clean_text, safetensors_elements, shown_path
from attnviz.models.tokens import BOS_ID, EOS_ID, UNK

MAX_BEAM = 10
WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "weights"


def masked_softmax(scores: torch.Tensor, visible: torch.Tensor) -> torch.Tensor:
    """Softmax over the last axis that gives masked keys exactly 0.

    scores: `[..., key]` float; visible: bool broadcastable to scores, False for masked keys.
    A row with no visible key comes out all 0 rather than NaN.
    """
    masked = scores.masked_fill(~visible, float("-inf"))
    top = masked.amax(dim=-1, keepdim=True).clamp_min(-1e30)  # finite even for empty rows
    exp = torch.exp(masked - top) * visible  # exp(-inf) is 0 already; the product keeps it so
    total = exp.sum(dim=-1, keepdim=True)
    return exp / total.clamp_min(1e-30)


class Stepper(Protocol):
    """One source sentence, decoded step by step for `n` hypotheses at once."""

    def start(self) -> Any: ...  # the state of one hypothesis

    def step(self, state: Any, last: torch.Tensor) -> tuple[torch.Tensor, Any]:
        """Log-probabilities `[n, vocab]` of the token after `last` `[n]`, and the new state."""
        ...

    def reorder(self, state: Any, rows: torch.Tensor) -> Any: ...


def greedy_decode(stepper: Stepper, max_steps: int) -> list[int]:
    """The most probable next token at every step, until `[EOS]` or `max_steps` tokens."""
    state = stepper.start()
    last = torch.tensor([BOS_ID])
    output: list[int] = []
    for _ in range(max_steps):
        log_probs, state = stepper.step(state, last)
        token = int(log_probs[0].argmax())
        output.append(token)
        if token == EOS_ID:
            break
        last = torch.tensor([token])
    return output


@dataclasses.dataclass
class _Hypothesis:
    tokens: list[int]
    score: float  # sum of log-probabilities


def beam_decode(stepper: Stepper, beam: int, max_steps: int) -> list[int]:
    """Beam search; the finished hypothesis with the best mean log-probability per token wins.

    With `beam == 1` every step keeps only the argmax, so the result equals `greedy_decode`.
    """
    return beam_search(stepper, beam, max_steps)[0][0]


def beam_search(stepper: Stepper, beam: int, max_steps: int) -> list[tuple[list[int], float]]:
    """Every hypothesis beam search finished (or, if none did, those still alive), best first,
    as (tokens, mean log-probability per token)."""
    state = stepper.start()
    alive = [_Hypothesis([], 0.0)]
    finished: list[_Hypothesis] = []
    for _ in range(max_steps):
        last = torch.tensor([h.tokens[-1] if h.tokens else BOS_ID for h in alive])
        log_probs, state = stepper.step(state, last)  # [alive, vocab]
        totals = torch.tensor([h.score for h in alive]).unsqueeze(1) + log_probs
        values, flat = totals.flatten().topk(min(2 * beam, totals.numel()))
        vocab = log_probs.shape[1]
        next_alive: list[_Hypothesis] = []
        rows: list[int] = []
        for value, index in zip(values.tolist(), flat.tolist(), strict=True):
            row, token = divmod(index, vocab)
            hypothesis = _Hypothesis([*alive[row].tokens, token], value)
            # Candidates are ranked; an [EOS] counts only if it ranks above the last kept one.
            if token == EOS_ID:
                finished.append(hypothesis)
            else:
                next_alive.append(hypothesis)
                rows.append(row)
                if len(next_alive) == beam:
                    break
        if len(finished) >= beam or not next_alive:
            break
        alive = next_alive
        state = stepper.reorder(state, torch.tensor(rows))
    candidates = finished or alive
    ranked = sorted(candidates, key=lambda h: h.score / len(h.tokens), reverse=True)
    return [(h.tokens, h.score / len(h.tokens)) for h in ranked[:beam]]


def decode(stepper: Stepper, beam: int, max_steps: int) -> list[int]:
    """Greedy decoding for `beam == 1`, beam search otherwise."""
    if beam == 1:
        return greedy_decode(stepper, max_steps)
    return beam_decode(stepper, beam, max_steps)


def pick_hypothesis(
    ranked: list[tuple[list[int], float]], hypothesis: object, tokenizer: Any
) -> tuple[list[int], list[dict[str, Any]]]:
    """The chosen hypothesis' ids, and every hypothesis as {"text", "score"} for a view."""
    if isinstance(hypothesis, bool) or not isinstance(hypothesis, int):
        raise ValueError(f"The hypothesis must be a whole number, got {hypothesis!r}.")
    if not 0 <= hypothesis < len(ranked):
        raise ValueError(
            f"Hypothesis {hypothesis} does not exist; beam search kept 0 to {len(ranked) - 1}."
        )
    listed = [{"text": tokenizer.decode(ids), "score": round(score, 4)} for ids, score in ranked]
    return ranked[hypothesis][0], listed


def check_beam(beam: object) -> int:
    if isinstance(beam, bool) or not isinstance(beam, int) or not 1 <= beam <= MAX_BEAM:
        raise ValueError(f"Beam width must be a whole number from 1 to {MAX_BEAM}, got {beam!r}.")
    return beam


def prepare_source(
    text: str, tokenizer: Any, max_tokens: int
) -> tuple[str, list[int], list[str], list[str]]:
    """Clean `text` and tokenise it for an encoder: ids and tokens end with `[EOS]`.

    Returns the cleaned text, ids, tokens and notes; text longer than `max_tokens` is cut.
    """
    cleaned, notes = clean_text(text)
    ids, tokens = tokenizer.encode(cleaned)
    notes = list(notes)
    if not ids:
        raise ValueError(f"The text {cleaned!r} has no tokens this model can read.")
    if len(ids) > max_tokens - 1:
        ids, tokens = ids[: max_tokens - 1], tokens[: max_tokens - 1]
        notes.append(f"The text was cut at {max_tokens - 1} tokens.")
    if UNK in tokens:
        notes.append("Some pieces of the text are unknown to the model and are shown as [UNK].")
    return cleaned, [*ids, EOS_ID], [*tokens, "[EOS]"], notes


def top_next(log_probs: torch.Tensor, tokenizer: Any, k: int = 5) -> list[list[tuple[str, float]]]:
    """The `k` most probable next tokens with their probabilities, for each step `[step, vocab]`."""
    probs, ids = log_probs.exp().topk(k, dim=-1)
    return [
        [(tokenizer.id_to_token(i), round(p, 6)) for i, p in zip(row_ids, row_probs, strict=True)]
        for row_ids, row_probs in zip(ids.tolist(), probs.tolist(), strict=True)
    ]


def to_numpy(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().to(torch.float32).numpy().copy()


def forced_inputs(target_ids: Sequence[int]) -> torch.Tensor:
    """Decoder inputs `[1, step]` that reproduce `target_ids`: `[BOS]` then all but the last."""
    return torch.tensor([[BOS_ID, *target_ids[:-1]]])


# ---- the translators' common half ---------------------------------------------------------


class Seq2SeqModel:
    """A trained translator behind the attnviz `AttentionModel` protocol: decoding, the choice
    of a beam hypothesis and the Run, shared by `RNNModel` and `TransformerModel`.

    A family gives `stepper` (decoding one encoded sentence), `forced_pass` (the teacher-forced
    pass whose attention is shown) and `maps_and_extras` (what it draws from that pass); it sets
    `self.info`. `greedy_pass` may be overridden to record attention while decoding.
    """

    info: Any  # ModelInfo, set by the family's __init__

    def __init__(self, network: nn.Module, source_tokenizer: Any, target_tokenizer: Any) -> None:
        self.network = network.eval()
        self.source_tokenizer = source_tokenizer
        self.target_tokenizer = target_tokenizer
        self.config: Any = network.config

    def stepper(self, source_ids: list[int]) -> Stepper:
        """The encoded sentence `source_ids` ready to decode (see `Stepper`)."""
        raise NotImplementedError

    def forced_pass(self, source_ids: list[int], target_ids: list[int]) -> dict[str, Any]:
        """The network's teacher-forced pass over `target_ids`; its "logits" `[1, step, vocab]`."""
        return self.network(
            torch.tensor([source_ids]), torch.tensor([len(source_ids)]), forced_inputs(target_ids)
        )

    def maps_and_extras(
        self, forced: dict[str, Any], source_tokens: list[str], target_tokens: tuple[str, ...]
    ) -> tuple[dict[str, AttentionMaps], dict[str, Any]]:
        """The attention maps by kind and the family's own extras, from `forced_pass`."""
        raise NotImplementedError

    def max_steps(self, source_ids: Sequence[int]) -> int:
        """Longest output decoded for a source: twice its length and ten, within the config."""
        return min(self.config.max_target_tokens, 2 * len(source_ids) + 10)

    def translate_ids(self, source_ids: list[int], beam: int = 1) -> list[int]:
        """Target ids for one source sentence (ending with [EOS] unless cut at the length limit)."""
        with torch.inference_mode():
            return decode(self.stepper(source_ids), beam, self.max_steps(source_ids))

    def ranked_ids(self, source_ids: list[int], beam: int) -> list[tuple[list[int], float]]:
        """Beam search's hypotheses for one source sentence, best first, with their scores."""
        with torch.inference_mode():
            return beam_search(self.stepper(source_ids), beam, self.max_steps(source_ids))

    def greedy_pass(self, source_ids: list[int]) -> tuple[list[int], dict[str, Any]]:
        """The greedy output and its teacher-forced pass."""
        target_ids = self.translate_ids(source_ids)
        return target_ids, self.forced_pass(source_ids, target_ids)

    def translate_run(self, text: str, beam: int, hypothesis: int) -> Run:
        """Translate `text` (greedy for beam 1, else beam search's hypothesis `hypothesis`) and
        return the Run of the output produced; extras["hypotheses"] lists beam's hypotheses."""
        beam = check_beam(beam)
        cleaned, source_ids, source_tokens, notes = prepare_source(
            text, self.source_tokenizer, self.config.max_source_tokens
        )
        hypotheses: list[dict[str, Any]] = []
        with torch.inference_mode():
            if beam == 1 and hypothesis == 0:
                target_ids, forced = self.greedy_pass(source_ids)
            else:
                ranked = self.ranked_ids(source_ids, beam)
                target_ids, hypotheses = pick_hypothesis(ranked, hypothesis, self.target_tokenizer)
                forced = self.forced_pass(source_ids, target_ids)
        target_tokens = self.target_tokenizer.tokens_of(target_ids)
        maps, own_extras = self.maps_and_extras(forced, source_tokens, target_tokens)
        extras = {
            "top_next": top_next(
                torch.log_softmax(forced["logits"][0], dim=-1), self.target_tokenizer
            ),
            **own_extras,
            "beam": beam,
            "hypotheses": hypotheses,
        }
        return Run(
            self.info.name,
            cleaned,
            source_tokens,
            target_tokens,
            self.target_tokenizer.decode(target_ids),
            maps,
            tuple(notes),
            extras,
        )


# ---- checkpoints -------------------------------------------------------------------------


def save_weights(module: nn.Module, config: Any, folder: Path, family: str) -> None:
    """Write `model.safetensors` (float16) and `config.json` into `folder`."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in module.state_dict().items()}
    save_file(state, str(folder / "model.safetensors"), metadata={"family": family})
    config_data = {"family": family, **dataclasses.asdict(config)}
    (folder / "config.json").write_text(json.dumps(config_data, indent=2) + "\n", encoding="utf-8")


def read_config(folder: Path, config_class: type, family: str) -> Any:
    """The model's config from `folder/config.json`, checked before anything is built.

    ValueError naming the file when it is missing, not JSON, of another family, has settings
    the config class does not know, or sizes out of bounds (`check_config_sizes`).
    """
    path = folder / "config.json"
    where = shown_path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"The model file {where} is missing.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"The model file {where} is damaged ({error}).") from None
    if not isinstance(data, dict) or data.pop("family", None) != family:
        raise ValueError(f"{where} does not describe a {family} model.")
    check_config_sizes(data, where)
    try:
        return config_class(**data)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{where} has settings a {family} model does not take ({error})."
        ) from None


def load_weights(module: nn.Module, folder: Path) -> nn.Module:
    """Load `model.safetensors` into `module` (upcast to float32) and put it in eval mode.

    Every tensor of the module must come from the file, with its shape: a truncated file, a
    missing tensor or one of another shape is a ValueError naming the file, never a model
    left with random weights.
    """
    from safetensors.torch import load_file

    path = folder / "model.safetensors"
    safetensors_elements(path)  # missing, truncated or damaged: one sentence naming the file
    try:
        state = {k: v.to(torch.float32) for k, v in load_file(str(path)).items()}
        module.load_state_dict(state, strict=True)
    except (RuntimeError, OSError, ValueError) as error:
        reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
        raise ValueError(
            f"The weights file {shown_path(path)} does not fit its model ({reason})."
        ) from None
    module.eval()
    for parameter in module.parameters():
        parameter.requires_grad_(False)
    return module

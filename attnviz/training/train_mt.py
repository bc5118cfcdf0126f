"""Train, ship and evaluate the English-Spanish translators on the Apertium corpus."""

from __future__ import annotations

import copy
import dataclasses
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch
from torch import nn

from attnviz.models import rnn, transformer
from attnviz.models.seq2seq import WEIGHTS_DIR, save_weights
from attnviz.models.tokens import EOS_ID, SubwordTokenizer
from attnviz.training.heldout import HeldOutPair, copied_share, key
from attnviz.training.train import Progress, TrainConfig, alignment_guide, encode_pairs, fit

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
CORPUS_DIR = DATA_DIR / "corpus"
# One byte-pair vocabulary for English and Spanish: a name splits into the same pieces on both
# sides, so the decoder can copy what it has never seen, piece by piece.
SHARED_VOCAB = 10_000

_RNN_TRAINING = TrainConfig(
    batch_size=64,
    learning_rate=2e-3,
    warmup_steps=200,
    decay_from=3000,
    epochs=20,
    max_minutes=35,
    validate_every=500,
)
_TRANSFORMER_TRAINING = TrainConfig(
    batch_size=64,
    learning_rate=1e-3,
    warmup_steps=600,
    decay_from=3000,
    epochs=20,
    max_minutes=35,
    label_smoothing=0.05,
    validate_every=500,
)


# Starting from trained weights: a short warm-up, then the learning rate falls at once.
_FINE_TUNING = {"warmup_steps": 100, "decay_from": 300}
# Continuing a model's own training (--resume): the same with a quarter of the peak learning
# rate, about where a long run's inverse square-root decay has left it. At the full peak a
# resumed luong-general-en-es fell from validation chrF 90.6 to 85.4 in its first 500 steps.
_RESUMING = {**_FINE_TUNING, "learning_rate": 5e-4}
EXTRA_COPIES_SEED = 1  # the corpus's copies are drawn with its own seed, 0 by default
# With --extra-copies, checkpoints are also scored on copying: validation sentences with names
# and numbers swapped for others (a seed of their own), none of them a training sentence.
COPY_CHECKS = 400
COPY_CHECKS_SEED = 5


@dataclasses.dataclass(frozen=True)
class Recipe:
    """How one English-Spanish model is built and trained."""

    family: str  # "rnn" or "transformer"
    model: dict[str, Any]  # config fields beyond the vocabulary sizes
    training: TrainConfig
    # A shipped model whose tokenizers and weights (all but the attention score) start this one.
    warm_start: str | None = None
    # A shipped model whose tokenizers (only) this one uses, trained from scratch.
    tokenizers_of: str | None = None


RECIPES = {
    "bahdanau-en-es": Recipe("rnn", {"score": "additive"}, _RNN_TRAINING),
    # Luong's scores in the same encoder and decoder, started from bahdanau-en-es: the score
    # module is learnt from scratch, and the comparison is between the scores alone.
    "luong-dot-en-es": Recipe("rnn", {"score": "dot"}, _RNN_TRAINING, "bahdanau-en-es"),
    "luong-general-en-es": Recipe("rnn", {"score": "general"}, _RNN_TRAINING, "bahdanau-en-es"),
    "transformer-en-es": Recipe("transformer", {}, _TRANSFORMER_TRAINING),
    # The baseline of "why attention": the same sizes and tokens, no attention, from scratch
    # (a warm start would carry over what bahdanau-en-es learnt with attention).
    "rnnenc-en-es": Recipe("rnn", {"score": "none"}, _RNN_TRAINING, tokenizers_of="bahdanau-en-es"),
}


# Steps during which a warm-started model's attention is guided by its teacher's weights.
GUIDE_STEPS = 1500
VALIDATION_PAIRS = 1500  # validation sentences, spread over the split (a check takes ~10 s)


def spread_sample(pairs: list[tuple[str, str]], count: int) -> list[tuple[str, str]]:
    """At most `count` pairs, evenly spaced over `pairs` (every source is represented)."""
    if len(pairs) <= count:
        return pairs
    return [pairs[i * len(pairs) // count] for i in range(count)]


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """`english<TAB>spanish` lines -> pairs."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        english, _, spanish = line.partition("\t")
        if english and spanish:
            pairs.append((english, spanish))
    return pairs


def corpus_tokenizers(corpus_dir: Path) -> tuple[SubwordTokenizer, SubwordTokenizer]:
    """The shared English-Spanish BPE tokenizer (as source and target), trained once on the
    training split and cached in `corpus_dir/tokenizers/` (retrained when train.tsv is newer)."""
    folder = corpus_dir / "tokenizers"
    source_path, target_path = folder / "source_tokenizer.json", folder / "target_tokenizer.json"
    train_path = corpus_dir / "train.tsv"
    if target_path.exists() and target_path.stat().st_mtime > train_path.stat().st_mtime:
        return SubwordTokenizer.load(source_path), SubwordTokenizer.load(target_path)
    folder.mkdir(parents=True, exist_ok=True)
    train_pairs = read_pairs(train_path)
    shared = SubwordTokenizer.train_bpe(
        (text for pair in train_pairs for text in pair), SHARED_VOCAB
    )
    shared.save(source_path)
    shared.save(target_path)
    return shared, shared


def shipped_tokenizers(folder: Path) -> tuple[SubwordTokenizer, SubwordTokenizer]:
    """The source and target tokenizers of a shipped model's weights folder."""
    return (
        SubwordTokenizer.load(folder / "source_tokenizer.json"),
        SubwordTokenizer.load(folder / "target_tokenizer.json"),
    )


def build_network(recipe: Recipe, source_vocab: int, target_vocab: int) -> nn.Module:
    sizes = {"source_vocab": source_vocab, "target_vocab": target_vocab}
    if recipe.family == "rnn":
        return rnn.RNNTranslator(rnn.RNNConfig(**recipe.model, **sizes))
    return transformer.TransformerTranslator(transformer.TransformerConfig(**recipe.model, **sizes))


def greedy_texts(
    network: nn.Module,
    family: str,
    sources: list[list[int]],
    target: SubwordTokenizer,
    batch_size: int = 100,
) -> list[str]:
    """Greedy translations of many encoded sentences, in batches of similar length."""
    greedy = rnn.greedy_batch if family == "rnn" else transformer.greedy_batch
    order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
    texts: list[str] = [""] * len(sources)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            longest = max(len(sources[i]) for i in rows)
            outputs = greedy(network, [sources[i] for i in rows], min(120, 2 * longest + 10))
            for i, output in zip(rows, outputs, strict=True):
                texts[i] = target.decode(output)
    return texts


def chrf(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    import sacrebleu

    return float(sacrebleu.corpus_chrf(list(hypotheses), [list(references)]).score)


def train_mt(
    name: str,
    log: Callable[[str], None],
    report: Callable[[Progress], None] | None = None,
    minutes: float | None = None,
    corpus_dir: Path = CORPUS_DIR,
    weights_dir: Path = WEIGHTS_DIR,
    resume: bool = False,
    learning_rate: float | None = None,
    extra_copies: int = 0,
    copies_seed: int = EXTRA_COPIES_SEED,
) -> Progress:
    """Train `name` on the corpus, keep the checkpoint with the best validation score (chrF,
    or with `extra_copies` its mean with copying, below), ship it.

    `resume` continues from the shipped weights of `name` itself, with a lower, falling learning
    rate and without the teacher's guide. `learning_rate` replaces the peak rate (a model
    resumed after a short first training can take a higher one than `_RESUMING`'s).
    `extra_copies` adds that many training pairs copied with names and numbers the corpus's
    copies did not use (`copying.py`, seed `copies_seed`), none a sentence of any other split;
    checkpoints are then scored on the mean of validation chrF and the percentage of names and
    numbers copied in `COPY_CHECKS` validation sentences given new ones.
    """
    recipe = RECIPES[name]
    train_pairs = read_pairs(corpus_dir / "train.tsv")
    all_valid = read_pairs(corpus_dir / "valid.tsv")
    checks: list[HeldOutPair] = []
    if extra_copies:
        from attnviz.training.corpus import copy_checks, swapped_copies

        splits = [corpus_dir / f"{split}.tsv" for split in ("train", "valid", "test")]
        taken = {key(e) for path in splits if path.exists() for e, _ in read_pairs(path)}
        more = swapped_copies(train_pairs, extra_copies, copies_seed, taken)
        log(f"{name}: {len(more)} more training pairs with other names and numbers")
        taken |= {key(e) for e, _ in more}
        checks = copy_checks(all_valid, COPY_CHECKS, COPY_CHECKS_SEED, taken)
        log(f"{name}: checkpoints also scored on copying in {len(checks)} validation sentences")
        train_pairs += more
    # Evenly spaced over the whole split: its files list the sources one after the other, so a
    # prefix would pick checkpoints for one source alone (a 500-pair prefix of generated
    # sentences ran 7 chrF above the split).
    valid_pairs = spread_sample(all_valid, VALIDATION_PAIRS)
    training = recipe.training
    if resume:
        source, target, network = warm_started(recipe, weights_dir / name, log, fresh=None)
        training = dataclasses.replace(training, **_RESUMING)
    elif recipe.warm_start:
        source, target, network = warm_started(recipe, weights_dir / recipe.warm_start, log)
        training = dataclasses.replace(training, **_FINE_TUNING)
    else:
        source, target = (
            shipped_tokenizers(weights_dir / recipe.tokenizers_of)
            if recipe.tokenizers_of
            else corpus_tokenizers(corpus_dir)
        )
        network = build_network(recipe, source.vocab_size, target.vocab_size)
    config = network.config
    examples = encode_pairs(
        train_pairs, source, target, config.max_source_tokens, config.max_target_tokens
    )
    log(
        f"{name}: {len(examples)} training pairs, "
        f"{sum(p.numel() for p in network.parameters()):,} parameters"
    )

    figures: dict[str, float] = {}  # of the last validation

    def validation_score(model: nn.Module, tokenizers: tuple[SubwordTokenizer, ...]) -> float:
        sentences = [e for e, _ in valid_pairs] + [p.english for p in checks]
        encoded = [
            [*tokenizers[0].encode(e)[0][: model.config.max_source_tokens - 1], EOS_ID]
            for e in sentences
        ]
        model.eval()
        texts = greedy_texts(model, recipe.family, encoded, tokenizers[1])
        figures["valid_chrf"] = chrf(texts[: len(valid_pairs)], [s for _, s in valid_pairs])
        if not checks:
            return figures["valid_chrf"]
        figures["valid_copied"] = copied_share(texts[len(valid_pairs) :], checks)
        return (figures["valid_chrf"] + 100 * figures["valid_copied"]) / 2

    # A checkpoint ships only if it beats the weights already shipped under this name.
    best: dict[str, Any] = {"score": shipped_score(name, weights_dir, validation_score, log)}
    best["state"] = None

    def validate() -> dict[str, float]:
        score = validation_score(network, (source, target))
        if score > best["score"]:
            best.update(score=score, state=copy.deepcopy(network.state_dict()))
            ship(weights_dir / name, recipe.family, network, source, target)  # safe if stopped
        line = f"validation chrF {figures['valid_chrf']:.2f}"
        if checks:
            line += f", copied {100 * figures['valid_copied']:.1f}%, score {score:.2f}"
        log(f"{line} (best {best['score']:.2f})")
        return dict(figures)

    guide = None
    if recipe.warm_start and not resume:  # a resumed model keeps the alignment it found
        teacher_tokenizers = shipped_tokenizers(weights_dir / recipe.warm_start)
        if [t.vocab_size for t in teacher_tokenizers] != [source.vocab_size, target.vocab_size]:
            raise ValueError(f"{name} and {recipe.warm_start} must share their tokenizers.")
        teacher = warm_started(
            RECIPES[recipe.warm_start], weights_dir / recipe.warm_start, log, fresh=None
        )[2]
        guide = alignment_guide(teacher)
        log(f"attention guided by {recipe.warm_start} for the first {GUIDE_STEPS} steps")
    if minutes is not None:
        training = dataclasses.replace(training, max_minutes=minutes)
    if learning_rate is not None:
        training = dataclasses.replace(training, learning_rate=learning_rate)
    started = time.monotonic()
    progress = fit(
        network, examples, training, validate, report, guide=guide, guide_steps=GUIDE_STEPS
    )
    progress = {
        **progress,
        "best_valid_score": best["score"],
        "train_seconds": time.monotonic() - started,
    }
    if best["state"] is None:
        log(f"{name}: no checkpoint beat the shipped weights; they stay")
        return {**progress, "shipped": False}
    network.load_state_dict(best["state"])
    ship(weights_dir / name, recipe.family, network, source, target)
    progress["shipped"] = True
    log(f"{name}: shipped; {json.dumps(progress)}")
    return progress


def shipped_score(
    name: str,
    weights_dir: Path,
    validation_score: Callable[[nn.Module, tuple[SubwordTokenizer, ...]], float],
    log: Callable[[str], None],
) -> float:
    """Validation score of the weights shipped under `name`, or -1 when there are none."""
    folder = weights_dir / name
    if not (folder / "model.safetensors").exists():
        return -1.0
    source, target, network = warm_started(RECIPES[name], folder, log, fresh=None)
    score = validation_score(network, (source, target))
    log(f"shipped {name}: validation score {score:.2f}")
    return score


def warm_started(
    recipe: Recipe,
    folder: Path,
    log: Callable[[str], None],
    fresh: str | None = "decoder.attention.",
) -> tuple[SubwordTokenizer, SubwordTokenizer, nn.Module]:
    """Tokenizers and a network initialised from the shipped model in `folder`, except the
    parameters whose names start with `fresh` (the attention score by default)."""
    from safetensors.torch import load_file

    source, target = shipped_tokenizers(folder)
    network = build_network(recipe, source.vocab_size, target.vocab_size)
    state = load_file(str(folder / "model.safetensors"))
    kept = {k: v.float() for k, v in state.items() if fresh is None or not k.startswith(fresh)}
    missing, _ = network.load_state_dict(kept, strict=False)
    log(f"warm start from {folder.name}; fresh: {', '.join(missing) or 'nothing'}")
    return source, target, network


def ship(
    folder: Path,
    family: str,
    network: nn.Module,
    source: SubwordTokenizer,
    target: SubwordTokenizer,
) -> Path:
    save_weights(network, network.config, folder, family)
    source.save(folder / "source_tokenizer.json")
    target.save(folder / "target_tokenizer.json")
    return folder


def load_shipped(name: str, weights_dir: Path = WEIGHTS_DIR) -> Any:
    """The shipped translator `name` (an RNNModel or TransformerModel)."""
    load = rnn.load_folder if RECIPES[name].family == "rnn" else transformer.load_folder
    return load(weights_dir / name, name)


def translate_texts(model: Any, family: str, texts: Sequence[str], beam: int = 1) -> list[str]:
    """Translations of `texts` by a loaded translator: greedy (batched), or beam search."""
    sources = [
        [*model.source_tokenizer.encode(text)[0][: model.config.max_source_tokens - 1], EOS_ID]
        for text in texts
    ]
    if beam == 1:
        return greedy_texts(model.network, family, sources, model.target_tokenizer)
    with torch.inference_mode():
        outputs = [model.translate_ids(ids, beam) for ids in sources]
    return [model.target_tokenizer.decode([i for i in ids if i != EOS_ID]) for ids in outputs]


def evaluate_mt(
    name: str,
    split: str = "test",
    limit: int | None = None,
    corpus_dir: Path = CORPUS_DIR,
    weights_dir: Path = WEIGHTS_DIR,
) -> dict[str, Any]:
    """chrF of the shipped model's greedy output against the Apertium references of `split`."""
    model = load_shipped(name, weights_dir)
    pairs = read_pairs(corpus_dir / f"{split}.tsv")[:limit]
    started = time.monotonic()
    hypotheses = translate_texts(model, RECIPES[name].family, [e for e, _ in pairs])
    exact = sum(h == s for h, (_, s) in zip(hypotheses, pairs, strict=True)) / len(pairs)
    return {
        "model": name,
        "split": split,
        "sentences": len(pairs),
        "chrf": round(chrf(hypotheses, [s for _, s in pairs]), 2),
        "exact": round(exact, 4),
        "parameters": sum(p.numel() for p in model.network.parameters()),
        "seconds": round(time.monotonic() - started, 1),
    }

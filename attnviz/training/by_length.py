"""Translation quality by sentence length: the figure of "why attention".

Bahdanau, Cho and Bengio (2014, Figure 2) drew BLEU against sentence length for an encoder-
decoder without attention (RNNenc) and with it (RNNsearch): RNNenc falls as sentences grow,
RNNsearch much less. `by_length` measures the same for our translators: chrF per source-length
bucket on the held-out sentences of `long.tsv` and `lengths.tsv` (5 to 40 words, never trained
on), all against Apertium's translation, so the kind of reference does not change with length.
`python -m attnviz.training by-length` writes the figures to `attnviz/weights/
quality_by_length.json`, which the lesson draws.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from attnviz.models.seq2seq import WEIGHTS_DIR
from attnviz.training.heldout import HeldOutPair, read_set

RESULT_PATH = WEIGHTS_DIR / "quality_by_length.json"
MODELS = ("rnnenc-en-es", "bahdanau-en-es", "transformer-en-es")
BUCKETS = ((1, 9), (10, 19), (20, 29), (30, 40))  # source length in words, both ends included
SETS = ("lengths", "long")


def words(english: str) -> int:
    """A sentence's length as the buckets count it: words separated by spaces."""
    return len(english.split())


def bucket_of(english: str) -> int:
    """The index in BUCKETS of a sentence's length; ValueError outside every bucket."""
    length = words(english)
    for index, (low, high) in enumerate(BUCKETS):
        if low <= length <= high:
            return index
    raise ValueError(f"A sentence of {length} words is outside the buckets {BUCKETS}.")


def heldout_pairs() -> list[HeldOutPair]:
    """The held-out sentences the figure is measured on."""
    return [pair for name in SETS for pair in read_set(name)]


def bucket_figures(
    translate: Callable[[list[str]], list[str]], pairs: Sequence[HeldOutPair]
) -> list[float]:
    """chrF of one translator in each bucket (corpus chrF over the bucket's sentences)."""
    from attnviz.training.train_mt import chrf

    outputs = translate([pair.english for pair in pairs])
    scores = []
    for index in range(len(BUCKETS)):
        rows = [i for i, pair in enumerate(pairs) if bucket_of(pair.english) == index]
        scores.append(round(chrf([outputs[i] for i in rows], [pairs[i].spanish for i in rows]), 2))
    return scores


def by_length(
    models: Sequence[str] = MODELS, weights_dir: Path = WEIGHTS_DIR, path: Path | None = RESULT_PATH
) -> dict[str, Any]:
    """chrF per length bucket for each shipped translator in `models`; written to `path`."""
    from attnviz.training.train_mt import RECIPES, load_shipped, translate_texts

    pairs = heldout_pairs()
    counts = [sum(bucket_of(p.english) == i for p in pairs) for i in range(len(BUCKETS))]
    result: dict[str, Any] = {
        "about": (
            "chrF (sacrebleu, greedy decoding) by source length in words, on held-out "
            "sentences (attnviz/training/heldout_sets/lengths.tsv and long.tsv) against "
            "Apertium's translation; written by python -m attnviz.training by-length"
        ),
        "buckets": [
            {"words": f"{low}-{high}", "low": low, "high": high, "sentences": count}
            for (low, high), count in zip(BUCKETS, counts, strict=True)
        ],
        "chrf": {},
        "written": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    for name in models:
        model = load_shipped(name, weights_dir)
        family = RECIPES[name].family
        result["chrf"][name] = bucket_figures(
            lambda texts, m=model, f=family: translate_texts(m, f, texts), pairs
        )
    if path is not None:
        path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def read_result(path: Path = RESULT_PATH) -> dict[str, Any]:
    """The shipped figures; ValueError with a sentence when the file is missing or damaged."""
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(result.get("chrf"), dict) or not isinstance(result.get("buckets"), list):
            raise ValueError("it has no chrf or buckets")
    except (OSError, ValueError) as error:
        raise ValueError(
            f"The quality-by-length figures ({path.name}) cannot be read ({error}); "
            "python -m attnviz.training by-length writes them."
        ) from None
    return result

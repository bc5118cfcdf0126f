"""The sentiment data step: Rotten Tomatoes sentences rated by people, labelled and split.

The sentences and their mean ratings (-4 .. +4, at least 20 raters each) ship in the source
distribution of vaderSentiment 3.3.2 (`additional_resources/hutto_ICWSM_2014.tar.gz`, MIT
licence; Hutto and Gilbert 2014). The sentences come from the movie reviews of Pang and Lee
(2004). The wheel lacks them, so the data step asks the package client for the sdist.
A sentence is positive when its rating is above 0; near-neutral ones (|rating| < 0.5) are
dropped. See CORPUS.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

SDIST = "vaderSentiment==3.3.2"
SDIST_FILE = "vaderSentiment-3.3.2.tar.gz"
SDIST_SHA256 = "5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9"
INNER_ARCHIVE = "vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz"
RATINGS_FILE = "hutto_ICWSM_2014/movieReviewSnippets_GroundTruth.txt"
RATINGS_SHA256 = "c8293b0d942e90e223ea2c0955d969040d1a1be514a978b9af0698940bd13350"
NEUTRAL_BAND = 0.5  # |mean rating| below this is dropped as near-neutral
SPLIT_FRACTIONS = (0.8, 0.1, 0.1)  # train, valid, test
LABELS = ("negative", "positive")

Example = tuple[str, int]  # (sentence, label index into LABELS)


def download_sdist(folder: Path) -> Path:
    """Fetch the vaderSentiment sdist with pip into `folder`; check its digest."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
    command += ["--disable-pip-version-check", SDIST, "-d", str(folder)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    path = folder / SDIST_FILE
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SDIST_SHA256:
        raise ValueError(f"{SDIST_FILE} has digest {digest}, expected {SDIST_SHA256}.")
    return path


def resource_bytes(sdist: Path, name: str) -> bytes:
    """One file of the resources archive inside the sdist (read in memory, no extraction)."""
    with tarfile.open(sdist, "r:gz") as outer:
        member = outer.extractfile(INNER_ARCHIVE)
        if member is None:
            raise ValueError(f"{sdist.name} holds no {INNER_ARCHIVE}.")
        with tarfile.open(fileobj=io.BytesIO(member.read()), mode="r:gz") as inner:
            resource = inner.extractfile(name)
            if resource is None:
                raise ValueError(f"The resources archive holds no {name}.")
            return resource.read()


def ratings_text(sdist: Path) -> str:
    """The movie-snippet ratings file, checked against its digest."""
    data = resource_bytes(sdist, RATINGS_FILE)
    digest = hashlib.sha256(data).hexdigest()
    if digest != RATINGS_SHA256:
        raise ValueError(f"{RATINGS_FILE} has digest {digest}, expected {RATINGS_SHA256}.")
    return data.decode("utf-8")


def parse_ratings(text: str) -> list[tuple[str, float, str]]:
    """Lines `ID<TAB>MEAN-RATING<TAB>SENTENCE` -> (id, rating, sentence)."""
    rows = []
    for line in text.splitlines():
        parts = line.strip().split("\t")
        if len(parts) != 3:
            continue
        identifier, rating, sentence = parts
        # The file writes quotation marks as two apostrophes ('' Conan '').
        sentence = " ".join(sentence.replace("''", '"').split())
        rows.append((identifier, float(rating), sentence))
    return rows


def label_sentences(rows: Iterable[tuple[str, float, str]]) -> list[Example]:
    """Sign of the rating -> label; near-neutral sentences are dropped."""
    return [
        (sentence, int(rating > 0))
        for _, rating, sentence in rows
        if abs(rating) >= NEUTRAL_BAND and sentence
    ]


def split(examples: Sequence[Example], seed: int) -> dict[str, list[Example]]:
    """Shuffle with `seed` and cut into train / valid / test by SPLIT_FRACTIONS."""
    order = list(examples)
    random.Random(seed).shuffle(order)
    n_train = round(len(order) * SPLIT_FRACTIONS[0])
    n_valid = round(len(order) * SPLIT_FRACTIONS[1])
    return {
        "train": order[:n_train],
        "valid": order[n_train : n_train + n_valid],
        "test": order[n_train + n_valid :],
    }


def write_split(folder: Path, splits: dict[str, list[Example]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, examples in splits.items():
        lines = [f"{LABELS[label]}\t{sentence}\n" for sentence, label in examples]
        (folder / f"{name}.tsv").write_text("".join(lines), encoding="utf-8")


def read_split(folder: Path, name: str) -> list[Example]:
    """One split written by `build_sentiment_data`: lines `LABEL<TAB>SENTENCE`."""
    path = folder / f"{name}.tsv"
    if not path.is_file():
        raise ValueError(
            f"No {path.name} in {folder}; run `python -m attnviz.training data sentiment` first."
        )
    return read_examples(path.read_text(encoding="utf-8"))


def read_examples(text: str) -> list[Example]:
    """Lines `positive|negative<TAB>TEXT` (also the format of our everyday reviews)."""
    examples = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, _, sentence = line.partition("\t")
        if label not in LABELS or not sentence.strip():
            raise ValueError(f"Line {number} is not `positive|negative<TAB>text`: {line[:60]!r}")
        examples.append((sentence.strip(), LABELS.index(label)))
    return examples


def everyday_reviews() -> list[Example]:
    """The reviews of movies, restaurants and products we wrote ourselves (not training data)."""
    path = Path(__file__).with_name("everyday_reviews.tsv")
    return read_examples(path.read_text(encoding="utf-8"))


def build_sentiment_data(folder: Path, seed: int = 0) -> dict:
    """Fetch, label and split the sentences into `folder`; return the counts."""
    with tempfile.TemporaryDirectory() as scratch:
        rows = parse_ratings(ratings_text(download_sdist(Path(scratch))))
    examples = label_sentences(rows)
    splits = split(examples, seed)
    write_split(folder, splits)
    summary = {
        "sentences": len(rows),
        "kept": len(examples),
        "dropped_neutral": len(rows) - len(examples),
        "positive": sum(label for _, label in examples),
        **{name: len(part) for name, part in splits.items()},
        "seed": seed,
    }
    (folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary

"""Jane Austen's six novels as paragraphs, split into training and held-out chapters.

The text comes from Debian's `r-cran-janeaustenr` (the R package janeaustenr, MIT licence; the
novels are in the public domain, from Project Gutenberg), stored as an R lazy-load database:
`Rdata.rdx` is a gzip-compressed serialized R list naming each novel's offset and length in
`Rdata.rdb`, where each object is a 4-byte length and a zlib-compressed R serialization. The
`rdata` package reads R serializations (a developer step: the shipped weights need neither).
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterable
from pathlib import Path

JANEAUSTENR_DATA = Path("/usr/lib/R/site-library/janeaustenr/data")
NOVELS = (
    "sensesensibility",
    "prideprejudice",
    "mansfieldpark",
    "emma",
    "northangerabbey",
    "persuasion",
)
HELD_OUT_EVERY = 20  # every 20th chapter (counted over all novels) is held out
_CHAPTER = re.compile(r"^\s*(CHAPTER|Chapter)\s+([IVXLC]+|\d+)\b")


def read_novels(data_dir: Path = JANEAUSTENR_DATA) -> dict[str, list[str]]:
    """Each novel's lines as janeaustenr stores them (one printed line each, "" between
    paragraphs). Raises RuntimeError naming what to install when something is missing."""
    try:
        import rdata
    except ImportError:
        raise RuntimeError(
            "The Python package rdata is missing; install it with "
            "`pip install -r requirements-dev.txt`."
        ) from None
    index_path, database_path = data_dir / "Rdata.rdx", data_dir / "Rdata.rdb"
    if not index_path.exists() or not database_path.exists():
        raise RuntimeError(
            f"Jane Austen's novels are missing ({index_path}); install the Debian package "
            "r-cran-janeaustenr."
        )
    index = _convert(rdata, gzip.decompress(index_path.read_bytes()))
    database = database_path.read_bytes()
    novels: dict[str, list[str]] = {}
    for name, (offset, length) in index["variables"].items():
        # Each object: a 4-byte big-endian length of the uncompressed data, then zlib.
        blob = zlib.decompress(database[int(offset) + 4 : int(offset) + int(length)])
        novels[str(name)] = [str(line) for line in _convert(rdata, blob)]
    return {name: novels[name] for name in NOVELS if name in novels}


def _convert(rdata: object, blob: bytes) -> object:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Unknown file type: assumed RDS": it is one
        return rdata.conversion.convert(rdata.parser.parse_data(blob))  # type: ignore[attr-defined]


def tidy(line: str) -> str:
    """One line of Gutenberg text without its markup: `_emphasis_` loses its underscores."""
    return " ".join(line.replace("_", "").split())


def chapters(lines: Iterable[str]) -> list[list[str]]:
    """A novel's chapters, each a list of paragraphs; text before the first chapter heading
    (title, front matter) is dropped, and the headings themselves too."""
    found: list[list[str]] = []
    paragraph: list[str] = []

    def close() -> None:
        if paragraph and found:
            found[-1].append(" ".join(paragraph))
        paragraph.clear()

    for line in lines:
        if _CHAPTER.match(line):
            close()
            found.append([])
        elif not line.strip():
            close()
        else:
            paragraph.append(tidy(line))
    close()
    return [chapter for chapter in found if chapter]


def split_chapters(
    novels: dict[str, list[str]], every: int = HELD_OUT_EVERY
) -> tuple[list[str], list[str], dict]:
    """Training and held-out paragraphs: chapter number i (over all novels) is held out when
    i % every == every // 2. Returns both lists and a summary for stats.json."""
    train: list[str] = []
    held_out: list[str] = []
    counts = {}
    number = 0
    for name, lines in novels.items():
        novel_chapters = chapters(lines)
        counts[name] = len(novel_chapters)
        for chapter in novel_chapters:
            (held_out if number % every == every // 2 else train).extend(chapter)
            number += 1
    summary = {
        "novels": counts,
        "chapters": number,
        "held_out_chapters": sum(1 for i in range(number) if i % every == every // 2),
        "train_paragraphs": len(train),
        "held_out_paragraphs": len(held_out),
        "train_words": sum(len(p.split()) for p in train),
        "held_out_words": sum(len(p.split()) for p in held_out),
    }
    return train, held_out, summary


def build_austen(out_dir: Path, data_dir: Path = JANEAUSTENR_DATA) -> dict:
    """Write train.txt and heldout.txt (one paragraph a line) and stats.json into `out_dir`."""
    train, held_out, summary = split_chapters(read_novels(data_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "train.txt").write_text("\n".join(train) + "\n", encoding="utf-8")
    (out_dir / "heldout.txt").write_text("\n".join(held_out) + "\n", encoding="utf-8")
    summary["source"] = "Debian r-cran-janeaustenr (janeaustenr, MIT); novels public domain"
    (out_dir / "stats.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def read_paragraphs(path: Path) -> list[str]:
    """The paragraphs of a train.txt or heldout.txt."""
    if not path.exists():
        raise RuntimeError(
            f"{path} is missing; build it with `python -m attnviz.training data austen`."
        )
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

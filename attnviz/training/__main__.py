"""`python -m attnviz.training data [sentiment] | train NAME|all | evaluate NAME|all`.

data: build the English-Spanish corpus in data/corpus/ (Apertium; see CORPUS.md); `data
    sentiment` the labelled Rotten Tomatoes sentences in data/sentiment/.
The task models (sentiment-bigru, sentiment-minilm, qa-memnet) train and evaluate by name;
their evaluation prints the figures their targets name.
train: train a model and ship its weights to attnviz/weights/NAME/; a log of loss and
    validation figures goes to data/logs/NAME.log.
evaluate: score the shipped weights on the test split and, for the translators, on the
    held-out sets (everyday sentences with our references, names and numbers, long sentences);
    the figures go to attnviz/weights/NAME/evaluation.json, and a table of every model asked
    for (with Apertium's own figures when it is installed) to the standard output.
by-length: chrF of rnnenc-en-es, bahdanau-en-es and transformer-en-es by source length on
    held-out sentences, written to attnviz/weights/quality_by_length.json (see by_length.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch

from attnviz.training.train import Progress

DATES = "bahdanau-dates"
EN_ES = (
    "bahdanau-en-es",
    "transformer-en-es",
    "luong-dot-en-es",
    "luong-general-en-es",
    "rnnenc-en-es",
)
DATA_DIR = Path(__file__).resolve().parents[2] / "data"
TASKS = ("sentiment-bigru", "sentiment-minilm", "qa-memnet")
GPT = "gpt-austen"


def logger(name: str) -> Callable[[str], None]:
    path = DATA_DIR / "logs" / f"{name}.log"
    path.parent.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        with path.open("a", encoding="utf-8") as file:
            file.write(f"{time.strftime('%H:%M:%S')} {message}\n")

    return log


def progress_bar(name: str, log: Callable[[str], None]) -> Callable[[Progress], None]:
    from tqdm import tqdm

    bar = tqdm(desc=name, unit="step", mininterval=2.0)

    def report(progress: Progress) -> None:
        bar.update(progress["step"] - bar.n)
        bar.set_postfix(loss=f"{progress['loss']:.3f}", epoch=progress["epoch"], refresh=False)
        if progress["step"] % 100 == 0 or progress.get("validated"):
            figures = {k: v for k, v in progress.items() if k != "validated"}
            log(
                json.dumps(
                    {k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()}
                )
            )

    return report


def train_dates_command() -> dict:
    from attnviz.models import dates
    from attnviz.models.seq2seq import WEIGHTS_DIR, save_weights
    from attnviz.training.dates_train import train_dates

    log = logger(DATES)
    model, progress = train_dates(seconds=55.0, report=progress_bar(DATES, log))
    folder = WEIGHTS_DIR / DATES
    save_weights(model.network, model.config, folder, "rnn")
    dates.save_tokenizers(folder)
    log(f"shipped {folder.name}: {json.dumps(progress)}")
    return progress


def evaluate_dates() -> dict:
    from attnviz.models.dates import load_bahdanau_dates
    from attnviz.training.dates_data import held_out_pairs
    from attnviz.training.dates_train import exact_accuracy

    model = load_bahdanau_dates()
    pairs = held_out_pairs(5000, seed=12345)
    with torch.inference_mode():
        accuracy = exact_accuracy(model.network, pairs)
    parameters = sum(p.numel() for p in model.network.parameters())
    return {
        "model": DATES,
        "split": "held-out dates",
        "sentences": len(pairs),
        "exact": accuracy,
        "parameters": parameters,
    }


def train_task(name: str, minutes: float | None, resume: bool = False) -> dict:
    """Train one of the task models (sentiment, question answering) and ship its weights.

    resume (sentiment-minilm only): fine-tune the shipped layers further at a lower rate.
    """
    from attnviz.models.seq2seq import WEIGHTS_DIR

    log, folder = logger(name), WEIGHTS_DIR / name
    budget = {} if minutes is None else {"max_minutes": minutes}
    if name == "sentiment-bigru":
        from attnviz.training.sentiment_bigru import BiGRUTrainConfig, train_sentiment_bigru

        config = BiGRUTrainConfig(**budget)
        return train_sentiment_bigru(folder, DATA_DIR / "sentiment", log, config)
    if name == "sentiment-minilm":
        from attnviz.training.sentiment_minilm import MiniLMTrainConfig, train_sentiment_minilm

        further = {"learning_rate": 2e-5, "head_learning_rate": 2e-4, "epochs": 2}
        config = MiniLMTrainConfig(**budget, **(further if resume else {}))
        return train_sentiment_minilm(folder, DATA_DIR / "sentiment", log, config, resume)
    from attnviz.training.babi_train import MemNetTrainConfig, train_qa_memnet

    return train_qa_memnet(folder, log, MemNetTrainConfig(**budget))


def evaluate_task(name: str) -> dict:
    """The target figures of a task model, measured on its shipped weights."""
    if name == "qa-memnet":
        from attnviz.training.babi_train import evaluate_qa_memnet

        return evaluate_qa_memnet()
    from attnviz.training.sentiment_eval import evaluate_sentiment

    return evaluate_sentiment(name, DATA_DIR / "sentiment")


def train(
    name: str,
    minutes: float | None,
    resume: bool,
    options: dict | None = None,
    corpus: Path | None = None,
) -> None:
    """Train `name`; `options` are the command line's synthetic_share, learning_rate and
    smear_reset (gpt-austen), learning_rate, extra_copies and copies_seed (the translators)."""
    options = options or {}
    if name == GPT:
        from attnviz.training.gpt_commands import train_gpt_command

        gpt = {k: options.get(k) for k in ("synthetic_share", "learning_rate", "smear_reset")}
        figures = train_gpt_command(DATA_DIR, logger(name), minutes, resume, **gpt)
        print(json.dumps(figures))
        return
    if name in TASKS:
        print(json.dumps(train_task(name, minutes, resume)))
        return
    if name == DATES:
        print(json.dumps(train_dates_command()))
        return
    from attnviz.training.train_mt import train_mt

    log = logger(name)
    where = {} if corpus is None else {"corpus_dir": corpus}
    given = ("learning_rate", "extra_copies", "copies_seed")
    chosen = {k: options[k] for k in given if options.get(k) is not None}  # else train_mt's own
    result = train_mt(name, log, progress_bar(name, log), minutes, resume=resume, **chosen, **where)
    print(json.dumps(result))


def evaluate(name: str, corpus: Path | None = None) -> dict:
    if name == GPT:
        from attnviz.training.gpt_commands import evaluate_gpt

        result = evaluate_gpt(DATA_DIR)
    elif name in TASKS:
        result = evaluate_task(name)
    elif name == DATES:
        result = evaluate_dates()
    else:
        from attnviz.training.heldout_eval import translator_figures
        from attnviz.training.train_mt import evaluate_mt

        where = {} if corpus is None else {"corpus_dir": corpus}
        result = {**evaluate_mt(name, **where), **translator_figures(name)}
    from attnviz.models.seq2seq import WEIGHTS_DIR

    (WEIGHTS_DIR / name / "evaluation.json").write_text(
        json.dumps(result, indent=2) + "\n", encoding="utf-8"
    )
    print(json.dumps(result))
    return result


TABLE_COLUMNS = (
    ("chrf", "test chrF"),
    ("everyday_chrf", "everyday chrF"),
    ("names_numbers_chrf", "names/numbers chrF"),
    ("names_numbers_copied", "copied"),
    ("long_chrf_vs_apertium", "long chrF vs Apertium"),
    ("beam_3.long_chrf_vs_apertium", "long, beam 3"),
)


def table_value(row: dict, key: str) -> object:
    """A figure of one row; "a.b" reads a figure nested under "a"; "-" where it is missing."""
    for part in key.split("."):
        row = row.get(part, "-") if isinstance(row, dict) else "-"
    return row


def print_table(results: list[dict]) -> None:
    """The translators' figures side by side (Apertium's too, when it is installed)."""
    from attnviz.training.heldout_eval import apertium_figures

    rows = [r for r in results if "everyday_chrf" in r]
    if not rows:
        return
    teacher = apertium_figures()
    if teacher:
        rows.append(teacher)
    print("| model | " + " | ".join(title for _, title in TABLE_COLUMNS) + " |")
    print("|---" * (len(TABLE_COLUMNS) + 1) + "|")
    for row in rows:
        cells = [
            f"{row[key]:.1%}" if key == "names_numbers_copied" else str(table_value(row, key))
            for key, _ in TABLE_COLUMNS
        ]
        print(f"| {row['model']} | " + " | ".join(cells) + " |")


def build_sentiment_data(seed: int) -> None:
    from attnviz.training.sentiment_data import build_sentiment_data as build

    print(json.dumps(build(DATA_DIR / "sentiment", seed=seed), indent=2))


def build_austen_data() -> int:
    from attnviz.training.austen import build_austen

    try:
        print(json.dumps(build_austen(DATA_DIR / "austen"), indent=2))
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


def build_data(seed: int) -> None:
    from attnviz.training.corpus import build_corpus

    print(json.dumps(build_corpus(DATA_DIR / "corpus", seed=seed), indent=2))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m attnviz.training", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="build the corpus in data/corpus/")
    data.add_argument(
        "what",
        nargs="?",
        choices=("corpus", "sentiment", "austen"),
        default="corpus",
        help="which data",
    )
    data.add_argument("--seed", type=int, default=0)
    commands.add_parser("by-length", help="chrF by sentence length -> quality_by_length.json")
    for command in ("train", "evaluate"):
        sub = commands.add_parser(command)
        sub.add_argument("name", choices=(DATES, *EN_ES, *TASKS, GPT, "all"))
        if command == "train":
            sub.add_argument("--minutes", type=float, default=None, help="time budget per model")
            sub.add_argument(
                "--resume", action="store_true", help="continue from the shipped weights"
            )
            sub.add_argument(
                "--synthetic-share",
                type=float,
                help="gpt-austen: share of repeated random words in each batch",
            )
            sub.add_argument(
                "--learning-rate", type=float, help="peak rate (gpt-austen and the translators)"
            )
            sub.add_argument(
                "--smear-reset",
                type=float,
                help="gpt-austen, with --resume: the smeared keys' share of the first two "
                "layers starts the run at sigmoid(this) (0: half their own key)",
            )
            sub.add_argument(
                "--extra-copies",
                type=int,
                default=0,
                help="translators: this many more training pairs with other names and numbers; "
                "checkpoints are then also scored on copying names and numbers",
            )
            sub.add_argument(
                "--copies-seed",
                type=int,
                help="translators: the seed that draws the --extra-copies (default 1)",
            )
        sub.add_argument(
            "--corpus", type=Path, default=None, help="corpus folder (default data/corpus)"
        )
        sub.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = parser.parse_args(argv)
    torch.set_num_threads(getattr(args, "threads", 1))
    if args.command == "data":
        if args.what == "austen":
            return build_austen_data()
        (build_sentiment_data if args.what == "sentiment" else build_data)(args.seed)
        return 0
    if args.command == "by-length":
        from attnviz.training.by_length import by_length

        print(json.dumps(by_length(), indent=2))
        return 0
    names = (DATES, *EN_ES) if args.name == "all" else (args.name,)
    results = []
    for name in names:
        if args.command == "train":
            options = {
                "synthetic_share": args.synthetic_share,
                "learning_rate": args.learning_rate,
                "extra_copies": args.extra_copies,
                "copies_seed": args.copies_seed,
                "smear_reset": args.smear_reset,
            }
            train(name, args.minutes, args.resume, options, args.corpus)
        else:
            results.append(evaluate(name, args.corpus))
    print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

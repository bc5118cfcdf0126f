"""The command line: `python -m attnviz models|run|export|generate|app|serve ...` (DESIGN.md
section 4).

Bad input exits with status 2 and one plain sentence on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse prints usage + message; keep one sentence
        raise ValueError(message[0].upper() + message[1:] + ".")


def add_download_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--download",
        action="store_true",
        help="fetch an org/name missing from the local Hugging Face cache (safetensors only)",
    )


def build_parser() -> argparse.ArgumentParser:
    installed = Path(sys.argv[0]).name == "attnviz"  # the console script, not `python -m`
    parser = _Parser(
        prog="attnviz" if installed else "python -m attnviz",
        description="See what neural networks attend to.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    models = commands.add_parser("models", help="list the models attnviz knows")
    models.add_argument("--json", action="store_true", help="print a JSON list")
    run = commands.add_parser("run", help="run a model on a text and print its attention")
    run.add_argument("model", help="a model name (see `models`) or a model folder")
    run.add_argument("text", help="the input text")
    run.add_argument("--beam", type=int, default=1, help="beam width for translators (default 1)")
    run.add_argument("--json", action="store_true", help="print the whole run as one JSON object")
    add_download_option(run)
    add_export_parser(commands)
    add_generate_parser(commands)
    from attnviz.serve import add_parsers as add_serve_parsers  # `app` and `serve`

    add_serve_parsers(commands)
    return parser


def add_export_parser(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export",
        help="write one head as .png, .svg or .html, its map as .csv, or the run as .json or .npz",
    )
    export.add_argument("model", help="a model name (see `models`) or a model folder")
    export.add_argument("text", help="the input text")
    export.add_argument(
        "--kind",
        help="encoder_self, decoder_self, cross, pooling or memory (default: the run's first)",
    )
    export.add_argument("--layer", type=int, default=0, help="layer, from 0 (default 0)")
    export.add_argument("--head", type=int, default=0, help="head, from 0 (default 0)")
    export.add_argument(
        "-o", "--output", required=True, help="the file; its extension picks the format"
    )
    add_download_option(export)
    export.add_argument("--width", type=int, help="image width in CSS pixels (default 800)")
    export.add_argument(
        "--height", type=int, help="image height in CSS pixels (default: the figure's)"
    )
    export.add_argument(
        "--scale", type=float, default=2.0, help="PNG pixels per CSS pixel (default 2)"
    )


def add_generate_parser(commands: argparse._SubParsersAction) -> None:
    generate = commands.add_parser(
        "generate", help="continue a prompt with a causal language model (gpt-austen)"
    )
    generate.add_argument("model", help="gpt-austen or a decoder-only model folder")
    generate.add_argument("prompt", help="the text to continue")
    generate.add_argument("--max-new-tokens", type=int, default=40, help="default 40")
    generate.add_argument(
        "--temperature", type=float, default=1.0, help="0 takes the most probable token (greedy)"
    )
    generate.add_argument("--top-k", type=int, default=0, help="draw among the k most probable")
    generate.add_argument("--seed", type=int, default=0, help="the same seed, the same text")
    generate.add_argument(
        "--json", action="store_true", help="print the run of prompt and continuation as JSON"
    )
    add_download_option(generate)


def command_generate(args: argparse.Namespace) -> None:
    import attnviz

    _quiet_libraries()
    settings = (args.max_new_tokens, args.temperature, args.top_k, args.seed)
    result = attnviz.generate(load_model(args.model, args.download), args.prompt, *settings)
    if args.json:
        data = {**result.to_json(), "prompt_tokens": result.extras["prompt_tokens"]}
        data["sampling"] = result.extras["sampling"]
        print(json.dumps(data, ensure_ascii=False))
        return
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    print(result.text)


def command_models(as_json: bool) -> None:
    from attnviz.models.registry import list_models

    entries = list_models()
    if as_json:
        rows = [
            {"name": e.name, "description": e.description, "kinds": list(e.kinds)} for e in entries
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return
    width = max(len(e.name) for e in entries)
    for entry in entries:
        kinds = ", ".join(entry.kinds) or "no attention"
        print(f"{entry.name:<{width}}  {entry.description} [{kinds}]")


def load_model(name: str, download: bool) -> object:
    """The model to run: a name as given, or with --download loaded (fetched if missing)."""
    import attnviz

    return attnviz.load(name, download=True) if download else name


def command_run(args: argparse.Namespace) -> None:
    import attnviz

    _quiet_libraries()
    result = attnviz.run(load_model(args.model, args.download), args.text, beam=args.beam)
    as_json = args.json
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return
    for note in result.notes:
        print(f"note: {note}")
    print(f"model:  {result.model}")
    print(f"source: {' '.join(result.source_tokens)}")
    if result.target_tokens:
        print(f"target: {' '.join(result.target_tokens)}")
    if result.output_text is not None:
        print(f"output: {result.output_text}")
    if result.probabilities is not None:
        ranked = sorted(result.probabilities.items(), key=lambda item: -item[1])
        print("probabilities: " + ", ".join(f"{name} {p:.4f}" for name, p in ranked))
    for kind in result.kinds:
        shape = "x".join(str(n) for n in result.maps[kind].weights.shape)
        print(f"{kind}: [layer, head, query, key] = {shape}")
    if not result.kinds:
        from attnviz.models.base import no_attention_sentence

        print(f"attention: none ({no_attention_sentence(result.model)})")


def command_export(args: argparse.Namespace) -> None:
    """Check the file name first (cheap), then run the model and write the file."""
    import attnviz
    from attnviz import export

    export.export_format(args.output)
    _quiet_libraries()
    result = attnviz.run(load_model(args.model, args.download), args.text)
    if not result.kinds:
        from attnviz.models.base import no_attention_sentence

        raise ValueError(no_attention_sentence(result.model))
    kind = args.kind or result.kinds[0]
    size = (args.width, args.height, args.scale)
    written = export.export_file(args.output, result, kind, args.layer, args.head, size=size)
    print(f"Wrote {args.output} ({written:,} bytes).")


def _quiet_libraries() -> None:
    """Keep stdout/stderr to what we print: no progress bars or warnings from transformers."""
    import os

    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import torch

    torch.set_num_threads(1)
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["app"]:  # everything after `app` is Streamlit's, unparsed
            from attnviz.serve import command_app

            return command_app(argv[1:])
        args = build_parser().parse_args(argv)
        if args.command == "serve":
            from attnviz.serve import command_serve

            return command_serve(args)
        if args.command == "models":
            command_models(args.json)
        elif args.command == "export":
            command_export(args)
        elif args.command == "generate":
            command_generate(args)
        else:
            command_run(args)
    except ValueError as error:
        print(f"attnviz: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader stopped early (`attnviz run ... --json | head`)
        # Python flushes stdout again at exit; point it at nothing so that flush cannot fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:  # the output file could not be written
        print(f"attnviz: {error.strerror or error}: {error.filename}.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except RuntimeError as error:
        from attnviz.export import ExportError

        if not isinstance(error, ExportError):
            raise
        print(f"attnviz: {error}", file=sys.stderr)  # no browser could draw the image
        return EXIT_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main())

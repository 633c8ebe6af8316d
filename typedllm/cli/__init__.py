"""The ``typedllm`` command (also ``python -m typedllm``).

* ``typedllm extract``: typed extraction over a JSON Lines or CSV file, concurrent, with a
  resumable journal, budgets, a progress bar and exit codes a scheduler can rely on.
* ``typedllm models``: the model catalog (capabilities, context windows, prices);
  ``typedllm models --providers``: the providers a ``--model`` spec may name.

:func:`main` takes the arguments and returns the exit code (it never calls ``sys.exit``), so
it can be run in-process: ``main(["models", "--json"])``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import IO

from .._errors import ConfigurationError
from ._extract import (
    EXIT_BUDGET,
    EXIT_CODES,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    add_extract_parser,
)
from ._models import print_models, print_providers

__all__ = [
    "EXIT_BUDGET",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "build_parser",
    "main",
]


def _run_models(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    if args.providers:
        print_providers(stdout, as_json=args.json)
        return EXIT_OK
    count = print_models(stdout, provider=args.provider, search=args.search, as_json=args.json)
    if count == 0:
        stderr.write("typedllm: no model matches\n")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The ``typedllm`` argument parser (commands ``extract`` and ``models``)."""
    parser = argparse.ArgumentParser(
        prog="typedllm",
        description="Typed LLM calls from the command line.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"typedllm {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_extract_parser(commands)
    models = commands.add_parser(
        "models",
        help="list the model catalog",
        description="List the models typedllm knows: capabilities, context window, prices "
        "(USD per million tokens). --providers lists the providers --model may name "
        "(native wires, OpenAI-compatible host presets, fake) instead.",
    )
    models.add_argument(
        "--providers",
        action="store_true",
        help="list the providers (PROVIDER in --model PROVIDER:MODEL) instead of models",
    )
    models.add_argument("--provider", choices=("openai", "anthropic", "gemini", "cohere"))
    models.add_argument("--search", metavar="TEXT", help="only names containing TEXT")
    models.add_argument("--json", action="store_true", help="JSON instead of a table")
    models.set_defaults(handler=_run_models)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run the ``typedllm`` command with ``argv`` (default: ``sys.argv[1:]``); return the exit
    code (0 done, 1 items failed, 2 usage or configuration error, 3 stopped by a budget, 130
    interrupted)."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version (0) and usage errors (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(err)
        return EXIT_USAGE
    try:
        code: int = handler(args, out, err)
    except ConfigurationError as exc:
        err.write(f"typedllm {args.command}: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        err.write("typedllm: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `typedllm extract ... | head`: the reader left
        return EXIT_FAILED
    return code

"""``typedllm extract``: read records, call the model on each through :func:`typedllm.map`,
write the typed outputs; a journal makes the run resumable.

The order of work: everything that can be wrong with the command line (the model spec, the
key, the schema path, the input's fields and ids, the journal) is checked before the first
request, so a scheduler sees exit code 2 at once instead of a run of failures."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from .._errors import ConfigurationError
from ..pipeline._journal import Journal
from ..pipeline._results import ItemResult, MapResults, RunSummary
from ._io import (
    FORMATS,
    OUTPUT_FORMATS,
    check_records,
    format_of,
    read_records,
    template_fields,
    write_results,
)
from ._progress import ProgressMode, make_reporter
from ._spec import build_client, import_schema, parse_model

__all__ = [
    "EXIT_BUDGET",
    "EXIT_CODES",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "add_extract_parser",
    "exit_code",
    "run_extract",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_BUDGET = 3
EXIT_INTERRUPTED = 130

_SHOWN_FAILURES = 5


def add_extract_parser(commands: Any) -> argparse.ArgumentParser:
    """Add the ``extract`` command to the subparsers of the ``typedllm`` parser."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "extract",
        help="extract typed records from each input record",
        description=(
            "Call the model on every input record (concurrently), validate each answer into "
            "--schema and write one output record per input: the output's fields plus the id."
        ),
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    model = parser.add_argument_group("model")
    model.add_argument(
        "--model",
        required=True,
        metavar="PROVIDER:MODEL",
        help="openai:gpt-4o-mini, anthropic:claude-haiku-4-5, gemini:gemini-2.5-flash, "
        "ollama:llama3.2, azure:gpt-4o-mini, bedrock:claude-haiku-4-5, groq:NAME (any host "
        "preset by its name), openai-compatible:NAME (with --base-url), or fake:NAME "
        "(offline, no key); `typedllm models --providers` lists every provider",
    )
    model.add_argument("--base-url", help="send requests to this base URL")
    model.add_argument(
        "--api-key-env",
        metavar="VAR",
        help="read the API key from this environment variable (default: the provider's, "
        "e.g. OPENAI_API_KEY)",
    )
    model.add_argument(
        "--like",
        metavar="MODEL",
        help="an unlisted model name borrows this listed model's abilities",
    )
    model.add_argument("--system", metavar="TEXT", help="a system prompt sent with every call")
    model.add_argument(
        "--deployment",
        metavar="NAME",
        help="azure: the deployment the model runs on (default: the model's name; the "
        "endpoint comes from --base-url or AZURE_OPENAI_ENDPOINT)",
    )
    io = parser.add_argument_group("input and output")
    io.add_argument(
        "--schema",
        metavar="MODULE:NAME",
        help="the type each answer is validated into (e.g. mypkg.models:Invoice; the current "
        "directory is importable); without it, answers are text",
    )
    io.add_argument("--input", required=True, metavar="PATH", help="input records ('-': stdin)")
    io.add_argument("--format", choices=FORMATS, help="input format (default: from the extension)")
    io.add_argument(
        "--text-field",
        default="text",
        metavar="NAME",
        help="the field sent as the prompt when --prompt is not given (default: text)",
    )
    io.add_argument(
        "--prompt",
        metavar="TEMPLATE",
        help="the prompt, formatted with each record's fields: 'Extract the invoice: {text}' "
        "({input} is the whole record)",
    )
    io.add_argument(
        "--id-field",
        metavar="NAME",
        help="the field holding each record's id (default: the record's position, from 0)",
    )
    io.add_argument(
        "--output", default="-", metavar="PATH", help="output records (default '-': stdout)"
    )
    io.add_argument(
        "--output-format",
        choices=OUTPUT_FORMATS,
        help="output format (default: from the extension; parquet needs typedllm[parquet])",
    )
    io.add_argument(
        "--errors",
        metavar="PATH",
        help="write failed items here as JSON Lines (id, error_type, error); otherwise they "
        "are listed in the summary",
    )
    run = parser.add_argument_group("the run")
    run.add_argument("--concurrency", type=_positive_int, default=8, metavar="N")
    run.add_argument(
        "--journal",
        metavar="PATH",
        help="a SQLite journal of finished items: a crash or Ctrl-C loses only items in flight",
    )
    run.add_argument("--job", metavar="NAME", help="the job's name in the journal")
    run.add_argument(
        "--resume",
        action="store_true",
        help="continue the job the journal holds (done items are skipped); without it an "
        "existing job is refused",
    )
    run.add_argument(
        "--retry-failed", action="store_true", help="with --resume: call failed items again"
    )
    run.add_argument(
        "--max-cost", type=_positive_float, metavar="USD", help="stop scheduling past this cost"
    )
    run.add_argument(
        "--max-tokens",
        type=_positive_int,
        metavar="N",
        help="stop scheduling past this many tokens (input and output, every call)",
    )
    run.add_argument(
        "--progress",
        choices=("auto", "bar", "plain", "none"),
        default="auto",
        help="a bar on a terminal (needs typedllm[progress]), else a line every few seconds",
    )
    run.add_argument("--quiet", "-q", action="store_true", help="no progress and no summary")
    parser.set_defaults(handler=run_extract)
    return parser


EXIT_CODES = """\
exit codes:
  0    every item done
  1    some items failed (the others are written; see --errors)
  2    usage or configuration error (bad option, schema path, input field, missing key);
       nothing was sent
  3    stopped by --max-cost or --max-tokens (items were left unscheduled)
  130  interrupted (Ctrl-C); the journal keeps every finished item: rerun with --resume
"""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


@dataclass(frozen=True, slots=True)
class _Plan:
    """A checked command line: what to run, and where its results go."""

    client: Any
    schema: Any
    records: list[Any]
    prompt: str
    id_of: Callable[[Any], Any] | None
    id_key: str
    output: str
    output_format: str
    journal: Journal | None


def _plan(args: argparse.Namespace) -> _Plan:
    if args.retry_failed and not args.resume:
        raise ConfigurationError("--retry-failed goes with --resume")
    if args.resume and args.journal is None:
        raise ConfigurationError("--resume needs --journal (the journal of the run to resume)")
    spec = parse_model(args.model)
    schema = import_schema(args.schema) if args.schema else None
    output_format = format_of(args.output, args.output_format, OUTPUT_FORMATS, "--output-format")
    if args.output == "-" and output_format == "parquet":
        raise ConfigurationError("Parquet output needs a file path (--output results.parquet)")
    for option, path in (("--output", args.output), ("--errors", args.errors)):
        folder = os.path.dirname(path) if path not in (None, "-") else ""
        if folder and not os.path.isdir(folder):
            raise ConfigurationError(f"{option} {path}: the folder {folder!r} does not exist")
    input_format = format_of(args.input, args.format, FORMATS, "--format")
    records = read_records(args.input, input_format)
    prompt: str = args.prompt if args.prompt is not None else "{" + args.text_field + "}"
    check_records(records, template_fields(prompt), args.id_field, _source(args.input))
    client = build_client(
        spec,
        base_url=args.base_url,
        api_key_env=args.api_key_env,
        like=args.like,
        system=args.system,
        deployment=args.deployment,
    )
    journal = None
    if args.journal is not None:
        journal = Journal(args.journal, job=args.job)
        if not args.resume and journal.summary().total:
            journal.close()
            raise ConfigurationError(
                f"the journal {args.journal} already holds job {journal.job!r}: pass --resume to "
                "continue it, or start another --job or --journal"
            )
    id_field: str | None = args.id_field
    id_of = None if id_field is None else _field_getter(id_field)
    return _Plan(
        client=client,
        schema=schema,
        records=[record for _number, record in records],
        prompt=prompt,
        id_of=id_of,
        id_key=id_field or "id",
        output=args.output,
        output_format=output_format,
        journal=journal,
    )


def _field_getter(name: str) -> Callable[[Any], Any]:
    def get(record: Any) -> Any:
        return record[name]

    return get


def _source(path: str) -> str:
    return "stdin" if path == "-" else os.path.basename(path)


def exit_code(summary: RunSummary) -> int:
    """The exit code of a finished run: 3 when a budget stopped it, 130 when it was
    cancelled, 1 when items failed, else 0."""
    if summary.stopped == "cancelled":
        return EXIT_INTERRUPTED
    if summary.stopped in ("cost_budget", "token_budget"):
        return EXIT_BUDGET
    if summary.failed:
        return EXIT_FAILED
    return EXIT_OK


def _map(plan: _Plan, args: argparse.Namespace, progress: Any) -> MapResults[Any]:
    from ..pipeline._map import map as run_map

    options: dict[str, Any] = {
        "prompt": plan.prompt,
        "concurrency": args.concurrency,
        "id_of": plan.id_of,
        "on_error": "collect",
        "max_cost": args.max_cost,
        "max_tokens": args.max_tokens,
        "progress": progress,
        "journal": plan.journal,
        "retry_failed": args.retry_failed,
    }
    if plan.schema is not None:
        options["schema"] = plan.schema
    results: MapResults[Any] = run_map(plan.client, plan.records, **options)
    return results


def run_extract(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    """Run ``typedllm extract`` with parsed arguments; return the exit code."""
    plan = _plan(args)
    mode: ProgressMode = "none" if args.quiet else args.progress
    reporter = make_reporter(mode, stderr)
    try:
        reporter.start()
        try:
            results = _map(plan, args, reporter)
        finally:
            reporter.stop()
    except KeyboardInterrupt:
        kept = plan.journal.summary().total if plan.journal is not None else 0
        where = (
            f"; the journal keeps {kept} finished item(s): rerun with --resume"
            if (plan.journal is not None)
            else ""
        )
        stderr.write(f"typedllm: interrupted{where}\n")
        return EXIT_INTERRUPTED
    finally:
        if plan.journal is not None:
            plan.journal.close()
        plan.client.close()
    done = [r for r in results if r.ok]
    failed = [r for r in results if not r.ok]
    written = write_results(
        done, plan.output, plan.output_format, id_key=plan.id_key, stdout=stdout
    )
    if args.errors is not None:
        write_results(failed, args.errors, "jsonl", id_key=plan.id_key)
    if not args.quiet:
        _report(results.summary, written, failed, args, stderr)
    return exit_code(results.summary)


def _report(
    summary: RunSummary,
    written: int,
    failed: Sequence[ItemResult[Any]],
    args: argparse.Namespace,
    stderr: IO[str],
) -> None:
    where = "stdout" if args.output == "-" else args.output
    stderr.write(f"typedllm: {summary}\n")
    stderr.write(f"typedllm: {written} record(s) written to {where}\n")
    if failed and args.errors is not None:
        stderr.write(f"typedllm: {len(failed)} failed item(s) written to {args.errors}\n")
    elif failed:
        stderr.write(f"typedllm: {len(failed)} item(s) failed:\n")
        for result in failed[:_SHOWN_FAILURES]:
            stderr.write(f"  {result.id}: {type(result.error).__name__}: {result.error}\n")
        if len(failed) > _SHOWN_FAILURES:
            stderr.write(f"  ... and {len(failed) - _SHOWN_FAILURES} more (see --errors)\n")
    if summary.stopped in ("cost_budget", "token_budget"):
        budget = "--max-cost" if summary.stopped == "cost_budget" else "--max-tokens"
        stderr.write(
            f"typedllm: stopped by {budget}: {summary.skipped} item(s) not scheduled"
            + (" (raise it and rerun with --resume)" if args.journal else "")
            + "\n"
        )
    stderr.flush()

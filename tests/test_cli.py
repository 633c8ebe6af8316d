"""The ``typedllm`` command: argument checks (exit 2 before any request), the models table,
offline extraction on the fake provider in-process and as ``python -m typedllm``, resume,
budgets, failures and interrupts with their exit codes."""

from __future__ import annotations

import io
import json
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import typedllm as tl
from typedllm.cli import main
from typedllm.cli._extract import exit_code
from typedllm.cli._io import format_of, read_records, template_fields
from typedllm.cli._progress import PlainReporter, Reporter, make_reporter
from typedllm.pipeline import ItemResult, Journal, Progress, RunSummary
from typedllm.testing import FakeProvider, FakeReply, block_network, serve

SCHEMA_MODULE = "typedllm_cli_test_models"

MODELS_PY = """
from pydantic import BaseModel


class Invoice(BaseModel):
    vendor: str
    total: float


class Wrapper:
    class Inner(BaseModel):
        name: str


not_a_type = 42
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory with the schema module and a few inputs, as the current directory."""
    (tmp_path / f"{SCHEMA_MODULE}.py").write_text(MODELS_PY)
    docs = [{"doc": f"d{i}", "text": f"Invoice {i} from ACME, total {i}.50"} for i in range(6)]
    (tmp_path / "docs.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    (tmp_path / "docs.csv").write_text(
        "doc,text\n" + "".join(f'{d["doc"]},"{d["text"]}"\n' for d in docs)
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the CLI makes the directory importable
    yield tmp_path
    sys.modules.pop(SCHEMA_MODULE, None)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


# -- help and the models command -------------------------------------------------------------


def test_help_documents_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    for code in ("0 ", "1 ", "2 ", "3 ", "130"):
        assert f"\n  {code}" in text
    assert main(["extract", "--help"]) == 0
    text = capsys.readouterr().out
    assert "--resume" in text and "--max-cost" in text and "interrupted (Ctrl-C)" in text
    assert main([]) == 2  # no command: the help, as a usage error
    assert main(["--version"]) == 0
    assert tl.__version__ in capsys.readouterr().out


def test_models_table_lists_capabilities_and_prices() -> None:
    code, out, _ = run("models")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split()[:3] == ["provider", "model", "capabilities"]
    mini = next(r for r in rows if r.split()[1] == "gpt-4o-mini")
    assert mini.split()[0] == "openai"
    assert mini.split()[-4:] == ["128k", "16384", "0.15", "0.6"]
    assert "tools" in mini and "image" in mini
    assert {r.split()[0] for r in rows} == {"openai", "anthropic", "gemini", "cohere"}


def test_models_json_and_filters() -> None:
    code, out, _ = run("models", "--json", "--provider", "anthropic", "--search", "haiku")
    assert code == 0
    models = json.loads(out)
    assert models and all(m["provider"] == "anthropic" for m in models)
    assert all("haiku" in m["name"] for m in models)
    assert all(isinstance(m["capabilities"], list) for m in models)
    assert {"context_window", "input_price", "output_price"} <= set(models[0])
    code, out, err = run("models", "--search", "no-such-model")
    assert code == 0 and "no model matches" in err


# -- usage and configuration errors: exit 2, nothing sent ------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--model", "nope:x"], "unknown provider 'nope'"),
        (["--model", "openai"], "provider:model"),
        (["--schema", "no_such_module:Invoice"], "cannot import 'no_such_module'"),
        (["--schema", f"{SCHEMA_MODULE}:Missing"], "has no attribute 'Missing'"),
        (["--schema", f"{SCHEMA_MODULE}:not_a_type"], "not a type pydantic can validate"),
        (["--schema", "Invoice"], "module:Name"),
        (["--input", "missing.jsonl"], "cannot read --input missing.jsonl"),
        (["--input", "docs.txt"], "pass --format"),
        (["--text-field", "body"], "line 1 has no field 'body'"),
        (["--prompt", "Extract {title}: {text}"], "line 1 has no field 'title'"),
        (["--prompt", "Extract {0}"], "positional field"),
        (["--prompt", "Extract {text"], "not a valid template"),
        (["--id-field", "missing"], "no --id-field 'missing'"),
        (["--resume"], "--resume needs --journal"),
        (["--retry-failed"], "--retry-failed goes with --resume"),
        (["--model", "openai:gpt-4o-mini"], "no API key"),
        (["--model", "openai:gpt-4o-mini", "--api-key-env", "NO_SUCH_VAR"], "NO_SUCH_VAR"),
        (["--model", "openai:not-a-model"], "unknown OpenAI model"),
        (["--model", "openai-compatible:llama"], "needs --base-url"),
        (["--output", "out.txt"], "--output-format"),
        (["--output", "-", "--output-format", "parquet"], "needs a file path"),
        (["--output", "no/such/dir/out.jsonl"], "does not exist"),
        (["--errors", "no/such/dir/errors.jsonl"], "does not exist"),
    ],
)
def test_configuration_errors_exit_2(workdir: Path, extra: list[str], message: str) -> None:
    args = {"--model": "fake:demo", "--input": "docs.jsonl", "--schema": f"{SCHEMA_MODULE}:Invoice"}
    flags = [a for a in extra if a.startswith("--")]
    argv = ["extract"]
    for name, value in args.items():
        if name not in flags:
            argv += [name, value]
    code, out, err = run(*argv, *extra)
    assert code == 2, err
    assert message in err
    assert out == ""


def test_argument_errors_exit_2(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["extract", "--model", "fake:demo", "--input", "docs.jsonl"]
    assert main([*base, "--concurrency", "0"]) == 2
    assert "expected at least 1" in capsys.readouterr().err
    assert main([*base, "--max-cost", "free"]) == 2
    assert main(["extract", "--input", "docs.jsonl"]) == 2  # --model is required
    assert "--model" in capsys.readouterr().err


def test_duplicate_ids_are_refused(workdir: Path) -> None:
    (workdir / "dup.jsonl").write_text('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n')
    code, _, err = run(
        "extract", "--model", "fake:demo", "--input", "dup.jsonl", "--id-field", "id"
    )
    assert code == 2 and "lines 1 and 2" in err


def test_an_existing_job_needs_resume(workdir: Path) -> None:
    with Journal(workdir / "run.db") as journal:
        journal.save(ItemResult(0, "0", "x"), "h")
    code, _, err = run(
        "extract", "--model", "fake:demo", "--input", "docs.jsonl", "--journal", "run.db"
    )
    assert code == 2 and "pass --resume" in err


# -- pieces -----------------------------------------------------------------------------------


def test_input_formats_and_records(workdir: Path) -> None:
    assert format_of("a.JSONL", None, ("jsonl", "csv"), "--format") == "jsonl"
    assert format_of("a.csv", None, ("jsonl", "csv"), "--format") == "csv"
    assert format_of("-", None, ("jsonl", "csv"), "--format") == "jsonl"
    assert format_of("a.txt", "csv", ("jsonl", "csv"), "--format") == "csv"
    csv_rows = read_records("docs.csv", "csv")
    assert csv_rows[0] == (2, {"doc": "d0", "text": "Invoice 0 from ACME, total 0.50"})
    assert len(csv_rows) == 6
    (workdir / "mixed.jsonl").write_text('"a bare prompt"\n\n{"text": "t"}\n')
    assert read_records("mixed.jsonl", "jsonl") == [(1, "a bare prompt"), (3, {"text": "t"})]
    (workdir / "bad.jsonl").write_text('{"text": "t"}\n[1, 2]\n')
    with pytest.raises(tl.ConfigurationError, match="line 2: expected a JSON object"):
        read_records("bad.jsonl", "jsonl")
    stdin = io.StringIO('{"text": "from stdin"}\n')
    assert read_records("-", "jsonl", stdin=stdin) == [(1, {"text": "from stdin"})]
    assert template_fields("{text} and {meta.title} of {input} {text}") == ["text", "meta"]


def test_exit_codes_of_a_summary() -> None:
    def summary(**changes: Any) -> RunSummary:
        values: dict[str, Any] = {
            "total": 3,
            "done": 3,
            "failed": 0,
            "skipped": 0,
            "cached": 0,
            "usage": tl.Usage(),
            "cost": None,
            "seconds": 1.0,
        }
        values.update(changes)
        return RunSummary(**values)

    assert exit_code(summary()) == 0
    assert exit_code(summary(done=2, failed=1)) == 1
    assert exit_code(summary(done=1, skipped=2, stopped="cost_budget")) == 3
    assert exit_code(summary(done=1, failed=1, skipped=1, stopped="token_budget")) == 3
    assert exit_code(summary(done=1, skipped=2, stopped="cancelled")) == 130


def _snapshot(finished: int) -> Progress:
    return Progress(
        total=10,
        done=finished,
        failed=0,
        in_flight=2,
        cached=0,
        usage=tl.Usage(100, 50),
        cost=0.0123,
        elapsed=2.0,
    )


def test_plain_progress_lines() -> None:
    stream = io.StringIO()
    reporter = PlainReporter(stream, interval=3600)
    reporter.start()
    reporter(_snapshot(1))
    reporter(_snapshot(4))
    assert stream.getvalue() == ""  # nothing until the interval passed
    reporter.stop()
    line = stream.getvalue().strip()
    assert line.startswith("typedllm: 4/10 | done 4 | failed 0")
    assert "2.0/s" in line and "eta 3s" in line and "150 tokens" in line and "$0.0123" in line
    every = io.StringIO()
    eager = PlainReporter(every, interval=0)
    eager.start()
    for i in range(3):
        eager(_snapshot(i))
    eager.stop()
    assert len(every.getvalue().splitlines()) == 3  # the last one was drawn already


def test_progress_modes() -> None:
    stream = io.StringIO()  # not a terminal
    assert type(make_reporter("none", stream)) is Reporter
    assert isinstance(make_reporter("auto", stream), PlainReporter)
    assert isinstance(make_reporter("plain", stream), PlainReporter)


def test_rich_progress_bar() -> None:
    pytest.importorskip("rich", reason="rich is not installed (pip install 'typedllm[progress]')")
    from typedllm.cli._progress import RichReporter

    stream = io.StringIO()
    reporter = make_reporter("bar", stream)
    assert isinstance(reporter, RichReporter)
    reporter.start()
    reporter(_snapshot(7))
    reporter.stop()
    assert "7/10" in stream.getvalue() and "$0.0123" in stream.getvalue()


# -- extraction on the fake provider ----------------------------------------------------------


class Fakes:
    """The fake providers the CLI builds (one per run), answering with ``responder``."""

    def __init__(self) -> None:
        self.made: list[FakeProvider] = []
        self.responder: Any = None

    def __call__(self) -> FakeProvider:
        provider = FakeProvider(responder=self.responder) if self.responder else FakeProvider()
        self.made.append(provider)
        return provider

    @property
    def calls(self) -> int:
        return self.made[-1].calls


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> Fakes:
    import typedllm.testing

    made = Fakes()
    monkeypatch.setattr(typedllm.testing, "FakeProvider", made)
    return made


def invoice_or_failure(request: dict[str, Any]) -> Any:
    """A valid invoice, or a 400 (not retried) for the documents that say FAIL."""
    if "FAIL" in json.dumps(request):
        return FakeReply.error(400, "this document cannot be read")
    return {"vendor": "ACME", "total": 12.5}


EXTRACT = ("extract", "--model", "fake:gpt-4o-mini", "--schema", f"{SCHEMA_MODULE}:Invoice")


def test_extract_jsonl_offline(workdir: Path, fakes: Fakes) -> None:
    code, out, err = run(*EXTRACT, "--input", "docs.jsonl", "--id-field", "doc", "--quiet")
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["doc"] for r in records] == [f"d{i}" for i in range(6)]
    module = sys.modules[SCHEMA_MODULE]
    for record in records:
        module.Invoice.model_validate({k: v for k, v in record.items() if k != "doc"})
    assert fakes.calls == 6
    assert err == ""  # --quiet


def test_importing_the_schema_leaves_sys_path_as_it_was(workdir: Path, fakes: Fakes) -> None:
    sys.path[:] = [p for p in sys.path if p not in ("", str(workdir))]
    before = list(sys.path)
    code, _, err = run(*EXTRACT, "--input", "docs.jsonl", "--quiet")
    assert code == 0, err
    assert sys.path == before  # the directory was importable for the import only
    assert SCHEMA_MODULE in sys.modules  # and the module it imported stays


def test_extract_csv_with_a_prompt_template_and_a_summary(workdir: Path, fakes: Fakes) -> None:
    code, _, err = run(
        *EXTRACT,
        "--input", "docs.csv",
        "--prompt", "Extract the invoice: {text} ({doc})",
        "--output", "invoices.csv",
        "--progress", "plain",
    )  # fmt: skip
    assert code == 0, err
    sent = [json.dumps(r.json) for r in fakes.made[-1].requests]
    assert all("Extract the invoice: Invoice" in s for s in sent)
    assert any("(d3)" in s for s in sent)
    header, *rows = (workdir / "invoices.csv").read_text().splitlines()
    assert header == "id,vendor,total"
    assert sorted(row.split(",")[0] for row in rows) == [str(i) for i in range(6)]
    assert "6 done, 0 failed, 0 skipped" in err
    assert "6 record(s) written to invoices.csv" in err
    assert "typedllm: 6/6 | done 6" in err  # the plain progress line at the end
    assert "$" in err


def test_extract_to_parquet(workdir: Path, fakes: Fakes) -> None:
    pq = pytest.importorskip(
        "pyarrow.parquet", reason="pyarrow is not installed (pip install 'typedllm[parquet]')"
    )
    code, _, err = run(*EXTRACT, "--input", "docs.jsonl", "--output", "out.parquet", "--quiet")
    assert code == 0, err
    table = pq.read_table(workdir / "out.parquet")
    assert table.column_names == ["id", "vendor", "total"]
    assert table.num_rows == 6


def _docs_with_failures(workdir: Path) -> None:
    texts = ["fine", "FAIL here", "fine", "fine", "FAIL again", "fine"]
    (workdir / "mixed.jsonl").write_text(
        "".join(json.dumps({"doc": f"m{i}", "text": t}) + "\n" for i, t in enumerate(texts))
    )


def test_failed_items_exit_1_and_go_to_errors(workdir: Path, fakes: Fakes) -> None:
    _docs_with_failures(workdir)
    fakes.responder = invoice_or_failure
    argv = (*EXTRACT, "--input", "mixed.jsonl", "--id-field", "doc", "--output", "out.jsonl")
    code, _, err = run(*argv, "--errors", "errors.jsonl")
    assert code == 1
    assert [r["doc"] for r in lines(workdir / "out.jsonl")] == ["m0", "m2", "m3", "m5"]
    errors = lines(workdir / "errors.jsonl")
    assert [e["doc"] for e in errors] == ["m1", "m4"]
    assert errors[0]["error_type"] == "BadRequestError"
    assert "cannot be read" in errors[0]["error"]
    assert "2 failed item(s) written to errors.jsonl" in err
    code, _, err = run(*argv)  # without --errors: listed in the summary
    assert code == 1
    assert "2 item(s) failed:" in err and "m4: BadRequestError" in err


def test_resume_skips_done_items_and_retries_failed_ones(workdir: Path, fakes: Fakes) -> None:
    _docs_with_failures(workdir)
    fakes.responder = invoice_or_failure
    argv = (
        *EXTRACT, "--input", "mixed.jsonl", "--id-field", "doc", "--output", "out.jsonl",
        "--journal", "run.db", "--quiet",
    )  # fmt: skip
    assert run(*argv)[0] == 1
    assert fakes.calls == 6
    code, _, err = run(*argv)
    assert code == 2 and "--resume" in err  # the job exists: resuming must be asked for

    code, _, _ = run(*argv, "--resume")
    assert code == 1  # the stored failures stand
    assert fakes.calls == 0  # nothing was sent
    assert len(lines(workdir / "out.jsonl")) == 4  # the done items, from the journal

    fakes.responder = lambda request: {"vendor": "ACME", "total": 1.0}  # the fix is in
    code, _, err = run(*argv, "--resume", "--retry-failed")
    assert code == 0, err
    assert fakes.calls == 2  # only the two failed items were sent again
    assert [r["doc"] for r in lines(workdir / "out.jsonl")] == [f"m{i}" for i in range(6)]
    with Journal(workdir / "run.db") as journal:
        assert journal.summary().done == 6


def test_a_budget_stops_the_run_with_exit_3(workdir: Path, fakes: Fakes) -> None:
    argv = (
        *EXTRACT, "--input", "docs.jsonl", "--id-field", "doc", "--output", "out.jsonl",
        "--concurrency", "1", "--journal", "run.db",
    )  # fmt: skip
    code, _, err = run(*argv, "--max-cost", "0.00001")
    assert code == 3, err
    done = len(lines(workdir / "out.jsonl"))
    assert 0 < done < 6
    assert "stopped by --max-cost" in err and "rerun with --resume" in err
    code, _, err = run(*argv, "--resume", "--max-cost", "1")
    assert code == 0, err
    assert fakes.calls == 6 - done  # the budget's items were not paid for twice
    assert len(lines(workdir / "out.jsonl")) == 6
    code, _, err = run(*argv, "--resume", "--max-tokens", "1", "--quiet")
    assert code == 0  # every item is in the journal: no budget is spent


def test_python_m_typedllm_end_to_end(workdir: Path) -> None:
    command = [sys.executable, "-m", "typedllm", *EXTRACT, "--input", "docs.jsonl"]
    done = subprocess.run(
        [*command, "--output", "out.jsonl", "--id-field", "doc"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [r["doc"] for r in lines(workdir / "out.jsonl")] == [f"d{i}" for i in range(6)]
    assert "6 done, 0 failed" in done.stderr
    bad = subprocess.run(
        [*command[:6], "--schema", "nowhere:Invoice", "--input", "docs.jsonl"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert bad.returncode == 2
    assert "cannot import 'nowhere'" in bad.stderr


# The answers come from the loopback fake server, slowly, so the run is really in flight (over
# real sockets) when Ctrl-C arrives.
_INTERRUPTED_RUN = f"""
import signal, sys, time
# A process started from a background job inherits SIGINT ignored, and Python then leaves it
# ignored: restore the handler a terminal's Ctrl-C meets.
signal.signal(signal.SIGINT, signal.default_int_handler)
from typedllm.cli import main
from typedllm.testing import FakeProvider, serve

def slow(request):
    time.sleep(0.05)
    return {{"vendor": "ACME", "total": 1.0}}

with serve(FakeProvider(responder=slow), port=int(sys.argv[1])) as server:
    code = main([
        "extract", "--model", "openai-compatible:demo", "--base-url", server.base_url,
        "--schema", "{SCHEMA_MODULE}:Invoice", "--input", "many.jsonl", "--id-field", "doc",
        "--output", "out.jsonl", "--concurrency", "4", "--journal", "run.db",
        "--progress", "none",
    ])
sys.exit(code)
"""


def test_ctrl_c_exits_130_and_the_journal_resumes(workdir: Path) -> None:
    with socket.socket() as probe:  # a free port, for both runs: the URL is in the request hash
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (workdir / "many.jsonl").write_text(
        "".join(json.dumps({"doc": f"n{i}", "text": f"t{i}"}) + "\n" for i in range(200))
    )
    child = subprocess.Popen(
        [sys.executable, "-c", _INTERRUPTED_RUN, str(port)],
        cwd=workdir, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    stored = 0
    while stored < 5 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
        if (workdir / "run.db").exists():
            with Journal(workdir / "run.db") as journal:
                stored = journal.summary().total
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=30)
    assert child.returncode == 130, err
    assert "interrupted" in err and "rerun with --resume" in err
    with Journal(workdir / "run.db") as journal:
        kept = journal.summary()
    assert 5 <= kept.total < 200 and kept.failed == 0
    provider = FakeProvider(responder=lambda request: {"vendor": "ACME", "total": 1.0})
    with serve(provider, port=port) as server:
        code, _, err = run(
            "extract", "--model", "openai-compatible:demo", "--base-url", server.base_url,
            "--schema", f"{SCHEMA_MODULE}:Invoice", "--input", "many.jsonl", "--id-field", "doc",
            "--output", "out.jsonl", "--journal", "run.db", "--resume", "--quiet",
        )  # fmt: skip
    assert code == 0, err
    assert provider.calls == 200 - kept.total  # what the journal kept was not sent again
    assert len(lines(workdir / "out.jsonl")) == 200


# -- docs/pipelines-cli.md ----------------------------------------------------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "pipelines-cli.md"
_BLOCK = re.compile(r"```(python|sh)\n(.*?)```", re.DOTALL)


def _doc_commands(block: str) -> list[tuple[list[str], int]]:
    """The ``typedllm`` lines of a shell block, with the exit code their comment gives."""
    commands: list[tuple[list[str], int]] = []
    for line in block.replace("\\\n", " ").splitlines():
        command, _, comment = line.partition("#")
        if not command.strip():
            continue
        expected = re.fullmatch(r"\s*exit (\d+)\s*", comment)
        assert expected is not None, f"a command without its exit code: {line}"
        words = shlex.split(command)
        assert words[0] == "typedllm"
        commands.append((words[1:], int(expected.group(1))))
    return commands


def test_the_document_runs_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert sum(kind == "sh" for kind, _ in blocks) >= 4
    assert sum(kind == "python" for kind, _ in blocks) >= 5
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    namespace: dict[str, object] = {"__name__": "pipelines_cli_doc"}
    try:
        with block_network():
            for number, (kind, block) in enumerate(blocks, 1):
                if kind == "python":
                    exec(compile(block, f"{DOC.name} block {number}", "exec"), namespace)
                    continue
                for argv, expected in _doc_commands(block):
                    code, _, err = run(*argv)
                    assert code == expected, f"block {number}: {argv}: {err}"
    finally:
        sys.modules.pop("models", None)

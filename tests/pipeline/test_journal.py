"""The SQLite journal: round trips of outputs and typed errors, resume semantics, several
threads and processes writing one file, and a writer killed mid-run losing nothing committed."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm.pipeline import ItemResult, Journal, JournalSummary, ResultStore


class Line(BaseModel):
    sku: str
    price: Decimal


class Invoice(BaseModel):
    number: int
    issued: date
    lines: list[Line]


INVOICE = Invoice(number=7, issued=date(2024, 5, 1), lines=[Line(sku="a-1", price=Decimal("9.99"))])


def ok(index: int, output: Any = INVOICE, *, item: str | None = None) -> ItemResult[Any]:
    return ItemResult(
        index=index,
        id=item if item is not None else f"item-{index}",
        output=output,
        usage=tl.Usage(100 + index, 20, cache_read_tokens=3),
        cost=0.001 * (index + 1),
        attempts=1,
        seconds=0.25,
    )


def failed(index: int, error: tl.TypedLLMError, *, item: str | None = None) -> ItemResult[Any]:
    return ItemResult(
        index=index,
        id=item if item is not None else f"item-{index}",
        error=error,
        usage=tl.Usage(5, 0),
        attempts=2,
    )


@pytest.fixture
def journal(tmp_path: Path) -> Any:
    with Journal(tmp_path / "run.db", job="invoices") as j:
        yield j


def test_is_a_result_store_in_wal_mode(journal: Journal, tmp_path: Path) -> None:
    store: ResultStore = journal
    assert store is journal
    with sqlite3.connect(tmp_path / "run.db") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_model_output_round_trips_into_the_schema(journal: Journal) -> None:
    journal.save(ok(0), "hash-a")
    loaded = journal.load("item-0", "hash-a", Invoice)
    assert loaded is not None
    assert loaded.output == INVOICE
    assert isinstance(loaded.output, Invoice)
    assert loaded.output.lines[0].price == Decimal("9.99")  # every digit kept
    assert loaded.cached and loaded.ok
    assert (loaded.index, loaded.id, loaded.attempts, loaded.cost) == (0, "item-0", 1, 0.001)
    assert loaded.usage == tl.Usage(100, 20, cache_read_tokens=3)
    assert loaded.seconds == 0.0  # nothing was spent on it in this run
    assert loaded.completion is None


def test_text_and_list_outputs_round_trip(journal: Journal) -> None:
    journal.save(ok(0, "Paris"), "h")
    journal.save(ok(1, [INVOICE, INVOICE]), "h")
    text = journal.load("item-0", "h", None)
    assert text is not None and text.output == "Paris"
    same = journal.load("item-0", "h", str)
    assert same is not None and same.output == "Paris"
    many = journal.load("item-1", "h", list[Invoice])
    assert many is not None and many.output == [INVOICE, INVOICE]


def test_a_stored_failure_comes_back_as_the_same_typed_error(journal: Journal) -> None:
    error = tl.RateLimitError(
        "slow down", provider="openai", status_code=429, request_id="req-1", body={"e": 1}
    )
    journal.save(failed(0, error), "h")
    loaded = journal.load("item-0", "h", Invoice)
    assert loaded is not None and not loaded.ok and loaded.cached
    assert type(loaded.error) is tl.RateLimitError
    assert loaded.error.status_code == 429
    assert loaded.error.request_id == "req-1"
    assert loaded.error.body == {"e": 1}
    assert loaded.attempts == 2 and loaded.usage == tl.Usage(5, 0)
    with pytest.raises(tl.RateLimitError, match="slow down"):
        loaded.unwrap()


def test_an_output_error_keeps_its_attempts(journal: Journal) -> None:
    attempt = tl.Attempt("{bad", tl.Usage(3, 4), "stop", "req-9", ({"type": "json_invalid"},))
    error = tl.OutputValidationError(
        "did not validate", raw_text="{bad", attempts=[attempt], errors=[{"loc": ["n"]}]
    )
    journal.save(failed(0, error), "h")
    loaded = journal.load("item-0", "h", Invoice)
    assert loaded is not None
    assert isinstance(loaded.error, tl.OutputValidationError)
    assert loaded.error.attempts == (attempt,)
    assert loaded.error.errors == [{"loc": ["n"]}]
    assert loaded.error.raw_text == "{bad"


def test_an_unpicklable_error_keeps_its_type_and_message(journal: Journal) -> None:
    error = tl.ProtocolError("bad body", provider="openai", body=threading.Lock())
    journal.save(failed(0, error), "h")
    loaded = journal.load("item-0", "h", Invoice)
    assert loaded is not None
    assert type(loaded.error) is tl.ProtocolError
    assert str(loaded.error) == "bad body"


class _Evil:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (os.system, (f"touch {self.marker}",))


def test_reading_a_journal_runs_no_code_from_it(journal: Journal, tmp_path: Path) -> None:
    """A journal file from elsewhere is data: a pickle that would call os.system is refused,
    and the error is rebuilt from its stored type and message."""
    marker = tmp_path / "pwned"
    journal.save(failed(0, tl.BadRequestError("nope", provider="x", status_code=400)), "h")
    with sqlite3.connect(journal.path) as raw:
        raw.execute("UPDATE items SET error_pickle = ?", (pickle.dumps(_Evil(str(marker))),))
    loaded = journal.load("item-0", "h", Invoice)
    assert not marker.exists()
    assert loaded is not None and type(loaded.error) is tl.BadRequestError
    assert loaded.error.status_code == 400  # its fields, from their JSON copy
    assert str(loaded.error) == "x returned HTTP 400: nope"


def test_the_key_is_job_item_and_request_hash(tmp_path: Path) -> None:
    path = tmp_path / "run.db"
    with Journal(path, job="a") as a, Journal(path, job="b") as b:
        a.save(ok(0), "h1")
        assert a.load("item-0", "h1", Invoice) is not None
        assert a.load("item-0", "h2", Invoice) is None  # a changed request is a new item
        assert a.load("item-1", "h1", Invoice) is None
        assert b.load("item-0", "h1", Invoice) is None  # another job
        assert a.jobs() == ["a"]
        b.save(ok(0), "h1")
        assert a.jobs() == b.jobs() == ["a", "b"]


def test_a_stored_output_that_no_longer_validates_counts_as_missing(journal: Journal) -> None:
    journal.save(ok(0, {"number": "not a number"}), "h")
    assert journal.load("item-0", "h", Invoice) is None


def test_resume_semantics_success_wins(journal: Journal) -> None:
    boom = tl.InternalServerError("boom", provider="openai", status_code=500)
    journal.save(failed(0, boom), "h")
    retried = journal.load("item-0", "h", Invoice)
    assert retried is not None and not retried.ok  # the caller decides to retry it
    journal.save(ok(0), "h")  # the retry succeeded: it replaces the failure
    done = journal.load("item-0", "h", Invoice)
    assert done is not None and done.ok
    journal.save(failed(0, boom), "h")  # a late failure (another worker) does not undo it
    still = journal.load("item-0", "h", Invoice)
    assert still is not None and still.ok and still.output == INVOICE
    assert len(journal) == 1


def test_results_summary_and_jobs(journal: Journal) -> None:
    journal.save(ok(2), "h")
    journal.save(ok(0), "h")
    journal.save(failed(1, tl.APITimeoutError("slow", provider="openai")), "h")
    journal.save(ok(0, INVOICE.model_copy(update={"number": 8})), "changed-prompt")
    results = journal.results()
    assert [r.id for r in results] == ["item-0", "item-1", "item-2"]  # input order, once each
    assert results[0].output == {**INVOICE.model_dump(mode="json"), "number": 8}  # the latest
    assert all(r.cached for r in results)
    assert results[0].seconds == 0.25  # the record of the run that made it
    typed = journal.results(schema=Invoice)
    assert typed[2].output == INVOICE
    summary = journal.summary()
    assert isinstance(summary, JournalSummary)
    assert (summary.job, summary.total, summary.done, summary.failed) == ("invoices", 3, 2, 1)
    assert summary.usage.input_tokens == 100 + 102 + 5
    assert summary.cost == pytest.approx(0.001 + 0.003)
    assert summary.first_at is not None and summary.last_at is not None
    assert "2 done, 1 failed of 3" in str(summary)
    assert journal.summary("other").total == 0
    assert journal.results("other") == []
    assert journal.jobs() == ["invoices"]


def test_close_context_manager_and_pickling(tmp_path: Path) -> None:
    path = tmp_path / "run.db"
    with Journal(path, job="j") as journal:
        journal.save(ok(0), "h")
        clone = pickle.loads(pickle.dumps(journal))
        assert (clone.path, clone.job) == (str(path), "j")
        assert clone.load("item-0", "h", Invoice) is not None
        clone.close()
    with pytest.raises(tl.ConfigurationError, match="closed"):
        journal.load("item-0", "h", Invoice)
    journal.close()  # idempotent
    with pytest.raises(TypeError, match="in-memory"):
        pickle.dumps(Journal(":memory:"))


def test_a_file_that_is_no_database_is_a_configuration_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(tl.ConfigurationError, match="not a usable journal"):
        Journal(path)
    with pytest.raises(tl.ConfigurationError, match="job"):
        Journal(tmp_path / "x.db", job="")


def test_many_threads_write_at_once(journal: Journal) -> None:
    threads, per_thread = 16, 40

    def work(t: int) -> None:
        for i in range(per_thread):
            index = t * per_thread + i
            if index % 5 == 0:
                journal.save(failed(index, tl.APIConnectionError("reset", provider="x")), "h")
            else:
                journal.save(ok(index), "h")
            assert journal.load(f"item-{index}", "h", Invoice) is not None

    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    summary = journal.summary()
    assert summary.total == threads * per_thread
    assert summary.failed == threads * per_thread // 5


def _process_writer(path: str, worker: int, count: int) -> None:
    with Journal(path, job="shared", timeout=30) as journal:
        for i in range(count):
            journal.save(ok(worker * 1000 + i), "h")


def test_several_processes_write_one_file_at_once(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    workers, count = 3, 150
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_process_writer, args=(path, w, count)) for w in range(workers)
    ]
    for process in processes:
        process.start()
    _process_writer(path, workers, count)  # this process writes too, at the same time
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    with Journal(path, job="shared") as journal:
        results = journal.results()
        assert len(results) == (workers + 1) * count
        assert {r.id for r in results} == {
            f"item-{w * 1000 + i}" for w in range(workers + 1) for i in range(count)
        }
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


_KILLED_WRITER = """
import sys
import typedllm as tl
from typedllm.pipeline import ItemResult, Journal
journal = Journal(sys.argv[1], job="killed")
i = 0
while True:
    journal.save(ItemResult(index=i, id=f"item-{i}", output={"n": i}, usage=tl.Usage(1, 1)), "h")
    print(i, flush=True)  # reported only after the commit returned
    i += 1
"""


def test_a_killed_writer_loses_nothing_it_committed(tmp_path: Path) -> None:
    path = str(tmp_path / "killed.db")
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, path], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    reported: list[int] = []
    deadline = time.monotonic() + 30
    while len(reported) < 200 and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        reported.append(int(line))
    os.kill(child.pid, signal.SIGKILL)  # mid-run: no cleanup, no final commit
    child.wait(10)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert len(reported) == 200
    with Journal(path, job="killed") as journal:
        stored = {r.id for r in journal.results()}
        assert {f"item-{i}" for i in reported} <= stored
        loaded = journal.load("item-199", "h", dict[str, int])
        assert loaded is not None and loaded.output == {"n": 199}
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

"""``RunSummary.cost`` is the USD of the calls made in the run: exact when every item came
from the journal (no call, so 0.0, not "unknown"), ``None`` only when a call's price is
unknown."""

from __future__ import annotations

from pathlib import Path

import typedllm as tl
from typedllm.pipeline import Journal
from typedllm.testing import FakeProvider


def _priced(fake: FakeProvider) -> tl.Client:
    return tl.openai().model("gpt-4o-mini").api_key("sk-test").transport(fake).build()


def test_a_run_served_by_the_journal_costs_nothing(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite"
    first = tl.map(_priced(FakeProvider()), ["a", "b", "c"], journal=path).summary
    assert first.cost is not None and first.cost > 0
    again = FakeProvider()
    second = tl.map(_priced(again), ["a", "b", "c"], journal=path).summary
    assert again.calls == 0 and second.cached == 3
    assert second.cost == 0.0 and second.usage.total_tokens == 0
    assert "unknown cost" not in str(second) and "$0.0000" in str(second)
    # What the items cost when they were made is the journal's to tell.
    recorded = Journal(path).summary().cost
    assert recorded is not None and abs(recorded - first.cost) < 1e-12


def test_a_run_partly_from_the_journal_counts_only_its_calls(tmp_path: Path) -> None:
    path = tmp_path / "job.sqlite"
    one = tl.map(_priced(FakeProvider()), ["a"], journal=path).summary
    both = tl.map(_priced(FakeProvider()), ["a", "b"], journal=path).summary
    alone = tl.map(_priced(FakeProvider()), ["b"]).summary
    assert both.cached == 1 and one.cost is not None and alone.cost is not None
    assert both.cost is not None and abs(both.cost - alone.cost) < 1e-12


def test_calls_at_an_unknown_price_leave_the_cost_unknown() -> None:
    llm = (
        tl.openai_compatible("http://127.0.0.1:9/v1")
        .model("my-local-model")
        .transport(FakeProvider())
        .build()
    )
    summary = tl.map(llm, ["a", "b"]).summary
    assert summary.done == 2 and summary.usage.total_tokens > 0
    assert summary.cost is None and "unknown cost" in str(summary)

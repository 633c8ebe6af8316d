"""The Ray lane: typedllm.integrations.ray on a local Ray instance, offline on the fake provider.

Skipped when Ray is not installed (``pip install -e '.[ray]'`` to run it). Ray starts once for
the module (it takes seconds); its worker processes start with their own OPENAI_API_KEY, which
the driver's tests do not have, and the fake provider accepts only that key: a row that
succeeds proves the worker used its own environment and no key travelled in the pickle.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from _docs import python_blocks, run_blocks
from pydantic import BaseModel

ray = pytest.importorskip(
    "ray", reason="Ray is not installed: the Ray lane needs the ray extra (pip install '.[ray]')"
)
pytest.importorskip("ray.data", reason="Ray is installed without Ray Data: pip install 'ray[data]'")

import typedllm as tl  # noqa: E402
from typedllm.integrations.ray import STATUS_COLUMNS, extract, usage_of  # noqa: E402
from typedllm.testing import FakeProvider, FakeReply  # noqa: E402

# Ray warns about its own deprecated settings while it starts (the suite turns warnings into
# errors): those are Ray's business, not this lane's.
pytestmark = pytest.mark.filterwarnings(r"ignore::DeprecationWarning:ray(\..*)?")

WORKER_KEY = "sk-worker-own-key"
DRIVER_KEY = "sk-driver-key-never-shipped"


class Line(BaseModel):
    sku: str
    qty: int


class Invoice(BaseModel):
    vendor: str
    total: float
    lines: list[Line]


@pytest.fixture(scope="module")
def local_ray() -> Iterator[Any]:
    """One local Ray for the module; its workers have WORKER_KEY in their environment."""
    # The workers inherit the environment Ray's node processes start with, like workers on
    # a node whose environment holds the key; the driver's tests run without it.
    saved = os.environ.get("OPENAI_API_KEY")
    os.environ["OPENAI_API_KEY"] = WORKER_KEY
    try:
        ray.init(
            num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING
        )
    finally:
        if saved is None:
            del os.environ["OPENAI_API_KEY"]
        else:
            os.environ["OPENAI_API_KEY"] = saved
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    # The workers cannot import this test module (pytest put its folder on the driver's
    # path only): ship its schema classes and factory by value, as a script's would be.
    module = sys.modules[__name__]
    ray.cloudpickle.register_pickle_by_value(module)
    try:
        yield ray.data
    finally:
        ray.cloudpickle.unregister_pickle_by_value(module)
        ray.shutdown()


def respond(body: dict[str, Any]) -> Any:
    """Answers keyed by the document, so that results can be checked row by row."""
    text: str = body["messages"][-1]["content"]
    if "BROKEN" in text:
        return FakeReply.error(400, "this document is broken")
    number = int(text.rsplit(" ", 1)[-1])
    return {"vendor": f"v{number}", "total": number * 1.5, "lines": [{"sku": "s", "qty": number}]}


def worker_client() -> tl.Client:
    """The factory: runs in each actor, reads the actor's OPENAI_API_KEY."""
    fake = FakeProvider(responder=respond, api_key=WORKER_KEY)
    return tl.openai().model("gpt-4o-mini").transport(fake).build()


def documents(count: int, *, broken: int | None = None) -> list[dict[str, Any]]:
    return [
        {"id": i, "text": "BROKEN" if i == broken else f"invoice number {i}"} for i in range(count)
    ]


def test_a_factory_builds_the_client_in_the_actors(local_ray: Any) -> None:
    ds = local_ray.from_items(documents(24), override_num_blocks=4)
    out = extract(
        ds,
        worker_client,
        schema=Invoice,
        prompt="Extract: {text}",
        actors=2,
        concurrency=4,
        batch_size=6,
        num_cpus=0.5,
    ).materialize()
    rows = sorted(out.take_all(), key=lambda r: r["id"])
    assert [r["id"] for r in rows] == list(range(24))
    assert all(r["_ok"] and r["_error"] is None for r in rows), rows[0]["_error"]
    for row in rows:
        assert row["vendor"] == f"v{row['id']}" and row["total"] == row["id"] * 1.5
        lines = [Line.model_validate(x) for x in json.loads(row["lines"])]
        assert lines == [Line(sku="s", qty=row["id"])]
    names = out.schema().names
    assert names == ["id", "text", "vendor", "total", "lines", *STATUS_COLUMNS]
    summary = usage_of(out)
    assert (summary.rows, summary.ok, summary.failed) == (24, 24, 0)
    assert summary.usage.input_tokens == sum(r["_input_tokens"] for r in rows) > 0
    assert summary.usage.output_tokens == sum(r["_output_tokens"] for r in rows) > 0
    assert summary.cost == pytest.approx(sum(r["_cost"] for r in rows)) and summary.cost > 0


def test_a_given_client_travels_without_its_key(
    local_ray: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Built on the driver from the driver's variable; the pickle holds only the variable's
    # name, and the fake accepts only the workers' key: had the driver's key travelled,
    # every row would be an AuthenticationError.
    monkeypatch.setenv("OPENAI_API_KEY", DRIVER_KEY)
    client = worker_client()
    ds = local_ray.from_items(documents(8, broken=3), override_num_blocks=2)
    out = extract(
        ds, client, schema=Invoice, text_column="text", batch_format="numpy", num_cpus=0.5
    ).materialize()
    rows = sorted(out.take_all(), key=lambda r: r["id"])
    assert [r["_ok"] for r in rows] == [i != 3 for i in range(8)]
    assert rows[3]["_error"].startswith("BadRequestError:") and rows[3]["vendor"] is None
    assert rows[3]["_cost"] is None and rows[2]["_cost"] > 0
    assert rows[5]["vendor"] == "v5"
    summary = usage_of(out)
    assert (summary.rows, summary.ok, summary.failed) == (8, 7, 1)


def test_an_explicit_key_is_refused_before_anything_runs(local_ray: Any) -> None:
    client = tl.openai().model("gpt-4o-mini").api_key(DRIVER_KEY).build()
    ds = local_ray.from_items(documents(2))
    with pytest.raises(tl.SecretPicklingError, match="build the client in the worker"):
        extract(ds, client, schema=Invoice, text_column="text")


def test_the_documented_offline_example_runs(local_ray: Any) -> None:
    # Only the blocks marked to run: the others need a cluster, a bucket or a secret store.
    runnable = [b for b in python_blocks("ray.md") if "# runs offline" in b]
    assert runnable, "docs/ray.md has no block marked '# runs offline'"
    namespace = run_blocks("ray.md", runnable)
    assert usage_of(namespace["invoices"]).rows == 40

"""typedllm.integrations.ray without Ray: the batch step called directly on batches of every
format (dicts of lists always; pandas, numpy and pyarrow when installed), offline on the fake
provider. The Ray lane itself is tests/integrations/test_ray.py."""

from __future__ import annotations

import asyncio
import inspect
import json
import pickle
import sys
import threading
from typing import Any

import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm.integrations import ray as typed_ray
from typedllm.integrations.ray import STATUS_COLUMNS, TypedExtractor, extract, usage_of
from typedllm.pipeline import RateLimiter
from typedllm.testing import FakeProvider, FakeReply


class Line(BaseModel):
    sku: str
    qty: int


class Invoice(BaseModel):
    vendor: str
    total: float
    lines: list[Line]


TEXTS = ["ACME invoice, 12.50", "Initech invoice, 99", "Globex invoice, 3"]


def client(fake: FakeProvider | None = None) -> tl.Client:
    """An offline client (gpt-4o-mini has a catalog price, so costs are known)."""
    return tl.openai().model("gpt-4o-mini").api_key("k").transport(fake or FakeProvider()).build()


def prompt_of(body: dict[str, Any]) -> str:
    content: str = body["messages"][-1]["content"]
    return content


def failing_on(word: str) -> FakeProvider:
    """Auto answers, except a 400 (not retried) for prompts containing ``word``."""

    def respond(body: dict[str, Any]) -> Any:
        if word in prompt_of(body):
            return FakeReply.error(400, f"no {word} here")
        return {"vendor": prompt_of(body)[-8:], "total": 1.5, "lines": [{"sku": "a", "qty": 2}]}

    return FakeProvider(responder=respond)


def test_a_dict_of_lists_gets_the_fields_and_the_status_columns() -> None:
    step = TypedExtractor(client(), schema=Invoice, text_column="text")
    out = step({"text": TEXTS, "n": [1, 2, 3]})
    assert list(out) == ["text", "n", "vendor", "total", "lines", *STATUS_COLUMNS]
    assert out["text"] == TEXTS and out["n"] == [1, 2, 3]  # the input is kept as it was
    assert out["_ok"] == [True, True, True]
    assert out["_error"] == [None, None, None]
    assert all(isinstance(v, str) for v in out["vendor"])
    assert all(isinstance(v, float) for v in out["total"])
    assert all(n > 0 for n in out["_input_tokens"] + out["_output_tokens"])
    assert all(isinstance(c, float) and c > 0 for c in out["_cost"])
    # Nested values are JSON text that validates back into the field's type.
    for text in out["lines"]:
        assert isinstance(text, str)
        [Line.model_validate(x) for x in json.loads(text)]


def test_a_template_formats_each_row_and_text_column_gives_input() -> None:
    fake = FakeProvider()
    step = TypedExtractor(client(fake), schema=Invoice, prompt="From {who}: {text}")
    step({"text": ["t1", "t2"], "who": ["ann", "bob"]})
    assert sorted(prompt_of(r.json) for r in fake.requests) == ["From ann: t1", "From bob: t2"]

    # With text_column, a template's {input} is that column, and it can name the others too.
    fake = FakeProvider()
    step = TypedExtractor(
        client(fake), schema=Invoice, prompt="{who} wrote: {input} / {text}", text_column="text"
    )
    step({"text": ["t1"], "who": ["ann"]})
    assert [prompt_of(r.json) for r in fake.requests] == ["ann wrote: t1 / t1"]
    assert step.run(["t2"])[0].ok is False  # run() gets texts: {who} is not there
    assert isinstance(step.run(["t2"])[0].error, tl.ConfigurationError)

    fake = FakeProvider()
    step = TypedExtractor(
        client(fake), schema=Invoice, prompt=lambda row: f"{row['who'].upper()} {row['text']}"
    )
    step({"text": ["t1"], "who": ["ann"]})
    assert [prompt_of(r.json) for r in fake.requests] == ["ANN t1"]


def test_a_template_naming_a_missing_column_fails_that_row_with_a_clear_error() -> None:
    for text_column in (None, "text"):
        step = TypedExtractor(
            client(), schema=Invoice, prompt="Extract: {body}", text_column=text_column
        )
        out = step({"text": ["a", "b"]})
        assert out["_ok"] == [False, False]
        assert all("{body}" in e and e.startswith("ConfigurationError:") for e in out["_error"])


def test_a_failed_row_is_collected_and_the_others_succeed() -> None:
    step = TypedExtractor(client(failing_on("Initech")), schema=Invoice, text_column="text")
    out = step({"text": TEXTS})
    assert out["_ok"] == [True, False, True]
    assert out["_error"][0] is None and out["_error"][2] is None
    assert out["_error"][1].startswith("BadRequestError:") and "no Initech here" in out["_error"][1]
    assert out["vendor"][1] is None and out["total"][1] is None and out["lines"][1] is None
    assert out["_cost"][1] is None and out["_cost"][0] > 0
    assert out["total"][0] == 1.5


def test_a_row_that_failed_validation_keeps_its_tokens_and_cost() -> None:
    def respond(body: dict[str, Any]) -> Any:
        # A re-ask appends a correction message: look at the whole conversation.
        if any("Initech" in str(m.get("content")) for m in body["messages"]):
            return {"vendor": "Initech"}  # no total, no lines: invalid, on every re-ask
        return {"vendor": "v", "total": 1.0, "lines": []}

    step = TypedExtractor(
        client(FakeProvider(responder=respond)), schema=Invoice, text_column="text"
    )
    out = step({"text": TEXTS})
    assert out["_ok"] == [True, False, True]
    assert out["_error"][1].startswith("OutputValidationError:")
    assert out["_input_tokens"][1] > 0 and out["_cost"][1] > 0  # the tokens were paid for
    assert usage_of(out).cost == pytest.approx(sum(out["_cost"]))


def test_on_error_raise_fails_the_batch_with_the_typed_error() -> None:
    step = TypedExtractor(
        client(failing_on("Initech")), schema=Invoice, text_column="text", on_error="raise"
    )
    with pytest.raises(tl.BadRequestError, match="no Initech here"):
        step({"text": TEXTS})


def test_run_gives_the_item_results_without_a_batch() -> None:
    step = TypedExtractor(client(failing_on("Initech")), schema=Invoice, text_column="text")
    results = step.run(TEXTS)
    assert [r.index for r in results] == [0, 1, 2]
    assert [r.ok for r in results] == [True, False, True]
    assert isinstance(results[0].output, Invoice) and results[0].cost is not None
    assert isinstance(results[1].error, tl.BadRequestError)
    assert step.run([]) == []
    step.close()


def test_json_output_is_one_column_that_validates_back() -> None:
    step = TypedExtractor(client(), schema=list[Line], text_column="text", output="json")
    out = step({"text": TEXTS[:2]})
    assert list(out) == ["text", "output", *STATUS_COLUMNS]
    for text in out["output"]:
        assert all(isinstance(Line.model_validate(x), Line) for x in json.loads(text))


def test_prefix_keeps_output_columns_apart_from_input_columns() -> None:
    with pytest.raises(tl.ConfigurationError, match="prefix="):
        TypedExtractor(client(), schema=Invoice, text_column="text")({"text": ["a"], "total": [1]})
    step = TypedExtractor(client(), schema=Invoice, text_column="text", prefix="x_")
    out = step({"text": ["a"], "total": [1]})
    assert out["total"] == [1] and isinstance(out["x_total"][0], float)


def test_mistakes_are_configuration_errors_on_construction() -> None:
    with pytest.raises(tl.ConfigurationError, match=r"text_column= .* or prompt="):
        TypedExtractor(client(), schema=Invoice)
    with pytest.raises(tl.ConfigurationError, match='output="json"'):
        TypedExtractor(client(), schema=list[Line], text_column="text")
    with pytest.raises(tl.ConfigurationError, match="concurrency"):
        TypedExtractor(client(), schema=Invoice, text_column="text", concurrency=0)
    with pytest.raises(tl.ConfigurationError, match="zero-argument function"):
        TypedExtractor("gpt-4o-mini", schema=Invoice, text_column="text")  # type: ignore[arg-type]
    with pytest.raises(tl.ConfigurationError, match="'body' is not a column"):
        TypedExtractor(client(), schema=Invoice, text_column="body")({"text": ["a"]})
    with pytest.raises(tl.ConfigurationError, match="cannot read a batch of type list"):
        TypedExtractor(client(), schema=Invoice, text_column="text")([{"text": "a"}])


def test_a_factory_is_called_once_and_its_client_serves_every_batch() -> None:
    built: list[tl.Client] = []

    def make() -> tl.Client:
        built.append(client())
        return built[-1]

    step = TypedExtractor(make, schema=Invoice, text_column="text")
    assert built == []  # nothing is built until the first batch
    assert step({"text": ["a"]})["_ok"] == [True]
    assert step({"text": ["b", "c"]})["_ok"] == [True, True]
    assert len(built) == 1
    step.close()
    assert built[0].closed is False and built[0]._async_closed  # its async side was closed
    # After close(), a new batch builds a new client on a new loop.
    assert step({"text": ["d"]})["_ok"] == [True]
    assert len(built) == 2
    step.close()


def test_a_factory_returning_something_else_is_reported() -> None:
    step = TypedExtractor(lambda: "not a client", schema=Invoice, text_column="text")  # type: ignore[arg-type, return-value]
    with pytest.raises(tl.ConfigurationError, match="must return a typedllm client, got str"):
        step({"text": ["a"]})


class InFlight(tl.ClientWrapper):
    """A wrapper that counts the calls in flight at once (any Completer is a valid client)."""

    def __init__(self, inner: tl.Completer) -> None:
        super().__init__(inner)
        self.now = 0
        self.most = 0

    async def _acompletion(self, call: tl.Call) -> tl.Completion[Any]:
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            await asyncio.sleep(0.01)  # long enough for every admitted call to start
            return await super()._acompletion(call)
        finally:
            self.now -= 1


def test_concurrency_bounds_the_calls_in_flight() -> None:
    counting = InFlight(client())
    out = TypedExtractor(counting, schema=Invoice, text_column="text", concurrency=3)(
        {"text": [f"doc {i}" for i in range(10)]}
    )
    assert out["_ok"] == [True] * 10
    assert counting.most == 3


async def test_the_step_can_be_called_from_inside_a_running_event_loop() -> None:
    # A notebook cell is such a place: the step runs its calls on a loop of its own.
    step = TypedExtractor(client(), schema=Invoice, text_column="text")
    assert step({"text": ["a"]})["_ok"] == [True]
    step.close()


def test_calls_run_on_one_loop_thread_across_batches() -> None:
    threads: list[threading.Thread] = []

    class Where(tl.ClientWrapper):
        async def _acompletion(self, call: tl.Call) -> tl.Completion[Any]:
            threads.append(threading.current_thread())
            return await super()._acompletion(call)

    step = TypedExtractor(Where(client()), schema=Invoice, text_column="text")
    step({"text": ["a"]})
    step({"text": ["b"]})
    assert len(threads) == 2 and threads[0] is threads[1]
    assert threads[0] is not threading.current_thread()
    step.close()


# -- rate limits ---------------------------------------------------------------------------------


class FakeTime:
    """A clock and a sleep for the limiter: sleeping advances the clock, instantly."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_the_worker_waits_on_its_limiter_and_settles_with_real_usage() -> None:
    time = FakeTime()
    limit = tl.RateLimit(requests_per_minute=2, tokens_per_minute=1000)
    limiter = RateLimiter(limit, clock=time.clock, sleep=time.sleep)
    worker = typed_ray._Worker(client(), limiter)

    async def three() -> list[tl.Completion[Any]]:
        return [await worker.acompletion(f"doc {i}", schema=Invoice) for i in range(3)]

    done = asyncio.run(three())
    # Two requests fit in the minute's allowance; the third waits for one to refill (30 s).
    assert time.slept == [pytest.approx(30.0)]
    # The 30 s wait refilled the token bucket to its cap; the third call then took its
    # estimate and settled it against its real usage.
    assert limiter._tokens is not None
    assert limiter._tokens.level == pytest.approx(1000 - done[2].usage.total_tokens)


def test_a_429_the_worker_sees_pauses_its_limiter() -> None:
    limiter = RateLimiter(tl.RateLimit(requests_per_minute=100))
    fake = FakeProvider([FakeReply.error(429, "slow down", retry_after=7)])
    no_retries = tl.RetryPolicy(max_attempts=1)
    llm = (
        tl.openai().model("gpt-4o-mini").api_key("k").transport(fake).retry_policy(no_retries)
    ).build()
    worker = typed_ray._Worker(llm, limiter)
    with pytest.raises(tl.RateLimitError):
        asyncio.run(worker.acompletion("hi", schema=Invoice))
    assert limiter.pauses == 1


def test_a_rate_limited_extractor_keeps_one_limiter_and_hears_client_retries() -> None:
    # The client retries a 429 itself; the hook on the extractor's copy pauses the limiter.
    fake = FakeProvider([FakeReply.error(429, "slow down", retry_after=0.01), {"vendor": "v",
        "total": 1, "lines": []}, {"vendor": "w", "total": 2, "lines": []}])  # fmt: skip
    given = client(fake)
    step = TypedExtractor(
        given, schema=Invoice, text_column="text", rate_limit=tl.RateLimit(600), concurrency=1
    )
    assert step({"text": ["a"]})["_ok"] == [True]
    worker = step._worker
    assert worker is not None and worker.limiter is not None
    assert worker.limiter.pauses == 1
    assert worker.inner is not given  # a copy with the hook: the caller's client is untouched
    assert given.config.hooks == ()
    assert step({"text": ["b"]})["_ok"] == [True]
    assert step._worker is worker  # the same limiter across batches, not a full one per batch
    step.close()
    assert isinstance(worker.inner, tl.Client) and worker.inner._async_closed


def test_a_bad_rate_limit_is_refused() -> None:
    with pytest.raises(tl.ConfigurationError, match=r"tl\.RateLimit"):
        TypedExtractor(client(), schema=Invoice, text_column="text", rate_limit=60)  # type: ignore[arg-type]


# -- pickling -----------------------------------------------------------------------------------

KEY = "sk-live-abcdef0123456789"


def make_env_client() -> tl.Client:
    """A module-level factory: pickled by reference, so no client travels at all."""
    return tl.openai().model("gpt-4o-mini").build()


def test_an_extractor_with_a_factory_pickles_no_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    step = TypedExtractor(make_env_client, schema=Invoice, text_column="text", concurrency=4)
    data = pickle.dumps(step)
    assert KEY.encode() not in data and b"OPENAI_API_KEY" not in data
    copy = pickle.loads(data)
    expected = "TypedExtractor(schema=Invoice, output='columns', concurrency=4)"
    assert repr(copy) == repr(step) == expected


def test_a_given_client_pickles_by_its_own_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    step = TypedExtractor(make_env_client(), schema=Invoice, text_column="text")
    data = pickle.dumps(step)
    assert KEY.encode() not in data and b"OPENAI_API_KEY" in data  # the variable's name only

    explicit = tl.openai().model("gpt-4o-mini").api_key(KEY).build()
    with pytest.raises(tl.SecretPicklingError):
        pickle.dumps(TypedExtractor(explicit, schema=Invoice, text_column="text"))


def test_a_pickled_extractor_works_after_it_ran() -> None:
    # The loop thread and the built client stay behind; the copy starts its own.
    shareable = tl.openai().model("gpt-4o-mini").api_key("k", picklable=True)
    step = TypedExtractor(
        shareable.transport(FakeProvider()).build(), schema=Invoice, text_column="text"
    )
    assert step({"text": ["a"]})["_ok"] == [True]
    copy = pickle.loads(pickle.dumps(step))
    assert copy({"text": ["b"]})["_ok"] == [True]
    step.close()
    copy.close()


# -- extract() and usage_of() without Ray ---------------------------------------------------------


class RecordingDataset:
    """Stands in for a Ray Dataset: records the map_batches call extract() makes."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, dict[str, Any]]] = []

    def map_batches(self, fn: Any, **kwargs: Any) -> str:
        self.calls.append((fn, kwargs))
        return "mapped"


def test_extract_writes_the_map_batches_call() -> None:
    ray_data = pytest.importorskip("ray.data", reason="Ray Data is not installed (the ray extra)")
    ds = RecordingDataset()
    out = extract(
        ds, make_env_client, schema=Invoice, text_column="text", actors=(1, 4), num_cpus=0.25
    )
    assert out == "mapped"
    [(fn, kwargs)] = ds.calls
    assert fn is TypedExtractor
    assert kwargs["fn_constructor_args"] == (make_env_client,)
    assert kwargs["fn_constructor_kwargs"]["schema"] is Invoice
    assert kwargs["fn_constructor_kwargs"]["text_column"] == "text"
    pool = kwargs["compute"]
    assert isinstance(pool, ray_data.ActorPoolStrategy)
    assert (pool.min_size, pool.max_size) == (1, 4) and kwargs["num_cpus"] == 0.25
    assert kwargs["batch_format"] == "pandas" and kwargs["batch_size"] == 64
    assert kwargs["fn_constructor_kwargs"]["rate_limit"] is None


def test_extract_gives_each_actor_its_share_of_the_rate_limit() -> None:
    pytest.importorskip("ray.data", reason="Ray Data is not installed (the ray extra)")
    ds = RecordingDataset()
    limit = tl.RateLimit(requests_per_minute=600, tokens_per_minute=100_000)
    extract(ds, make_env_client, schema=Invoice, text_column="text", rate_limit=limit, actors=4)
    extract(
        ds, make_env_client, schema=Invoice, text_column="text", rate_limit=limit, actors=(2, 5)
    )
    shares = [kwargs["fn_constructor_kwargs"]["rate_limit"] for _fn, kwargs in ds.calls]
    assert shares == [tl.RateLimit(150, 25_000), tl.RateLimit(120, 20_000)]
    for bad in (0, (3, 2), (1, 2, 3), True):
        with pytest.raises(tl.ConfigurationError, match="actors"):
            extract(ds, make_env_client, schema=Invoice, text_column="text", actors=bad)  # type: ignore[arg-type]


def test_extract_checks_on_the_driver_before_any_actor_starts() -> None:
    ds = RecordingDataset()
    with pytest.raises(tl.ConfigurationError, match='output="json"'):
        extract(ds, make_env_client, schema=list[Line], text_column="text")
    explicit = tl.openai().model("gpt-4o-mini").api_key(KEY).build()
    with pytest.raises(tl.SecretPicklingError):
        extract(ds, explicit, schema=Invoice, text_column="text")
    assert ds.calls == []


def test_extract_without_ray_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray.data", None)  # makes `import ray.data` fail
    with pytest.raises(tl.ConfigurationError, match=r"typedllm\[ray\]"):
        extract(RecordingDataset(), make_env_client, schema=Invoice, text_column="text")


def test_usage_of_sums_a_batch() -> None:
    step = TypedExtractor(client(failing_on("Initech")), schema=Invoice, text_column="text")
    out = step({"text": TEXTS})
    summary = usage_of(out)
    assert (summary.rows, summary.ok, summary.failed) == (3, 2, 1)
    assert summary.usage.input_tokens == sum(out["_input_tokens"]) > 0
    assert summary.usage.output_tokens == sum(out["_output_tokens"])
    assert summary.cost == pytest.approx(out["_cost"][0] + out["_cost"][2])
    assert str(summary).startswith("2 ok, 1 failed of 3;")
    with pytest.raises(tl.ConfigurationError, match="no _ok column"):
        usage_of({"text": ["a"]})


def test_usage_of_reports_an_unknown_cost_as_none() -> None:
    summary = usage_of(
        {"_ok": [False], "_input_tokens": [0], "_output_tokens": [0], "_cost": [None]}
    )
    assert summary.cost is None and summary.failed == 1
    assert "unknown cost" in str(summary)


# -- the other batch formats ----------------------------------------------------------------------


def test_a_pandas_frame_comes_back_as_a_frame() -> None:
    pd = pytest.importorskip("pandas", reason="pandas is not installed (the ray extra has it)")
    frame = pd.DataFrame({"text": TEXTS}, index=[10, 11, 12])
    step = TypedExtractor(client(failing_on("Initech")), schema=Invoice, text_column="text")
    out = step(frame)
    assert isinstance(out, pd.DataFrame)
    assert list(out.index) == [10, 11, 12]
    assert list(out.columns) == ["text", "vendor", "total", "lines", *STATUS_COLUMNS]
    assert out["_ok"].tolist() == [True, False, True]
    assert out["_ok"].dtype == bool and out["_input_tokens"].dtype.kind == "i"
    # A failed row is None, not NaN, and numbers stay numbers.
    assert out["total"].tolist() == [1.5, None, 1.5]
    assert out["_cost"].tolist()[1] is None
    assert usage_of(out).failed == 1


def test_a_dict_of_numpy_arrays_comes_back_as_arrays() -> None:
    np = pytest.importorskip("numpy", reason="numpy is not installed (the ray extra has it)")
    step = TypedExtractor(client(failing_on("Initech")), schema=Invoice, text_column="text")
    out = step({"text": np.array(TEXTS), "n": np.arange(3)})
    assert all(isinstance(v, np.ndarray) for v in out.values())
    assert out["_ok"].dtype == bool and out["_ok"].tolist() == [True, False, True]
    assert out["_input_tokens"].dtype.kind == "i"
    assert out["total"].dtype == object and out["total"].tolist() == [1.5, None, 1.5]
    assert out["lines"].shape == (3,)  # JSON text, one per row, never a 2-D array
    assert out["n"] is not None and out["n"].tolist() == [0, 1, 2]
    assert usage_of(out).ok == 2


def test_a_pyarrow_table_comes_back_as_a_table() -> None:
    pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (the ray extra has it)")
    step = TypedExtractor(client(failing_on("Initech")), schema=Invoice, text_column="text")
    out = step(pa.table({"text": TEXTS}))
    assert isinstance(out, pa.Table)
    assert out.column_names == ["text", "vendor", "total", "lines", *STATUS_COLUMNS]
    assert out.schema.field("total").type == pa.float64()
    assert out.schema.field("_ok").type == pa.bool_()
    assert out.column("total").to_pylist() == [1.5, None, 1.5]
    assert usage_of(out).rows == 3


def test_a_union_field_becomes_json_text_in_arrow() -> None:
    pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (the ray extra has it)")

    class Tagged(BaseModel):
        tag: int | str

    answers = iter([{"tag": 1}, {"tag": "one"}])
    fake = FakeProvider(responder=lambda _body: next(answers))
    step = TypedExtractor(client(fake), schema=Tagged, text_column="text", concurrency=1)
    out = step(pa.table({"text": ["a", "b"]}))
    assert out.column("tag").to_pylist() == ["1", '"one"']


# -- the public surface ---------------------------------------------------------------------------


def test_the_module_lists_exactly_its_public_names_and_documents_them() -> None:
    assert set(typed_ray.__all__) == {
        "STATUS_COLUMNS",
        "ClientSource",
        "DatasetUsage",
        "OutputMode",
        "TypedExtractor",
        "extract",
        "usage_of",
    }
    assert typed_ray.__doc__
    for name, value in vars(typed_ray).items():
        defined_here = getattr(value, "__module__", None) == typed_ray.__name__
        if (inspect.isclass(value) or inspect.isfunction(value)) and defined_here:
            assert name.startswith("_") or name in typed_ray.__all__, name
            assert name.startswith("_") or inspect.getdoc(value), name


def test_importing_the_integration_does_not_import_ray() -> None:
    import subprocess
    import sys

    code = (
        "import sys, typedllm.integrations.ray\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('ray', 'pandas', 'numpy', 'pyarrow')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

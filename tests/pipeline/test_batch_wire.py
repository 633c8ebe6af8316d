"""The wire details of tl.batch: each request is exactly what complete would send, custom ids
round-trip, provider-specific result shapes decode, and a job resumes from another process."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

import typedllm as tl
from typedllm.pipeline._batch_http import decode_custom_id, encode_custom_id
from typedllm.testing import FakeProvider, serve
from typedllm.testing._batch_openai import jsonl_lines


class Invoice(BaseModel):
    number: int
    total: float


OPTIONS = tl.CallOptions(temperature=0.2, max_tokens=300)


def test_openai_lines_hold_the_exact_body_of_the_single_call() -> None:
    fake = FakeProvider()
    llm = tl.openai().model("gpt-4o-mini").api_key("k").transport(fake).build()
    tl.batch(llm, ["one", "two"], schema=Invoice, options=OPTIONS)
    upload, create = fake.requests[0], fake.requests[1]
    assert upload.path == "/v1/files" and create.path == "/v1/batches"
    lines = upload.json
    single = json.loads(llm.request_for("two", schema=Invoice, options=OPTIONS).body)
    assert lines[1] == {
        "custom_id": "1",
        "method": "POST",
        "url": "/v1/chat/completions",
        "body": single,
    }
    assert create.json["endpoint"] == "/v1/chat/completions"
    assert create.json["completion_window"] == "24h"
    assert create.json["metadata"] == {"typedllm_items": "2"}
    assert upload.headers["authorization"] == "***"  # the client's own auth was applied


def test_anthropic_params_and_headers_are_those_of_the_single_call() -> None:
    fake = FakeProvider()
    llm = tl.anthropic().model("claude-sonnet-4-5").api_key("k").transport(fake).build()
    tl.batch(llm, ["one"], schema=Invoice, options=OPTIONS, id_of=lambda _: "inv-1")
    create = fake.requests[0]
    single = json.loads(llm.request_for("one", schema=Invoice, options=OPTIONS).body)
    assert create.json["requests"] == [{"custom_id": "0rinv-1", "params": single}]
    assert create.headers["anthropic-version"] == "2023-06-01"


def test_gemini_inline_requests_are_the_single_call_bodies() -> None:
    fake = FakeProvider()
    llm = tl.gemini().model("gemini-2.5-flash").api_key("k").transport(fake).build()
    tl.batch(llm, ["one"], schema=Invoice, options=OPTIONS)
    create = fake.requests[0]
    assert create.path == "/v1beta/models/gemini-2.5-flash:batchGenerateContent"
    single = json.loads(llm.request_for("one", schema=Invoice, options=OPTIONS).body)
    inline = create.json["batch"]["input_config"]["requests"]["requests"]
    assert inline == [{"request": single, "metadata": {"key": "0"}}]


def test_gemini_results_without_echoed_keys_are_placed_by_position() -> None:
    fake = FakeProvider(batch_polls=2)
    llm = tl.gemini().model("gemini-2.5-flash").api_key("k").transport(fake).build()
    job = tl.batch(llm, ["a", "b"], schema=Invoice, id_of=lambda s: f"id-{s}")
    fake.batches.jobs[job.id].extra["echo_keys"] = False
    results = job.wait_results(poll_interval=0)
    # The handle that submitted the job knows every id by index.
    assert [(r.index, r.id, r.ok) for r in results] == [(0, "id-a", True), (1, "id-b", True)]


def test_openai_error_file_lines_and_missing_items_become_typed_errors() -> None:
    fake = FakeProvider(batch_polls=1)
    llm = tl.openai().model("gpt-4o-mini").api_key("k").transport(fake).build()
    job = tl.batch(llm, ["a", "b", "c"], schema=Invoice)
    status = job.status()
    # Item 1 expired (no response, error.code batch_expired), item 2's line was lost.
    raw = fake.batches.files[status.raw["output_file_id"]]
    lines = [line for line in jsonl_lines(raw) if line["custom_id"] == "0"]
    lines.append(
        {
            "custom_id": "1",
            "response": None,
            "error": {"code": "batch_expired", "message": "the batch expired"},
        }
    )
    fake.batches.files[status.raw["output_file_id"]] = b"\n".join(orjson.dumps(x) for x in lines)
    results = job.results()
    assert results[0].ok
    assert isinstance(results[1].error, tl.BatchItemError)
    assert results[1].error.reason == "expired"
    assert isinstance(results[2].error, tl.BatchItemError)
    assert results[2].error.reason == "missing"


def test_a_job_resumes_from_another_process() -> None:
    with serve(FakeProvider(batch_polls=2)) as server:
        base = server.base_url
        llm = tl.openai().model("gpt-4o-mini").api_key("k").base_url(base + "/v1").build()
        with llm:
            job = tl.batch(llm, ["alpha", "beta"], schema=Invoice, id_of=lambda s: f"doc-{s}")
            expected = [r.output for r in job.wait_results(poll_interval=0)]
        code = textwrap.dedent(
            f"""
            import json, typedllm as tl
            from pydantic import BaseModel
            class Invoice(BaseModel):
                number: int
                total: float
            llm = tl.openai().model("gpt-4o-mini").api_key("k").base_url({base + "/v1"!r}).build()
            with llm:
                results = tl.batch_job(llm, {job.id!r}, schema=Invoice).results()
            print(json.dumps([[r.id, r.output.model_dump()] for r in results]))
            """
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
        )
    got = json.loads(out.stdout)
    assert [item_id for item_id, _ in got] == ["doc-alpha", "doc-beta"]
    assert [Invoice(**data) for _, data in got] == expected


def test_inputs_that_are_no_prompts_fail_before_anything_is_sent() -> None:
    fake = FakeProvider()
    llm = tl.openai().model("gpt-4o-mini").api_key("k").transport(fake).build()
    with pytest.raises(tl.ConfigurationError, match="template"):
        tl.batch(llm, [{"text": "a"}], schema=Invoice, prompt="{missing}")
    with pytest.raises(tl.ConfigurationError, match="no inputs"):
        tl.batch(llm, [], schema=Invoice)
    assert fake.calls == 0


def test_wrappers_are_refused() -> None:
    fake = FakeProvider()
    llm = tl.openai().model("gpt-4o-mini").api_key("k").transport(fake).build()
    with pytest.raises(tl.ConfigurationError, match=r"tl\.Client"):
        tl.batch(tl.fallback(llm, llm), ["a"])  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=10**6), st.text(min_size=1, max_size=80))
def test_custom_ids_fit_anthropic_and_round_trip(index: int, item_id: str) -> None:
    custom_id = encode_custom_id(index, item_id)
    assert 1 <= len(custom_id) <= 64
    assert all(c.isascii() and (c.isalnum() or c in "_-") for c in custom_id)
    decoded = decode_custom_id(custom_id)
    assert decoded is not None and decoded[0] == index
    # An id comes back exactly, unless it was too long and travels as a digest.
    assert decoded[1] in (item_id, None)
    if len(item_id.encode()) <= 30:
        assert decoded[1] == item_id

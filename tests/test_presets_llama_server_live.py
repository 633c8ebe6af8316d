"""Optional lane: the ``tl.llamacpp()`` preset against llama.cpp's real C++ ``llama-server``.

Needs a ``llama-server`` binary (``$TYPEDLLM_LLAMA_SERVER``, else ``llama-server`` on PATH)
and the ``gguf`` package in this interpreter (``pip install gguf``); without both the lane is
skipped. ``docs/local-servers.md`` shows how to build the binary from the llama.cpp tree that
the llama-cpp-python sdist on PyPI vendors. The tiny random-weight model of
``tests/_llama_live.py`` (shared with the llama-cpp-python lane) is served on 127.0.0.1 and
the server is stopped at the end of the module.

What the real server did (llama.cpp vendored in llama-cpp-python 0.3.36, ggml 0.25.3, CPU):

* ``response_format: {"type": "json_schema", ...}`` (the preset's route) is compiled to a
  grammar and enforced: the random model's answers validate, while the same model with the
  schema only in the prompt answers noise (it ran on to max_tokens: ``TruncatedOutputError``);
* ``{"type": "json_object", "schema": ...}`` is enforced the same way;
* a schema its converter cannot translate is a 400 ``invalid_request_error`` ("cannot resolve
  $ref #/$defs/Missing"), typed ``BadRequestError`` and sent once;
* streams carry usage only when asked with ``stream_options: {"include_usage": true}`` (a
  last chunk with empty ``choices``), which the preset therefore sends; the end-of-sequence
  token is counted as an output token;
* with ``--api-key`` a request without the key is a 401; ``LLAMA_API_KEY`` authenticates.
"""

from __future__ import annotations

import enum
import importlib.util
import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import pydantic
import pytest
from _llama_live import free_port, running_server, write_tiny_gguf

import typedllm as tl
from typedllm.events import RequestSent


def _binary() -> tuple[str | None, str]:
    """(the llama-server binary, why there is none)."""
    configured = os.environ.get("TYPEDLLM_LLAMA_SERVER")
    if configured:
        if os.path.isfile(configured) and os.access(configured, os.X_OK):
            return configured, ""
        return None, f"TYPEDLLM_LLAMA_SERVER={configured} is not an executable file"
    found = shutil.which("llama-server")
    return found, "" if found else "no llama-server binary (set TYPEDLLM_LLAMA_SERVER or PATH)"


LLAMA_SERVER, _MISSING = _binary()
if LLAMA_SERVER is not None and importlib.util.find_spec("gguf") is None:
    _MISSING = "the gguf package is not installed (pip install gguf)"

pytestmark = pytest.mark.skipif(
    bool(_MISSING),
    reason=f"optional llama-server lane: {_MISSING}; build recipe in docs/local-servers.md",
)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_gguf(sys.executable, tmp_path_factory.mktemp("gguf") / "tiny.gguf")


@contextmanager
def _serving(model: Path, *extra: str) -> Iterator[str]:
    assert LLAMA_SERVER is not None
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    argv = [
        LLAMA_SERVER,
        "--model",
        str(model),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--ctx-size",
        "2048",
        "--parallel",
        "1",
        "--threads",
        "2",
        *extra,
    ]
    # /health answers 503 while the model loads and 200 once it can serve (it is public,
    # also on a server started with --api-key).
    log_path = model.with_name(f"llama-server-{port}.log")
    with running_server(argv, ready_url=f"{root}/health", log_path=log_path, name="llama-server"):
        yield f"{root}/v1"


@pytest.fixture(scope="module")
def server(tiny_model: Path) -> Iterator[str]:
    with _serving(tiny_model) as base:
        yield base


class Verdict(pydantic.BaseModel):
    ok: bool
    grade: Literal[1, 2, 3]


def _llm(server: str, sent: list[RequestSent] | None = None, **mode: Any) -> tl.Client:
    # A fixed seed keeps the sampled noise the same on every run; 256 tokens leave room for
    # the whitespace the grammar allows between JSON tokens (answers took 39-50).
    builder = tl.llamacpp(server).model("tiny").max_tokens(256).max_reasks(0).seed(7).timeout(60)
    if "structured_output" in mode:
        builder = builder.structured_output(mode["structured_output"])
    if sent is not None:
        builder = builder.on_event(lambda e: sent.append(e) if isinstance(e, RequestSent) else None)
    return builder.build()


def test_json_schema_is_the_route_and_the_server_enforces_it(server: str) -> None:
    with _llm(server) as llm:
        body = json.loads(llm.request_for("grade it", schema=Verdict).body)
        assert body["response_format"]["type"] == "json_schema"
        assert set(body["response_format"]["json_schema"]["schema"]["properties"]) == {
            "ok",
            "grade",
        }
        # Random weights over a byte vocabulary: only the grammar makes this valid JSON.
        for _ in range(2):
            assert isinstance(llm.complete("grade it", schema=Verdict), Verdict)


class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


def test_an_enum_schema_is_enforced(server: str) -> None:
    with _llm(server) as llm:
        assert isinstance(llm.complete("pick a colour", schema=Colour), Colour)


def test_without_a_response_format_the_same_model_answers_noise(server: str) -> None:
    # The control for the test above: the validity comes from the server, not the model.
    with _llm(server, structured_output="prompt") as llm:
        assert "response_format" not in json.loads(llm.request_for("x", schema=Verdict).body)
        with pytest.raises(tl.OutputError):
            llm.complete("grade it", schema=Verdict, options=tl.CallOptions(max_tokens=48))


def test_json_object_with_a_schema_is_enforced_too(server: str) -> None:
    with _llm(server, structured_output="json_object_schema") as llm:
        body = json.loads(llm.request_for("grade it", schema=Verdict).body)
        assert body["response_format"]["type"] == "json_object"
        assert "schema" in body["response_format"]
        assert isinstance(llm.complete("grade it", schema=Verdict), Verdict)


def test_a_schema_the_server_rejects_is_a_typed_error_sent_once(server: str) -> None:
    sent: list[RequestSent] = []
    # A $ref to nothing: llama.cpp's schema-to-grammar converter refuses it.
    broken = {
        "type": "json_schema",
        "json_schema": {
            "name": "Broken",
            "schema": {"type": "object", "properties": {"a": {"$ref": "#/$defs/Missing"}}},
        },
    }
    options = tl.CallOptions(extra_body={"response_format": broken})
    with _llm(server, sent) as llm, pytest.raises(tl.BadRequestError) as caught:
        llm.complete("grade it", schema=Verdict, options=options)
    assert caught.value.status_code == 400
    assert "Missing" in str(caught.value)
    assert len(sent) == 1, sent


# A random model never stops by itself (a plain answer ends at max_tokens, which typedllm
# reports as truncation); llama-server's own GBNF ``grammar`` field makes it say one phrase.
SAY_HELLO = tl.CallOptions(extra_body={"grammar": 'root ::= "hello, world"'}, max_tokens=32)


def test_stream_yields_text_then_a_completion_with_usage(server: str) -> None:
    sent: list[RequestSent] = []
    with _llm(server, sent) as llm:
        body = json.loads(llm.request_for("say hello", options=SAY_HELLO, stream=True).body)
        with llm.stream("say hello", options=SAY_HELLO) as stream:
            deltas = list(stream)
        completion = stream.completion
    assert [e.stream for e in sent] == [True]
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert len(deltas) > 1
    assert "".join(deltas) == completion.output == "hello, world"
    assert completion.finish_reason == "stop"
    # Byte tokens: one per character (the end-of-sequence token may be counted too).
    assert completion.usage.input_tokens > 0
    assert completion.usage.output_tokens >= len("hello, world")


def test_a_structured_stream_ends_in_a_validated_value(server: str) -> None:
    with _llm(server) as llm, llm.stream("grade it", schema=Verdict) as stream:
        assert isinstance(stream.final(), Verdict)
        assert stream.completion.usage.output_tokens > 0


def test_usage_of_a_plain_completion(server: str) -> None:
    with _llm(server) as llm:
        completion = llm.completion("say hello", options=SAY_HELLO)
    assert completion.output == "hello, world"
    assert completion.usage.input_tokens > 0
    assert completion.usage.output_tokens >= len("hello, world")


def test_the_key_variable_authenticates_against_a_keyed_server(
    tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LLAMA_API_KEY", raising=False)
    with _serving(tiny_model, "--api-key", "local-secret") as base:
        sent: list[RequestSent] = []
        with _llm(base, sent) as llm, pytest.raises(tl.AuthenticationError) as caught:
            llm.complete("say hello", options=SAY_HELLO)
        assert caught.value.status_code == 401
        assert len(sent) == 1, sent
        monkeypatch.setenv("LLAMA_API_KEY", "local-secret")
        with _llm(base) as llm:
            assert llm.complete("say hello", options=SAY_HELLO) == "hello, world"

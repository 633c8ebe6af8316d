"""Errors are records a pipeline can rely on: they survive pickling with every field (process
pools, Ray and Dask move them between processes), and connection errors name the host and
the limit that fired."""

from __future__ import annotations

import pickle
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

import typedllm as tl
from typedllm import errors

USAGE = tl.Usage(input_tokens=3, output_tokens=4)


def examples() -> list[errors.TypedLLMError]:
    """One instance of every error class, with every field set."""
    status_kwargs: dict[str, Any] = {
        "provider": "openai",
        "request_id": "req_1",
        "body": {"error": {"message": "slow down", "code": "rate_limit"}},
        "code": "rate_limit",
        "retry_after": 2.5,
    }
    out: list[errors.TypedLLMError] = [
        errors.TypedLLMError("base"),
        errors.ConfigurationError("no model"),
        errors.SchemaError("not expressible"),
        errors.SecretPicklingError("would write a key in clear"),
        errors.TransportError("transport", provider="anthropic"),
        errors.APIConnectionError("refused", provider="openai", host="api.openai.com"),
        errors.APITimeoutError(
            "timed out", provider="openai", host="api.openai.com", timeout=7.5, deadline=True
        ),
        errors.ProtocolError(
            "not JSON", provider="gemini", status_code=200, request_id="r", body="<html>"
        ),
        errors.APIStatusError("teapot", status_code=418, **status_kwargs),
        errors.RefusalError("I cannot help", raw_text="no", usage=USAGE, schema={"type": "x"}),
        errors.TruncatedOutputError("cut", raw_text='{"a": ', usage=USAGE),
        errors.OutputValidationError(
            "bad", errors=[{"loc": ("a",), "msg": "m", "type": "t"}], raw_text="{}", usage=USAGE
        ),
        errors.PendingToolCallsError(
            "tools", tool_calls=[tl.ToolCall("c1", "f", "{}")], answer=tl.assistant("x")
        ),
        errors.StreamClosedError("closed"),
        errors.ClientClosedError("client closed"),
        errors.NoRouteError("no route", ["openai:gpt-4o: takes no image input"]),
        errors.CircuitOpenError("openai:gpt-4o", 12.5, 5),
        errors.AllFailedError(
            ["a", "b"],
            [
                errors.RateLimitError("slow", provider="openai", status_code=429),
                errors.APIConnectionError("down", provider="anthropic", host="h"),
            ],
        ),
        errors.OutputError("output", raw_text="x", usage=USAGE),
        errors.ToolLoopLimitError(
            "too many steps",
            limit="max_steps",
            steps=[tl.ToolStep(tl.assistant("x"), (), USAGE)],
            usage=USAGE,
            messages=[tl.user("hi")],
        ),
        errors.ApprovalRequired(
            [tl.PendingApproval(tl.ToolCall("c1", "pay", "{}"), "pay", {"amount": 5})],
            tl.ToolLoopState(messages=(tl.user("pay"),), pending=(), usage=USAGE),
        ),
    ]
    for cls in (
        errors.BadRequestError,
        errors.AuthenticationError,
        errors.PermissionDeniedError,
        errors.NotFoundError,
        errors.ConflictError,
        errors.UnprocessableEntityError,
        errors.RateLimitError,
        errors.InternalServerError,
    ):
        out.append(cls("failed", status_code=cls.status or 503, **status_kwargs))
    return out


def test_every_error_class_has_an_example() -> None:
    covered = {type(e) for e in examples()}
    public = {
        getattr(errors, name)
        for name in errors.__all__
        if isinstance(getattr(errors, name), type)
        and issubclass(getattr(errors, name), errors.TypedLLMError)
    }
    assert public <= covered


def _plain(value: Any) -> Any:
    """A comparable view (exceptions compare by identity: compare their content)."""
    if isinstance(value, BaseException):
        return (type(value), value.args, _plain(vars(value)))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


@pytest.mark.parametrize("error", examples(), ids=lambda e: type(e).__name__)
def test_errors_survive_pickling_with_every_field(error: errors.TypedLLMError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.args == error.args
    assert _plain(vars(copy)) == _plain(vars(error))


def test_a_refusal_message_is_not_doubled_by_pickling() -> None:
    copy = pickle.loads(pickle.dumps(errors.RefusalError("no")))
    assert str(copy) == "the model refused: no"
    assert copy.refusal == "no"


def _raise_rate_limit(n: int) -> int:
    raise errors.RateLimitError(
        f"slow down {n}", provider="openai", status_code=429, request_id="r", retry_after=1.0
    )


def test_a_process_pool_reports_the_typed_error() -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        future = pool.submit(_raise_rate_limit, 7)
        with pytest.raises(errors.RateLimitError) as caught:
            future.result(timeout=60)
    assert caught.value.status_code == 429
    assert caught.value.retry_after == 1.0
    assert caught.value.request_id == "r"
    assert "slow down 7" in str(caught.value)


# -- connection errors name the host and the limit -------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A loopback server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(server.getsockname()[1])
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        server.close()


def _local(port: int, **settings: Any) -> tl.Client:
    builder: Any = (
        tl.openai_compatible(f"http://127.0.0.1:{port}/v1")
        .model("m")
        .api_key("sk-local-key")
        .retry_policy(tl.RetryPolicy(max_attempts=1))
    )
    for name, value in settings.items():
        builder = getattr(builder, name)(value)
    client: tl.Client = builder.build()
    return client


def test_a_refused_connection_names_the_host() -> None:
    port = _closed_port()
    with pytest.raises(tl.APIConnectionError) as caught:
        _local(port).complete("hi")
    error = caught.value
    assert not isinstance(error, tl.APITimeoutError)
    assert error.host == f"127.0.0.1:{port}" or error.host == "127.0.0.1"
    assert "127.0.0.1" in str(error)
    assert "sk-local-key" not in str(error)


def test_a_timeout_names_the_host_and_the_timeout(silent_server: int) -> None:
    with pytest.raises(tl.APITimeoutError) as caught:
        _local(silent_server, timeout=0.3).complete("hi")
    error = caught.value
    assert error.timeout == pytest.approx(0.3)
    assert error.deadline is False
    assert "127.0.0.1" in str(error) and "0.3s" in str(error)


async def test_an_async_timeout_names_the_host_and_the_timeout(silent_server: int) -> None:
    with pytest.raises(tl.APITimeoutError) as caught:
        await _local(silent_server, timeout=0.3).acomplete("hi")
    assert caught.value.timeout == pytest.approx(0.3)
    assert "127.0.0.1" in str(caught.value)


def test_a_per_call_timeout_is_the_one_named(silent_server: int) -> None:
    llm = _local(silent_server, timeout=30)
    with pytest.raises(tl.APITimeoutError) as caught:
        llm.complete("hi", options=tl.CallOptions(timeout=0.2))
    assert caught.value.timeout == pytest.approx(0.2)

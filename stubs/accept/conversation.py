"""Accepted: the conversation model, per-call options, the Completer protocol, wrappers and
the retry policy (type-checked only)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from typing_extensions import assert_type

import typedllm as tl


class Invoice(BaseModel):
    number: str


def parts() -> None:
    assert_type(tl.user(["Describe", tl.image("https://example.com/cat.png")]), tl.Message)
    assert_type(tl.user(("a", tl.TextPart("b"), tl.cache_point())), tl.Message)
    assert_type(tl.image(b"\x89PNG", media_type="image/png", detail="low"), tl.ImagePart)
    assert_type(tl.document(b"%PDF-1.7", title="Report"), tl.DocumentPart)
    assert_type(tl.audio(b"RIFF", media_type="audio/wav"), tl.AudioPart)
    assert_type(tl.tool_result("call_1", "42"), tl.Message)
    assert_type(tl.tool_result("call_1", ["see", tl.image("x.png")], is_error=True), tl.Message)
    assert_type(tl.assistant("", tool_calls=[tl.ToolCall("call_1", "f", "{}")]), tl.Message)
    assert_type(tl.Message("tool", "x", tool_call_id="call_1"), tl.Message)
    message = tl.user("x")
    assert_type(message.parts, tuple[tl.Part, ...])
    assert_type(message.content, str)
    assert_type(message.tool_calls, tuple[tl.ToolCall, ...])
    assert_type(message.reasoning, str | None)
    assert_type(tl.ReasoningPart("t", signature="s", provider="anthropic").signature, str | None)


def options(llm: tl.Client) -> None:
    weather = tl.ToolDefinition("get_weather", "Weather", {"type": "object"}, strict=True)
    opts = tl.CallOptions(temperature=0, max_tokens=10, stop=("\n",), tools=(weather,))
    assert_type(llm.complete("x", options=opts), str)
    assert_type(llm.complete("x", schema=Invoice, options=opts), Invoice)
    record = llm.completion("x", options=tl.CallOptions(tool_choice="get_weather"))
    assert_type(record.cost, float | None)
    assert_type(record.message, tl.Message | None)
    assert_type(record.messages, tuple[tl.Message, ...])
    assert_type(record.citations, tuple[tl.Citation, ...])
    assert_type(record.usage.cache_write_tokens, int)
    assert_type(llm.stream("x", options=opts), tl.Stream[str, str])
    assert_type(
        llm.astream("x", schema=Invoice, options=opts), tl.AsyncStream[tl.Partial[Invoice], Invoice]
    )
    assert_type(opts.merged(None), tl.CallOptions)


class Logged(tl.ClientWrapper):
    def _completion(self, call: tl.Call) -> tl.Completion[Any]:
        return super()._completion(call)


def extract(completer: tl.Completer) -> list[Invoice]:
    return completer.complete("x", schema=list[Invoice])


async def wrappers(llm: tl.Client) -> None:
    logged = Logged(llm)
    assert_type(logged.complete("x"), str)
    assert_type(logged.complete("x", schema=Invoice), Invoice)
    assert_type(await logged.acomplete("x", schema=Invoice | None), Invoice | None)
    assert_type(logged.completion("x", schema=bool), tl.Completion[bool])
    assert_type(Logged(logged).stream("x", schema=Invoice), tl.Stream[tl.Partial[Invoice], Invoice])
    assert_type(extract(llm), list[Invoice])
    assert_type(extract(logged), list[Invoice])


def hook(event: tl.events.Event) -> None:
    if isinstance(event, tl.events.RetryScheduled):
        assert_type(event.delay, float)


def policy() -> None:
    retry = tl.RetryPolicy(max_attempts=5, retry_after_cap=30.0, deadline=60.0)
    llm = (
        tl.openai()
        .model("gpt-4o")
        .retry_policy(retry)
        .deadline(10)
        .on_event(hook)
        .stop("END")
        .header("x-app", "demo")
        .build()
    )
    assert_type(llm, tl.Client)
    assert_type(llm.request_for("x").url, str)
    assert_type(retry.max_retries, int)


def usage() -> None:
    counts = tl.Usage(input_tokens=10, output_tokens=5, cache_read_tokens=4, cache_write_tokens=2)
    assert_type(counts.cache_read_tokens, int)
    assert_type(counts.cached_input_tokens, int)
    assert_type(tl.Usage(cached_input_tokens=3), tl.Usage)


def auth_steps() -> None:
    from typedllm.hosts import TokenAuth

    llm = tl.openai().model("gpt-4o").auth(TokenAuth(lambda: "token")).build()
    assert_type(llm, tl.Client)

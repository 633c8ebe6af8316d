"""A failed, rejected or invalid tool run reaches the model with exactly one ``Error: `` prefix
on the wires without an error flag (Chat Completions, Responses, Cohere, Ollama), and as the
bare message where the wire has a flag (Anthropic ``is_error``, also on Bedrock and Vertex AI;
Gemini's ``error`` response). The loop sends the bare message with ``is_error=True``; the
codec of a flagless wire adds the prefix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import orjson
import pytest
from pydantic import AfterValidator

import typedllm as tl
from typedllm.testing import FakeProvider

BUILDERS: dict[str, Callable[[], Any]] = {
    "openai-chat": lambda: tl.openai().model("gpt-4o-mini").api_key("sk-test"),
    "openai-responses": lambda: tl.openai().model("gpt-4.1").api_key("sk-test").api("responses"),
    "cohere": lambda: tl.cohere().model("command-a-03-2025").api_key("co-test"),
    "ollama": lambda: tl.ollama().model("llama3.2"),
    "anthropic": lambda: tl.anthropic().model("claude-haiku-4-5").api_key("sk-ant-test"),
    "bedrock": lambda: (
        tl.anthropic()
        .bedrock("us-east-1")
        .aws_credentials("AKIDEXAMPLE", "aws-secret-test")
        .model("claude-haiku-4-5")
    ),
    "anthropic-vertex": lambda: (
        tl.anthropic()
        .vertex("my-project", location="us-east5", token_provider=lambda: "ya29.test")
        .model("claude-haiku-4-5")
    ),
    "gemini": lambda: tl.gemini().model("gemini-2.5-flash").api_key("g-test"),
}
FLAGGED = {"anthropic", "bedrock", "anthropic-vertex", "gemini"}


class Offline(Exception):
    """A tool failure whose name holds no ``Error: `` of its own."""


@tl.tool
def lookup(city: str) -> str:
    """Look a city up."""
    raise Offline("the station is offline")


@pytest.mark.parametrize("wire", sorted(BUILDERS))
def test_a_failed_tool_run_is_prefixed_once(wire: str) -> None:
    fake = FakeProvider(tools="auto")
    llm = BUILDERS[wire]().transport(fake).build()
    c = llm.completion("weather?", tools=[lookup])
    run = c.steps[0].runs[0]
    assert run.error == "lookup raised Offline: the station is offline"
    assert run.result == run.error  # the bare message; the codec decides on a prefix
    body = orjson.dumps(fake.requests[1].json).decode()
    assert "lookup raised Offline: the station is offline" in body
    expected = 0 if wire in FLAGGED else 1
    assert body.count("Error: ") == expected, body


def _never(value: int) -> int:
    raise ValueError("amounts are frozen")


@tl.tool
def pay(amount: Annotated[int, AfterValidator(_never)]) -> str:
    """Pay (the arguments never validate)."""
    return f"paid {amount}"


@tl.tool(requires_approval=True)
def transfer(amount: int) -> str:
    """Move money."""
    return f"moved {amount}"


@pytest.mark.parametrize("wire", sorted(BUILDERS))
def test_a_rejected_and_an_invalid_call_are_prefixed_once(wire: str) -> None:
    expected = 0 if wire in FLAGGED else 1
    fake = FakeProvider(tools="auto")
    llm = BUILDERS[wire]().transport(fake).build()
    c = llm.completion("pay", tools=[transfer], approve=lambda p: False)
    assert c.steps[0].runs[0].decision == "rejected"
    body = orjson.dumps(fake.requests[1].json).decode()
    assert "the call was rejected" in body
    assert body.count("Error: ") == expected, body

    fake = FakeProvider(tools="auto")
    llm = BUILDERS[wire]().transport(fake).build()
    c = llm.completion("pay", tools=[pay])
    error = c.steps[0].runs[0].error
    assert error is not None and "amounts are frozen" in error
    body = orjson.dumps(fake.requests[1].json).decode()
    assert "amounts are frozen" in body
    assert body.count("Error: ") == expected, body

"""Scripted tool-call answers in each wire's real shape (as the recordings in
../shared/conformance/*/tool_call/ show them), and a client per wire on the fake."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson

import typedllm as tl
from typedllm.testing import FakeProvider, FakeReply

Call = tuple[str, str, dict[str, Any]]
"""(id, name, arguments) of one scripted call."""

WIRES = ("openai", "anthropic", "gemini", "ollama", "responses")


def client(wire: str, fake: FakeProvider) -> tl.Client:
    """A client of ``wire`` on the fake."""
    builder: Any
    if wire == "openai":
        builder = tl.openai().model("gpt-4o-mini").api_key("sk-test")
    elif wire == "responses":
        builder = tl.openai().model("gpt-4.1").api_key("sk-test").api("responses")
    elif wire == "anthropic":
        builder = tl.anthropic().model("claude-haiku-4-5").api_key("sk-ant-test")
    elif wire == "gemini":
        builder = tl.gemini().model("gemini-2.5-flash").api_key("g-test")
    else:
        builder = tl.ollama().model("llama3.2")
    built: tl.Client = builder.transport(fake).build()
    return built


def tool_calls(wire: str, calls: Sequence[Call], text: str | None = None) -> FakeReply:
    """The provider's answer calling ``calls`` (in its own body shape)."""
    if wire == "openai":
        message: dict[str, Any] = {
            "role": "assistant",
            "content": text,
            "tool_calls": [
                {
                    "id": i,
                    "type": "function",
                    "function": {"name": n, "arguments": orjson.dumps(a).decode()},
                }
                for i, n, a in calls
            ],
        }
        body: Any = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "model": "gpt-4o-mini",
            "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        }
    elif wire == "anthropic":
        content: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
        content += [{"type": "tool_use", "id": i, "name": n, "input": a} for i, n, a in calls]
        body = {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "claude-haiku-4-5",
            "content": content,
            "stop_reason": "tool_use",
            "usage": {"input_tokens": 10, "output_tokens": 5},
        }
    elif wire == "gemini":
        parts: list[dict[str, Any]] = [{"text": text}] if text else []
        parts += [{"functionCall": {"name": n, "args": a, "id": i}} for i, n, a in calls]
        body = {
            "candidates": [
                {"content": {"role": "model", "parts": parts}, "finishReason": "STOP", "index": 0}
            ],
            "usageMetadata": {
                "promptTokenCount": 10,
                "candidatesTokenCount": 5,
                "totalTokenCount": 15,
            },
            "modelVersion": "gemini-2.5-flash",
        }
    elif wire == "responses":
        output: list[dict[str, Any]] = [
            {
                "id": f"fc_{i}",
                "type": "function_call",
                "status": "completed",
                "arguments": orjson.dumps(a).decode(),
                "call_id": i,
                "name": n,
            }
            for i, n, a in calls
        ]
        body = {
            "id": "resp_1",
            "object": "response",
            "status": "completed",
            "model": "gpt-4.1",
            "output": output,
            "usage": {"input_tokens": 10, "output_tokens": 5, "total_tokens": 15},
        }
    else:
        body = {
            "model": "llama3.2",
            "created_at": "2025-01-01T00:00:00Z",
            "message": {
                "role": "assistant",
                "content": text or "",
                "tool_calls": [{"function": {"name": n, "arguments": a}} for _, n, a in calls],
            },
            "done": True,
            "done_reason": "stop",
            "prompt_eval_count": 10,
            "eval_count": 5,
        }
    return FakeReply.raw(200, body)


def tool_results(wire: str, body: dict[str, Any]) -> list[tuple[str, str]]:
    """The (call id or tool name, text) of every tool result in a request body."""
    found: list[tuple[str, str]] = []
    if wire in ("openai", "ollama"):
        for m in body["messages"]:
            if m["role"] == "tool":
                key = m.get("tool_call_id") or m.get("tool_name") or m.get("name") or ""
                found.append((key, str(m["content"])))
    elif wire == "anthropic":
        for m in body["messages"]:
            if isinstance(m["content"], list):
                for block in m["content"]:
                    if block.get("type") == "tool_result":
                        content = block["content"]
                        text = (
                            content
                            if isinstance(content, str)
                            else "".join(c.get("text", "") for c in content)
                        )
                        found.append((block["tool_use_id"], text))
    elif wire == "gemini":
        for c in body["contents"]:
            for p in c["parts"]:
                if "functionResponse" in p:
                    r = p["functionResponse"]
                    found.append((r.get("id") or r["name"], orjson.dumps(r["response"]).decode()))
    else:
        for item in body["input"]:
            if item.get("type") == "function_call_output":
                found.append((item["call_id"], str(item["output"])))
    return found


def script(replies: Sequence[Any]) -> FakeProvider:
    """A fake answering ``replies`` in order."""
    return FakeProvider(list(replies))


def responder(fn: Callable[[dict[str, Any]], Any]) -> FakeProvider:
    """A fake computing each reply from the request."""
    return FakeProvider(responder=fn)

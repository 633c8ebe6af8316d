"""MCP tools through the public API: a real MCP server (tests/tools/mcp_server.py, written
with the official SDK) over stdio and over streamable HTTP on 127.0.0.1, a scripted fake model
calling its tools, approval rules, tool errors, and the result conversion."""

from __future__ import annotations

import asyncio
import base64
import importlib.util
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm.testing import FakeProvider, FakeReply
from typedllm.tools._mcp import result_value

SERVER = str(Path(__file__).resolve().parent / "mcp_server.py")

needs_mcp = pytest.mark.skipif(
    importlib.util.find_spec("mcp") is None,
    reason="the MCP tests need the mcp extra: pip install 'typedllm[mcp]'",
)


class Sum(BaseModel):
    total: int


def _llm(fake: FakeProvider) -> tl.Client:
    return tl.openai().model("gpt-4o-mini").api_key("test").transport(fake).build()


def _tool_messages(fake: FakeProvider, request: int) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = fake.requests[request].json["messages"]
    return [m for m in messages if m["role"] == "tool"]


@pytest.fixture(scope="module")
def stdio_server() -> Iterator[tl.MCPServer]:
    with tl.MCPServer.stdio(sys.executable, [SERVER, "stdio"], timeout=20) as server:
        yield server
    assert not server.is_open


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def http_url() -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, SERVER, "http", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("the MCP HTTP test server did not start")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(10)


@needs_mcp
def test_stdio_tools_are_offered_with_their_input_schema(stdio_server: tl.MCPServer) -> None:
    tools = stdio_server.tools()
    assert [t.name for t in tools] == [
        "add",
        "shout",
        "transfer",
        "explode",
        "chart",
        "auth_header",
    ]
    add = tools[0]
    assert isinstance(add, tl.Tool) and add.description == "Add two integers."
    params = add.definition.parameters
    assert params["required"] == ["a", "b"] and params["properties"]["a"]["type"] == "integer"
    assert "title" not in params  # the SDK's model name is not sent
    fake = FakeProvider([FakeReply.tool_call("add", {"a": 2, "b": 3}), '{"total": 5}'])
    _llm(fake).complete("2 + 3?", tools=tools, schema=Sum)
    sent = fake.requests[0].json["tools"]
    assert [t["function"]["name"] for t in sent] == [t.name for t in tools]
    assert sent[0]["function"]["parameters"]["properties"]["b"]["type"] == "integer"


@needs_mcp
def test_the_model_calls_an_mcp_tool_and_the_answer_validates(
    stdio_server: tl.MCPServer,
) -> None:
    fake = FakeProvider([FakeReply.tool_call("add", {"a": 20, "b": 22}), '{"total": 42}'])
    done = _llm(fake).completion("20 + 22?", tools=stdio_server.tools(), schema=Sum)
    assert done.output == Sum(total=42)
    (step,) = done.steps
    (run,) = step.runs
    assert run.error is None and run.arguments == {"a": 20, "b": 22}
    assert run.result == "42"  # the server's text content
    (sent,) = _tool_messages(fake, 1)
    assert sent["content"] == "42"


@needs_mcp
def test_an_image_result_goes_back_as_parts(stdio_server: tl.MCPServer) -> None:
    fake = FakeProvider([FakeReply.tool_call("chart", {"title": "sales"}), "a rising line"])
    llm = tl.anthropic().model("claude-sonnet-4-5").api_key("test").transport(fake).build()
    done = llm.completion("chart", tools=stdio_server.tools(only={"chart"}))
    (run,) = done.steps[0].runs
    assert run.error is None and run.result == "the chart sales"
    assert [type(p).__name__ for p in run.parts] == ["TextPart", "ImagePart"]
    image = run.parts[1]
    assert isinstance(image, tl.ImagePart) and image.media_type == "image/png"
    assert image.data is not None and image.data.startswith(b"\x89PNG")
    sent = json.dumps(fake.requests[1].json)
    assert "iVBORw0KGgo" in sent  # the PNG, base64, in the tool result


@needs_mcp
def test_direct_calls_and_text_results(stdio_server: tl.MCPServer) -> None:
    shout = stdio_server.tools(only={"shout"})[0]
    assert shout(text="hi") == "HI"
    assert stdio_server.call("add", {"a": 1, "b": 1}) == "2"
    with pytest.raises(tl.ConfigurationError, match="no tool 'nope'"):
        stdio_server.tools(only={"nope"})


@needs_mcp
def test_a_prefix_tells_servers_apart(stdio_server: tl.MCPServer) -> None:
    tools = stdio_server.tools(
        prefix="calc.", only={"add", "transfer"}, requires_approval={"transfer"}
    )
    assert [t.name for t in tools] == ["calc_add", "calc_transfer"]  # "." is not allowed
    assert [t.server_name for t in tools] == ["add", "transfer"]
    assert tools[1].needs_approval({}) and not tools[0].needs_approval({})
    fake = FakeProvider([FakeReply.tool_call("calc_add", {"a": 4, "b": 5}), "nine"])
    done = _llm(fake).completion("4 + 5?", tools=tools)
    assert done.steps[0].runs[0].result == "9"
    assert fake.requests[0].json["tools"][0]["function"]["name"] == "calc_add"


@needs_mcp
def test_an_mcp_tool_error_becomes_an_error_result(stdio_server: tl.MCPServer) -> None:
    fake = FakeProvider([FakeReply.tool_call("explode", {"reason": "boom"}), "sorry"])
    done = _llm(fake).completion("try it", tools=stdio_server.tools())
    assert done.output == "sorry"
    (run,) = done.steps[0].runs
    assert run.error is not None and "exploded: boom" in run.error
    assert "MCPToolError" in run.error
    (sent,) = _tool_messages(fake, 1)
    assert "exploded: boom" in sent["content"]


@needs_mcp
def test_invalid_arguments_go_back_before_the_server_is_called(
    stdio_server: tl.MCPServer,
) -> None:
    replies = [
        FakeReply.tool_call("add", {"a": "two", "b": 2}),
        FakeReply.tool_call("add", {"a": 2, "b": 2}),
        '{"total": 4}',
    ]
    fake = FakeProvider(replies)
    done = _llm(fake).completion("2 + 2?", tools=stdio_server.tools(), schema=Sum)
    assert done.output == Sum(total=4)
    first, second = done.steps
    assert first.runs[0].error is not None and "invalid arguments for add" in first.runs[0].error
    assert "a: 'two' is not of type 'integer'" in first.runs[0].error
    assert second.runs[0].error is None


@needs_mcp
def test_approval_by_name_pauses_and_resumes(stdio_server: tl.MCPServer) -> None:
    tools = stdio_server.tools(requires_approval={"transfer"})
    calls = [
        ("add", {"a": 1, "b": 2}, "c1"),
        ("transfer", {"account": "bob", "amount": 12.5}, "c2"),
    ]
    fake = FakeProvider([FakeReply.tool_calls(calls)])
    with pytest.raises(tl.ApprovalRequired) as info:
        _llm(fake).complete("pay bob", tools=tools)
    (pending,) = info.value.pending
    assert pending.name == "transfer" and pending.arguments == {"account": "bob", "amount": 12.5}
    state = tl.ToolLoopState.from_json(info.value.state.to_json())
    fake = FakeProvider(["done"])
    done = _llm(fake).resume(state, {"c2": tl.ToolDecision.approve()}, tools=tools)
    assert done.output == "done"
    runs = {r.call.name: r for r in done.steps[0].runs}
    assert runs["transfer"].decision == "approved"
    assert "moved 12.50 to bob" in runs["transfer"].result
    assert runs["add"].decision is None and runs["add"].result == "3"


@needs_mcp
def test_approval_predicate_on_name_and_arguments(stdio_server: tl.MCPServer) -> None:
    seen: list[tuple[str, dict[str, Any]]] = []

    def risky(name: str, arguments: Any) -> bool:
        seen.append((name, dict(arguments)))
        return name == "transfer" and arguments["amount"] > 100

    tools = stdio_server.tools(requires_approval=risky)
    small = FakeProvider([FakeReply.tool_call("transfer", {"account": "a", "amount": 5}), "ok"])
    done = _llm(small).completion("pay a little", tools=tools)
    assert "moved 5.00 to a" in done.steps[0].runs[0].result
    big = FakeProvider([FakeReply.tool_call("transfer", {"account": "b", "amount": 500})])
    with pytest.raises(tl.ApprovalRequired) as info:
        _llm(big).complete("pay a lot", tools=tools)
    assert info.value.pending[0].arguments["amount"] == 500
    fake = FakeProvider(["refused"])
    call_id = info.value.pending[0].call.id
    done = _llm(fake).resume(
        info.value.state, {call_id: tl.ToolDecision.reject("too much")}, tools=tools
    )
    assert done.steps[0].runs[0].decision == "rejected"
    assert seen == [
        ("transfer", {"account": "a", "amount": 5}),
        ("transfer", {"account": "b", "amount": 500}),
    ]


@needs_mcp
def test_async_loop_on_a_stdio_server() -> None:
    async def main() -> tuple[Sum, list[float]]:
        server = tl.MCPServer.stdio(sys.executable, [SERVER, "stdio"], timeout=20)
        async with server:
            tools = await server.atools()
            calls = [("add", {"a": 1, "b": 2}, "c1"), ("add", {"a": 3, "b": 4}, "c2")]
            fake = FakeProvider([FakeReply.tool_calls(calls), '{"total": 10}'])
            done = await _llm(fake).acompletion("sum", tools=tools, schema=Sum)
            results = [int(r.result) for r in done.steps[0].runs]
        assert not server.is_open
        return done.output, results

    output, results = asyncio.run(main())
    assert output == Sum(total=10) and results == [3, 7]


@needs_mcp
def test_streamable_http_server(http_url: str) -> None:
    server = tl.MCPServer.http(http_url, headers={"Authorization": "Bearer sk-secret-123"})
    assert "sk-secret" not in repr(server)
    with server:
        tools = server.tools(requires_approval=False)
        assert {t.name for t in tools} == {
            "add",
            "shout",
            "transfer",
            "explode",
            "chart",
            "auth_header",
        }
        assert server.call("auth_header", {}) == "Bearer sk-secret-123"  # the headers are sent
        fake = FakeProvider([FakeReply.tool_call("shout", {"text": "hello"}), "HELLO it is"])
        done = _llm(fake).completion("shout hello", tools=tools)
    assert done.steps[0].runs[0].result == "HELLO"
    assert done.output == "HELLO it is"
    with pytest.raises(tl.MCPToolError, match="not open"):
        tools[0](text="late")


@needs_mcp
def test_an_unreachable_server_is_a_clear_error() -> None:
    server = tl.MCPServer.http(f"http://127.0.0.1:{_free_port()}/mcp", timeout=5)
    with pytest.raises(tl.MCPToolError, match="cannot connect"):
        server.open()
    assert not server.is_open


def test_result_conversion() -> None:
    pixel = base64.b64encode(b"\x89PNG").decode()
    value = result_value(
        {
            "content": [
                {"type": "text", "text": "a chart:"},
                {"type": "image", "data": pixel, "mimeType": "image/png"},
            ]
        }
    )
    assert value == [tl.TextPart("a chart:"), tl.ImagePart(data=b"\x89PNG", media_type="image/png")]
    resource = {"type": "resource", "resource": {"uri": "file:///a.txt", "text": "inside"}}
    assert result_value({"content": [{"type": "text", "text": "x"}, resource]}) == "x\ninside"
    assert result_value({"content": [], "structuredContent": {"n": 1}}) == {"n": 1}
    both = {"content": [{"type": "text", "text": '{"n": 1}'}], "structuredContent": {"n": 1}}
    assert result_value(both) == '{"n": 1}'  # the text the server wrote for the model
    with pytest.raises(tl.MCPToolError, match="reported an error"):
        result_value({"content": [], "isError": True})


def test_bad_configuration() -> None:
    with pytest.raises(tl.ConfigurationError, match="http"):
        tl.MCPServer.http("ftp://x")
    with pytest.raises(tl.ConfigurationError, match="list of strings"):
        tl.MCPServer.stdio("python", "server.py")  # type: ignore[arg-type]
    with pytest.raises(tl.ConfigurationError, match="positive"):
        tl.MCPServer.stdio("python", timeout=0)
    server = tl.MCPServer.stdio("python", ["x.py"])
    with pytest.raises(tl.MCPToolError, match="not open"):
        server.tools()
    # A str is a Collection[str] to a type checker: the names must be a real collection.
    with pytest.raises(tl.ConfigurationError, match="set of tool names"):
        server.tools(requires_approval="transfer")
    with pytest.raises(tl.ConfigurationError, match="tool timeout must be a positive"):
        server.tools(timeout=-1)
    with pytest.raises(tl.ConfigurationError, match="must be strings"):
        server.tools(requires_approval={1})  # type: ignore[arg-type]


def test_missing_sdk_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mcp", None)  # makes `import mcp` raise ImportError
    with pytest.raises(tl.ConfigurationError, match=r"pip install 'typedllm\[mcp\]'"):
        tl.MCPServer.stdio(sys.executable, [SERVER, "stdio"]).open()


@needs_mcp
def test_approve_callback_decides_inline(stdio_server: tl.MCPServer) -> None:
    tools = stdio_server.tools(requires_approval=True)
    calls = [("shout", {"text": "yes"}, "c1"), ("shout", {"text": "no"}, "c2")]
    fake = FakeProvider([FakeReply.tool_calls(calls), "ok"])

    def decide(pending: tl.PendingApproval) -> tl.ToolDecision:
        if pending.arguments["text"] == "no":
            return tl.ToolDecision.reject("not this one")
        return tl.ToolDecision.approve()

    done = _llm(fake).completion("shout", tools=tools, approve=decide)
    yes, no = done.steps[0].runs
    assert (yes.decision, yes.result) == ("approved", "YES")
    assert no.decision == "rejected" and "not this one" in no.result

"""Accepted: tools from MCP servers (type-checked only, never executed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from typing_extensions import assert_type

import typedllm as tl


def risky(name: str, arguments: Mapping[str, Any]) -> bool:
    return name == "pay" and arguments["amount"] > 100


def sync_use(llm: tl.Client) -> None:
    server = tl.MCPServer.stdio("python", ["server.py"], env={"A": "1"}, timeout=10)
    assert_type(server, tl.MCPServer)
    assert_type(tl.MCPServer.http("http://127.0.0.1:8000/mcp", headers={"X": "y"}), tl.MCPServer)
    with server as opened:
        assert_type(opened, tl.MCPServer)
        tools = opened.tools(requires_approval={"pay"}, only=["pay", "add"], timeout=5)
        assert_type(tools, list[tl.MCPTool])
        assert_type(opened.tools(requires_approval=risky), list[tl.MCPTool])
        assert_type(opened.tools(requires_approval=True)[0], tl.MCPTool)
        assert_type(opened.tools(prefix="gh_")[0].server_name, str)
        offered: list[tl.Tool[..., Any]] = [*tools]
        assert_type(llm.complete("hi", tools=offered), str)
        assert_type(opened.call("add", {"a": 1}), Any)
    assert_type(server.is_open, bool)


async def async_use(llm: tl.Client) -> None:
    async with tl.MCPServer.http("https://mcp.example.com/mcp") as server:
        assert_type(await server.atools(), list[tl.MCPTool])
        assert_type(await server.acall("add", {"a": 1}), Any)
        assert_type(await llm.acomplete("hi", tools=await server.atools()), str)


rule: tl.MCPApprovalRule = frozenset({"pay"})
error: type[tl.TypedLLMError] = tl.MCPToolError

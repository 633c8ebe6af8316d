"""Rejected: misuse of MCP servers (one misuse per line)."""

from __future__ import annotations

import typedllm as tl


def misuse() -> None:
    tl.MCPServer.stdio(["python", "server.py"])  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.MCPServer.http("http://x", headers=[("A", "b")])  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    server = tl.MCPServer.stdio("python")
    server.tools(timeout="5")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

"""A small MCP server for the tests, written with the official SDK's server API.

``python mcp_server.py stdio`` serves on stdin/stdout; ``python mcp_server.py http PORT``
serves streamable HTTP on 127.0.0.1:PORT at ``/mcp``. Either way it exits by itself after
``LIFETIME`` seconds, so a crashed test cannot leave it running.
"""

from __future__ import annotations

import os
import sys
import threading

try:  # mcp 2.x renamed FastMCP to MCPServer
    from mcp.server.mcpserver import Context
    from mcp.server.mcpserver import MCPServer as Server
    from mcp.server.mcpserver.exceptions import ToolError
    from mcp.server.mcpserver.utilities.types import Image
except ImportError:  # mcp 1.x
    from mcp.server.fastmcp import Context, Image
    from mcp.server.fastmcp import FastMCP as Server
    from mcp.server.fastmcp.exceptions import ToolError

LIFETIME = 60.0

server = Server("typedllm-test")


@server.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@server.tool()
def shout(text: str) -> str:
    """The text in capitals."""
    return text.upper()


@server.tool()
def transfer(account: str, amount: float) -> str:
    """Move money (the tests require approval for it)."""
    return f"moved {amount:.2f} to {account}"


@server.tool()
def explode(reason: str) -> str:
    """Always fails with the reason."""
    raise ToolError(f"exploded: {reason}")  # its message reaches the client


PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 16


@server.tool()
def chart(title: str):  # unannotated: the SDK turns the list into content blocks
    """A chart: a caption and a PNG image."""
    return [f"the chart {title}", Image(data=PNG, format="png")]


@server.tool()
def auth_header(ctx: Context) -> str:
    """The Authorization header of the HTTP request carrying this call ("-" on stdio)."""
    request = getattr(ctx.request_context, "request", None)
    headers = getattr(request, "headers", None) or {}
    return str(headers.get("authorization", "-"))


def _watchdog() -> None:
    threading.Event().wait(LIFETIME)
    os._exit(0)


if __name__ == "__main__":
    threading.Thread(target=_watchdog, daemon=True).start()
    if sys.argv[1] == "stdio":
        server.run("stdio")
    else:
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))

"""Tools from an MCP server, offered to the model like local tools.

:class:`MCPServer` connects to a server over stdio (a subprocess) or streamable HTTP through
the official ``mcp`` SDK (``pip install 'typedllm[mcp]'``, imported only here and only when a
server is opened), lists its tools and makes each one a :class:`MCPTool`: a
:class:`~typedllm.Tool` whose parameters are the MCP tool's ``inputSchema`` (sent through the
provider's schema dialect like every tool definition), whose call is the session's
``call_tool``, and whose approval rule is the one given to :meth:`MCPServer.tools`.

The session runs on an event loop in a background thread the server owns, so the same server
serves the sync loop (``llm.complete``) and the async one (``await llm.acomplete``), whatever
event loop the caller runs: the SDK's transports are anyio task groups that must be entered and
left by one task, which the background task does for the whole life of the connection.

What a call returns becomes the tool result (the MCP spec,
https://modelcontextprotocol.io/specification/2025-06-18/server/tools#tool-result):

* ``isError: true`` -> an error result for the model (the loop's usual tool error, counted
  towards the consecutive-failure limit);
* images and audio -> parts of the tool result (with the text blocks around them);
* otherwise the text blocks, joined by newlines (embedded text resources included): the spec
  asks a server returning ``structuredContent`` to also send it serialized as text, and the SDK's
  servers wrap a plain return value as ``{"result": ...}``, so the text is what reads best;
* ``structuredContent`` (that JSON value) when there is no text block.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import contextlib
import importlib
import re
import threading
from collections.abc import Callable, Collection, Coroutine, Mapping, Sequence
from contextlib import AsyncExitStack
from typing import Any, Union, cast

import orjson

from .._errors import ConfigurationError, TypedLLMError
from .._messages import AudioPart, ImagePart, Part, TextPart
from .._options import ToolDefinition
from .._wire import Secret
from ._tool import Tool, _check_timeout  # pyright: ignore[reportPrivateUsage]

__all__ = ["MCPApprovalRule", "MCPServer", "MCPTool", "MCPToolError"]

MCPApprovalRule = Union[bool, Collection[str], Callable[[str, Mapping[str, Any]], bool]]
"""Which MCP tool calls wait for a human decision: ``True``/``False`` for all of them, a set of
tool names, or a predicate on ``(tool name, arguments)``."""

_INSTALL = "pip install 'typedllm[mcp]'"


class MCPToolError(TypedLLMError):
    """An MCP tool answered with ``isError: true`` (the loop sends the message to the model as
    an error tool result), or the server could not be reached or used."""


def _sdk() -> Any:
    """The ``mcp`` package, or a :class:`~typedllm.ConfigurationError` naming the extra."""
    try:
        return importlib.import_module("mcp")
    except ImportError:
        raise ConfigurationError(f"MCP tools need the official MCP SDK: {_INSTALL}") from None


def _dumped(model: Any) -> dict[str, Any]:
    """An SDK model as its wire JSON (camelCase keys), the same for mcp 1.x and 2.x, whose
    Python attribute names differ (``inputSchema`` / ``input_schema``)."""
    value: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return value


def result_value(result: Mapping[str, Any]) -> Any:
    """What an MCP ``CallToolResult`` (as wire JSON) gives the loop: a string, a JSON value, or
    a list of text and media parts. Raises :class:`MCPToolError` for ``isError: true``."""
    texts: list[str] = []
    parts: list[Part] = []
    media = False
    for block in result.get("content") or ():
        kind = block.get("type")
        if kind == "text":
            texts.append(str(block.get("text", "")))
            parts.append(TextPart(str(block.get("text", ""))))
        elif kind in ("image", "audio"):
            data = base64.b64decode(block.get("data", ""))
            mime = str(block.get("mimeType") or "application/octet-stream")
            part: Part = (
                ImagePart(data=data, media_type=mime)
                if kind == "image"
                else AudioPart(data=data, media_type=mime)
            )
            parts.append(part)
            media = True
        elif kind == "resource":
            resource: Mapping[str, Any] = block.get("resource") or {}
            if "text" in resource:
                text = str(resource["text"])
            else:
                text = f"[resource {resource.get('uri', '')} ({resource.get('mimeType', '')})]"
            texts.append(text)
            parts.append(TextPart(text))
        elif kind == "resource_link":
            text = f"[resource link {block.get('uri', '')}: {block.get('name', '')}]"
            texts.append(text)
            parts.append(TextPart(text))
    if result.get("isError"):
        raise MCPToolError("\n".join(texts) or "the MCP tool reported an error")
    if media:
        return parts
    if not texts and result.get("structuredContent") is not None:
        return result["structuredContent"]
    return "\n".join(texts)


class MCPTool(Tool[..., Any]):
    """One tool of an MCP server, as a :class:`~typedllm.Tool` (from :meth:`MCPServer.tools`).

    Its arguments are checked against the tool's ``inputSchema`` (with ``jsonschema``, a
    dependency of the SDK) before the call, so invalid ones go back to the model like a local
    tool's; calling it directly (``tool(a=1)``) calls the server and returns the result value.
    """

    __slots__ = ("_server", "_validator", "server_name")

    def __init__(
        self,
        server: MCPServer,
        listed: Mapping[str, Any],
        requires_approval: Any,
        timeout: float | None,
        strict: bool | None,
        name: str,
    ) -> None:
        schema: dict[str, Any] = dict(listed.get("inputSchema") or {"type": "object"})
        schema.pop("title", None)  # the SDK's model name (``addArguments``), not for the model
        schema.setdefault("properties", {})
        self._server = server
        self._validator = _validator_for(schema)
        self.server_name = str(listed["name"])
        """The tool's name on the server (:attr:`name` is the one the model sees)."""
        self.name = name
        self.description = str(listed.get("description") or "")
        self.requires_approval = requires_approval
        self.timeout = timeout
        self.is_async = True
        self.fn = self._call_blocking
        self._model = None
        self._positional = ()
        self._names = tuple(schema["properties"])
        self.definition = ToolDefinition(name, self.description, schema, strict)

    def __repr__(self) -> str:
        return f"MCPTool({self.name!r})"

    def _call_blocking(self, **arguments: Any) -> Any:
        return self._server.call(self.server_name, arguments)

    def validate(self, arguments: str | Mapping[str, Any]) -> dict[str, Any]:
        """The model's arguments (JSON text or a mapping), checked against the ``inputSchema``.
        Raises ``ValueError`` naming every problem when they do not fit."""
        value: Any = orjson.loads(arguments or "{}") if isinstance(arguments, str) else arguments
        if not isinstance(value, Mapping):
            raise ValueError(f"the arguments must be a JSON object, got {type(value).__name__}")
        checked: dict[str, Any] = dict(value)  # pyright: ignore[reportUnknownArgumentType]
        if self._validator is not None:
            problems = [
                f"{'.'.join(str(p) for p in e.absolute_path) or '(arguments)'}: {e.message}"
                for e in self._validator.iter_errors(checked)
            ]
            if problems:
                raise ValueError("; ".join(problems[:10]))
        return checked

    def dump(self, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """The arguments as JSON-able values (they already are: they came as JSON)."""
        return dict(arguments)

    def invoke(self, arguments: Mapping[str, Any]) -> Any:
        """A coroutine calling the tool on the server (any event loop may await it)."""
        return self._server.acall(self.server_name, dict(arguments))


_NAME_LIMIT = 64  # OpenAI's limit on function names (Anthropic's is 128)


def _model_name(name: str) -> str:
    """``name`` as the providers take it: ``^[a-zA-Z0-9_-]{1,64}$`` (OpenAI's function-name
    rule, https://platform.openai.com/docs/api-reference/chat/create; Anthropic's tool names
    follow the same pattern up to 128 characters)."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "_", name)[:_NAME_LIMIT]
    return cleaned or "_"


def _validator_for(schema: Mapping[str, Any]) -> Any:
    try:
        jsonschema: Any = importlib.import_module("jsonschema")
    except ImportError:  # pragma: no cover - the SDK depends on jsonschema
        return None
    cls: Any = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except Exception:
        return None  # a schema the validator cannot read: the server checks the call anyway
    return cls(schema)


def _approval_for(name: str, rule: MCPApprovalRule) -> Any:
    """The :data:`~typedllm.ApprovalRule` of tool ``name`` under the server-wide ``rule``."""
    if isinstance(rule, bool):
        return rule
    if callable(rule):
        predicate = rule

        def needs(arguments: Mapping[str, Any]) -> bool:
            return bool(predicate(name, arguments))

        return needs
    return name in rule


def _check_rule(rule: Any) -> MCPApprovalRule:
    if isinstance(rule, bool) or callable(rule):
        checked: Any = rule
        return cast(MCPApprovalRule, checked)
    if isinstance(rule, str) or not isinstance(rule, Collection):
        raise ConfigurationError(
            "requires_approval takes a bool, a set of tool names or a predicate on "
            f"(name, arguments), got {type(rule).__name__}"
        )
    names: Collection[Any] = rule  # pyright: ignore[reportUnknownVariableType]
    if not all(isinstance(n, str) for n in names):
        raise ConfigurationError("requires_approval: the tool names must be strings")
    return frozenset(str(n) for n in names)


class MCPServer:
    """A connection to an MCP server; its tools go in ``tools=`` like local ones.

    >>> import typedllm as tl
    >>> server = tl.MCPServer.stdio("python", ["my_server.py"])
    >>> server
    MCPServer(stdio: python my_server.py)

    Open it with ``with server:`` (sync) or ``async with server:``, then take its tools with
    :meth:`tools` / :meth:`atools`. Closing it stops the subprocess (stdio) or ends the HTTP
    session; its tools cannot be called after that.
    """

    __slots__ = (
        "_closing",
        "_headers",
        "_kind",
        "_loop",
        "_main",
        "_session",
        "_spawn",
        "_target",
        "_thread",
        "timeout",
    )

    def __init__(
        self,
        kind: str,
        target: str,
        *,
        spawn: Mapping[str, Any] | None = None,
        headers: Mapping[str, Secret] | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._kind = kind
        self._target = target
        self._spawn = dict(spawn or {})
        self._headers = dict(headers or {})
        self.timeout = timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._main: concurrent.futures.Future[None] | None = None
        self._closing: asyncio.Event | None = None
        self._session: Any = None

    @classmethod
    def stdio(
        cls,
        command: str,
        args: Sequence[str] = (),
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
        timeout: float = 30.0,
    ) -> MCPServer:
        """A server run as a subprocess (``command args...``) speaking MCP on stdin/stdout.
        ``timeout`` bounds connecting and each call, in seconds."""
        if not isinstance(command, str) or not command:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("MCPServer.stdio needs a command (the server program)")
        if isinstance(args, str):
            raise ConfigurationError("MCPServer.stdio: args is a list of strings, not a string")
        argv = [str(a) for a in args]
        spawn: dict[str, Any] = {"command": command, "args": argv, "env": env, "cwd": cwd}
        shown = " ".join([command, *argv])
        return cls("stdio", shown, spawn=spawn, timeout=_positive(timeout))

    @classmethod
    def http(
        cls, url: str, *, headers: Mapping[str, str] | None = None, timeout: float = 30.0
    ) -> MCPServer:
        """A server at ``url`` over streamable HTTP. ``headers`` (e.g. ``Authorization``) are
        sent with every request and never shown in a repr."""
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"MCPServer.http needs an http(s) URL, got {url!r}")
        secret = {str(k): Secret(str(v)) for k, v in (headers or {}).items()}
        return cls("http", url, headers=secret, timeout=_positive(timeout))

    def __repr__(self) -> str:
        return f"MCPServer({self._kind}: {self._target})"

    # -- the connection ---------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        """Whether the session is up."""
        return self._session is not None

    def open(self) -> MCPServer:
        """Start the server (stdio) or connect (HTTP) and initialize the session."""
        if self._session is not None:
            return self
        sdk = _sdk()
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="typedllm-mcp", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread
        ready: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._main = asyncio.run_coroutine_threadsafe(self._serve(sdk, ready), loop)
        try:
            self._session = ready.result(self.timeout)
        except BaseException as exc:
            self._stop_thread()
            if isinstance(exc, concurrent.futures.TimeoutError):
                raise MCPToolError(
                    f"{self!r} did not complete the MCP handshake in {self.timeout} s"
                ) from None
            raise MCPToolError(f"cannot connect to {self!r}: {_describe(exc)}") from None
        return self

    def close(self) -> None:
        """End the session (and the subprocess); safe to call twice."""
        loop, main, closing = self._loop, self._main, self._closing
        self._session = None
        if loop is None:
            return
        if closing is not None and main is not None and not main.done():
            loop.call_soon_threadsafe(closing.set)
            with contextlib.suppress(Exception):  # closing: the session is gone either way
                main.result(self.timeout)
        self._stop_thread()

    def _stop_thread(self) -> None:
        loop, thread = self._loop, self._thread
        self._loop = self._thread = self._main = self._closing = None
        if loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(self.timeout)
        if not loop.is_running():
            loop.close()

    def __enter__(self) -> MCPServer:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> MCPServer:
        return await asyncio.to_thread(self.open)

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.close)

    async def _serve(self, sdk: Any, ready: concurrent.futures.Future[Any]) -> None:
        """The background task: open the transport and the session, hold them until
        :meth:`close`, leave them in the same task (anyio requires it)."""
        self._closing = asyncio.Event()
        try:
            async with AsyncExitStack() as stack:
                streams = await stack.enter_async_context(self._transport(sdk))
                session = await stack.enter_async_context(sdk.ClientSession(streams[0], streams[1]))
                await session.initialize()
                ready.set_result(session)
                await self._closing.wait()
        except BaseException as exc:
            if not ready.done():
                ready.set_exception(exc)
                return
            raise

    def _transport(self, sdk: Any) -> Any:
        if self._kind == "stdio":
            spawn = self._spawn
            params = sdk.StdioServerParameters(
                command=spawn["command"],
                args=spawn["args"],
                env=dict(spawn["env"]) if spawn["env"] is not None else None,
                cwd=spawn["cwd"],
            )
            return sdk.stdio_client(params)
        http: Any = importlib.import_module("mcp.client.streamable_http")
        headers = {k: v.get() for k, v in self._headers.items()}
        if hasattr(http, "streamable_http_client"):  # mcp 2.x: headers on an httpx2 client
            client = _http_client(headers)
            return _owning(http.streamable_http_client(self._target, http_client=client), client)
        return http.streamablehttp_client(self._target, headers=headers)  # mcp 1.x

    def _submit(self, coro: Coroutine[Any, Any, Any]) -> concurrent.futures.Future[Any]:
        loop = self._loop
        if self._session is None or loop is None:
            coro.close()
            raise MCPToolError(f"{self!r} is not open: use `with server:` or `async with server:`")
        return asyncio.run_coroutine_threadsafe(coro, loop)

    # -- tools ------------------------------------------------------------------------------

    async def _list(self) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = []
        cursor: Any = None
        session = self._session
        while True:
            if cursor is None:
                page = await session.list_tools()
            else:
                sdk = _sdk()
                try:
                    params = sdk.types.PaginatedRequestParams(cursor=cursor)
                    page = await session.list_tools(params=params)
                except TypeError:  # mcp 1.x before ``params=``
                    page = await session.list_tools(cursor)
            dumped = _dumped(page)
            listed.extend(dumped.get("tools") or [])
            cursor = dumped.get("nextCursor")
            if not cursor:
                return listed

    def _make_tools(
        self,
        listed: list[dict[str, Any]],
        requires_approval: Any,
        timeout: float | None,
        strict: bool | None,
        only: Collection[str] | None,
        prefix: str,
    ) -> list[MCPTool]:
        rule = _check_rule(requires_approval)
        timeout = _check_timeout(timeout)
        if not isinstance(prefix, str):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"prefix must be a string, got {type(prefix).__name__}")
        names = {str(t["name"]) for t in listed}
        if only is not None:
            missing = sorted(set(only) - names)
            if missing:
                raise ConfigurationError(
                    f"{self!r} has no tool {missing[0]!r}; its tools are: {sorted(names)}"
                )
        tools: list[MCPTool] = []
        offered: dict[str, str] = {}
        for t in listed:
            if only is not None and t["name"] not in only:
                continue
            name = _model_name(prefix + str(t["name"]))
            if name in offered:
                raise ConfigurationError(
                    f"{self!r}: tools {offered[name]!r} and {t['name']!r} are both offered as "
                    f"{name!r}; take them in separate calls with only= and a prefix="
                )
            offered[name] = str(t["name"])
            approval = _approval_for(str(t["name"]), rule)
            tools.append(MCPTool(self, t, approval, timeout, strict, name))
        return tools

    def tools(
        self,
        *,
        requires_approval: MCPApprovalRule = False,
        only: Collection[str] | None = None,
        timeout: float | None = None,
        strict: bool | None = None,
        prefix: str = "",
    ) -> list[MCPTool]:
        """The server's tools as :class:`~typedllm.Tool` values for ``tools=``.

        Args:
            requires_approval: which calls pause the loop for a human decision (a bool, a set
                of tool names, or a predicate on ``(name, arguments)``).
            only: offer only these tools (by name).
            timeout: seconds one call may run before the model gets a timeout error.
            strict: the tools' ``strict`` flag (OpenAI strict mode where expressible).
            prefix: put before each name the model sees (``"gh_"``: ``gh_search``), to tell
                apart the tools of several servers. Characters the providers do not take in a
                tool name (outside ``A-Z a-z 0-9 _ -``, as OpenAI and Anthropic require) become
                ``_``, and a name is cut at 64 characters; approval rules and ``only=`` use
                the server's names.
        """
        _check_rule(requires_approval)
        _check_timeout(timeout)
        listed = self._submit(self._list()).result(self.timeout)
        return self._make_tools(listed, requires_approval, timeout, strict, only, prefix)

    async def atools(
        self,
        *,
        requires_approval: MCPApprovalRule = False,
        only: Collection[str] | None = None,
        timeout: float | None = None,
        strict: bool | None = None,
        prefix: str = "",
    ) -> list[MCPTool]:
        """:meth:`tools` for async code (does not block the event loop)."""
        _check_rule(requires_approval)
        _check_timeout(timeout)
        future = self._submit(self._list())
        listed = await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        return self._make_tools(listed, requires_approval, timeout, strict, only, prefix)

    async def _call(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        try:
            result = await self._session.call_tool(name, arguments)
        except Exception as exc:  # a protocol error (unknown tool ...): an error for the model
            raise MCPToolError(f"MCP call of {name!r} failed: {_describe(exc)}") from None
        return _dumped(result)

    def call(self, name: str, arguments: Mapping[str, Any]) -> Any:
        """Call tool ``name`` and return its result value (see the module's rules)."""
        result = self._submit(self._call(name, dict(arguments))).result(self.timeout)
        return result_value(result)

    async def acall(self, name: str, arguments: Mapping[str, Any]) -> Any:
        """:meth:`call` for async code."""
        future = self._submit(self._call(name, dict(arguments)))
        result = await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        return result_value(result)


class _owning:
    """An async context manager that also closes ``client`` (an HTTP client we made)."""

    def __init__(self, inner: Any, client: Any) -> None:
        self._inner, self._client = inner, client

    async def __aenter__(self) -> Any:
        return await self._inner.__aenter__()

    async def __aexit__(self, *exc: Any) -> Any:
        try:
            return await self._inner.__aexit__(*exc)
        finally:
            await self._client.aclose()


def _http_client(headers: dict[str, str]) -> Any:
    """The HTTP client for mcp 2.x's transport, which takes headers only on the client: the
    SDK's own factory (its timeouts: a long read for held-open streams), else a plain one."""
    try:
        utils: Any = importlib.import_module("mcp.shared._httpx_utils")
        return utils.create_mcp_http_client(headers=headers)
    except (ImportError, AttributeError, TypeError):  # the factory is private: it may move
        httpx2: Any = importlib.import_module("httpx2")
        return httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30.0, read=300.0))


def _describe(exc: BaseException) -> str:
    """An exception (or the first leaf of an exception group) as ``Type: message``."""
    leaves: Any = getattr(exc, "exceptions", None)  # BaseExceptionGroup (3.11+, anyio's)
    while leaves:
        exc = leaves[0]
        leaves = getattr(exc, "exceptions", None)
    return f"{type(exc).__name__}: {exc}"


def _positive(timeout: float) -> float:
    bad = isinstance(timeout, bool) or not isinstance(timeout, (int, float))  # pyright: ignore[reportUnnecessaryIsInstance]
    if bad or not timeout > 0:
        raise ConfigurationError(f"an MCP timeout must be a positive number, got {timeout!r}")
    return float(timeout)

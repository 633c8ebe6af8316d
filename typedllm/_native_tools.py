"""Provider-native tools: tools the provider runs on its own servers (frozen values).

A :class:`NativeTool` is switched on for a call with ``tl.CallOptions(native_tools=(...))`` or
a builder's ``.native_tools(...)``. Each wire sends the tools it has in its own shape (see
:mod:`typedllm.codecs._native`); a tool or an option a wire or a model does not have is a
:class:`~typedllm.ConfigurationError` before anything is sent.

============================  ==============  ==================  =====================
tool                          OpenAI          Anthropic           Gemini
                              (Responses)     (Messages)          (generateContent)
============================  ==============  ==================  =====================
:class:`WebSearch`            ``web_search``  ``web_search_*``    ``googleSearch``
:class:`WebFetch`             --              ``web_fetch_*``     --
:class:`CodeExecution`        ``code_``       ``code_execution``  ``codeExecution``
                              ``interpreter``
:class:`FileSearch`           ``file_search`` --                  --
:class:`GoogleSearch`         --              --                  ``googleSearch``
:class:`UrlContext`           --              --                  ``urlContext``
============================  ==============  ==================  =====================

What the tools did comes back typed on ``Completion.native_results`` (see
:mod:`typedllm._native_results`); the provider's blocks stay in the answer message so a
conversation can be continued.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from ._errors import ConfigurationError

__all__ = [
    "CodeExecution",
    "FileSearch",
    "GoogleSearch",
    "NativeTool",
    "UrlContext",
    "UserLocation",
    "WebFetch",
    "WebSearch",
]

ContextSize = Literal["low", "medium", "high"]
"""How much search context OpenAI's web search gathers (``search_context_size``)."""


def _domains(what: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ConfigurationError(f"{what} takes a sequence of domain names, got {value!r}")
    domains = tuple(value)
    if not all(isinstance(d, str) and d for d in domains):
        raise ConfigurationError(f"{what} must hold non-empty strings, got {domains!r}")
    return domains


def _positive(what: str, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ConfigurationError(f"{what} must be a positive int, got {value!r}")


@dataclass(frozen=True, slots=True)
class UserLocation:
    """An approximate user location that localizes web search results.

    ``country`` is a two-letter ISO country code (``"US"``), ``timezone`` an IANA name
    (``"America/Chicago"``).
    """

    city: str | None = None
    region: str | None = None
    country: str | None = None
    timezone: str | None = None

    def __post_init__(self) -> None:
        for name in ("city", "region", "country", "timezone"):
            value: Any = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value):
                raise ConfigurationError(f"UserLocation.{name} must be a non-empty str")

    def as_wire(self) -> dict[str, Any]:
        """The ``{"type": "approximate", ...}`` object both OpenAI and Anthropic take."""
        out: dict[str, Any] = {"type": "approximate"}
        for name in ("city", "region", "country", "timezone"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


@dataclass(frozen=True, slots=True)
class NativeTool:
    """The base of every provider-native tool (a tool the provider runs itself)."""

    kind: ClassVar[str] = "native"
    """A short name of the tool (``web_search``, ``code_execution`` ...), for messages."""


@dataclass(frozen=True, slots=True)
class WebSearch(NativeTool):
    """Search the web; the answer cites what it found.

    Attributes:
        max_uses: at most this many searches per request (Anthropic ``max_uses``).
        allowed_domains: search only these domains (OpenAI ``filters.allowed_domains``,
            Anthropic ``allowed_domains``).
        blocked_domains: never these domains (Anthropic ``blocked_domains``).
        user_location: localize the results.
        context_size: how much context to gather (OpenAI ``search_context_size``).
        external_web_access: ``False`` keeps OpenAI's search to cached content
            (``external_web_access``).

    On Gemini, ``WebSearch()`` without options is Google Search grounding (use
    :class:`GoogleSearch` for its options). An option the wire has no field for is a
    :class:`~typedllm.ConfigurationError`.
    """

    kind: ClassVar[str] = "web_search"
    max_uses: int | None = None
    allowed_domains: tuple[str, ...] = ()
    blocked_domains: tuple[str, ...] = ()
    user_location: UserLocation | None = None
    context_size: ContextSize | None = None
    external_web_access: bool | None = None

    def __post_init__(self) -> None:
        _positive("WebSearch.max_uses", self.max_uses)
        object.__setattr__(
            self, "allowed_domains", _domains("allowed_domains", self.allowed_domains)
        )
        object.__setattr__(
            self, "blocked_domains", _domains("blocked_domains", self.blocked_domains)
        )
        if self.allowed_domains and self.blocked_domains:
            raise ConfigurationError("WebSearch takes allowed_domains or blocked_domains, not both")
        location: Any = self.user_location
        if location is not None and not isinstance(location, UserLocation):
            raise ConfigurationError("user_location takes a tl.UserLocation")
        if self.context_size not in (None, "low", "medium", "high"):
            raise ConfigurationError(
                f"context_size must be 'low', 'medium' or 'high', got {self.context_size!r}"
            )


@dataclass(frozen=True, slots=True)
class WebFetch(NativeTool):
    """Fetch the full text of web pages and PDFs named in the conversation (Anthropic).

    Attributes:
        max_uses: at most this many fetches per request.
        allowed_domains, blocked_domains: fetch only / never from these domains.
        citations: whether the answer cites the fetched documents.
        max_content_tokens: truncate each fetched document to about this many tokens.
    """

    kind: ClassVar[str] = "web_fetch"
    max_uses: int | None = None
    allowed_domains: tuple[str, ...] = ()
    blocked_domains: tuple[str, ...] = ()
    citations: bool | None = None
    max_content_tokens: int | None = None

    def __post_init__(self) -> None:
        _positive("WebFetch.max_uses", self.max_uses)
        _positive("WebFetch.max_content_tokens", self.max_content_tokens)
        object.__setattr__(
            self, "allowed_domains", _domains("allowed_domains", self.allowed_domains)
        )
        object.__setattr__(
            self, "blocked_domains", _domains("blocked_domains", self.blocked_domains)
        )
        if self.allowed_domains and self.blocked_domains:
            raise ConfigurationError("WebFetch takes allowed_domains or blocked_domains, not both")


@dataclass(frozen=True, slots=True)
class CodeExecution(NativeTool):
    """Let the model write and run code in the provider's sandbox.

    Attributes:
        container: an existing OpenAI container id to run in (default: a new one).
        file_ids: uploaded OpenAI files the code can read (a new container only).
        memory_limit: the OpenAI container's memory (``"1g"``, ``"4g"`` ...).

    Anthropic's and Gemini's code execution take no options.
    """

    kind: ClassVar[str] = "code_execution"
    container: str | None = None
    file_ids: tuple[str, ...] = ()
    memory_limit: str | None = None

    def __post_init__(self) -> None:
        container: Any = self.container
        if container is not None and (not isinstance(container, str) or not container):
            raise ConfigurationError("CodeExecution.container must be a container id")
        object.__setattr__(self, "file_ids", _domains("file_ids", self.file_ids))
        if container is not None and (self.file_ids or self.memory_limit):
            raise ConfigurationError(
                "CodeExecution: file_ids and memory_limit configure a new container; "
                "they cannot be combined with container="
            )


@dataclass(frozen=True, slots=True)
class FileSearch(NativeTool):
    """Search your OpenAI vector stores (Responses API).

    Attributes:
        vector_store_ids: the vector stores to search (at least one).
        max_num_results: at most this many results (1 to 50).
    """

    kind: ClassVar[str] = "file_search"
    vector_store_ids: tuple[str, ...] = ()
    max_num_results: int | None = None

    def __post_init__(self) -> None:
        ids = _domains("vector_store_ids", self.vector_store_ids)
        if not ids:
            raise ConfigurationError("FileSearch needs at least one vector store id")
        object.__setattr__(self, "vector_store_ids", ids)
        _positive("FileSearch.max_num_results", self.max_num_results)
        if self.max_num_results is not None and self.max_num_results > 50:
            raise ConfigurationError("FileSearch.max_num_results is at most 50")


@dataclass(frozen=True, slots=True)
class GoogleSearch(NativeTool):
    """Ground Gemini's answer in Google Search results.

    Attributes:
        time_range: only results from this interval: ``(start, end)`` as RFC 3339 timestamps
            (``"2025-01-01T00:00:00Z"``); Gemini ``timeRangeFilter``.
    """

    kind: ClassVar[str] = "google_search"
    time_range: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        span: Any = self.time_range
        if span is not None:
            if isinstance(span, str) or len(tuple(span)) != 2:
                raise ConfigurationError("GoogleSearch.time_range takes (start, end)")
            if not all(isinstance(t, str) and t for t in span):
                raise ConfigurationError("GoogleSearch.time_range holds two RFC 3339 strings")
            object.__setattr__(self, "time_range", tuple(span))


@dataclass(frozen=True, slots=True)
class UrlContext(NativeTool):
    """Let Gemini read the URLs named in the prompt (``urlContext``)."""

    kind: ClassVar[str] = "url_context"


def check_native_tools(value: Any) -> tuple[NativeTool, ...]:
    """``value`` as a tuple of native tools, each kind at most once."""
    if isinstance(value, (NativeTool, str)) or not hasattr(value, "__iter__"):
        raise ConfigurationError(
            "native_tools takes a sequence of native tools, e.g. (tl.WebSearch(),)"
        )
    tools = tuple(value)
    for tool in tools:
        if not isinstance(tool, NativeTool) or type(tool) is NativeTool:
            raise ConfigurationError(
                f"native_tools must hold tl.WebSearch(), tl.CodeExecution() ... values, "
                f"got {tool!r}"
            )
    kinds = [type(t).__name__ for t in tools]
    if len(set(kinds)) != len(kinds):
        raise ConfigurationError(f"each native tool may be given once, got {kinds}")
    return tools

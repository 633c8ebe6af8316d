"""Wire-level values exchanged between pure flows and I/O drivers.

A flow is a generator. It yields *effects* and receives their results:

=================== ======================================================================
effect              what the driver sends back
=================== ======================================================================
:class:`Send`       a :class:`WireResponse` (the whole body), or a :class:`TransportFailure`
:class:`OpenStream` a :class:`ResponseHead` (the body stays open), or a ``TransportFailure``
:class:`ReadChunk`  the next ``bytes`` of the open body, :data:`END` at its end, or a failure
:class:`ReadBody`   the rest of the open body as ``bytes`` (error statuses), or a failure
:class:`CloseStream` ``None``: the open response is closed (without waiting for the server)
:class:`Emit`       ``None``: a stream flow hands ``value`` to the caller
any other effect    what its ``run()`` (sync) or ``arun()`` (async) returns, e.g. :class:`Sleep`
=================== ======================================================================

Drivers (:mod:`typedllm._transport`) are the only code that turns these into real HTTP; new
effects (acquire a rate limit, run a tool) bring their own ``run``/``arun`` and need no driver
change.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable
from urllib.parse import urlsplit

from ._records import positional_maker

__all__ = [
    "END",
    "READ_CHUNK",
    "CloseStream",
    "CustomEffect",
    "Emit",
    "EncodedRequest",
    "OpenStream",
    "ReadBody",
    "ReadChunk",
    "ResponseHead",
    "Secret",
    "Send",
    "Sleep",
    "StreamEnd",
    "TransportFailure",
    "WireRequest",
    "WireResponse",
    "is_sensitive_header",
    "make_response",
    "redact_headers",
]

_SENSITIVE_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api-key",
        "x-goog-api-key",
        "cookie",
        "x-amz-security-token",
    }
)
_SENSITIVE_WORDS = ("key", "token", "secret", "password", "auth", "credential", "signature")


def is_sensitive_header(name: str) -> bool:
    """Whether a header's value is a credential (never shown in reprs or logs)."""
    lower = name.lower()
    return lower in _SENSITIVE_HEADERS or any(w in lower for w in _SENSITIVE_WORDS)


class Secret:
    """A string that never shows itself in ``repr``/``str`` (API keys), nor in a pickle.

    A key read from an environment variable pickles as the variable's *name*: the receiving
    process reads its own environment (workers get their key from their environment, never
    from the pickle). A key given explicitly refuses to be pickled, unless it was marked
    ``shareable`` (then it is written in clear, on purpose).

    >>> Secret("sk-abc")
    Secret('**********')
    """

    __slots__ = ("_env", "_shareable", "_value")

    def __init__(self, value: str, *, env: str | None = None, shareable: bool = False) -> None:
        self._value: str | None = value
        self._env = env
        self._shareable = shareable

    @classmethod
    def from_env(cls, name: str) -> Secret:
        """The secret held by environment variable ``name``, read when first needed (so an
        unpickled client reads the receiving process's environment)."""
        secret = cls("", env=name)
        secret._value = None
        return secret

    @property
    def env(self) -> str | None:
        """The environment variable the value comes from, if it came from one."""
        return self._env

    def get(self) -> str:
        """The secret value itself (only for building request headers)."""
        if self._value is None:
            import os

            value = os.environ.get(self._env or "", "")
            if not value:
                from ._errors import ConfigurationError

                raise ConfigurationError(
                    f"the API key comes from the {self._env} environment variable, which is "
                    "not set in this process (set it where the client is used)"
                )
            self._value = value
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def _identity(self) -> object:
        # An environment secret not read yet is equal to the same variable's.
        return self._value if self._value is not None else ("env", self._env)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._identity() == self._identity()

    def __hash__(self) -> int:
        return hash(("Secret", self._identity()))

    def __reduce__(self) -> tuple[Any, ...]:
        if self._env is not None:
            return (Secret.from_env, (self._env,))
        if self._shareable:
            return (_shareable_secret, (self.get(),))
        from ._errors import SecretPicklingError

        raise SecretPicklingError(
            "this object holds an API key (or credential header) that was given explicitly, "
            "and pickling would write it in clear. To ship a client to other processes, let "
            "it read its key from the environment (set the provider's key variable, e.g. "
            "OPENAI_API_KEY, in the workers, and do not call .api_key()), build the client in "
            "the worker, or opt in with .api_key(key, picklable=True)"
        )


def _shareable_secret(value: str) -> Secret:
    return Secret(value, shareable=True)


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` with credential headers replaced by ``***``."""
    return {k: ("***" if is_sensitive_header(k) else v) for k, v in headers.items()}


@dataclass(frozen=True, slots=True)
class WireRequest:
    """One HTTP request, fully encoded (the body is final bytes)."""

    method: Literal["GET", "POST", "PUT", "DELETE"]
    url: str
    headers: Mapping[str, str] = field(default_factory=dict[str, str])
    body: bytes = b""

    def __repr__(self) -> str:
        return (
            f"WireRequest(method={self.method!r}, url={self.url!r}, "
            f"headers={redact_headers(self.headers)!r}, body=<{len(self.body)} bytes>)"
        )

    @property
    def host(self) -> str:
        """The host (and port) the request goes to."""
        return urlsplit(self.url).netloc.rpartition("@")[2]

    def with_headers(self, headers: Mapping[str, str]) -> WireRequest:
        """A copy with ``headers`` added (replacing same-named ones, case-insensitively)."""
        lower = {k.lower() for k in headers}
        merged = {k: v for k, v in self.headers.items() if k.lower() not in lower}
        merged.update(headers)
        return WireRequest(self.method, self.url, merged, self.body)


@dataclass(frozen=True, slots=True)
class WireResponse:
    """One HTTP response: status, lower-cased headers and the whole body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        """A header value by case-insensitive name."""
        return self.headers.get(name.lower())


make_response: Callable[[int, Mapping[str, str], bytes], WireResponse] = positional_maker(
    WireResponse
)
"""``WireResponse(status, headers, body)``, built fast (the drivers make one per call)."""


@dataclass(frozen=True, slots=True)
class ResponseHead:
    """The status line and headers of a response whose body is still open."""

    status: int
    headers: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class TransportFailure:
    """The driver could not get (or finish reading) a response."""

    kind: Literal["connect", "timeout", "decode", "deadline"]
    """``connect``: no connection (refused, reset, DNS, TLS); ``timeout``: a read, write,
    connect or pool timeout fired; ``decode``: the body could not be decompressed;
    ``deadline``: the call's overall deadline passed while the body was arriving."""
    message: str


@dataclass(frozen=True, slots=True)
class StreamEnd:
    """The open body ended (the server closed it)."""


END = StreamEnd()
"""The one :class:`StreamEnd` value."""


@dataclass(slots=True)
class Send:
    """Perform ``request`` and return the whole response.

    ``timeout`` bounds each network operation; ``budget`` (seconds, when the call has a
    deadline) bounds the whole exchange, so a body that trickles in cannot outlast it."""

    request: WireRequest
    timeout: float | None = None
    budget: float | None = None


@dataclass(slots=True)
class OpenStream:
    """Perform ``request`` and return its head; the body stays open for :class:`ReadChunk`."""

    request: WireRequest
    timeout: float | None = None


@dataclass(frozen=True, slots=True)
class ReadChunk:
    """The next bytes of the open body (within ``budget`` seconds, when the call has a
    deadline)."""

    budget: float | None = None


READ_CHUNK = ReadChunk()
"""The one :class:`ReadChunk` value (flows yield it once per chunk)."""


@dataclass(frozen=True, slots=True)
class ReadBody:
    """The rest of the open body, in one piece."""


@dataclass(frozen=True, slots=True)
class CloseStream:
    """Close the open response now."""


@dataclass(slots=True)
class Emit:
    """Hand ``value`` to the caller of a stream (the flow goes on when the caller asks for
    more)."""

    value: Any


@runtime_checkable
class CustomEffect(Protocol):
    """An effect that knows how to perform itself, in a sync and in an async driver."""

    def run(self) -> Any:
        """Perform the effect in a synchronous driver."""
        ...

    async def arun(self) -> Any:
        """Perform the effect in an asynchronous driver."""
        ...


@dataclass(frozen=True, slots=True)
class Sleep:
    """Wait ``seconds`` (a retry backoff)."""

    seconds: float

    def run(self) -> None:
        """Sleep in the calling thread."""
        time.sleep(self.seconds)

    async def arun(self) -> None:
        """Sleep without blocking the event loop."""
        import asyncio  # imported on first use: `import typedllm` stays cheap

        await asyncio.sleep(self.seconds)


@dataclass(frozen=True, slots=True)
class EncodedRequest:
    """What a wire codec produces: the body and the operation, before a host places it and an
    auth step signs it.

    ``path`` is the wire's default path below the base URL (``/chat/completions``,
    ``/models/{model}:generateContent`` with the model filled in); a host may map
    ``operation`` to a path of its own (Azure deployments, Bedrock ``invoke``).
    """

    operation: str
    path: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict[str, str])
    query: tuple[tuple[str, str], ...] = ()
    method: Literal["GET", "POST", "PUT", "DELETE"] = "POST"

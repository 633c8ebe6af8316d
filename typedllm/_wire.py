"""Wire-level values exchanged between pure codecs/flows and I/O drivers.

A flow yields :class:`WireRequest` (or :class:`Sleep`) and receives :class:`WireResponse` (or
:class:`TransportFailure`); drivers are the only code that turns these into real HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Secret", "Sleep", "TransportFailure", "WireRequest", "WireResponse"]

_SENSITIVE_HEADERS = frozenset({"authorization", "x-api-key", "api-key", "x-goog-api-key"})


class Secret:
    """A string that never shows itself in ``repr``/``str`` (API keys).

    >>> Secret("sk-abc")
    Secret('**********')
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        """The secret value itself (only for building request headers)."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self) -> tuple[type[Secret], tuple[str]]:
        return (Secret, (self._value,))


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` with credential headers replaced by ``***``."""
    return {k: ("***" if k.lower() in _SENSITIVE_HEADERS else v) for k, v in headers.items()}


@dataclass(frozen=True, slots=True)
class WireRequest:
    """One HTTP request, fully encoded (the body is final JSON bytes)."""

    method: Literal["GET", "POST"]
    url: str
    headers: Mapping[str, str] = field(default_factory=dict[str, str])
    body: bytes = b""

    def __repr__(self) -> str:
        return (
            f"WireRequest(method={self.method!r}, url={self.url!r}, "
            f"headers={redact_headers(self.headers)!r}, body=<{len(self.body)} bytes>)"
        )


@dataclass(frozen=True, slots=True)
class WireResponse:
    """One HTTP response: status, lower-cased headers and the whole body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        """A header value by case-insensitive name."""
        return self.headers.get(name.lower())


@dataclass(frozen=True, slots=True)
class TransportFailure:
    """The driver could not get a response (connection error or timeout)."""

    kind: Literal["connect", "timeout"]
    message: str


@dataclass(frozen=True, slots=True)
class Sleep:
    """An instruction from a flow to its driver: wait ``seconds`` before the next request."""

    seconds: float

"""Auth steps: applied to the final request, after the host has placed it.

An auth step is a small flow of its own (like httpx's ``Auth.auth_flow``): it receives the
final :class:`~typedllm._wire.WireRequest` and returns it authenticated, and it may yield
effects on the way, so that signing can hash the final body bytes (AWS SigV4) and a token can
be fetched or refreshed by the same driver that runs the call.

* :class:`HeaderAuth`: a static credential in a header (``Authorization: Bearer <key>``,
  ``x-api-key``, ``x-goog-api-key``, Azure's ``api-key``);
* :class:`TokenAuth`: a bearer token from a provider callable, cached until it expires and
  fetched again through a flow effect (OAuth access tokens, Entra ID, Vertex AI).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass, field
from typing import Any, Union

from .._errors import ConfigurationError
from .._wire import Secret, WireRequest

__all__ = ["Auth", "HeaderAuth", "Token", "TokenAuth", "api_key_header", "bearer"]


class Auth:
    """Base class of auth steps."""

    def auth_flow(self, request: WireRequest) -> Generator[Any, Any, WireRequest]:
        """Authenticate ``request`` (may yield effects; returns the request to send)."""
        return self.apply(request)
        yield  # pragma: no cover - makes this a generator

    def apply(self, request: WireRequest) -> WireRequest:
        """Authenticate ``request`` without effects (static credentials)."""
        return request

    def secrets(self) -> tuple[str, ...]:
        """Credential values this step sends, to scrub from anything a server echoes back."""
        return ()


@dataclass(frozen=True, slots=True, eq=True)
class HeaderAuth(Auth):
    """A static credential sent in ``header`` as ``prefix + key``."""

    header: str
    key: Secret
    prefix: str = ""

    def apply(self, request: WireRequest) -> WireRequest:
        """The request with the credential header set."""
        return request.with_headers({self.header: self.prefix + self.key.get()})

    def secrets(self) -> tuple[str, ...]:
        """The key."""
        return (self.key.get(),)


def bearer(key: Secret | str) -> HeaderAuth:
    """``Authorization: Bearer <key>``."""
    return HeaderAuth("authorization", key if isinstance(key, Secret) else Secret(key), "Bearer ")


def api_key_header(header: str, key: Secret | str) -> HeaderAuth:
    """The key as the value of ``header`` (``x-api-key``, ``x-goog-api-key``, ``api-key``)."""
    return HeaderAuth(header, key if isinstance(key, Secret) else Secret(key))


@dataclass(frozen=True, slots=True)
class Token:
    """An access token and when it expires (a ``time.time()`` timestamp; ``None``: never)."""

    value: Secret
    expires_at: float | None = None


TokenSource = Callable[[], Union[str, Token, Awaitable[Union[str, Token]]]]
"""A callable returning a token (``str`` or :class:`Token`), or an awaitable of one."""


@dataclass(frozen=True, slots=True)
class FetchToken:
    """The effect of calling a token provider: in the caller's thread for sync calls; awaited
    (or run in a worker thread, for a blocking provider) for async calls."""

    source: TokenSource

    def run(self) -> str | Token:
        """Call the provider synchronously."""
        value = self.source()
        if inspect.isawaitable(value):
            if inspect.iscoroutine(value):
                value.close()  # never awaited: close it rather than leak a warning
            raise ConfigurationError(
                "this token provider is async: use the async client (acomplete/astream)"
            )
        return value

    async def arun(self) -> str | Token:
        """Call the provider without blocking the event loop."""
        import asyncio

        if inspect.iscoroutinefunction(self.source):
            value: Any = await self.source()
            return value  # type: ignore[no-any-return]
        value = await asyncio.to_thread(self.source)
        if inspect.isawaitable(value):
            value = await value
        return value  # type: ignore[no-any-return]


@dataclass(eq=False)
class TokenAuth(Auth):
    """``Authorization: Bearer <token>`` with a token from ``source``, fetched on first use and
    again ``refresh_margin`` seconds before it expires."""

    source: TokenSource
    refresh_margin: float = 60.0
    header: str = "authorization"
    prefix: str = "Bearer "
    _token: Token | None = field(default=None, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_token"] = None  # a cached token is never pickled
        return state

    def _fresh(self) -> Token | None:
        token = self._token
        if token is None:
            return None
        if token.expires_at is not None and time.time() >= token.expires_at - self.refresh_margin:
            return None
        return token

    def auth_flow(self, request: WireRequest) -> Generator[Any, Any, WireRequest]:
        """Use the cached token, or fetch one through a :class:`FetchToken` effect."""
        token = self._fresh()
        if token is None:
            fetched = yield FetchToken(self.source)
            if isinstance(fetched, str):
                fetched = Token(Secret(fetched))
            if not isinstance(fetched, Token) or not fetched.value.get():
                raise ConfigurationError("the token provider returned no token")
            self._token = token = fetched
        return request.with_headers({self.header: self.prefix + token.value.get()})

    def secrets(self) -> tuple[str, ...]:
        """The current token, if one was fetched."""
        return (self._token.value.get(),) if self._token is not None else ()

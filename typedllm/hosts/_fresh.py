"""Token providers that return bare strings: ask them again for every request.

:class:`~typedllm.hosts.TokenAuth` keeps a token until its :class:`~typedllm.hosts.Token`
expiry; a bare string has none, so it would be kept forever, and an OAuth or Entra ID access
token expires after about an hour. Providers such as azure-identity's
``get_bearer_token_provider`` return strings and cache the token themselves, expecting to be
called for every request (as the OpenAI SDK does with ``azure_ad_token_provider``).
:func:`fresh_strings` wraps such a provider so that a string counts as already expiring (asked
again next time), while a ``Token`` keeps its own expiry.
"""

from __future__ import annotations

import inspect
import time
from dataclasses import dataclass
from typing import Any

from .._wire import Secret
from ._auth import Token, TokenSource

__all__ = ["FreshStrings", "fresh_strings"]


def _token(value: Any) -> Any:
    if isinstance(value, str):
        # Expired at once: TokenAuth asks the provider again for the next request.
        return Token(Secret(value), expires_at=time.time()) if value else value
    return value


@dataclass(frozen=True, slots=True)
class FreshStrings:
    """``source``, with a string result treated as valid for this request only."""

    source: TokenSource

    def __call__(self) -> Any:
        """Call the provider (an async provider is called only when the result is awaited,
        so a sync call that refuses it leaves no coroutine behind un-awaited)."""
        source = self.source
        # An async function, or an object with an ``async def __call__``.
        if inspect.iscoroutinefunction(source) or inspect.iscoroutinefunction(
            type(source).__call__
        ):
            return _call_async(source)
        value = source()
        if inspect.isawaitable(value):
            return _convert(value)
        return _token(value)


async def _call_async(source: Any) -> Any:
    return _token(await source())


async def _convert(awaitable: Any) -> Any:
    return _token(await awaitable)


def fresh_strings(source: TokenSource) -> FreshStrings:
    """Wrap ``source`` so that a bare string token is asked for again on every request."""
    return FreshStrings(source)

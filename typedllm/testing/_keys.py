"""Whether a request to the fake carries its key, in any header a real provider reads it from."""

from __future__ import annotations

__all__ = ["authorized"]


def authorized(headers: dict[str, str], key: str) -> bool:
    """Whether ``headers`` (lower-cased) carry ``key`` as a bearer token, an ``x-api-key``,
    an ``x-goog-api-key`` or Azure's ``api-key``."""
    return key in (
        headers.get("authorization", "").removeprefix("Bearer "),
        headers.get("x-api-key"),
        headers.get("x-goog-api-key"),
        headers.get("api-key"),  # Azure OpenAI
    )

"""Typed views of decoded JSON (``Any`` in, precise types out) for pure decoders and walkers."""

from __future__ import annotations

from typing import Any, cast

__all__ = ["as_dict", "as_int", "as_list"]


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a JSON array, else an empty list (decoders tolerate odd shapes)."""
    if isinstance(value, list):
        items: list[Any] = value  # pyright: ignore[reportUnknownVariableType]
        return items
    return []


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty dict."""
    return cast(dict[str, Any], value) if isinstance(value, dict) else {}


def as_int(value: Any) -> int:
    """``value`` if it is a JSON integer (not a bool), else 0 (token counts and the like)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0

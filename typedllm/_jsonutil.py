"""Typed views of decoded JSON (``Any`` in, precise types out) for pure decoders and walkers."""

from __future__ import annotations

import re
from typing import Any, cast

import orjson

__all__ = ["NotJSON", "as_dict", "as_int", "as_list", "loads_exact"]

# orjson reads an integer beyond 64 bits as a float (a 30-digit id would silently lose its
# digits) and refuses very long ones; text with such a digit run is read by the standard
# parser, which keeps integers exact up to Python's int-digit limit.
_LONG_NUMBER = re.compile(r"\d{20}")
_LONG_NUMBER_BYTES = re.compile(rb"\d{20}")


class NotJSON(ValueError):
    """The text is not JSON (``reason`` says why, in words for an error message)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def loads_exact(data: bytes | str) -> Any:
    """Parse JSON quickly (orjson), keeping integers of any length exact.

    Raises :class:`NotJSON` for text that is not JSON, nested too deeply, or holding a number
    longer than Python's int-digit limit (``sys.get_int_max_str_digits()``)."""
    pattern = _LONG_NUMBER_BYTES if isinstance(data, bytes) else _LONG_NUMBER
    fast_error: Exception | None = None
    if pattern.search(data) is None:  # type: ignore[arg-type]  # the pattern matches data's type
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            fast_error = exc
    import json

    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise NotJSON(str(fast_error or exc)) from None
    except ValueError as exc:  # a number longer than the int-digit limit
        raise NotJSON(f"it holds a number too long to read ({exc})") from None
    except RecursionError:
        raise NotJSON("it is nested too deeply") from None


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

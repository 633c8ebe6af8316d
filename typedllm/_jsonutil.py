"""Typed views of decoded JSON (``Any`` in, precise types out) for pure decoders and walkers."""

from __future__ import annotations

from typing import Any, cast

import orjson

__all__ = ["NotJSON", "as_dict", "as_int", "as_list", "loads_exact"]

# orjson reads an integer beyond 64 bits as a float (a 30-digit id would silently lose its
# digits) and refuses very long ones; text with such a digit run is read by the standard
# parser, which keeps integers exact up to Python's int-digit limit. The run is found by
# mapping every digit to "0" and everything else to " " (one C pass, several times faster
# than a regular expression) and looking for twenty zeros.
#
# Every tenth byte is mapped first: a run of twenty digits holds two consecutive multiples of
# ten, so it shows there as two digits in a row. That sample clears most texts for a tenth of
# the work; only a text it cannot clear is mapped in full. The searches use ``partition``, not
# ``in``: ``in`` on bytes first tries its operand as an int, and formatting that error costs
# more than the search itself.
_DIGITS_AS_ZEROS = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_LONG_RUN = b"0" * 20
_TWO_DIGITS = b"00"


def _has_long_number(data: bytes | str) -> bool:
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    if not raw[::10].translate(_DIGITS_AS_ZEROS).partition(_TWO_DIGITS)[1]:
        return False
    return bool(raw.translate(_DIGITS_AS_ZEROS).partition(_LONG_RUN)[1])


class NotJSON(ValueError):
    """The text is not JSON (``reason`` says why, in words for an error message)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def loads_exact(data: bytes | str) -> Any:
    """Parse JSON quickly (orjson), keeping integers of any length exact.

    Raises :class:`NotJSON` for text that is not JSON, nested too deeply, or holding a number
    longer than Python's int-digit limit (``sys.get_int_max_str_digits()``)."""
    fast_error: Exception | None = None
    if not _has_long_number(data):
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

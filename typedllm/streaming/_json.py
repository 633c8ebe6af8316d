"""An incremental JSON parser that builds the value as text arrives, in linear time.

``feed(text)`` consumes each character once (no re-parsing of the buffer: peers that re-parse
the whole answer on every delta go quadratic). The value under construction is a live tree of
``dict``/``list`` objects: containers appear as soon as they open, scalars (strings, numbers,
``true``/``false``/``null``) only once complete, so an incomplete field is absent rather than
wrong. ``done`` is true once the top-level value is complete; ``completed_items`` reports the
top-level array items (or the items of the array under one top-level key) as they complete.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["IncrementalJSON", "JSONStreamError"]

_STRING_RUN = re.compile(r'[^"\\]+')
_NUMBER_CHARS = frozenset("0123456789+-.eE")
_LITERALS = {"true": True, "false": False, "null": None}
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_WHITESPACE = frozenset(" \t\r\n")


class JSONStreamError(ValueError):
    """The streamed text is not JSON."""


class _Frame:
    __slots__ = ("container", "key", "state")

    def __init__(self, container: dict[str, Any] | list[Any]) -> None:
        self.container = container
        self.key: str | None = None
        # object: "key" | "colon" | "value" | "comma";  array: "value" | "comma"
        self.state = "key" if isinstance(container, dict) else "value"


class IncrementalJSON:
    """Feed JSON text in pieces; read the value built so far at any time."""

    def __init__(self) -> None:
        self._stack: list[_Frame] = []
        self._root: Any = None
        self._has_root = False
        self.done = False
        self._scalar: list[str] | None = None  # string/number/literal being read
        self._kind = ""  # "string" | "key" | "number" | "literal"
        self._escape = ""  # "" | "\\" | "u...." collected
        self._pending_surrogate: str | None = None
        self.completed_items: list[Any] = []
        """Completed elements of the streamed list (see module docstring), in order."""
        self._item_depth: int | None = None

    @property
    def value(self) -> Any:
        """The value so far (a live view: copy it to keep a snapshot); ``None`` before any."""
        return self._root

    @property
    def started(self) -> bool:
        """Whether the top-level value has begun."""
        return self._has_root

    # -- attaching values ------------------------------------------------------------------------

    def _attach(self, value: Any) -> None:
        if not self._stack:
            if self._has_root:
                raise JSONStreamError("more than one top-level value")
            self._root = value
            self._has_root = True
            if not isinstance(value, (dict, list)):
                self.done = True
            return
        frame = self._stack[-1]
        if isinstance(frame.container, dict):
            assert frame.key is not None
            frame.container[frame.key] = value
        else:
            frame.container.append(value)
        frame.state = "comma"

    def _complete(self, value: Any) -> None:
        """A value finished: note it when it is an item of the streamed list."""
        if self._item_depth is not None and len(self._stack) == self._item_depth:
            self.completed_items.append(value)

    def _open(self, container: dict[str, Any] | list[Any]) -> None:
        self._attach(container)
        self._stack.append(_Frame(container))
        if isinstance(container, list) and self._item_depth is None:
            depth = len(self._stack)
            # The streamed list: a top-level array, or an array directly under the root object.
            if depth == 1 or (depth == 2 and isinstance(self._stack[0].container, dict)):
                self._item_depth = depth

    def _close(self) -> None:
        frame = self._stack.pop()
        if not self._stack:
            self.done = True
        self._complete(frame.container)

    # -- feeding ---------------------------------------------------------------------------------

    def feed(self, text: str) -> None:
        """Consume ``text`` (any piece of the document)."""
        i = 0
        n = len(text)
        while i < n:
            if self._scalar is not None:
                i = self._continue_scalar(text, i)
                continue
            ch = text[i]
            if ch in _WHITESPACE:
                i += 1
                continue
            if self.done:
                raise JSONStreamError(f"unexpected {ch!r} after the end of the value")
            frame = self._stack[-1] if self._stack else None
            state = frame.state if frame is not None else "value"
            if state == "comma":
                assert frame is not None
                if ch == ",":
                    frame.state = "key" if isinstance(frame.container, dict) else "value"
                elif ch == ("}" if isinstance(frame.container, dict) else "]"):
                    self._close()
                else:
                    raise JSONStreamError(f"expected ',' or a closing bracket, got {ch!r}")
                i += 1
            elif state == "key":
                assert frame is not None
                if ch == '"':
                    self._scalar, self._kind = [], "key"
                elif ch == "}" and not frame.container:
                    self._close()
                else:
                    raise JSONStreamError(f"expected a key, got {ch!r}")
                i += 1
            elif state == "colon":
                if ch != ":":
                    raise JSONStreamError(f"expected ':', got {ch!r}")
                assert frame is not None
                frame.state = "value"
                i += 1
            else:
                i = self._start_value(text, i, frame)
        return None

    def _start_value(self, text: str, i: int, frame: _Frame | None) -> int:
        ch = text[i]
        if ch == "{":
            self._open({})
        elif ch == "[":
            self._open([])
        elif ch == '"':
            self._scalar, self._kind = [], "string"
        elif ch in _NUMBER_CHARS:
            self._scalar, self._kind = [ch], "number"
        elif ch in "tfn":
            self._scalar, self._kind = [ch], "literal"
        elif (
            ch == "]"
            and frame is not None
            and isinstance(frame.container, list)
            and not frame.container
        ):
            self._close()
        else:
            raise JSONStreamError(f"unexpected {ch!r} where a value should start")
        return i + 1

    def _continue_scalar(self, text: str, i: int) -> int:
        assert self._scalar is not None
        if self._kind in ("string", "key"):
            return self._continue_string(text, i)
        if self._kind == "number":
            start = i
            while i < len(text) and text[i] in _NUMBER_CHARS:
                i += 1
            self._scalar.append(text[start:i])
            if i < len(text):  # a delimiter ends the number
                self._finish_number()
            return i
        # literal
        word = "".join(self._scalar)
        while i < len(text) and len(word) < 5 and text[i].isalpha():
            word += text[i]
            i += 1
        self._scalar = [word]
        if word in _LITERALS:
            self._scalar = None
            value = _LITERALS[word]
            self._attach(value)
            self._complete(value)
        elif len(word) >= 5 or (i < len(text) and not text[i].isalpha()):
            raise JSONStreamError(f"invalid literal {word!r}")
        return i

    def _finish_number(self) -> None:
        assert self._scalar is not None
        raw = "".join(self._scalar)
        self._scalar = None
        try:
            value: Any = int(raw) if raw.lstrip("-").isdigit() else float(raw)
        except ValueError as exc:
            raise JSONStreamError(f"invalid number {raw!r}") from exc
        self._attach(value)
        self._complete(value)

    def _continue_string(self, text: str, i: int) -> int:
        assert self._scalar is not None
        n = len(text)
        while i < n:
            if self._escape:
                i = self._continue_escape(text, i)
                continue
            match = _STRING_RUN.match(text, i)
            if match:
                self._scalar.append(match.group())
                i = match.end()
                continue
            ch = text[i]
            i += 1
            if ch == "\\":
                self._escape = "\\"
            else:  # closing quote
                value = "".join(self._scalar)
                self._scalar = None
                if self._kind == "key":
                    frame = self._stack[-1]
                    frame.key = value
                    frame.state = "colon"
                else:
                    self._attach(value)
                    self._complete(value)
                return i
        return i

    def _continue_escape(self, text: str, i: int) -> int:
        assert self._scalar is not None
        if self._escape == "\\":
            ch = text[i]
            if ch == "u":
                self._escape = "u"
            elif ch in _ESCAPES:
                self._scalar.append(_ESCAPES[ch])
                self._escape = ""
            else:
                raise JSONStreamError(f"invalid escape \\{ch}")
            return i + 1
        need = 5 - len(self._escape)  # "u" + 4 hex digits
        self._escape += text[i : i + need]
        i += min(need, len(text) - i)
        if len(self._escape) == 5:
            code = int(self._escape[1:], 16)
            self._escape = ""
            char = chr(code)
            if 0xD800 <= code < 0xDC00:
                self._pending_surrogate = char
            elif 0xDC00 <= code < 0xE000 and self._pending_surrogate is not None:
                pair = self._pending_surrogate + char
                self._scalar.append(pair.encode("utf-16", "surrogatepass").decode("utf-16"))
                self._pending_surrogate = None
            else:
                self._scalar.append(char)
        return i

    def close(self) -> Any:
        """End of input: finish a trailing number and return the complete value."""
        if self._scalar is not None and self._kind == "number":
            self._finish_number()
        if not self.done:
            raise JSONStreamError("the JSON value is incomplete")
        return self._root

"""Incremental decoders for streamed bodies: Server-Sent Events and NDJSON (pure).

``decode(chunk)`` takes bytes as they arrive, at any boundary, and returns the events completed
so far; ``flush()`` returns what the end of the stream completes. Following the SSE spec: lines
end in CRLF, LF or CR (a CR at the end of one chunk and an LF at the start of the next are one
line end); lines starting with ``:`` are comments; ``data:`` lines accumulate, joined by ``\\n``;
one leading space after the colon is dropped; a blank line dispatches the event (an event with
no data is not dispatched); a leading BOM is ignored.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from typing import Any

from .._jsonutil import loads_exact

__all__ = ["NDJSONDecoder", "SSEDecoder", "SSEEvent"]

_EOL = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class SSEEvent:
    """One dispatched event."""

    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None


class _LineSplitter:
    """Bytes in, complete text lines out (CR, LF and CRLF line ends; UTF-8 across chunks).

    Only the new text of each chunk is scanned, and an unfinished line is kept in a
    :class:`io.StringIO` (amortised constant time per append), so a single long line fed in
    tiny chunks costs time linear in its length.
    """

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = io.StringIO()
        self._has_pending = False
        self._pending_cr = False

    def _take(self, tail: str) -> str:
        if not self._has_pending:
            return tail
        self._pending.write(tail)
        line = self._pending.getvalue()
        self._pending = io.StringIO()
        self._has_pending = False
        return line

    def feed(self, chunk: bytes, *, final: bool = False) -> list[str]:
        text = self._decoder.decode(chunk, final=final)
        if self._pending_cr and text.startswith("\n"):
            text = text[1:]  # the LF of a CRLF split across chunks
        self._pending_cr = False
        lines: list[str] = []
        start = 0
        for match in _EOL.finditer(text):
            lines.append(self._take(text[start : match.start()]))
            start = match.end()
        if lines and text.endswith("\r") and start == len(text):
            self._pending_cr = True  # a CR at the end may be the first half of a CRLF
        if start < len(text):
            self._pending.write(text[start:])
            self._has_pending = True
        if final and self._has_pending:
            lines.append(self._take(""))
        return lines


class SSEDecoder:
    """Incremental Server-Sent Events decoder."""

    def __init__(self) -> None:
        self._lines = _LineSplitter()
        self._data: list[str] = []
        self._event = ""
        self._id: str | None = None
        self._retry: int | None = None
        self._started = False

    def decode(self, chunk: bytes) -> list[SSEEvent]:
        """Events completed by ``chunk``."""
        return self._process(self._lines.feed(chunk))

    def flush(self) -> list[SSEEvent]:
        """Events completed by the end of the stream (a final event without a blank line)."""
        events = self._process(self._lines.feed(b"", final=True))
        events += self._process([""])
        return events

    def _process(self, lines: list[str]) -> list[SSEEvent]:
        events: list[SSEEvent] = []
        for line in lines:
            if not self._started:
                self._started = True
                line = line.removeprefix("\ufeff")
            if not line:
                if self._data:
                    events.append(
                        SSEEvent(
                            "\n".join(self._data), self._event or "message", self._id, self._retry
                        )
                    )
                self._data = []
                self._event = ""
                continue
            if line.startswith(":"):
                continue
            if line.startswith("data:"):  # the hot path: one slice, not partition + strip
                self._data.append(line[6:] if line.startswith("data: ") else line[5:])
                continue
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "data":
                self._data.append(value)
            elif name == "event":
                self._event = value
            elif name == "id":
                self._id = value
            elif name == "retry" and value.isdigit():
                self._retry = int(value)
        return events


class NDJSONDecoder:
    """Incremental newline-delimited JSON decoder (Ollama native streaming)."""

    def __init__(self) -> None:
        self._lines = _LineSplitter()

    def decode(self, chunk: bytes) -> list[Any]:
        """JSON values completed by ``chunk`` (blank lines skipped)."""
        return [loads_exact(line) for line in self._lines.feed(chunk) if line.strip()]

    def flush(self) -> list[Any]:
        """A final value without a trailing newline."""
        return [loads_exact(line) for line in self._lines.feed(b"", final=True) if line.strip()]

"""The AWS event-stream binary framing (``application/vnd.amazon.eventstream``), pure.

Bedrock's ``InvokeModelWithResponseStream`` answers with a sequence of messages
(https://docs.aws.amazon.com/transcribe/latest/dg/streaming-setting-up.html#streaming-event-stream
describes the same framing), each:

=========================  ==============================================================
prelude (12 bytes)         total length (uint32, big-endian), headers length (uint32), and
                           the CRC32 of those 8 bytes (uint32)
headers                    repeated: name length (uint8), name (UTF-8), value type (uint8),
                           value (by type: bool true/false have none; byte, short, int, long;
                           bytes and string with a uint16 length; timestamp ms int64; UUID)
payload                    total length - headers length - 16 bytes
message CRC (4 bytes)      the CRC32 of everything before it
=========================  ==============================================================

:class:`EventStreamDecoder` takes bytes at any boundary and returns the complete messages; a
CRC that does not match or lengths that cannot be is an :class:`EventStreamError`.
:func:`encode_message` is the inverse (the fake provider and tests use it).
"""

from __future__ import annotations

import struct
import uuid
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["EventStreamDecoder", "EventStreamError", "EventStreamMessage", "encode_message"]

HeaderValue = bool | int | bytes | str | uuid.UUID

_PRELUDE = 12
_MIN_MESSAGE = 16  # prelude + message CRC, no headers, no payload
_MAX_MESSAGE = 16 * 1024 * 1024  # the framing's documented limit


class EventStreamError(ValueError):
    """The bytes are not a valid event-stream message (a CRC mismatch, impossible lengths,
    an unknown header type, or a body that ends inside a message)."""


@dataclass(frozen=True, slots=True)
class EventStreamMessage:
    """One decoded message: its headers (``:message-type``, ``:event-type``...) and payload."""

    headers: Mapping[str, HeaderValue] = field(default_factory=dict[str, HeaderValue])
    payload: bytes = b""

    def header(self, name: str) -> str | None:
        """A string header's value (``None`` when absent or not a string)."""
        value = self.headers.get(name)
        return value if isinstance(value, str) else None


def _crc(data: bytes | memoryview, start: int = 0) -> int:
    return zlib.crc32(data, start) & 0xFFFFFFFF


_FIXED: dict[int, tuple[str, int]] = {2: (">b", 1), 3: (">h", 2), 4: (">i", 4), 5: (">q", 8)}


def _headers(data: bytes) -> dict[str, HeaderValue]:
    headers: dict[str, HeaderValue] = {}
    pos, end = 0, len(data)
    try:
        while pos < end:
            name_len = data[pos]
            name = data[pos + 1 : pos + 1 + name_len].decode("utf-8")
            pos += 1 + name_len
            kind = data[pos]
            pos += 1
            value: HeaderValue
            if kind in (0, 1):
                value = kind == 0
            elif kind in _FIXED:
                fmt, size = _FIXED[kind]
                (value,) = struct.unpack_from(fmt, data, pos)
                pos += size
            elif kind in (6, 7):
                (length,) = struct.unpack_from(">H", data, pos)
                raw = data[pos + 2 : pos + 2 + length]
                if len(raw) != length:
                    raise EventStreamError("a header value runs past the headers")
                value = raw.decode("utf-8") if kind == 7 else bytes(raw)
                pos += 2 + length
            elif kind == 8:
                (value,) = struct.unpack_from(">q", data, pos)
                pos += 8
            elif kind == 9:
                value = uuid.UUID(bytes=bytes(data[pos : pos + 16]))
                pos += 16
            else:
                raise EventStreamError(f"unknown header value type {kind}")
            headers[name] = value
    except (IndexError, struct.error, UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, EventStreamError):
            raise
        raise EventStreamError(f"malformed headers ({exc})") from None
    if pos != end:
        raise EventStreamError("the headers run past their length")
    return headers


class EventStreamDecoder:
    """Bytes in (at any boundary), complete :class:`EventStreamMessage`\\ s out."""

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer = bytearray()

    def decode(self, chunk: bytes) -> list[EventStreamMessage]:
        """The messages ``chunk`` completes."""
        self._buffer += chunk
        messages: list[EventStreamMessage] = []
        while len(self._buffer) >= _PRELUDE:
            total, headers_len, prelude_crc = struct.unpack_from(">III", self._buffer, 0)
            if _crc(memoryview(self._buffer)[:8]) != prelude_crc:
                raise EventStreamError("the prelude CRC does not match")
            if total < _MIN_MESSAGE or total > _MAX_MESSAGE or headers_len > total - _MIN_MESSAGE:
                raise EventStreamError(
                    f"impossible lengths (message {total} bytes, headers {headers_len} bytes)"
                )
            if len(self._buffer) < total:
                break
            message = bytes(self._buffer[:total])
            del self._buffer[:total]
            (message_crc,) = struct.unpack_from(">I", message, total - 4)
            if _crc(message[:-4]) != message_crc:
                raise EventStreamError("the message CRC does not match")
            headers = _headers(message[_PRELUDE : _PRELUDE + headers_len])
            messages.append(EventStreamMessage(headers, message[_PRELUDE + headers_len : -4]))
        return messages

    def flush(self) -> list[EventStreamMessage]:
        """The end of the body: an unfinished message is an error."""
        if self._buffer:
            left = len(self._buffer)
            self._buffer.clear()
            raise EventStreamError(f"the stream ended inside a message ({left} bytes left)")
        return []


def _encode_header(name: str, value: HeaderValue) -> bytes:
    raw_name = name.encode("utf-8")
    head = struct.pack(">B", len(raw_name)) + raw_name
    if isinstance(value, bool):
        return head + struct.pack(">B", 0 if value else 1)
    if isinstance(value, int):
        return head + struct.pack(">Bi", 4, value)
    if isinstance(value, uuid.UUID):
        return head + struct.pack(">B", 9) + value.bytes
    data, kind = (value, 6) if isinstance(value, bytes) else (value.encode("utf-8"), 7)
    return head + struct.pack(">BH", kind, len(data)) + data


def encode_message(headers: Mapping[str, HeaderValue], payload: bytes) -> bytes:
    """One event-stream message (the inverse of :class:`EventStreamDecoder`)."""
    block = b"".join(_encode_header(k, v) for k, v in headers.items())
    total = _PRELUDE + len(block) + len(payload) + 4
    prelude = struct.pack(">II", total, len(block))
    prelude += struct.pack(">I", _crc(prelude))
    body = prelude + block + payload
    return body + struct.pack(">I", _crc(body))

"""Streaming building blocks (pure): SSE, NDJSON and AWS event-stream decoders, and an
incremental JSON parser."""

from __future__ import annotations

from ._eventstream import EventStreamDecoder, EventStreamError, EventStreamMessage
from ._json import IncrementalJSON, JSONStreamError
from ._sse import NDJSONDecoder, SSEDecoder, SSEEvent

__all__ = [
    "EventStreamDecoder",
    "EventStreamError",
    "EventStreamMessage",
    "IncrementalJSON",
    "JSONStreamError",
    "NDJSONDecoder",
    "SSEDecoder",
    "SSEEvent",
]

"""Streaming building blocks (pure): SSE/NDJSON decoders and an incremental JSON parser."""

from __future__ import annotations

from ._json import IncrementalJSON, JSONStreamError
from ._sse import NDJSONDecoder, SSEDecoder, SSEEvent

__all__ = ["IncrementalJSON", "JSONStreamError", "NDJSONDecoder", "SSEDecoder", "SSEEvent"]

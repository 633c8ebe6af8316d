"""Pure wire codecs, one module per protocol: encode requests, decode responses and errors."""

from __future__ import annotations

from ._base import ChatRequest, DecodedCompletion, OutputSpec

__all__ = ["ChatRequest", "DecodedCompletion", "OutputSpec"]

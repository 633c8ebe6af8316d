"""Anthropic Messages on Vertex AI: ``:rawPredict`` and ``:streamRawPredict`` (pure: no I/O).

The Messages wire itself (:mod:`typedllm.codecs.anthropic`, in its Vertex body variant:
``anthropic_version: vertex-2023-10-16``, no ``model``), under a name of its own so that what
only the Anthropic API has (the Message Batches API) is not offered on Vertex AI. Errors come in
Anthropic's shape or in Google's (``{"error": {"code", "message", "status"}}``); both are
understood by the Messages error decoder.
"""

from __future__ import annotations

from . import anthropic
from ._base import FunctionCodec

__all__ = ["CODEC"]

CODEC = FunctionCodec(
    "anthropic-vertex",
    anthropic.output_spec,
    anthropic.encode,
    anthropic.decode,
    anthropic.decode_error,
    anthropic.new_stream,
)

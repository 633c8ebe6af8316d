"""Pure wire codecs, one module per protocol, and what a new wire needs to plug in.

A codec turns a provider-neutral :class:`ChatRequest` into an encoded request (the host places
it, the auth step signs it), decodes answers into :class:`DecodedCompletion` values or typed
errors, and makes a fresh :class:`StreamDecoder` for every streamed attempt. The built-in wires
are :mod:`~typedllm.codecs.openai_chat`, :mod:`~typedllm.codecs.anthropic`,
:mod:`~typedllm.codecs.gemini` and :mod:`~typedllm.codecs.ollama` (plus the stream decoder of
:mod:`~typedllm.codecs.openai_responses`); a new one is a
:class:`FunctionCodec` given to :func:`register_codec`.
"""

from ._base import (
    ChatRequest,
    Codec,
    DecodedCompletion,
    Delta,
    FunctionCodec,
    OutputSpec,
    StreamDecoder,
)
from ._registry import codec_names, get_codec, register_codec
from ._stream import NDJSONStream, SSEStream, StreamState

__all__ = [
    "ChatRequest",
    "Codec",
    "DecodedCompletion",
    "Delta",
    "FunctionCodec",
    "NDJSONStream",
    "OutputSpec",
    "SSEStream",
    "StreamDecoder",
    "StreamState",
    "codec_names",
    "get_codec",
    "register_codec",
]

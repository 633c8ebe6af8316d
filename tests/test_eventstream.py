"""The AWS event-stream framing decoder and the Bedrock stream session on top of it."""

from __future__ import annotations

import json
import struct
import uuid
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from typedllm import (
    APIStatusError,
    BadRequestError,
    InternalServerError,
    ProtocolError,
    RateLimitError,
)
from typedllm.codecs.anthropic_bedrock import new_stream
from typedllm.streaming import EventStreamDecoder, EventStreamError
from typedllm.streaming._eventstream import encode_message
from typedllm.testing._bedrock_wire import chunk_message, exception_message


def _message(payload: bytes = b'{"x": 1}') -> bytes:
    return encode_message({":message-type": "event", ":event-type": "chunk"}, payload)


def test_prelude_layout_and_crcs() -> None:
    raw = _message(b"hello")
    total, headers_len, prelude_crc = struct.unpack(">III", raw[:12])
    assert total == len(raw)
    assert prelude_crc == zlib.crc32(raw[:8])
    assert struct.unpack(">I", raw[-4:])[0] == zlib.crc32(raw[:-4])
    assert raw[12 + headers_len : -4] == b"hello"


def test_every_header_type_round_trips() -> None:
    value_id = uuid.UUID("12345678-1234-5678-1234-567812345678")
    raw = encode_message(
        {"t": True, "f": False, "i": -7, "b": b"\x00\x01", "s": "text", "u": value_id}, b""
    )
    (message,) = EventStreamDecoder().decode(raw)
    assert dict(message.headers) == {
        "t": True,
        "f": False,
        "i": -7,
        "b": b"\x00\x01",
        "s": "text",
        "u": value_id,
    }
    assert message.payload == b""
    # byte, short, long and timestamp values (types 2, 3, 5, 8), written by hand
    block = (b"\x01a\x02\xff" + b"\x01b\x03\x01\x00" + b"\x01c\x05" + struct.pack(">q", 2**40)) + (
        b"\x01d\x08" + struct.pack(">q", 1_700_000_000_000)
    )
    prelude = struct.pack(">II", 16 + len(block), len(block))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + block
    (manual,) = EventStreamDecoder().decode(body + struct.pack(">I", zlib.crc32(body)))
    assert dict(manual.headers) == {"a": -1, "b": 256, "c": 2**40, "d": 1_700_000_000_000}


@settings(max_examples=60, deadline=None)
@given(
    payloads=st.lists(st.binary(max_size=300), min_size=1, max_size=5),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=12),
)
def test_any_chunking_gives_the_same_messages(payloads: list[bytes], cuts: list[int]) -> None:
    raw = b"".join(_message(p) for p in payloads)
    points = sorted({c % (len(raw) + 1) for c in cuts})
    pieces = [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]
    decoder = EventStreamDecoder()
    got = [m.payload for piece in pieces for m in decoder.decode(piece)]
    got += [m.payload for m in decoder.flush()]
    assert got == payloads


def test_message_crc_mismatch() -> None:
    raw = bytearray(_message(b"payload"))
    raw[-6] ^= 0xFF  # a payload byte
    with pytest.raises(EventStreamError, match="message CRC"):
        EventStreamDecoder().decode(bytes(raw))


def test_prelude_crc_mismatch() -> None:
    raw = bytearray(_message())
    raw[2] ^= 0x01  # the total length
    with pytest.raises(EventStreamError, match="prelude CRC"):
        EventStreamDecoder().decode(bytes(raw))


def test_impossible_lengths_and_truncation() -> None:
    prelude = struct.pack(">II", 8, 0)
    with pytest.raises(EventStreamError, match="impossible lengths"):
        EventStreamDecoder().decode(prelude + struct.pack(">I", zlib.crc32(prelude)))
    decoder = EventStreamDecoder()
    assert decoder.decode(_message()[:-3]) == []
    with pytest.raises(EventStreamError, match="ended inside a message"):
        decoder.flush()


def _events() -> list[dict[str, object]]:
    return [
        {
            "type": "message_start",
            "message": {
                "id": "msg_1",
                "model": "claude-x",
                "usage": {"input_tokens": 5, "output_tokens": 1},
            },
        },
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hel"}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "lo"}},
        {"type": "content_block_stop", "index": 0},
        {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn"},
            "usage": {"output_tokens": 2},
        },
        {
            "type": "message_stop",
            "amazon-bedrock-invocationMetrics": {"inputTokenCount": 5, "outputTokenCount": 2},
        },
    ]


@pytest.mark.parametrize("size", [1, 7, 64, 10_000])
def test_session_feeds_the_messages_decoder(size: int) -> None:
    raw = b"".join(chunk_message(e) for e in _events())
    session = new_stream("anthropic")
    deltas = []
    for i in range(0, len(raw), size):
        deltas += session.feed(raw[i : i + size])
    deltas += session.flush()
    assert [d for d in deltas if d[0] == "text"] == [("text", "Hel"), ("text", "lo")]
    assert session.done
    result = session.result("req-1")
    assert result.finish_reason == "stop"
    assert result.usage.output_tokens == 2
    assert result.usage.input_tokens == 5
    assert result.request_id == "req-1"


@pytest.mark.parametrize(
    ("kind", "error", "status"),
    [
        ("throttlingException", RateLimitError, 429),
        ("validationException", BadRequestError, 400),
        ("internalServerException", InternalServerError, 500),
        ("modelStreamErrorException", APIStatusError, 424),
    ],
)
def test_exception_messages_are_typed_errors(
    kind: str, error: type[APIStatusError], status: int
) -> None:
    session = new_stream("anthropic")
    session.feed(chunk_message(_events()[0]))
    with pytest.raises(error) as info:
        session.feed(exception_message(kind, "it went wrong"))
    assert info.value.status_code == status
    assert info.value.code == kind
    assert "it went wrong" in str(info.value)


def test_generic_error_messages_are_typed_errors() -> None:
    raw = encode_message(
        {":message-type": "error", ":error-code": "ThrottlingException", ":error-message": "slow"},
        b"",
    )
    with pytest.raises(RateLimitError, match="slow"):
        new_stream("anthropic").feed(raw)


def test_broken_frames_are_protocol_errors() -> None:
    raw = bytearray(chunk_message(_events()[0]))
    raw[-1] ^= 0x01
    with pytest.raises(ProtocolError, match="broken event stream"):
        new_stream("anthropic").feed(bytes(raw))
    session = new_stream("anthropic")
    session.feed(chunk_message(_events()[0])[:20])
    with pytest.raises(ProtocolError, match="ended inside a message"):
        session.flush()


def test_chunks_without_base64_bytes_are_protocol_errors() -> None:
    headers = {":message-type": "event", ":event-type": "chunk"}
    with pytest.raises(ProtocolError, match="without `bytes`"):
        new_stream("anthropic").feed(encode_message(headers, json.dumps({"x": 1}).encode()))
    with pytest.raises(ProtocolError, match="not base64"):
        new_stream("anthropic").feed(encode_message(headers, b'{"bytes": "!!not base64!!"}'))


def test_other_event_types_are_skipped() -> None:
    session = new_stream("anthropic")
    other = encode_message({":message-type": "event", ":event-type": "metrics"}, b"{}")
    assert session.feed(other) == []
    assert session.events == 1

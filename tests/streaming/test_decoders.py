"""SSE/NDJSON decoders and the incremental JSON parser: any chunking gives the same result."""

from __future__ import annotations

import json
from typing import Any

import pytest
from _corpus_streams import RECORDED_STREAMS
from hypothesis import given, settings
from hypothesis import strategies as st

from typedllm.streaming import IncrementalJSON, JSONStreamError, NDJSONDecoder, SSEDecoder, SSEEvent


def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces, last = [], 0
    for p in points:
        pieces.append(data[last:p])
        last = p
    pieces.append(data[last:])
    return pieces


def _sse(pieces: list[bytes]) -> list[SSEEvent]:
    decoder = SSEDecoder()
    events: list[SSEEvent] = []
    for piece in pieces:
        events += decoder.decode(piece)
    return events + decoder.flush()


def test_sse_basics() -> None:
    raw = (
        b"\xef\xbb\xbf: comment\r\n"
        b'event: delta\r\ndata: {"a": 1}\r\nid: 7\r\n\r\n'
        b"data: line one\ndata:line two\n\n"
        b"data: cr only\r\r"
        b"event: empty\n\n"
        b"data: no trailing blank line"
    )
    events = _sse([raw])
    assert events == [
        SSEEvent('{"a": 1}', "delta", "7"),
        SSEEvent("line one\nline two", "message", "7"),
        SSEEvent("cr only", "message", "7"),
        SSEEvent("no trailing blank line", "message", "7"),
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=12),
    st.sampled_from(sorted(RECORDED_STREAMS)),
)
def test_property_any_chunking_of_a_recorded_stream_gives_the_same_events(
    cuts: list[int], case: str
) -> None:
    data = RECORDED_STREAMS[case]
    assert _sse(_split(data, cuts)) == _sse([data])


@given(
    st.lists(st.integers(min_value=0, max_value=400), max_size=10),
    st.sampled_from([b"\n", b"\r\n", b"\r"]),
)
def test_property_line_endings_and_splits(cuts: list[int], eol: bytes) -> None:
    data = eol.join(
        [b"data: x\xc3\xa9", b"data: y", b"", b": c", b"event: e", b"data: z", b"", b""]
    )
    expected = [SSEEvent("x\u00e9\ny"), SSEEvent("z", "e")]
    assert _sse(_split(data, cuts)) == expected


@given(st.lists(st.integers(min_value=0, max_value=200), max_size=8))
def test_property_ndjson_any_chunking(cuts: list[int]) -> None:
    data = b'{"a": 1}\n\n{"b": "\xc3\xa9"}\r\n[1, 2]'
    decoder = NDJSONDecoder()
    out: list[Any] = []
    for piece in _split(data, cuts):
        out += decoder.decode(piece)
    out += decoder.flush()
    assert out == [{"a": 1}, {"b": "\u00e9"}, [1, 2]]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(
    json_values,
    st.lists(st.integers(min_value=0, max_value=5000), max_size=20),
    st.booleans(),
    st.booleans(),
)
def test_property_incremental_json_matches_json_loads(
    value: Any, cuts: list[int], ascii_only: bool, spaced: bool
) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only, indent=1 if spaced else None)
    parser = IncrementalJSON()
    points = sorted({c % (len(text) + 1) for c in cuts})
    last = 0
    for p in [*points, len(text)]:
        parser.feed(text[last:p])
        last = p
    assert parser.close() == json.loads(text)


def test_partial_values_show_only_complete_scalars() -> None:
    parser = IncrementalJSON()
    parser.feed('{"name": "Ad')
    assert parser.value == {}
    parser.feed('a", "age": 3')
    assert parser.value == {"name": "Ada"}
    parser.feed('6, "tags": ["x", "y')
    assert parser.value == {"name": "Ada", "age": 36, "tags": ["x"]}
    parser.feed('"]}')
    assert parser.done and parser.value == {"name": "Ada", "age": 36, "tags": ["x", "y"]}


def test_completed_items_of_a_streamed_list() -> None:
    parser = IncrementalJSON()
    parser.feed('{"result": [{"n": 1}, {"n"')
    assert parser.completed_items == [{"n": 1}]
    parser.feed(": 2}]}")
    assert parser.completed_items == [{"n": 1}, {"n": 2}]


@pytest.mark.parametrize("bad", ['{"a" 1}', "[1 2]", "tru", '{"a": 1}}', "-", '"\\x"'])
def test_invalid_json_is_an_error(bad: str) -> None:
    parser = IncrementalJSON()
    with pytest.raises(JSONStreamError):
        parser.feed(bad)
        parser.close()


@given(
    st.text(max_size=30),
    st.text(max_size=30),
    st.lists(st.integers(min_value=0, max_value=200), max_size=8),
    st.booleans(),
)
def test_property_think_splitter_any_chunking(
    thought: str, answer: str, cuts: list[int], tagged: bool
) -> None:
    from typedllm.codecs._think import StreamThinkSplitter

    thought = thought.replace("</think>", "")
    answer = answer.lstrip()
    text = f"<think>{thought}</think>\n{answer}" if tagged else answer
    if not tagged and answer.startswith("<think>"):
        return  # an answer that itself starts with the tag is reasoning by design
    splitter = StreamThinkSplitter()
    got_answer, got_thought = [], []
    points = sorted({c % (len(text) + 1) for c in cuts})
    last = 0
    for p in [*points, len(text)]:
        a, t = splitter.feed(text[last:p])
        got_answer.append(a)
        got_thought.append(t)
        last = p
    tail, rest = splitter.flush()
    got_answer.append(tail)
    got_thought.append(rest)
    assert "".join(got_answer) == answer
    assert "".join(got_thought) == (thought if tagged else "")


def test_a_long_line_in_tiny_chunks_is_scanned_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The line splitter scans only new text: feeding one 50 KB ``data:`` line a byte at a time
    scans each character once (a splitter that rescans its buffer scans ~n^2/2 characters)."""
    import re

    from typedllm.streaming import _sse

    scanned = [0]
    real = _sse._EOL

    class Counting:
        def finditer(self, text: str) -> Any:
            scanned[0] += len(text)
            return real.finditer(text)

    monkeypatch.setattr(_sse, "_EOL", Counting())
    line = b'data: {"text": "' + b"x" * 50_000 + b'"}\n\n'
    decoder = SSEDecoder()
    events = []
    for i in range(len(line)):
        events += decoder.decode(line[i : i + 1])
    assert [len(e.data) for e in events] == [len(line) - len("data: ") - 2]
    assert scanned[0] <= len(line)
    assert isinstance(real, re.Pattern)

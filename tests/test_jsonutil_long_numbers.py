"""``loads_exact`` keeps integers of any length exact, and still reads ordinary text with orjson.

The long-number guard looks at every tenth byte first (a run of twenty digits shows there as two
digits in a row) and maps the whole text only when that sample cannot clear it. These tests pin
both halves: no long integer slips past the sample, whatever its offset, and a text without one
(even one the sample cannot clear) is read by orjson.
"""

from __future__ import annotations

import json
import random
from typing import Any

import orjson
import pytest

from typedllm import _jsonutil
from typedllm._jsonutil import loads_exact


def _reference(data: bytes) -> bool:
    """The guard's definition: twenty ASCII digits in a row, anywhere."""
    run = 0
    for byte in data:
        run = run + 1 if 0x30 <= byte <= 0x39 else 0
        if run >= 20:
            return True
    return False


def _no_standard_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("the standard parser was used")

    monkeypatch.setattr(json, "loads", refuse)


@pytest.mark.parametrize("number", [2**64, 99_999_999_999_999_999_999, 10**25 + 7, -(10**30) - 1])
@pytest.mark.parametrize("pad", range(10))  # every offset modulo the sample's stride
def test_a_long_integer_in_a_nested_position_stays_exact(number: int, pad: int) -> None:
    text = (
        '{"id": "chatcmpl-1", "pad": "' + "x" * pad + '", "choices": [{"message": {"content": '
        '"hi", "meta": {"ids": [1, 2.5, ' + str(number) + "]}}}]}"
    )
    value = loads_exact(text.encode())
    ids = value["choices"][0]["message"]["meta"]["ids"]
    assert ids == [1, 2.5, number]
    assert type(ids[2]) is int
    assert loads_exact(text) == value  # str input too


@pytest.mark.parametrize("pad", range(10))
def test_twenty_digits_are_the_boundary(pad: int) -> None:
    twenty = 18_446_744_073_709_551_616  # 2**64: 20 digits, beyond 64 bits
    nineteen = 9_223_372_036_854_775_807  # 2**63 - 1: 19 digits
    prefix = b'{"p": "' + b"x" * pad + b'", "n": '
    assert _jsonutil._has_long_number(prefix + str(twenty).encode() + b"}")  # pyright: ignore[reportPrivateUsage]
    assert not _jsonutil._has_long_number(prefix + str(nineteen).encode() + b"}")  # pyright: ignore[reportPrivateUsage]
    value = loads_exact(prefix + str(twenty).encode() + b"}")
    assert value["n"] == twenty and type(value["n"]) is int
    # a 20-digit number that still fits 64 bits is exact as well
    top = 2**64 - 1
    assert loads_exact(prefix + str(top).encode() + b"}")["n"] == top


def test_the_guard_matches_its_definition_on_digit_heavy_texts() -> None:
    rng = random.Random(20)
    for _ in range(3000):
        size = rng.randrange(0, 120)
        data = bytes(rng.choice(b'0123456789 ,.-x"') for _ in range(size))
        assert _jsonutil._has_long_number(data) == _reference(data), data  # pyright: ignore[reportPrivateUsage]


def test_a_body_without_a_long_integer_takes_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    body = orjson.dumps(
        {
            "id": "chatcmpl-1",
            "created": 1_700_000_000,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "2024-03-14"}}],
            "usage": {"prompt_tokens": 18, "completion_tokens": 59, "total_tokens": 77},
        }
    )
    # Nineteen digits: two of them ten bytes apart, so the sample cannot clear this text; the
    # full mapping does.
    digits_apart = b'{"a": [1, "abcdefg", 2], "b": 1234567890123456789}'
    assert _jsonutil._TWO_DIGITS in digits_apart[::10].translate(_jsonutil._DIGITS_AS_ZEROS)  # pyright: ignore[reportPrivateUsage]
    _no_standard_parser(monkeypatch)
    for text in (body, digits_apart):
        assert not _jsonutil._has_long_number(text)  # pyright: ignore[reportPrivateUsage]
        assert loads_exact(text) == orjson.loads(text)

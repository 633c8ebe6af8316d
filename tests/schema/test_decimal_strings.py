"""``Decimal`` as a string of digits: ``compile_schema(..., decimal="string")`` and
``builder.decimals("string")``; the default stays pydantic's number-or-string schema."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Annotated, Any, Optional

import pydantic
import pytest
from _checkers import check, openapi_to_jsonschema
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, Field

import typedllm as tl
from typedllm.schema import DIALECTS, compile_schema
from typedllm.schema._compile import decimal_string_pattern
from typedllm.testing import FakeProvider

EXACT = "12345678901234567890.12"


class Invoice(BaseModel):
    total: Decimal
    tax: Annotated[Decimal, Field(max_digits=6, decimal_places=2, ge=0)]
    discount: Optional[Decimal] = None


def _decimal_nodes(node: Any) -> list[dict[str, Any]]:
    """Schema nodes that carry the decimal pattern or pydantic's number|string union."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "decimal number written as a string" in str(node.get("description", "")):
            found.append(node)
        for value in node.values():
            found += _decimal_nodes(value)
    elif isinstance(node, list):
        for value in node:
            found += _decimal_nodes(value)
    return found


@pytest.mark.parametrize("dialect", DIALECTS)
def test_default_is_unchanged(dialect: Any) -> None:
    default = compile_schema(Invoice, dialect)
    assert compile_schema(Invoice, dialect, decimal="number").schema == default.schema
    total = pydantic.TypeAdapter(Invoice).json_schema()["properties"]["total"]
    assert {"type": "number"} in total["anyOf"]  # pydantic's number-or-string
    assert not _decimal_nodes(dict(default.schema))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_string_mode_sends_strings_in_every_dialect(dialect: Any) -> None:
    compiled = compile_schema(Invoice, dialect, decimal="string")
    schema = dict(compiled.schema)
    check(dialect, schema)
    nodes = _decimal_nodes(schema)
    assert len(nodes) == 3, nodes
    assert all(str(n["type"]).lower() == "string" for n in nodes)
    assert "number" not in json.dumps(schema).lower().replace("decimal number", "")


def test_cache_keeps_the_modes_apart() -> None:
    class Price(BaseModel):
        amount: Decimal

    as_number = compile_schema(Price, "openai-strict")
    as_string = compile_schema(Price, "openai-strict", decimal="string")
    assert as_number.schema != as_string.schema
    assert compile_schema(Price, "openai-strict") is as_number  # both cached
    assert compile_schema(Price, "openai-strict", decimal="string") is as_string


def test_unknown_mode_is_a_schema_error() -> None:
    with pytest.raises(tl.SchemaError, match="'number' or 'string'"):
        compile_schema(Invoice, "openai-strict", decimal="float")  # type: ignore[arg-type]


def test_builder_option_reaches_the_request_through_the_codec_cache() -> None:
    base = tl.openai().model("gpt-4o-mini").api_key("sk-test")
    # compile the number form first: the string client must not get it from the cache
    plain = json.loads(base.build().request_for("x", schema=Invoice).body)
    strings = json.loads(base.decimals("string").build().request_for("x", schema=Invoice).body)
    plain_total = plain["response_format"]["json_schema"]["schema"]["properties"]["total"]
    string_total = strings["response_format"]["json_schema"]["schema"]["properties"]["total"]
    assert "anyOf" in plain_total
    assert string_total["type"] == "string" and "anyOf" not in string_total


def test_builder_refuses_unknown_modes_and_config_records_the_mode() -> None:
    with pytest.raises(tl.ConfigurationError, match="decimals"):
        tl.openai().decimals("float")  # type: ignore[arg-type]
    llm = tl.anthropic().model("claude-sonnet-4-5").api_key("k").decimals("string").build()
    assert llm.config.decimal_mode == "string"
    default = tl.anthropic().model("claude-sonnet-4-5").api_key("k").build()
    assert default.config.decimal_mode == "number"


def _client(builder: Any, fake: FakeProvider) -> Any:
    return builder.api_key("k").decimals("string").transport(fake).build()


@pytest.mark.parametrize(
    "builder",
    [
        tl.openai().model("gpt-4o-mini"),
        tl.anthropic().model("claude-sonnet-4-5"),
        tl.gemini().model("gemini-2.5-flash"),
    ],
    ids=["openai", "anthropic", "gemini"],
)
def test_answer_keeps_every_digit(builder: Any) -> None:
    answer = {"total": EXACT, "tax": "1234.50", "discount": None}
    fake = FakeProvider([answer])
    invoice = _client(builder, fake).complete("x", schema=Invoice)
    assert invoice.total == Decimal(EXACT) and str(invoice.total) == EXACT
    assert invoice.tax == Decimal("1234.50")


def test_number_mode_loses_digits_which_is_why_the_option_exists() -> None:
    fake = FakeProvider([f'{{"total": {EXACT}, "tax": 1, "discount": null}}'])
    llm = tl.openai().model("gpt-4o-mini").api_key("k").transport(fake).build()
    assert str(llm.complete("x", schema=Invoice).total) != EXACT


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1234.50", True),
        ("0.55", True),
        ("-9999.99", True),
        ("12345.6", False),  # 6 digits but only 4 may precede the point when one follows
        ("1.234", False),
        ("1e3", False),
        (".5", False),
        ("", False),
    ],
)
def test_bounded_pattern(value: str, ok: bool) -> None:
    pattern = decimal_string_pattern(6, 2)
    assert bool(re.fullmatch(pattern, value)) is ok


_CENTS = st.decimals(
    allow_nan=False, allow_infinity=False, places=2, min_value=-9999, max_value=9999
)


@given(_CENTS)
def test_every_string_the_pattern_allows_validates(value: Decimal) -> None:
    """The pattern is never wider than pydantic: what matches validates, with all digits."""
    text = f"{value:f}"
    adapter = pydantic.TypeAdapter(Annotated[Decimal, Field(max_digits=6, decimal_places=2)])
    if re.fullmatch(decimal_string_pattern(6, 2), text):
        assert adapter.validate_python(text) == value
    assert re.fullmatch(decimal_string_pattern(None, None), text) or text.startswith("-0")


def test_gemini_openapi_keeps_the_pattern() -> None:
    compiled = compile_schema(Invoice, "gemini-openapi", decimal="string")
    total = openapi_to_jsonschema(dict(compiled.schema))["properties"]["total"]
    assert total["type"] == "string" and re.fullmatch(total["pattern"], EXACT)

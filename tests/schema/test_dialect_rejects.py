"""Schemas a provider would reject become a valid request or a SchemaError before sending.

Each case goes through the public API: ``compile_schema`` and ``Client.request_for`` (the body
the client would send), never a hand-built dialect call alone.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Annotated, Any, Optional

import pydantic
import pytest
from _checkers import check
from pydantic import BaseModel, Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

import typedllm as tl
from typedllm.schema import DIALECTS, apply_dialect, compile_schema
from typedllm.schema._walker import has_lookaround

# pydantic 2.12.x emits these for Decimal (plain, and with max_digits/decimal_places); the
# installed version may emit none, so the dialects are also tested on the schemas themselves.
PYDANTIC_212_DECIMAL = {
    "anyOf": [
        {"type": "number"},
        {"type": "string", "pattern": r"^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$"},
    ]
}
PYDANTIC_212_BOUNDED_DECIMAL = {
    "anyOf": [
        {"type": "number"},
        {
            "type": "string",
            "pattern": r"^(?!^[-+.]*$)[+-]?0*(?:\d{0,8}|(?=[\d.]{1,11}0*$)\d{0,8}\.\d{0,2}0*$)",
        },
    ]
}


def _openai_body(schema: Any) -> dict[str, Any]:
    llm = tl.openai().model("gpt-4o-mini").api_key("sk-test").build()
    body: dict[str, Any] = json.loads(llm.request_for("x", schema=schema).body)
    return body


def _anthropic_body(schema: Any, model: str = "claude-sonnet-4-5") -> dict[str, Any]:
    llm = tl.anthropic().model(model).api_key("sk-test").build()  # type: ignore[arg-type]
    body: dict[str, Any] = json.loads(llm.request_for("x", schema=schema).body)
    return body


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return found + [p for v in node.values() for p in _patterns(v)]
    if isinstance(node, list):
        return [p for v in node for p in _patterns(v)]
    return []


# -- OpenAI strict: lookaround patterns ---------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "bad"),
    [
        ("^(?=.*[A-Z]).+$", "abc"),
        ("^(?!foo).*$", "foobar"),
        ("(?<=@)[a-z]+", "abc"),
        ("(?<!-)[0-9]+", "-1"),
        (r"^a(?:b|(?!c))$", "ac"),
    ],
)
def test_strict_moves_lookaround_patterns_into_the_description(pattern: str, bad: str) -> None:
    model = pydantic.create_model(
        "Code",
        __config__=pydantic.ConfigDict(regex_engine="python-re"),  # pydantic's default refuses
        code=(str, Field(pattern=pattern)),
    )
    compiled = compile_schema(model, "openai-strict")
    prop = compiled.schema["properties"]["code"]
    assert "pattern" not in prop
    assert json.dumps(pattern) in prop["description"]  # the model still reads it
    moved = [c for c in compiled.changes if c.kind == "moved_to_description"]
    assert [c.path for c in moved] == ["/properties/code"] and moved[0].lossy
    check("openai-strict", dict(compiled.schema))
    # pydantic still enforces the pattern on the answer
    with pytest.raises(pydantic.ValidationError):
        model.model_validate({"code": bad})


@pytest.mark.parametrize("pattern", ["^[A-Z]{3}$", r"^\(?=\d+$", "^[(?=]+$", "^(?<tag>[a-z]+)$"])
def test_strict_keeps_patterns_without_lookaround(pattern: str) -> None:
    assert not has_lookaround(pattern)
    emitted, changes = apply_dialect(
        {"type": "object", "properties": {"p": {"type": "string", "pattern": pattern}}},
        "openai-strict",
    )
    assert emitted["properties"]["p"]["pattern"] == pattern
    assert not [c for c in changes if c.kind == "moved_to_description"]


@pytest.mark.parametrize("decimal", [PYDANTIC_212_DECIMAL, PYDANTIC_212_BOUNDED_DECIMAL])
def test_strict_accepts_the_decimal_schema_of_pydantic_2_12(decimal: dict[str, Any]) -> None:
    source = {"type": "object", "properties": {"amount": decimal}, "required": ["amount"]}
    emitted, changes = apply_dialect(source, "openai-strict")
    check("openai-strict", emitted)
    assert not _patterns(emitted)
    assert any(c.path == "/properties/amount/anyOf/1" and c.lossy for c in changes)


def test_decimal_field_request_has_no_lookaround_whatever_pydantic_emits() -> None:
    class Money(BaseModel):
        amount: Decimal
        capped: Annotated[Decimal, Field(max_digits=10, decimal_places=2)]

    body = _openai_body(Money)
    schema = body["response_format"]["json_schema"]["schema"]
    assert body["response_format"]["json_schema"]["strict"] is True
    check("openai-strict", schema)
    assert not [p for p in _patterns(schema) if has_lookaround(p)]


# -- untyped arrays ---------------------------------------------------------------------------


class Bag(BaseModel):
    things: list[Any]


class BareBag(BaseModel):
    things: list  # type: ignore[type-arg]


@pytest.mark.parametrize("model", [Bag, BareBag])
@pytest.mark.parametrize("dialect", ["openai-strict", "anthropic", "gemini-openapi"])
def test_lists_without_item_type_are_a_schema_error_naming_the_field(
    model: type[BaseModel], dialect: Any
) -> None:
    with pytest.raises(tl.SchemaError) as info:
        compile_schema(model, dialect)
    message = str(info.value)
    assert message.startswith("/properties/things:"), message
    assert "without an item type" in message and "list[str]" in message


def test_openai_client_refuses_an_untyped_list_before_sending() -> None:
    from typedllm.testing import FakeProvider

    fake = FakeProvider()
    llm = tl.openai().model("gpt-4o-mini").api_key("sk-test").transport(fake).build()
    with pytest.raises(tl.SchemaError, match="things"):
        llm.complete("x", schema=Bag)
    assert fake.calls == 0


@pytest.mark.parametrize(
    "items", [{"type": "array"}, {"type": "array", "items": True}, {"type": "array", "items": {}}]
)
def test_untyped_array_schemas_are_refused_by_strict(items: dict[str, Any]) -> None:
    source = {"type": "object", "properties": {"xs": items}, "required": ["xs"]}
    with pytest.raises(tl.SchemaError, match=r"^/properties/xs: a list without an item type"):
        apply_dialect(source, "openai-strict")
    # non-strict dialects take the open array as is
    assert apply_dialect(source, "openai-json-schema")[0]["properties"]["xs"] == items


def test_json_schema_mode_still_takes_list_any() -> None:
    llm = (
        tl.openai().model("gpt-4o-mini").api_key("sk-test").structured_output("json_schema").build()
    )
    body = json.loads(llm.request_for("x", schema=Bag).body)
    assert body["response_format"]["json_schema"]["strict"] is False
    assert body["response_format"]["json_schema"]["schema"]["properties"]["things"]["items"] == {}


# -- invalid types --------------------------------------------------------------------------


class Weird:
    """A custom type whose JSON schema is invalid."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(lambda v: v)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "foo"}


class HasWeird(BaseModel):
    model_config = pydantic.ConfigDict(arbitrary_types_allowed=True)
    odd: Weird


@pytest.mark.parametrize("dialect", DIALECTS)
def test_unknown_types_are_refused_in_every_dialect(dialect: Any) -> None:
    with pytest.raises(tl.SchemaError, match=r"^/properties/odd: type 'foo' is not a JSON"):
        compile_schema(HasWeird, dialect)


@pytest.mark.parametrize("kind", [["string", "foo"], 3, []])
def test_malformed_type_values_are_refused(kind: Any) -> None:
    with pytest.raises(tl.SchemaError, match="is not a JSON Schema type"):
        apply_dialect({"type": "object", "properties": {"x": {"type": kind}}}, "prompt")


def test_anthropic_refuses_an_unknown_type_on_both_routes() -> None:
    with pytest.raises(tl.SchemaError, match="'foo'"):
        _anthropic_body(HasWeird)


# -- Anthropic: the forced tool's root ---------------------------------------------------------


class Node(BaseModel):
    value: int
    children: list[Node] = []


def _tool_input_schema(body: dict[str, Any]) -> dict[str, Any]:
    forced = body["tool_choice"]["name"]
    (tool,) = [t for t in body["tools"] if t["name"] == forced]
    schema: dict[str, Any] = tool["input_schema"]
    return schema


def test_recursive_model_root_is_an_object_in_the_forced_tool() -> None:
    assert "$ref" in Node.model_json_schema()  # pydantic's form: a bare root $ref
    body = _anthropic_body(Node)
    assert "output_config" not in body  # recursion: the tool route
    schema = _tool_input_schema(body)
    assert schema["type"] == "object" and "$ref" not in schema
    assert schema["properties"]["children"]["items"] == {"$ref": "#/$defs/Node"}
    assert "Node" in schema["$defs"]  # inner references still resolve
    # an answer valid for the sent schema validates into the model
    import jsonschema

    answer = {"value": 1, "children": [{"value": 2, "children": []}]}
    jsonschema.validate(answer, schema)
    assert Node.model_validate(answer).children[0].value == 2


def test_recursive_root_rewrite_is_recorded_and_idempotent() -> None:
    compiled = compile_schema(Node, "anthropic-tool")
    assert any("root $ref inlined" in c.detail for c in compiled.changes)
    again, changes = apply_dialect(compiled.schema, "anthropic-tool")
    assert again == dict(compiled.schema) and changes == []


def test_models_without_structured_outputs_get_an_object_root_too() -> None:
    body = _anthropic_body(Node, model="claude-3-5-haiku-latest")
    assert _tool_input_schema(body)["type"] == "object"


# -- Anthropic: structured-outputs size limits ---------------------------------------------------


def _optional_fields(n: int) -> type[BaseModel]:
    return pydantic.create_model(f"Opt{n}", **{f"f{i}": (Optional[int], ...) for i in range(n)})


def test_sixteen_union_parameters_stay_on_the_native_route() -> None:
    body = _anthropic_body(_optional_fields(16))
    schema = body["output_config"]["format"]["schema"]
    assert sum("anyOf" in p for p in schema["properties"].values()) == 16
    assert "tools" not in body


def test_seventeen_union_parameters_raise_naming_the_limit() -> None:
    with pytest.raises(tl.SchemaError, match=r"17 parameters with union types .* limit of 16"):
        compile_schema(_optional_fields(17), "anthropic")


def test_seventeen_union_parameters_go_through_the_forced_tool() -> None:
    body = _anthropic_body(_optional_fields(17))
    assert "output_config" not in body
    schema = _tool_input_schema(body)
    assert len(schema["properties"]) == 17 and schema["type"] == "object"


def test_decimal_fields_count_as_unions() -> None:
    model = pydantic.create_model("Prices", **{f"p{i}": (Decimal, ...) for i in range(17)})
    assert "output_config" not in _anthropic_body(model)


def test_more_than_24_optional_parameters_raise_naming_the_limit() -> None:
    model = pydantic.create_model("Defaults", **{f"f{i}": (int, 0) for i in range(25)})
    with pytest.raises(tl.SchemaError, match=r"25 optional parameters .* limit of 24"):
        compile_schema(model, "anthropic")
    fewer = pydantic.create_model("Fewer", **{f"f{i}": (int, 0) for i in range(24)})
    assert "output_config" in _anthropic_body(fewer)
    assert "output_config" not in _anthropic_body(model)


def test_limit_message_says_what_to_do() -> None:
    with pytest.raises(tl.SchemaError) as info:
        compile_schema(_optional_fields(20), "anthropic")
    assert re.search(r"forced-tool route", str(info.value))


def test_tool_parameters_get_an_object_root_or_a_schema_error() -> None:
    untyped = {"properties": {"city": {"type": "string"}}, "required": ["city"]}
    emitted, _ = apply_dialect(untyped, "anthropic-tool")
    assert emitted["type"] == "object" and emitted["properties"] == untyped["properties"]
    with pytest.raises(tl.SchemaError, match="root is not an object"):
        apply_dialect({"anyOf": [{"type": "string"}, {"type": "integer"}]}, "anthropic-tool")
    weather = tl.ToolDefinition("get_weather", "Current weather", untyped)
    llm = tl.anthropic().model("claude-sonnet-4-5").api_key("k").build()
    body = json.loads(llm.request_for("x", options=tl.CallOptions(tools=(weather,))).body)
    assert body["tools"][0]["input_schema"]["type"] == "object"

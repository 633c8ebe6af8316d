"""The OpenAI strict and non-strict schema dialects."""

from __future__ import annotations

import dataclasses
import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Optional, Union

import jsonschema
import pydantic
import pytest
from _models import models, recursive_model
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel, Field, TypeAdapter
from typing_extensions import TypedDict

import typedllm as tl
from typedllm.schema import WRAP_KEY, apply_dialect, compile_schema
from typedllm.testing import generate_instance

# -- a checker written from OpenAI's documentation ----------------------------------------------
# https://platform.openai.com/docs/guides/structured-outputs#supported-schemas :
# root must be an object (not anyOf); every object sets additionalProperties: false and lists
# every property in required; supported keywords only (strings: pattern, format; numbers:
# minimum/maximum/exclusive*/multipleOf; arrays: minItems/maxItems); formats from a fixed list;
# at most 5000 properties and 10 levels of nesting; anyOf branches each valid; $ref/$defs allowed.

_ALLOWED = {
    "type", "properties", "required", "additionalProperties", "items", "enum", "const", "anyOf",
    "$ref", "$defs", "description", "title", "pattern", "format", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
}  # fmt: skip
_FORMATS = {"date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"}


def check_openai_strict(schema: dict[str, Any]) -> None:
    assert schema.get("type") == "object", "root must be an object"
    assert "anyOf" not in schema, "root must not be anyOf"

    def walk(node: Any, path: str) -> None:
        assert isinstance(node, dict), path
        unknown = set(node) - _ALLOWED
        assert not unknown, f"{path}: unsupported keywords {unknown}"
        if "$ref" in node:
            assert set(node) == {"$ref"}, f"{path}: $ref with siblings"
        if "format" in node:
            assert node["format"] in _FORMATS, path
        if node.get("type") == "object" or "properties" in node:
            assert node.get("additionalProperties") is False, f"{path}: open object"
            assert set(node.get("required", [])) == set(node.get("properties", {})), path
        for key in ("properties", "$defs"):
            for name, sub in node.get(key, {}).items():
                walk(sub, f"{path}/{key}/{name}")
        for i, sub in enumerate(node.get("anyOf", [])):
            walk(sub, f"{path}/anyOf/{i}")
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{path}/items")

    walk(schema, "")


# -- the types users write ----------------------------------------------------------------------


class Color(str, enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Address(BaseModel):
    street: str = Field(description="street and number")
    city: str
    zip_code: Optional[str] = None


class Cat(BaseModel):
    pet_type: Literal["cat"]
    lives: int = 9


class Dog(BaseModel):
    pet_type: Literal["dog"]
    good: bool = True


class Everything(BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)

    name: str = Field(min_length=2, max_length=20)
    age: int = Field(ge=0, le=150)
    ratio: float = Field(gt=0, lt=1, multiple_of=0.01)
    price: Decimal
    when: datetime
    day: date
    ident: uuid.UUID
    color: Color
    level: Level
    mixed: Literal["a", 1, True]
    tags: list[str] = Field(default_factory=list, min_length=1, max_length=3)
    address: Address
    previous: list[Address] = []
    pet: Annotated[Union[Cat, Dog], Field(discriminator="pet_type")]
    plain_union: Union[int, str]
    nickname: Optional[str] = None
    score: int = 5
    title: str = "t"
    properties: str = "p"
    type: str = "x"
    aliased: str = Field(alias="aliasedName")


class Movie(TypedDict):
    title: str
    year: int


@dataclasses.dataclass
class Point:
    x: float
    y: float = 0.0


STRICT_TYPES: list[Any] = [
    Everything,
    Address,
    recursive_model(),
    list[Address],
    Optional[Address],
    Address | None,
    Movie,
    Point,
    bool,
    int,
    str,
    Literal["yes", "no"],
    Color,
    Level,
    list[int],
    Union[Cat, Dog],
]


@pytest.mark.parametrize("tp", STRICT_TYPES, ids=repr)
def test_strict_output_follows_openai_rules(tp: Any) -> None:
    compiled = compile_schema(tp, "openai-strict")
    check_openai_strict(dict(compiled.schema))
    jsonschema.Draft202012Validator.check_schema(compiled.schema)


@pytest.mark.parametrize("tp", STRICT_TYPES, ids=repr)
def test_generated_answers_round_trip_through_validation(tp: Any) -> None:
    compiled = compile_schema(tp, "openai-strict")
    answer = generate_instance(compiled.schema, seed="t")
    jsonschema.validate(answer, compiled.schema)
    TypeAdapter(tp).validate_python(compiled.unwrap(answer))


def test_non_object_roots_are_wrapped() -> None:
    compiled = compile_schema(list[Address], "openai-strict")
    assert compiled.wrapped
    assert compiled.schema["required"] == [WRAP_KEY]
    assert compiled.schema["properties"][WRAP_KEY]["type"] == "array"
    assert any(c.kind == "wrapped" for c in compiled.changes)
    assert compiled.unwrap({WRAP_KEY: [1]}) == [1]
    assert not compile_schema(Address, "openai-strict").wrapped


def test_optional_fields_become_required_and_nullable() -> None:
    schema = compile_schema(Address, "openai-strict").schema
    assert schema["required"] == ["street", "city", "zip_code"]
    zip_types = {b.get("type") for b in schema["properties"]["zip_code"]["anyOf"]}
    assert zip_types == {"string", "null"}
    assert "default" not in str(schema)


def test_defaults_are_dropped_and_recorded() -> None:
    compiled = compile_schema(Everything, "openai-strict")
    dropped = [c for c in compiled.changes if c.kind == "dropped" and "default" in c.detail]
    assert dropped
    assert "'default'" not in str(compiled.schema)


def test_unsupported_keywords_move_to_the_description() -> None:
    compiled = compile_schema(Everything, "openai-strict")
    name = compiled.schema["properties"]["name"]
    assert "minLength" not in name and "maxLength" not in name
    assert "minLength: 2" in name["description"] and "maxLength: 20" in name["description"]
    moved = {c.detail for c in compiled.changes if c.kind == "moved_to_description"}
    assert any("minLength" in d for d in moved)
    assert all(c.lossy for c in compiled.changes if c.kind == "moved_to_description")
    # Supported numeric constraints stay as keywords.
    age = compiled.schema["properties"]["age"]
    assert (age["minimum"], age["maximum"]) == (0, 150)


def test_discriminated_unions_become_any_of() -> None:
    compiled = compile_schema(Everything, "openai-strict")
    pet = compiled.schema["properties"]["pet"]
    assert "oneOf" not in pet and "discriminator" not in pet
    assert len(pet["anyOf"]) == 2


def test_recursion_is_kept_with_refs() -> None:
    compiled = compile_schema(recursive_model(), "openai-strict")
    assert "$ref" in str(compiled.schema["properties"]["children"])
    assert "$defs" in compiled.schema or compiled.schema.get("$ref")


def test_ref_siblings_are_inlined() -> None:
    class WithDescribedRef(BaseModel):
        home: Address = Field(description="where they live")

    compiled = compile_schema(WithDescribedRef, "openai-strict")
    home = compiled.schema["properties"]["home"]
    assert "$ref" not in home
    assert home["description"] == "where they live"
    assert home["additionalProperties"] is False


def test_aliases_are_used_in_the_schema() -> None:
    schema = compile_schema(Everything, "openai-strict").schema
    assert "aliasedName" in schema["properties"] and "aliased" not in schema["properties"]


def test_any_is_a_schema_error_naming_the_problem() -> None:
    with pytest.raises(tl.SchemaError, match="Any"):
        compile_schema(Any, "openai-strict")

    class Loose(BaseModel):
        payload: Any

    with pytest.raises(tl.SchemaError, match="payload"):
        compile_schema(Loose, "openai-strict")


def test_dict_fields_are_rewritten_losslessly_and_restored() -> None:
    class Scores(BaseModel):
        by_name: dict[str, int]
        pair: tuple[int, str]

    compiled = compile_schema(Scores, "openai-strict")
    check_openai_strict(dict(compiled.schema))
    by_name = compiled.schema["properties"]["by_name"]
    assert by_name["type"] == "array"
    assert by_name["items"]["required"] == ["key", "value"]
    assert compiled.rewrites == {"dict_pairs", "tuple_object"}
    answer = {"by_name": [{"key": "a", "value": 1}], "pair": {"item_0": 2, "item_1": "x"}}
    assert compiled.restore(answer) == {"by_name": {"a": 1}, "pair": [2, "x"]}
    assert Scores.model_validate(compiled.restore(answer)) == Scores(
        by_name={"a": 1}, pair=(2, "x")
    )
    # The non-strict dialect keeps them as they are.
    loose = compile_schema(Scores, "openai-json-schema")
    assert loose.schema["properties"]["by_name"]["additionalProperties"] == {"type": "integer"}
    assert not loose.rewrites


def test_dict_root_is_wrapped_then_rewritten() -> None:
    compiled = compile_schema(dict[str, int], "openai-strict")
    assert compiled.wrapped
    check_openai_strict(dict(compiled.schema))
    restored = compiled.restore({WRAP_KEY: [{"key": "k", "value": 3}]})
    assert compiled.unwrap(restored) == {"k": 3}


def test_variable_length_tuples_are_a_schema_error() -> None:
    schema = {
        "type": "object",
        "properties": {
            "t": {
                "type": "array",
                "prefixItems": [{"type": "integer"}],
                "items": {"type": "string"},
            }
        },
        "required": ["t"],
    }
    with pytest.raises(tl.SchemaError, match="variable-length"):
        apply_dialect(schema, "openai-strict")


def test_limits_are_checked() -> None:
    wide = pydantic.create_model("Wide", **{f"f{i}": (int, ...) for i in range(150)})  # type: ignore[call-overload]
    compiled = compile_schema(wide, "openai-strict")
    assert len(compiled.schema["properties"]) == 150
    deep: Any = int
    for i in range(12):
        deep = pydantic.create_model(f"Level{i}", inner=(deep, ...))
    with pytest.raises(tl.SchemaError, match="levels deep"):
        compile_schema(deep, "openai-strict")
    eight: Any = int
    for i in range(8):
        eight = pydantic.create_model(f"Eight{i}", inner=(eight, ...))
    check_openai_strict(dict(compile_schema(eight, "openai-strict").schema))
    big_enum = Literal[tuple(f"v{i}" for i in range(1001))]  # type: ignore[misc]
    with pytest.raises(tl.SchemaError, match="enum values"):
        compile_schema(big_enum, "openai-strict")


def test_schema_names_are_valid() -> None:
    import re

    for tp in STRICT_TYPES:
        assert re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", compile_schema(tp, "openai-strict").name)


def test_results_are_cached_and_not_shared_with_pydantic() -> None:
    a = compile_schema(Address, "openai-strict")
    assert compile_schema(Address, "openai-strict") is a
    assert "additionalProperties" not in TypeAdapter(Address).json_schema()


def test_non_strict_dialect_keeps_pydantic_schema() -> None:
    compiled = compile_schema(Address, "openai-json-schema")
    assert compiled.schema["required"] == ["street", "city"]
    assert compiled.schema["properties"]["zip_code"]["default"] is None
    assert "additionalProperties" not in compiled.schema


# -- properties ---------------------------------------------------------------------------------

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(models())
def test_property_strict_output_is_accepted_by_the_openai_rules(model: type[BaseModel]) -> None:
    check_openai_strict(dict(compile_schema(model, "openai-strict").schema))


@_SETTINGS
@given(models())
def test_property_emitting_twice_is_idempotent(model: type[BaseModel]) -> None:
    for dialect in ("openai-strict", "openai-json-schema"):
        once = compile_schema(model, dialect).schema  # type: ignore[arg-type]
        twice, changes = apply_dialect(dict(once), dialect)  # type: ignore[arg-type]
        assert twice == once
        assert changes == []


@_SETTINGS
@given(models(), models())
def test_property_valid_instances_are_valid_for_the_emitted_schema(
    model: type[BaseModel], other: type[BaseModel]
) -> None:
    """The transform never over-constrains: a valid instance (every optional present) passes."""
    for tp in (model, list[model], Optional[model]):  # type: ignore[valid-type]
        compiled = compile_schema(tp, "openai-strict")
        adapter = TypeAdapter(tp)
        raw = generate_instance(TypeAdapter(tp).json_schema(), seed="full")
        instance = adapter.validate_python(raw)
        dumped = adapter.dump_python(instance, mode="json", by_alias=True)
        payload = {WRAP_KEY: dumped} if compiled.wrapped else dumped
        jsonschema.validate(payload, compiled.schema)
        assert adapter.validate_python(compiled.unwrap(payload)) == instance
    del other

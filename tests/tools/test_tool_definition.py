"""Tools from typed functions: the schema from the signature and the docstring, direct calls,
argument validation, result serialization."""

from __future__ import annotations

import asyncio
import dataclasses
import enum
from typing import Annotated, Literal, Optional

import pytest
from pydantic import BaseModel, Field, ValidationError

import typedllm as tl
from typedllm.tools import serialize_result


class Unit(str, enum.Enum):
    C = "C"
    F = "F"


class Address(BaseModel):
    street: str
    city: str


def _props(t: tl.Tool[..., object]) -> dict[str, dict[str, object]]:
    props: dict[str, dict[str, object]] = dict(t.definition.parameters["properties"])
    return props


def test_google_docstring_and_signature() -> None:
    @tl.tool
    def get_weather(city: str, unit: Unit = Unit.C, days: int = 1) -> str:
        """Current weather in a city.

        More detail on a second paragraph.

        Args:
            city: the city name,
                spelled in English.
            unit (Unit): the temperature unit.
            days: how many days.

        Returns:
            a summary.
        """
        return f"{city}:{unit.value}:{days}"

    d = get_weather.definition
    assert d.name == "get_weather"
    assert d.description == "Current weather in a city.\n\nMore detail on a second paragraph."
    props = _props(get_weather)
    assert props["city"]["description"] == "the city name, spelled in English."
    assert props["days"]["description"] == "how many days."
    assert props["days"]["default"] == 1
    assert d.parameters["required"] == ["city"]
    assert d.parameters["additionalProperties"] is False
    assert "C" in str(d.parameters["$defs"]["Unit"]["enum"])
    # Direct calls keep working.
    assert get_weather("Paris", Unit.F, days=2) == "Paris:F:2"


def test_numpy_docstring() -> None:
    def search(query: str, limit: int = 5) -> list[str]:
        """Search the catalog.

        Parameters
        ----------
        query : str
            What to look for.
        limit : int, optional
            At most this many
            results.

        Returns
        -------
        list of str
        """
        return [query] * limit

    t = tl.Tool.from_function(search)
    assert t.description == "Search the catalog."
    assert _props(t)["query"]["description"] == "What to look for."
    assert _props(t)["limit"]["description"] == "At most this many results."


def test_sphinx_docstring() -> None:
    def convert(amount: float, currency: str) -> float:
        """Convert an amount.

        :param amount: the amount to convert.
        :param str currency: the ISO code.
        :returns: the converted amount.
        """
        return amount

    t = tl.tool(convert)
    assert t.description == "Convert an amount."
    assert _props(t)["amount"]["description"] == "the amount to convert."
    assert _props(t)["currency"]["description"] == "the ISO code."


def test_annotated_field_wins_and_complex_types() -> None:
    @tl.tool(name="ship", description="Ship a parcel", strict=True)
    def ship(
        to: Address,
        mode: Literal["air", "sea"],
        weight: Annotated[float, Field(description="kilograms", gt=0)],
        tags: list[str] | None = None,
        note: Optional[str] = None,
    ) -> Address:
        """Ignored summary.

        Args:
            weight: docstring text that Field(description=...) overrides.
        """
        return to

    d = ship.definition
    assert (d.name, d.description, d.strict) == ("ship", "Ship a parcel", True)
    props = _props(ship)
    assert props["weight"]["description"] == "kilograms"
    assert props["weight"]["exclusiveMinimum"] == 0
    assert props["mode"]["enum"] == ["air", "sea"]
    assert "Address" in d.parameters["$defs"]
    assert sorted(d.parameters["required"]) == ["mode", "to", "weight"]
    args = ship.validate('{"to": {"street": "1 Main", "city": "X"}, "mode": "sea", "weight": 2}')
    assert isinstance(args["to"], Address)
    assert args["tags"] is None
    with pytest.raises(ValidationError):
        ship.validate('{"to": {"street": "1", "city": "X"}, "mode": "rail", "weight": 2}')
    with pytest.raises(ValidationError):
        ship.validate('{"to": {"street": "1", "city": "X"}, "mode": "air", "weight": -1}')
    with pytest.raises(ValidationError):
        ship.validate("not json")


def test_async_function_and_invoke() -> None:
    @tl.tool(timeout=2, requires_approval=lambda args: args["amount"] > 100)
    async def pay(amount: int, /, to: str) -> dict[str, object]:
        """Pay someone."""
        return {"paid": amount, "to": to}

    assert pay.is_async and pay.timeout == 2.0
    args = pay.validate({"amount": "150", "to": "bob"})
    assert args == {"amount": 150, "to": "bob"}
    assert pay.needs_approval(args) and not pay.needs_approval({"amount": 5, "to": "x"})
    assert asyncio.run(pay.invoke(args)) == {"paid": 150, "to": "bob"}
    assert asyncio.run(pay(3, to="z")) == {"paid": 3, "to": "z"}


def test_serialize_result() -> None:
    @dataclasses.dataclass
    class Point:
        x: int
        y: int

    assert serialize_result("plain text") == "plain text"
    assert serialize_result(Address(street="s", city="c")) == '{"street":"s","city":"c"}'
    assert serialize_result(Point(1, 2)) == '{"x":1,"y":2}'
    assert serialize_result([1, {"a": None}]) == '[1,{"a":null}]'
    assert serialize_result(None) == "null"


def test_bad_tools_are_configuration_errors() -> None:
    def star(*args: int) -> None: ...
    def kw(**kwargs: int) -> None: ...

    with pytest.raises(tl.ConfigurationError, match=r"\*args"):
        tl.tool(star)
    with pytest.raises(tl.ConfigurationError, match="kwargs"):
        tl.tool(kw)
    with pytest.raises(tl.ConfigurationError, match="timeout"):
        tl.tool(timeout=0)(lambda: None)
    with pytest.raises(tl.ConfigurationError, match="requires_approval"):
        tl.tool(requires_approval="yes")(lambda: None)  # type: ignore[arg-type]
    with pytest.raises(tl.ConfigurationError, match="name="):
        tl.tool(lambda x: x)
    named = tl.tool(name="double")(lambda x: x * 2)
    assert named.name == "double" and named(2) == 4
    with pytest.raises(tl.ConfigurationError, match="underscore"):
        tl.tool(_private_parameter)


def _private_parameter(_x: int) -> int:
    return _x


def test_unannotated_and_no_parameters() -> None:
    def now():  # type: ignore[no-untyped-def]
        return "12:00"

    t = tl.tool(now)
    assert t.definition.parameters["properties"] == {}
    assert t.validate("") == {}
    assert repr(t) == "Tool('now')"
